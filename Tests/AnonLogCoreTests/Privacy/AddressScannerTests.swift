import Testing
@testable import AnonLogCore

/// What the scanner finds, shown inline: `<1.2.3.4>` for an address, `<?>` for a redaction.
func markAddresses(in text: String) -> String {
    var scanner = AddressScanner()
    let bytes = Array(text.utf8)
    var output: [UInt8] = []
    var position = 0
    bytes.withUnsafeBytes { buffer in
        scanner.scan(buffer) { match in
            output += bytes[position..<match.start]
            switch match.kind {
            case .address(let address): output += Array("<\(address)>".utf8)
            case .uncertain: output += Array("<?>".utf8)
            }
            position = match.end
        }
    }
    output += bytes[position...]
    return String(decoding: output, as: UTF8.self)
}

struct AddressScannerTests {
    // MARK: - IPv4

    @Test(arguments: [
        ("1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 200", "<1.2.3.4> - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 200"),
        ("[client 1.2.3.4:5678] File does not exist", "[client <1.2.3.4>:5678] File does not exist"),
        ("client: 203.0.113.9, server: example.org", "client: <203.0.113.9>, server: example.org"),
        ("203.0.113.7, 10.0.0.1,192.168.1.1", "<203.0.113.7>, <10.0.0.1>,<192.168.1.1>"),
        ("GET /?ip=198.51.100.2&x=1", "GET /?ip=<198.51.100.2>&x=1"),
        ("http://198.51.100.2:8080/path", "http://<198.51.100.2>:8080/path"),
        ("my IP is 192.0.2.44.", "my IP is <192.0.2.44>."),
        ("170.01.01.02 leading zeros", "<170.1.1.2> leading zeros"),
        ("1.2.3.4.nip.io", "<1.2.3.4>.nip.io"),
        ("{\"remote_addr\":\"192.0.2.1\"}", "{\"remote_addr\":\"<192.0.2.1>\"}"),
        ("for=192.0.2.60;proto=http", "for=<192.0.2.60>;proto=http"),
        ("255.255.255.255", "<255.255.255.255>"),
    ])
    func findsIPv4(input: String, expected: String) {
        #expect(markAddresses(in: input) == expected)
    }

    @Test(arguments: [
        "Mozilla/5.0 Chrome/120.0.6099.129 Safari/537.36",
        "at 12:30:45 and 12:30:45.123",
        "MAC 00:1a:2b:3c:4d:5e and 00-1A-2B-3C-4D-5E",
        "oid 1.3.6.1.4.1.2021 and 1.3.6.1.4.1",
        "999.1.1.1 and 256.0.0.1 and 1.2.3.1000",
        "version 1.2.3 and 3.14",
        "0.0.0.0 listens, :: too",
        ".NET CLR 2.0.50727; .NET CLR 3.5.30729",
        "std::vector<int> and Foo::Bar::baz",
        "[10/Oct/2000:13:55:36 -0700]",
        "deadbeef cafe:babe",
    ])
    func leavesLookAlikesUntouched(input: String) {
        #expect(markAddresses(in: input) == input)
    }

    @Test func redactsLeadingZeroOctetsWhoseOctalReadingDiffers() {
        #expect(markAddresses(in: "x 010.1.1.1 y") == "x <?> y")
        #expect(markAddresses(in: "x 01.02.03.07 y") == "x <1.2.3.7> y")
    }

    /// Four digit groups between three dots, every spelling of a group (one to four digits,
    /// leading zeros, values past 255), against the rules written out again here.
    @Test func readsEveryDottedQuadByTheRules() {
        var generator = SeededGenerator(seed: 4)
        for _ in 0..<20_000 {
            let groups = (0..<4).map { _ -> String in
                let digits = Int.random(in: 1...4, using: &generator)
                return String((0..<digits).map { _ in "0012345789".randomElement(using: &generator)! })
            }
            let text = groups.joined(separator: ".")
            let values = groups.map { Int($0)! }
            let expected: String
            if groups.contains(where: { $0.count > 3 }) || values.contains(where: { $0 > 255 }) || values.allSatisfy({ $0 == 0 }) {
                expected = text
            } else if zip(groups, values).contains(where: { $0.count > 1 && $0.first == "0" && $1 >= 8 }) {
                expected = "<?>"
            } else {
                expected = "<" + values.map(String.init).joined(separator: ".") + ">"
            }
            let marked = markAddresses(in: "a \(text) b")
            if marked != "a \(expected) b" {
                Issue.record("\(text): \(marked), expected \(expected)")
                return
            }
        }
    }

