import Foundation
import Testing

@testable import AnonLogCore

/// MaxMind databases: lookups by IPv4 and IPv6 prefix, the ASN campaign rule, ASN rankings.
struct GeoDatabaseTests {
    /// Writes a small MaxMind DB (format 2.0) for the tests: an IPv6 search tree and a data
    /// section of maps, as maxmind.github.io/MaxMind-DB describes them.
    struct Writer {
        indirect enum Value {
            case text(String)
            case unsigned(UInt32)
            case map([(String, Value)])
        }

        var recordSize = 24
        /// (prefix bits high, low, length in the IPv6 space, record)
        var networks: [(UInt64, UInt64, Int, Value)] = []

        mutating func add(_ cidr: String, asn: UInt32, organization: String, country: String) {
            let parts = cidr.split(separator: "/")
            let address = IPAddress(String(parts[0]))!
            let length = Int(parts[1])! + (address.family == .v4 ? 96 : 0)
            // IPv4 lives under ::/96 in an IPv6 tree (not under ::ffff:0:0/96).
            let low = address.family == .v4 ? address.low & 0xFFFF_FFFF : address.low
            networks.append((address.family == .v4 ? 0 : address.high, low, length, .map([
                ("autonomous_system_number", .unsigned(asn)), ("autonomous_system_organization", .text(organization)),
                ("country", .map([("iso_code", .text(country))])),
            ])))
        }

        func build() -> [UInt8] {
            enum Child { case empty, node(Int), data(Int) }
            var nodes: [[Child]] = [[.empty, .empty]]
            var data: [UInt8] = []
            for (high, low, length, record) in networks {
                let offset = data.count
                data += Self.encode(record)
                var node = 0
                for index in 0..<length {
                    let word = index < 64 ? high : low
                    let bit = Int((word >> UInt64(63 - index % 64)) & 1)
                    if index == length - 1 {
                        nodes[node][bit] = .data(offset)
                    } else if case .node(let next) = nodes[node][bit] {
                        node = next
                    } else {
                        nodes.append([.empty, .empty])
                        nodes[node][bit] = .node(nodes.count - 1)
                        node = nodes.count - 1
                    }
                }
            }
            let count = nodes.count
            func value(_ child: Child) -> UInt32 {
                switch child {
                case .empty: UInt32(count)
                case .node(let index): UInt32(index)
                case .data(let offset): UInt32(count + 16 + offset)
                }
            }
            var bytes: [UInt8] = []
            for node in nodes {
                let left = value(node[0])
                let right = value(node[1])
                switch recordSize {
                case 24:
                    bytes += [UInt8(left >> 16 & 0xFF), UInt8(left >> 8 & 0xFF), UInt8(left & 0xFF)]
                    bytes += [UInt8(right >> 16 & 0xFF), UInt8(right >> 8 & 0xFF), UInt8(right & 0xFF)]
                case 28:
                    bytes += [UInt8(left >> 16 & 0xFF), UInt8(left >> 8 & 0xFF), UInt8(left & 0xFF)]
                    bytes.append(UInt8((left >> 24 & 0x0F) << 4 | (right >> 24 & 0x0F)))
                    bytes += [UInt8(right >> 16 & 0xFF), UInt8(right >> 8 & 0xFF), UInt8(right & 0xFF)]
                default:
                    for word in [left, right] { bytes += [UInt8(word >> 24), UInt8(word >> 16 & 0xFF), UInt8(word >> 8 & 0xFF), UInt8(word & 0xFF)] }
                }
            }
            bytes += [UInt8](repeating: 0, count: 16)
            bytes += data
            bytes += [0xAB, 0xCD, 0xEF] + Array("MaxMind.com".utf8)
            bytes += Self.encode(.map([
                ("node_count", .unsigned(UInt32(count))), ("record_size", .unsigned(UInt32(recordSize))), ("ip_version", .unsigned(6)),
                ("database_type", .text("anonlog-test")), ("binary_format_major_version", .unsigned(2)),
            ]))
            return bytes
        }

        static func encode(_ value: Value) -> [UInt8] {
            switch value {
            case .text(let text):
                let utf8 = Array(text.utf8)
                return header(type: 2, size: utf8.count) + utf8
            case .unsigned(let number):
                var digits: [UInt8] = []
                var rest = number
                while rest > 0 {
                    digits.insert(UInt8(rest & 0xFF), at: 0)
                    rest >>= 8
                }
                return header(type: 6, size: digits.count) + digits
            case .map(let members):
                return header(type: 7, size: members.count) + members.flatMap { encode(.text($0.0)) + encode($0.1) }
            }
        }

        static func header(type: Int, size: Int) -> [UInt8] {
            precondition(size < 29 + 256)
            let sizeBits = size < 29 ? size : 29
            let extra: [UInt8] = size < 29 ? [] : [UInt8(size - 29)]
            if type > 7 { return [UInt8(sizeBits), UInt8(type - 7)] + extra }
            return [UInt8(type << 5 | sizeBits)] + extra
        }
    }

