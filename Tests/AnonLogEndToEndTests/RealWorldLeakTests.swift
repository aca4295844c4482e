import Foundation
import Testing

/// Every log in ../shared/corpora/realworld through the built binary: no address survives,
/// line counts match, and nothing but address tokens changed.
struct RealWorldLeakTests {
    static let corpus = ProjectPaths.shared.appendingPathComponent("corpora/realworld")

    /// The log files of the corpus (licences, read-me files and the bzip2 copy left out).
    static let logFiles: [String] = {
        guard let enumerator = FileManager.default.enumerator(atPath: corpus.path) else { return [] }
        return enumerator.compactMap { $0 as? String }
            .filter { path in
                let name = (path as NSString).lastPathComponent
                let skipped = ["LICENSE", "readme", "LEGAL", "SOURCES"].contains { name.contains($0) }
                var isDirectory: ObjCBool = false
                let exists = FileManager.default.fileExists(atPath: corpus.appendingPathComponent(path).path, isDirectory: &isDirectory)
                return exists && !skipped && !isDirectory.boolValue && !name.hasSuffix(".bz2") && !name.hasSuffix(".md")
            }
            .sorted()
    }()

    @Test func theCorpusIsThere() {
        #expect(Self.logFiles.count >= 60, "expected the shared corpora at \(Self.corpus.path)")
    }

    /// The oracles are not blind: an unanonymized copy fails both.
    @Test func theOraclesCatchAnUnanonymizedCopy() throws {
        let source = Self.corpus.appendingPathComponent("lnav-test-logs/logfile_shop_access_log.0").path
        let oracle = ProjectPaths.oracles.appendingPathComponent("anonymization_oracle.py").path
        let leaks = try runPython([oracle, "leaks", source, source])
        #expect(leaks.status == 1 && leaks.output.hasPrefix("leaks="))
        let directory = try TemporaryDirectory()
        var bytes = try Data(contentsOf: URL(fileURLWithPath: source))
        bytes[bytes.startIndex + 100] ^= 0x20
        try bytes.write(to: URL(fileURLWithPath: directory.path("changed")))
        let structure = try runPython([oracle, "structure", source, directory.path("changed")])
        #expect(structure.status == 1)
    }

    @Test(arguments: logFiles)
    func noAddressSurvivesAndOnlyAddressesChange(relativePath: String) throws {
        let directory = try TemporaryDirectory()
        let key = try directory.makeKey()
        let source = Self.corpus.appendingPathComponent(relativePath).path
        let result = try AnonlogBinary.run(["--key-file", key, "--quiet", source])
        #expect(result.status == 0, "\(result.error)")
        let outputPath = directory.path("out")
        try result.output.write(to: URL(fileURLWithPath: outputPath))

        // The oracles read the plain input.
        let inputPath = directory.path("in")
        var plain = try Data(contentsOf: URL(fileURLWithPath: source))
        if source.hasSuffix(".gz") { plain = try gunzip(source) }
        try plain.write(to: URL(fileURLWithPath: inputPath))

        let oracle = ProjectPaths.oracles.appendingPathComponent("anonymization_oracle.py").path
        let leaks = try runPython([oracle, "leaks", inputPath, outputPath])
        #expect(leaks.status == 0, "\(leaks.output)")
        let structure = try runPython([oracle, "structure", inputPath, outputPath])
        #expect(structure.status == 0, "\(structure.output)")

        // The shared leak checker counts dotted quads inside longer chains (version strings,
        // OIDs) as addresses; anything it reports must be exactly that.
        let leakcheck = ProjectPaths.shared.appendingPathComponent("tools/leakcheck.py").path
        let shared = try runPython([leakcheck, "-", outputPath, inputPath])
        let reported = shared.output.split(separator: "\n").compactMap { line -> String? in
            let parts = line.split(separator: " ")
            return parts.first == "leaked:" ? String(parts[1]) : nil
        }
        if shared.status != 0 {
            #expect(!reported.isEmpty, "\(shared.output)")
            let chained = try runPython([oracle, "chained", outputPath] + reported)
            #expect(chained.status == 0, "leakcheck: \(shared.output)")
        }
    }
}

/// Decompresses a file with the system's gzip.
func gunzip(_ path: String) throws -> Data {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["gzip", "-dc", path]
    let output = Pipe()
    process.standardOutput = output
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return data
}