    // MARK: - IPv6

    @Test(arguments: [
        ("2001:db8::1 - -", "<2001:db8::1> - -"),
        ("2001:0DB8:0000:0000:0000:0000:0000:0001", "<2001:db8::1>"),
        ("[2001:db8::1]:443", "[<2001:db8::1>]:443"),
        ("fe80::1%eth0 up", "<fe80::1>%eth0 up"),
        ("::1%0", "<::1>%0"),
        ("::ffff:192.0.2.1", "<::ffff:192.0.2.1>"),
        ("64:ff9b::192.0.2.33", "<64:ff9b::c000:221>"),
        ("client: 2001:db8:cafe::17, server", "client: <2001:db8:cafe::17>, server"),
        ("client:2001:db8::5", "client:<2001:db8::5>"),
        ("for=\"[2001:db8:cafe::17]:4711\"", "for=\"[<2001:db8:cafe::17>]:4711\""),
        ("2001:db8:1:2:3:4:5:6:8080", "<2001:db8:1:2:3:4:5:6>:8080"),
        ("::ffff:1.2.3.4:80", "<::ffff:1.2.3.4>:80"),
        ("see 2001:db8::7.", "see <2001:db8::7>."),
        ("ip=2001%3Adb8%3A%3A9&x", "ip=<2001:db8::9>&x"),
        ("u=%5B2001%3adb8%3a%3a9%5D", "u=%5B<2001:db8::9>%5D"),
        ("q=%201.2.3.4", "q=%20<1.2.3.4>"),
        ("a=1%2E2%2E3%2E4", "a=<1.2.3.4>"),
        ("240e:1:1::1234 GET", "<240e:1:1::1234> GET"),
        ("oq=..2001:db8:1:2:3:4:5:6gJe", "oq=..<2001:db8:1:2:3:4:5:6>gJe"),
    ])
    func findsIPv6(input: String, expected: String) {
        #expect(markAddresses(in: input) == expected)
    }

    @Test func redactsMalformedAddressLikeTokens() {
        #expect(markAddresses(in: "x 2001:db8::1::2 y") == "x <?> y")
        #expect(markAddresses(in: "x 1:2:3:4:5:6:7:8:9:10 y") == "x <?> y")
    }

    @Test func colonRunsCountFromSevenColonsADoubleColonOrAnIPv4Part() {
        // Runs with fewer are passed over before analysis (times, in every web log line).
        #expect(markAddresses(in: "t 1:2:3:4:5:6:7 u") == "t 1:2:3:4:5:6:7 u")
        #expect(markAddresses(in: "t 1:2:3:4:5:6:7:8 u") == "t <1:2:3:4:5:6:7:8> u")
        #expect(markAddresses(in: "t 1:2::7 u") == "t <1:2::7> u")
        #expect(markAddresses(in: "t 1:2:3:4:5:6:1.2.3.4 u") == "t <1:2:3:4:5:6:102:304> u")
        #expect(markAddresses(in: "t 10:20:1.2.3.4 u") == "t 10:20:<1.2.3.4> u")
    }

    @Test func readsReverseDNSNamesAsTheAddressesTheySpell() {
        #expect(markAddresses(in: "PTR 4.3.2.1.in-addr.arpa.") == "PTR <1.2.3.4>.in-addr.arpa.")
        let full = "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa"
        #expect(markAddresses(in: full) == "<2001:db8::1>.ip6.arpa")
        #expect(markAddresses(in: "[arman@5.0.0.0.a.b.0.8.0.c.5.0.1.0.0.2.ip6.arpa] has") == "[arman@<?>.ip6.arpa] has")
        #expect(markAddresses(in: "zone 2.1.in-addr.arpa") == "zone 2.1.in-addr.arpa")
        // A pseudonym of the other family, written forwards before the zone, is still found.
        #expect(markAddresses(in: "n=x@2001:db8::7.in-addr.arpa") == "n=x@<2001:db8::7>.in-addr.arpa")
        // Long digit groups are no octets; they once overflowed the octet's value and crashed.
        #expect(markAddresses(in: "q 99999999999999.1.2.3.in-addr.arpa x") == "q 99999999999999.1.2.3.in-addr.arpa x")
        #expect(markAddresses(in: "q 4.3.2.1000.in-addr.arpa x") == "q 4.3.2.1000.in-addr.arpa x")
    }

