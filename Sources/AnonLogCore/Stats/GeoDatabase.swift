#if canImport(Glibc)
internal import Glibc
#elseif canImport(Musl)
internal import Musl
#elseif canImport(Darwin)
internal import Darwin
#endif

/// A MaxMind DB file (GeoLite2/GeoIP2 ASN, Country or City, or any database in that format),
/// read in place for the statistics: the autonomous system and the country of an address.
///
/// The format (maxmind.github.io/MaxMind-DB) is a binary search tree over the address bits
/// followed by a data section of typed values; the file is mapped into memory and nothing is
/// read until an address is looked up. ASN numbers, AS organizations and country codes are not
/// personal data and are stored in clear, as CrowdSec and GoAccess do. The mapped file is never
/// written, so one database may be shared by several recorders.
public final class GeoDatabase: @unchecked Sendable {
    /// What the database says about an address.
    public struct Record: Sendable, Equatable {
        /// The autonomous system number, 0 when unknown.
        public var asn: UInt32 = 0
        /// The autonomous system's organization.
        public var organization: String?
        /// The ISO 3166-1 alpha-2 country code (registered country when there is no country).
        public var country: String?

        public init(asn: UInt32 = 0, organization: String? = nil, country: String? = nil) {
            self.asn = asn
            self.organization = organization
            self.country = country
        }
    }

    public let path: String
    private let base: UnsafeRawPointer
    private let size: Int
    private let nodeCount: Int
    private let recordSize: Int
    private let ipVersion: Int
    private let dataStart: Int
    private let ipv4Start: Int

    /// Maps the database at `path`.
    ///
    /// - Throws: ``AnonLogError`` with ``AnonLogError/Code/noInput`` when the file cannot be
    ///   read, ``AnonLogError/Code/dataError`` when it is not a MaxMind database.
    public init(path: String) throws(AnonLogError) {
        self.path = path
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw AnonLogError(.noInput, "cannot open the GeoIP database", location: .init(path: path), errno: errno) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, status.st_size > 0 else {
            throw AnonLogError(.noInput, "cannot read the GeoIP database", location: .init(path: path), errno: errno)
        }
        let mappedSize = Int(status.st_size)
        guard let mapped = mmap(nil, mappedSize, PROT_READ, MAP_PRIVATE, descriptor, 0), mapped != MAP_FAILED else {
            throw AnonLogError(.noInput, "cannot map the GeoIP database", location: .init(path: path), errno: errno)
        }
        let bytes = UnsafeRawBufferPointer(start: mapped, count: mappedSize)
        func invalid(_ why: String) -> AnonLogError {
            munmap(mapped, mappedSize)
            return AnonLogError(.dataError, "not a MaxMind database: \(why)", location: .init(path: path))
        }
        guard let metadataStart = Self.metadataStart(bytes) else { throw invalid("no metadata marker") }
        var decoder = Decoder(bytes: bytes, sectionStart: metadataStart)
        guard case .map(let metadata)? = try? decoder.value(at: metadataStart).value else { throw invalid("unreadable metadata") }
        func number(_ key: String) -> Int? {
            guard case .unsigned(let value)? = metadata.first(where: { $0.0 == key })?.1 else { return nil }
            return Int(exactly: value)
        }
        guard let nodeCount = number("node_count"), let recordSize = number("record_size"), [24, 28, 32].contains(recordSize),
            let ipVersion = number("ip_version"), ipVersion == 4 || ipVersion == 6
        else { throw invalid("incomplete metadata") }
        // The node count is bounded by the file first, so a crafted one cannot overflow the size.
        guard nodeCount <= metadataStart else { throw invalid("the search tree is larger than the file") }
        let treeSize = recordSize * 2 / 8 * nodeCount
        guard treeSize + 16 <= metadataStart else { throw invalid("the search tree is larger than the file") }
        // IPv4 addresses live under ::/96 of an IPv6 tree.
        var node = 0
        if ipVersion == 6 {
            for _ in 0..<96 where node < nodeCount { node = Self.record(UnsafeRawPointer(mapped), node, 0, recordSize) }
        }
        base = UnsafeRawPointer(mapped)
        size = mappedSize
        self.nodeCount = nodeCount
        self.recordSize = recordSize
        self.ipVersion = ipVersion
        dataStart = treeSize + 16
        ipv4Start = node
    }

    deinit { munmap(UnsafeMutableRawPointer(mutating: base), size) }

