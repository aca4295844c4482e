import Foundation
import Testing

/// Runs the built `anonlog` executable, as a user would.
struct AnonlogBinary {
    /// The executable next to the test bundle (SwiftPM builds it because the tests depend on it).
    static let url: URL = {
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        var directory = executable.deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: directory.appendingPathComponent("anonlog").path),
            directory.path != "/"
        {
            directory.deleteLastPathComponent()
        }
        return directory.appendingPathComponent("anonlog")
    }()

    /// What a finished run printed and how it ended.
    struct Result {
        var status: Int32
        var output: Data
        var error: String
        var outputText: String { String(decoding: output, as: UTF8.self) }
    }

    /// The environment of a run: this process's, without a key file, with a scratch state
    /// directory (statistics are recorded by default: keep them out of the user's own store).
    static var environment: [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "ANONLOG_KEY_FILE")
        environment["XDG_STATE_HOME"] = scratchState
        return environment
    }

    /// Runs anonlog with `arguments`, feeding `input` on standard input.
    static func run(_ arguments: [String], input: Data = Data(), environment: [String: String] = [:]) throws -> Result {
        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        var processEnvironment = Self.environment
        for (name, value) in environment { processEnvironment[name] = value }
        process.environment = processEnvironment
        let standardInput = Pipe()
        let standardOutput = Pipe()
        let standardError = Pipe()
        process.standardInput = standardInput
        process.standardOutput = standardOutput
        process.standardError = standardError
        try process.run()
        // Read both outputs while writing, so a large output cannot fill a pipe and stall.
        let collected = CollectedOutput(standardOutput: standardOutput, standardError: standardError)
        if !input.isEmpty { try? standardInput.fileHandleForWriting.write(contentsOf: input) }
        try? standardInput.fileHandleForWriting.close()
        process.waitUntilExit()
        let (output, error) = collected.wait()
        return Result(status: process.terminationStatus, output: output, error: String(decoding: error, as: UTF8.self))
    }
}

/// A state directory for runs that do not choose one, so default statistics never reach the
/// store of the user who runs the tests.
private let scratchState = FileManager.default.temporaryDirectory.appendingPathComponent("anonlog-e2e-state-\(getpid())").path

/// Drains standard output and standard error on background threads.
final class CollectedOutput: @unchecked Sendable {
    private var output = Data()
    private var error = Data()
    private let group = DispatchGroup()

    init(standardOutput: Pipe, standardError: Pipe) {
        group.enter()
        DispatchQueue.global().async {
            self.output = standardOutput.fileHandleForReading.readDataToEndOfFile()
            self.group.leave()
        }
        group.enter()
        DispatchQueue.global().async {
            self.error = standardError.fileHandleForReading.readDataToEndOfFile()
            self.group.leave()
        }
    }

    func wait() -> (Data, Data) {
        group.wait()
        return (output, error)
    }
}

/// A scratch directory removed when the value is released.
final class TemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("anonlog-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    /// A fresh key file in this directory.
    func makeKey() throws -> String {
        let path = path("key")
        let result = try AnonlogBinary.run(["key", "init", "--key-file", path])
        #expect(result.status == 0, "\(result.error)")
        return path
    }
}

/// Where the repository and the shared corpora are.
enum ProjectPaths {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static var shared: URL {
        if let override = ProcessInfo.processInfo.environment["ANONLOG_SHARED_DIR"] {
            return URL(fileURLWithPath: override)
        }
        return packageRoot.deletingLastPathComponent().appendingPathComponent("shared")
    }

    static let oracles = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Oracles")
}

/// Runs a Python helper and returns its standard output.
func runPython(_ arguments: [String]) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3"] + arguments
    let standardOutput = Pipe()
    process.standardOutput = standardOutput
    try process.run()
    let data = standardOutput.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}