    static func database(recordSize: Int = 24) throws -> GeoDatabase {
        var writer = Writer(recordSize: recordSize)
        writer.add("203.0.113.0/24", asn: 64500, organization: "Example Transit", country: "DE")
        writer.add("198.51.100.0/24", asn: 64501, organization: "Example Hosting", country: "US")
        writer.add("192.0.2.0/24", asn: 64502, organization: "Example Botnet Host", country: "NL")
        writer.add("10.0.0.0/8", asn: 64502, organization: "Example Botnet Host", country: "NL")
        writer.add("2001:db8::/32", asn: 64510, organization: "Example IPv6", country: "FR")
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("anonlog-geo-\(UUID().uuidString).mmdb").path
        try Data(writer.build()).write(to: URL(fileURLWithPath: path))
        return try GeoDatabase(path: path)
    }

    // MARK: - Lookups

    @Test(arguments: [24, 28, 32])
    func addressesAreFoundByTheirPrefix(recordSize: Int) throws {
        let database = try Self.database(recordSize: recordSize)
        #expect(database.lookup(IPAddress("203.0.113.77")!) == .init(asn: 64500, organization: "Example Transit", country: "DE"))
        #expect(database.lookup(IPAddress("::ffff:198.51.100.9")!).asn == 64501)
        #expect(database.lookup(IPAddress("2001:db8:5ca1::1")!) == .init(asn: 64510, organization: "Example IPv6", country: "FR"))
        #expect(database.lookup(IPAddress("203.0.114.1")!) == .init())
        #expect(database.lookup(IPAddress("2001:db9::1")!) == .init())
    }

    @Test func aFileThatIsNotAMaxMindDatabaseIsRefused() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("anonlog-geo-bad-\(UUID().uuidString)").path
        try Data("not a database".utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: AnonLogError.self) { try GeoDatabase(path: path) }
        #expect(throws: AnonLogError.self) { try GeoDatabase(path: path + ".missing") }
    }

    // MARK: - Statistics

    static func configuration() throws -> StatsConfiguration {
        var configuration = StatsConfiguration()
        configuration.geoDatabases = [try database()]
        return configuration
    }

    /// `hosts` clients each probing (firing http-probing), in other /24s of one AS or not.
    static func probingClients(_ addresses: [String]) -> [String] {
        addresses.enumerated().flatMap { index, client in
            DetectorsTests.probes(client, (0..<12).map { "/probe-\($0)" }, every: 0.2, from: Double(index) * 2)
        }
    }

    @Test func manyAlertedClientsOfOneAutonomousSystemFireAnASNCampaign() throws {
        // Eleven clients of AS64502, each in a different /24 (so no network campaign).
        let attack = Self.probingClients((0..<11).map { "10.\($0).0.9" })
        let fired = try StatsHarness.alerts(attack, configuration: Self.configuration())
        let campaign = try #require(fired.first { $0.rule == .asnCampaign })
        #expect(campaign.subject == "AS64502" && campaign.scope == .asn && campaign.country == "NL")
        #expect(!fired.contains { $0.rule == .networkCampaign })
        #expect(fired.first { $0.rule == .httpProbing }?.asn == 64502)
    }

    @Test func alertedClientsSpreadOverAutonomousSystemsDoNot() throws {
        let benign = Self.probingClients((0..<4).map { "10.\($0).0.9" } + (0..<4).map { "203.0.113.\($0 + 1)" } + ["198.51.100.1", "198.51.100.2", "2001:db8::1"])
        let fired = try StatsHarness.alerts(benign, configuration: Self.configuration())
        #expect(!fired.contains { $0.rule == .asnCampaign })
    }

    @Test func topRanksAutonomousSystemsAndCountries() throws {
        let store = try SQLiteStatsStore(path: SQLiteStatsStoreTests.temporaryPath())
        let lines = (0..<300).map { Trace.request(["203.0.113.\($0 % 30)", "198.51.100.\($0 % 12)", "2001:db8::\($0 % 5)"][$0 % 3], Double($0), "GET", "/") }
        _ = try StatsHarness.record([lines], configuration: Self.configuration(), store: store)
        let byASN = try #require(try store.top(by: .asn, metric: .requests, StatsQuery(k: 10)).first)
        #expect(byASN.rows.first == [.text("AS64500"), .text("Example Transit"), .text("DE"), .integer(100), .integer(0), .integer(0), .integer(0), .integer(10)])
        #expect(byASN.rows.last?[0] == .text("other"))
        let byCountry = try #require(try store.top(by: .country, metric: .requests, StatsQuery(k: 1)).first)
        #expect(Set(byCountry.rows.map { StatsRendering.csvText($0[0]) }) == ["DE", "US", "FR"])
    }
}