    /// What the database says about `address` (empty when it has nothing).
    public func lookup(_ address: IPAddress) -> Record {
        guard let offset = dataOffset(address) else { return Record() }
        var decoder = Decoder(bytes: UnsafeRawBufferPointer(start: base, count: size), sectionStart: dataStart)
        guard case .map(let members)? = try? decoder.value(at: dataStart + offset).value else { return Record() }
        var record = Record()
        for (key, value) in members {
            switch (key, value) {
            case ("autonomous_system_number", .unsigned(let number)): record.asn = UInt32(truncatingIfNeeded: number)
            case ("autonomous_system_organization", .text(let text)): record.organization = text
            case ("country", .map(let country)):
                if case .text(let code)? = country.first(where: { $0.0 == "iso_code" })?.1 { record.country = code }
            case ("registered_country", .map(let country)):
                if record.country == nil, case .text(let code)? = country.first(where: { $0.0 == "iso_code" })?.1 { record.country = code }
            default: break
            }
        }
        return record
    }

    /// The data offset of `address`'s record, if the tree has one.
    private func dataOffset(_ address: IPAddress) -> Int? {
        var node: Int
        let bits: Int
        var high = address.high
        var low = address.low
        if address.isIPv4Mapped {
            node = ipVersion == 6 ? ipv4Start : 0
            bits = 32
            high = low << 32
            low = 0
        } else {
            guard ipVersion == 6 else { return nil }
            node = 0
            bits = 128
        }
        var index = 0
        while index < bits, node < nodeCount {
            let word = index < 64 ? high : low
            let bit = Int((word >> UInt64(63 - index % 64)) & 1)
            node = Self.record(base, node, bit, recordSize)
            index += 1
        }
        guard node > nodeCount else { return nil }
        return node - nodeCount - 16
    }

    private static func record(_ base: UnsafeRawPointer, _ node: Int, _ side: Int, _ recordSize: Int) -> Int {
        func byte(_ offset: Int) -> Int { Int(base.load(fromByteOffset: offset, as: UInt8.self)) }
        switch recordSize {
        case 24:
            let start = node * 6 + side * 3
            return byte(start) << 16 | byte(start + 1) << 8 | byte(start + 2)
        case 28:
            let start = node * 7
            if side == 0 { return (byte(start + 3) & 0xF0) << 20 | byte(start) << 16 | byte(start + 1) << 8 | byte(start + 2) }
            return (byte(start + 3) & 0x0F) << 24 | byte(start + 4) << 16 | byte(start + 5) << 8 | byte(start + 6)
        default:
            let start = node * 8 + side * 4
            return byte(start) << 24 | byte(start + 1) << 16 | byte(start + 2) << 8 | byte(start + 3)
        }
    }

    private static let marker: [UInt8] = [0xAB, 0xCD, 0xEF] + Array("MaxMind.com".utf8)

    /// The offset just after the last metadata marker.
    private static func metadataStart(_ bytes: UnsafeRawBufferPointer) -> Int? {
        var position = bytes.count - marker.count
        let limit = max(0, bytes.count - 128 * 1024)
        while position >= limit {
            if bytes[position] == marker[0], (0..<marker.count).allSatisfy({ bytes[position + $0] == marker[$0] }) {
                return position + marker.count
            }
            position -= 1
        }
        return nil
    }

    // MARK: - Data section

    /// A decoded data-section value (only the types the statistics read keep their contents).
    enum Value {
        case text(String)
        case unsigned(UInt64)
        case map([(String, Value)])
        case other
    }

    struct DecodingError: Error {}

    /// Reads the data section's typed values.
    struct Decoder {
        let bytes: UnsafeRawBufferPointer
        /// Where pointers count from.
        let sectionStart: Int
        var depth = 0

