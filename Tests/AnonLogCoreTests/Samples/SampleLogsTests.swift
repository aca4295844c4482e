import Foundation
import Testing

/// The shipped samples are exactly what `Scripts/generate-sample-logs.py` writes, and the
/// truth file the leak oracle reads describes them.
struct SampleLogsTests {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // Samples
        .deletingLastPathComponent()  // AnonLogCoreTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()
    static let script = packageRoot.appendingPathComponent("Scripts/generate-sample-logs.py")
    static let samples = packageRoot.appendingPathComponent("SampleLogs")
    static let plainFiles = ["nginx-json.log", "chat.jsonl", "truth.json"]
    static let logFiles = ["access.log.gz", "nginx-json.log", "chat.jsonl"]

    // MARK: - Reproducibility

    @Test(arguments: ["0", "4242"])
    func generatorReproducesTheCommittedSamplesUnderAnyHashSeed(hashSeed: String) throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Self.runGenerator(["--out-dir", dir.path], hashSeed: hashSeed)

        for name in Self.plainFiles {
            let generated = try Data(contentsOf: dir.appendingPathComponent(name))
            let committed = try Data(contentsOf: Self.samples.appendingPathComponent(name))
            #expect(generated == committed, "\(name) differs from the generator output; regenerate the samples")
        }
        // gzip bytes may differ between zlib versions: compare what they decompress to.
        let generated = try Self.gunzip(dir.appendingPathComponent("access.log.gz"))
        let committed = try Self.gunzip(Self.samples.appendingPathComponent("access.log.gz"))
        #expect(generated == committed, "access.log.gz differs from the generator output; regenerate the samples")
    }

    @Test func largeModeWritesTheSameLinesOnEveryRun() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let first = dir.appendingPathComponent("first.log")
        let second = dir.appendingPathComponent("second.log")
        let arguments = ["--format", "combined", "--lines", "5000", "--clients", "700"]
        try Self.runGenerator(arguments + ["--out", first.path], hashSeed: "1")
        try Self.runGenerator(arguments + ["--out", second.path], hashSeed: "2")

        let data = try Data(contentsOf: first)
        let again = try Data(contentsOf: second)
        #expect(data == again)
        #expect(data.count(where: { $0 == UInt8(ascii: "\n") }) == 5000)
    }

    @Test func largeModeStopsAtTheLastWholeLineWithinTheByteLimit() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("limited.log")
        try Self.runGenerator(["--format", "combined", "--bytes", "64K", "--out", out.path], hashSeed: "0")

        let data = try Data(contentsOf: out)
        #expect(data.count <= 65_536)
        #expect(data.count > 65_536 - 1_000)
        #expect(data.last == UInt8(ascii: "\n"))
    }

    // MARK: - Truth

    @Test func everyTruthAddressOccursInTheSamples() throws {
        let truth = try Self.truth()
        let ips = try #require(truth["ips"] as? [String])
        #expect(ips.count > 100)
        #expect(ips.contains { $0.contains(":") } && ips.contains { !$0.contains(":") })

        var corpus = Data()
        for name in Self.logFiles {
            corpus.append(try Self.contents(of: name))
        }
        let tokens = Self.addressLikeTokens(in: corpus)
        // Canonical forms only: IPv4 dotted decimal, IPv6 compressed lower case.
        let missing = ips.filter { !tokens.contains($0) && corpus.range(of: Data($0.utf8)) == nil }
        #expect(missing.isEmpty, "truth.json lists addresses not written in canonical form: \(missing.prefix(5))")
        #expect(ips.allSatisfy { $0 == $0.lowercased() })
    }

    @Test func everyDecoyOccursInEveryLogAndIsNoAddress() throws {
        let truth = try Self.truth()
        let decoys = try #require(truth["decoys"] as? [String])
        #expect(decoys.count >= 5)
        for decoy in decoys {
            #expect(decoy.count >= 8, "decoy \(decoy) is too short to be unique")
            #expect(!Self.isDottedQuad(decoy), "decoy \(decoy) is a valid IPv4 address")
            for name in Self.logFiles {
                let data = try Self.contents(of: name)
                #expect(data.range(of: Data(decoy.utf8)) != nil, "decoy \(decoy) missing from \(name)")
            }
        }
    }

    // MARK: - Helpers

    static func temporaryDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory
            .appendingPathComponent("anonlog-samples-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    /// Runs a Python 3 program; python3 is a documented prerequisite, so its absence fails.
    @discardableResult
    static func runPython(_ arguments: [String], hashSeed: String) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["PYTHONHASHSEED"] = hashSeed
        process.environment = environment
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        // Read before waiting, so a large output cannot fill the pipe and block the child.
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        try #require(
            process.terminationStatus != 127,
            "python3 not found on PATH: it is a prerequisite for the sample-log tests (see README)")
        try #require(process.terminationStatus == 0, "python3 \(arguments.first ?? "") failed: \(message)")
        return data
    }

    static func runGenerator(_ arguments: [String], hashSeed: String) throws {
        try runPython([script.path] + arguments, hashSeed: hashSeed)
    }

    static func gunzip(_ url: URL) throws -> Data {
        try runPython(
            ["-c", "import gzip, sys; sys.stdout.buffer.write(gzip.open(sys.argv[1]).read())", url.path],
            hashSeed: "0")
    }

    static func contents(of name: String) throws -> Data {
        let url = samples.appendingPathComponent(name)
        return name.hasSuffix(".gz") ? try gunzip(url) : try Data(contentsOf: url)
    }

    static func truth() throws -> [String: Any] {
        let data = try Data(contentsOf: samples.appendingPathComponent("truth.json"))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// Maximal runs of hex digits, dots and colons: every canonical address stands alone as one
    /// unless glued to a port or a zone id (those are found by the substring search instead).
    static func addressLikeTokens(in data: Data) -> Set<String> {
        var tokens = Set<String>()
        var start: Int?
        let bytes = [UInt8](data)
        for index in 0...bytes.count {
            let isPart = index < bytes.count && isAddressByte(bytes[index])
            if isPart, start == nil {
                start = index
            } else if !isPart, let first = start {
                tokens.insert(String(decoding: bytes[first..<index], as: UTF8.self))
                start = nil
            }
        }
        return tokens
    }

    static func isAddressByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "f"),
            UInt8(ascii: "A")...UInt8(ascii: "F"), UInt8(ascii: "."), UInt8(ascii: ":"):
            return true
        default:
            return false
        }
    }

    static func isDottedQuad(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4
            && parts.allSatisfy { part in
                !part.isEmpty && part.count <= 3 && part.allSatisfy(\.isASCII) && part.allSatisfy(\.isNumber)
                    && Int(part).map { $0 <= 255 } == true
            }
    }
}
