import Foundation
@testable import AnonLogCore

/// Everything a source yields, with a buffer of `bufferSize` bytes, and the error that ended it.
func drain(_ source: any ByteSource, bufferSize: Int = 4096) -> (bytes: [UInt8], error: AnonLogError?) {
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: bufferSize)
    while true {
        do {
            let count = try readOnce(source, into: &buffer)
            if count == 0 { return (bytes, nil) }
            bytes += buffer[..<count]
        } catch let error as AnonLogError {
            return (bytes, error)
        } catch {
            fatalError("untyped error \(error)")
        }
    }
}

/// One `read(into:)` of `source` into the whole of `buffer`.
func readOnce(_ source: any ByteSource, into buffer: inout [UInt8]) throws -> Int {
    try buffer.withUnsafeMutableBytes { try source.read(into: $0) }
}

/// Writes `bytes` to `sink`.
func write(_ bytes: [UInt8], to sink: any ByteSink) throws {
    try bytes.withUnsafeBytes { try sink.write($0) }
}

/// Deterministic log-like text: varied enough that gzip emits several deflate blocks.
func sampleLog(lines: Int, seed: UInt64 = 1) -> [UInt8] {
    var state = seed
    var text = ""
    for number in 0..<lines {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        let value = state >> 33
        text += "10.\(value % 256).\((value >> 8) % 256).\((value >> 16) % 256) - - "
        text += "[12/Mar/2024:10:\(number % 60):00 +0000] \"GET /item/\(value % 100_000) HTTP/1.1\" "
        text += "\(200 + value % 5) \(value % 9000) \"-\" \"agent/\(value % 37)\"\n"
    }
    return Array(text.utf8)
}

/// A directory that is removed with everything in it when the test ends.
final class TemporaryDirectory {
    let path: String

    init() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("anonlog-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: false)
        path = url.path
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Writes `bytes` to a file in the directory and returns its path.
    @discardableResult
    func file(_ name: String, _ bytes: [UInt8]) throws -> String {
        let file = path + "/" + name
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        return file
    }

    func contents(of name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: path + "/" + name)))
    }

    /// The names in the directory, sorted, hidden ones included.
    func listing() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: path).sorted()
    }
}

/// Runs the system `gzip` with `arguments` on `input` (given through a file, so that large
/// inputs cannot dead-lock the pipes) and returns its standard output and exit status.
func runGzip(_ arguments: [String], input: [UInt8]) throws -> (output: [UInt8], status: Int32) {
    let directory = try TemporaryDirectory()
    let inputPath = try directory.file("input", input)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/gzip")
    process.arguments = arguments + ["-c", inputPath]
    let output = Pipe()
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (Array(data), process.terminationStatus)
}

/// `gzip -c` of `bytes` at the given level.
func gzip(_ bytes: [UInt8], level: Int = 6) throws -> [UInt8] {
    let result = try runGzip(["-\(level)", "-n"], input: bytes)
    precondition(result.status == 0, "gzip failed")
    return result.output
}

/// `gzip -dc` of `bytes`: what it decompressed, and whether it called the input valid.
func gunzip(_ bytes: [UInt8]) throws -> (output: [UInt8], valid: Bool) {
    let result = try runGzip(["-d"], input: bytes)
    return (result.output, result.status == 0)
}
