import Foundation
import Testing

/// Every mode over the whole shared real-world corpus: no original address survives, the line
/// count holds, and the reversible modes decrypt back to the input byte for byte.
struct ModesEndToEndTests {
    /// All the shared real-world logs, decompressed and joined into one file, made once.
    static let corpus: String = {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("anonlog-modes-corpus-\(getpid())")
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var joined = Data()
        for relative in RealWorldLeakTests.logFiles {
            let path = RealWorldLeakTests.corpus.appendingPathComponent(relative).path
            var data = (try? Data(contentsOf: URL(fileURLWithPath: path))) ?? Data()
            if path.hasSuffix(".gz") { data = (try? gunzip(path)) ?? Data() }
            joined.append(data)
            if data.last != 0x0A { joined.append(0x0A) }
        }
        let path = directory.appendingPathComponent("corpus.log").path
        _ = FileManager.default.createFile(atPath: path, contents: joined)
        return path
    }()

    static let oracle = ProjectPaths.oracles.appendingPathComponent("anonymization_oracle.py").path

    static func lineCount(_ path: String) throws -> Int {
        try Data(contentsOf: URL(fileURLWithPath: path)).reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
    }

    @Test(arguments: ["hmac", "mask", "cryptopan", "ipcrypt-pfx", "ipcrypt-deterministic", "ipcrypt-ndx"])
    func noOriginalAddressSurvivesInAnyMode(mode: String) throws {
        let directory = try TemporaryDirectory()
        let key = directory.path("key")
        #expect(try AnonlogBinary.run(["key", "init", "--mode", mode, "--key-file", key]).status == 0)
        let output = directory.path("out")
        let result = try AnonlogBinary.run(["--key-file", key, "--mode", mode, "-q", Self.corpus, "-o", output])
        #expect(result.status == 0, "\(result.error)")
        #expect(try Self.lineCount(output) == Self.lineCount(Self.corpus))

        var arguments = [Self.oracle, "leaks", Self.corpus, output, "--all"]
        if mode == "mask" { arguments += ["--mask", "12", "84"] }
        let leaks = try runPython(arguments)
        let leaked = leaks.output.split(separator: "\n").compactMap { line -> String? in
            line.hasPrefix("  leaked: ") ? String(line.dropFirst(10)) : nil
        }
        switch mode {
        case "cryptopan", "ipcrypt-pfx":
            // Their pseudonyms are addresses: one may equal some other input address by chance.
            // Each must decrypt to a different address of the input, not to itself.
            guard !leaked.isEmpty else { break }
            let listed = directory.path("leaked")
            try (leaked.joined(separator: "\n") + "\n").write(toFile: listed, atomically: true, encoding: .utf8)
            let decrypted = try AnonlogBinary.run(["decrypt", "--key-file", key, "-q", listed])
            let originals = decrypted.outputText.split(separator: "\n").map(String.init)
            #expect(originals.count == leaked.count)
            let unchanged = zip(leaked, originals).filter { $0 == $1 }.map(\.0)
            if mode == "cryptopan" {
                // Crypto-PAn has fixed points by construction: an address whose bits mostly agree
                // with the key's pad keeps all of them (about 1.5^32/2 = 215,000 of 2^32 per key).
                // Expect at most a handful among the corpus's ~20,000 addresses, never a flood.
                #expect(unchanged.count <= 5, "\(unchanged)")
            } else {
                #expect(unchanged.isEmpty, "survived unchanged: \(unchanged)")
            }
        default:
            #expect(leaks.status == 0, "\(leaks.output)")
        }
    }

    @Test(arguments: ["cryptopan", "ipcrypt-pfx", "ipcrypt-deterministic", "ipcrypt-ndx"])
    func reversibleModesDecryptBackToTheInput(mode: String) throws {
        let directory = try TemporaryDirectory()
        let key = directory.path("key")
        #expect(try AnonlogBinary.run(["key", "init", "--mode", mode, "--key-file", key]).status == 0)
        let output = directory.path("out.gz")
        #expect(try AnonlogBinary.run(["--key-file", key, "-q", Self.corpus, "-o", output]).status == 0)
        let restored = directory.path("restored")
        let decrypt = try AnonlogBinary.run(["decrypt", "--mode", mode, "--key-file", key, "-q", output, "-o", restored])
        #expect(decrypt.status == 0, "\(decrypt.error)")
        // Addresses come back in canonical spelling; only redacted (uncertain) tokens are lost.
        // ipcrypt-ndx cannot tell a SHA-256 value already in the log from one of its tokens.
        let structure = try runPython([Self.oracle, "equivalent", Self.corpus, restored] + (mode == "ipcrypt-ndx" ? ["--hex64"] : []))
        #expect(structure.status == 0, "\(structure.output)")
    }

    @Test func hmacAndMaskCannotBeDecrypted() throws {
        let directory = try TemporaryDirectory()
        let key = try directory.makeKey()
        let result = try AnonlogBinary.run(["decrypt", "--key-file", key], input: Data("fd00::1\n".utf8))
        #expect(result.status == 64 && result.error.contains("cannot be reversed"))
    }

    @Test func maskReproducesAnonipWithItsOwnOptions() throws {
        let directory = try TemporaryDirectory()
        let key = try directory.makeKey()
        let input = "192.168.100.200:80 - [2001:db8:85a3::8a2e:370:7334]:443 ::ffff:8.8.8.8\n"
        let result = try AnonlogBinary.run(["--key-file", key, "--mode", "mask", "--ipv4-mask", "8", "--ipv6-mask", "80", "-q"], input: Data(input.utf8))
        #expect(result.outputText == "192.168.100.0:80 - [2001:db8:85a3::]:443 ::ffff:8.8.8.0\n")
    }
}