    @Test func percentEncodedMatchesReportTheirSpelling() {
        var scanner = AddressScanner()
        var spellings: [AddressMatch.Spelling] = []
        Array("a=2001%3Adb8%3A%3A9 b=2001%3adb8%3a%3a9 c=2001:db8::9".utf8).withUnsafeBytes { buffer in
            scanner.scan(buffer) { spellings.append($0.spelling) }
        }
        #expect(spellings == [.percentEncodedUpper, .percentEncodedLower, .plain])
    }

    // MARK: - Robustness

    @Test func arbitraryBytesNeverCrashAndMatchesAreOrderedAndDisjoint() {
        var generator = SeededGenerator(seed: 12)
        let alphabet = Array("0123456789abcdefABCDEF:.:.%3A2E []gxz-\n\u{0}".utf8) + [0xFF, 0xC3]
        var scanner = AddressScanner()
        for _ in 0..<3_000 {
            let length = Int.random(in: 0..<200, using: &generator)
            let bytes = (0..<length).map { _ in alphabet.randomElement(using: &generator)! }
            var previousEnd = 0
            bytes.withUnsafeBytes { buffer in
                scanner.scan(buffer) { match in
                    #expect(match.start >= previousEnd && match.end > match.start && match.end <= bytes.count)
                    previousEnd = match.end
                }
            }
        }
    }

    // MARK: - Chunks

    /// The matches of `bytes` found line by line, moved to their offsets in `bytes`.
    static func matchesLineByLine(_ bytes: [UInt8]) -> [AddressMatch] {
        var scanner = AddressScanner()
        var found: [AddressMatch] = []
        var lineStart = 0
        for line in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            Array(line).withUnsafeBytes { buffer in
                scanner.scan(buffer) { match in
                    found.append(AddressMatch(kind: match.kind, start: match.start + lineStart, end: match.end + lineStart, spelling: match.spelling))
                }
            }
            lineStart += line.count + 1
        }
        return found
    }

    /// The workers scan a whole chunk at once and hand each line its matches: that is only
    /// right if no run crosses a line feed, whatever the bytes around it.
    @Test(arguments: [
        "nielsbasjes-logparser/hackers-access.log", "honeynet-chuvakin-httpd/access_log", "elastic-examples-apache/apache_logs.gz",
        "elastic-beats-fixtures/iis_access_test-ipv6zone.log", "lnav-test-logs/logfile_w3c.1", "matomo-log-analytics-tests/nginx_json.log",
        "crowdsec-hub-tests/apache2-malformed__apache2-logs.log", "ubuntu-irc-disentanglement/train/2018-02-27.train-c.raw.txt",
    ])
    func aChunkScannedWholeFindsWhatItsLinesFind(relativePath: String) throws {
        let bytes = try RealWorldCorpus.bytes(relativePath)
        var scanner = AddressScanner()
        bytes.withUnsafeBytes { scanner.scan($0) }
        let whole = scanner.matches
        let lineByLine = Self.matchesLineByLine(bytes)
        // Compared into a Bool first: a failing `#expect` on large arrays diffs them for ages.
        let same = whole == lineByLine
        #expect(same, "\(relativePath): \(whole.count) matches in one scan, \(lineByLine.count) line by line")
        #expect(!whole.isEmpty)
    }

    @Test func aChunkOfArbitraryLinesScannedWholeFindsWhatItsLinesFind() {
        var generator = SeededGenerator(seed: 21)
        // Line feeds next to every kind of run edge: after a dot, inside "%3A", before "in-addr".
        let pieces = ["1.2.3.4", "::1", "2001:db8::7", "%3A", "%2E", "%2", ".", ":", "\n", "in-addr.arpa", "4.3.2.1.", "ab", "x", " ", "0"]
        var scanner = AddressScanner()
        for _ in 0..<2_000 {
            let bytes = Array((0..<Int.random(in: 1..<40, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined().utf8)
            bytes.withUnsafeBytes { scanner.scan($0) }
            let whole = scanner.matches
            let lineByLine = Self.matchesLineByLine(bytes)
            #expect(whole == lineByLine, "\(String(decoding: bytes, as: UTF8.self).debugDescription)")
        }
    }
}