        mutating func value(at start: Int) throws(DecodingError) -> (value: Value, next: Int) {
            depth += 1
            defer { depth -= 1 }
            guard depth < 32, start < bytes.count else { throw DecodingError() }
            let control = Int(bytes[start])
            var position = start + 1
            var type = control >> 5
            if type == 1 {
                // A pointer: the value lives elsewhere; decoding continues after the pointer.
                let sizeBits = (control >> 3) & 0x3
                let high = control & 0x7
                var pointer: Int
                switch sizeBits {
                case 0: pointer = high << 8 | Int(try byte(position)); position += 1
                case 1: pointer = (high << 16 | Int(try byte(position)) << 8 | Int(try byte(position + 1))) + 2048; position += 2
                case 2:
                    pointer = (high << 24 | Int(try byte(position)) << 16 | Int(try byte(position + 1)) << 8 | Int(try byte(position + 2))) + 526_336
                    position += 3
                default:
                    pointer = Int(try byte(position)) << 24 | Int(try byte(position + 1)) << 16 | Int(try byte(position + 2)) << 8
                        | Int(try byte(position + 3))
                    position += 4
                }
                let target = try value(at: sectionStart + pointer)
                return (target.value, position)
            }
            if type == 0 {
                type = 7 + Int(try byte(position))
                position += 1
            }
            var length = control & 0x1F
            switch length {
            case 29: length = 29 + Int(try byte(position)); position += 1
            case 30: length = 285 + (Int(try byte(position)) << 8 | Int(try byte(position + 1))); position += 2
            case 31:
                length = 65_821 + (Int(try byte(position)) << 16 | Int(try byte(position + 1)) << 8 | Int(try byte(position + 2)))
                position += 3
            default: break
            }
            switch type {
            case 2:
                guard position + length <= bytes.count else { throw DecodingError() }
                return (.text(String(decoding: bytes[position..<(position + length)], as: UTF8.self)), position + length)
            case 5, 6, 9, 10:
                guard position + length <= bytes.count else { throw DecodingError() }
                var number: UInt64 = 0
                for offset in 0..<length { number = number << 8 | UInt64(bytes[position + offset]) }
                return (.unsigned(number), position + length)
            case 7:
                var members: [(String, Value)] = []
                for _ in 0..<length {
                    let key = try value(at: position)
                    let member = try value(at: key.next)
                    guard case .text(let name) = key.value else { throw DecodingError() }
                    members.append((name, member.value))
                    position = member.next
                }
                return (.map(members), position)
            case 11:
                for _ in 0..<length { position = try value(at: position).next }
                return (.other, position)
            case 3: return (.other, position + 8)
            case 15: return (.other, position + 4)
            case 14: return (.other, position)
            default: return (.other, position + length)
            }
        }

        private func byte(_ position: Int) throws(DecodingError) -> UInt8 {
            guard position < bytes.count else { throw DecodingError() }
            return bytes[position]
        }
    }
}

/// Recent GeoIP answers by network (/24 or /48): most lines cost one probe, and only the ASN
/// and country are kept per line (organization names once per ASN).
final class GeoCache {
    private let databases: [GeoDatabase]
    private let mask: Int
    private var highs: [UInt64]
    private var lows: [UInt64]
    private var asns: [UInt32]
    private var countries: [UInt16]
    private var filled: [Bool]
    /// Organization of each ASN seen (bounded by the number of ASNs in the databases).
    private(set) var organizations: [UInt32: String] = [:]
    /// The organizations met since the last ``takeNewOrganizations()``, for the thread that
    /// writes the rows.
    private var newOrganizations: [(asn: UInt32, name: String)] = []

    init(databases: [GeoDatabase], capacity: Int = 4096) {
        self.databases = databases
        var size = 16
        while size < capacity { size <<= 1 }
        mask = size - 1
        highs = [UInt64](repeating: 0, count: size)
        lows = [UInt64](repeating: 0, count: size)
        asns = [UInt32](repeating: 0, count: size)
        countries = [UInt16](repeating: 0, count: size)
        filled = [Bool](repeating: false, count: size)
    }

    /// The ASN (0 unknown) and the country code packed in two bytes (0 unknown) of `address`.
    @inline(__always)
    func lookup(_ address: IPAddress) -> (asn: UInt32, country: UInt16) {
        let network = NetworkPseudonyms.network(of: address)
        let slot = Int(truncatingIfNeeded: StatsHash.combine(network.high, network.low) >> 9) & mask
        if filled[slot], highs[slot] == network.high, lows[slot] == network.low { return (asns[slot], countries[slot]) }
        var asn: UInt32 = 0
        var country: UInt16 = 0
        for database in databases {
            let record = database.lookup(address)
            if asn == 0, record.asn != 0 {
                asn = record.asn
                if let organization = record.organization, organizations[asn] == nil {
                    organizations[asn] = organization
                    newOrganizations.append((asn, organization))
                }
            }
            if country == 0, let code = record.country, code.utf8.count == 2 {
                let bytes = Array(code.utf8)
                country = UInt16(bytes[0]) << 8 | UInt16(bytes[1])
            }
        }
        highs[slot] = network.high
        lows[slot] = network.low
        asns[slot] = asn
        countries[slot] = country
        filled[slot] = true
        return (asn, country)
    }

    /// Hands over the organizations met since the last call.
    func takeNewOrganizations() -> [(asn: UInt32, name: String)] {
        defer { newOrganizations.removeAll() }
        return newOrganizations
    }

    /// The text of a packed country code.
    static func countryText(_ code: UInt16) -> String? {
        guard code != 0 else { return nil }
        return String(decoding: [UInt8(code >> 8), UInt8(code & 0xFF)], as: UTF8.self)
    }
}
