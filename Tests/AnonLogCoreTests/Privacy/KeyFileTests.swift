import Foundation
import Testing
@testable import AnonLogCore

struct KeyFileTests {
    // MARK: - Creating

    @Test func createdFileIsOwnerOnlyAndDescribesItsKey() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/key"
            let record = try KeyFile.create(at: path)
            #expect(try mode(of: path) == 0o600)
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["key"])  // no temporary left
            let text = try String(contentsOfFile: path, encoding: .utf8)
            let lines = text.split(separator: "\n").filter { !$0.hasPrefix("#") }
            #expect(lines.prefix(4) == ["anonlog-key 1", "mode hmac", "rotation none", "epoch 0"])
            let keyLine = try #require(lines.last)
            #expect(keyLine.hasPrefix("key ") && keyLine.count == 4 + 64)
            #expect(keyLine.dropFirst(4).allSatisfy { "0123456789abcdef".contains($0) })
            #expect(try TestVectors.bytes(hex: String(keyLine.dropFirst(4))) == record.key.withUnsafeBytes { Array($0) })
        }
    }

    @Test func aBareHexFileIsAnHMACKeyWithoutRotation() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/key"
            try write(String(repeating: "01", count: 32) + "\n", to: path)
            let record = try KeyFile.load(from: path)
            #expect(record.mode == .hmac && record.rotation == .none && record.epoch == 0)
            #expect(record.key.withUnsafeBytes { Array($0) } == [UInt8](repeating: 1, count: 32))
        }
    }

    @Test func aKeyOfTheWrongSizeForItsModeIsRefused() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/key"
            try write("anonlog-key 1\nmode ipcrypt-deterministic\nrotation none\nepoch 0\nkey \(String(repeating: "ab", count: 32))\n", to: path)
            let error = try #require(throws: AnonLogError.self) { try KeyFile.load(from: path) }
            #expect(error.code == .configuration)
            #expect(error.message == "key file holds a 32-byte key but mode ipcrypt-deterministic needs 16 bytes")
            #expect(!error.description.contains("abab"))
        }
    }

    @Test func unknownEntriesNameTheirLine() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/key"
            try write("anonlog-key 1\nmode hmac\ncolour blue\n", to: path)
            let error = try #require(throws: AnonLogError.self) { try KeyFile.load(from: path) }
            #expect(error.location?.line == 3)
            #expect(error.message.contains("unknown entry 'colour'"))
        }
    }

    @Test func aTemplateChoosesModeRotationAndKeySize() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/key"
            try KeyFile.create(at: path, template: KeyTemplate(mode: .ipcryptDeterministic, rotation: .daily))
            let record = try KeyFile.load(from: path)
            #expect(record.mode == .ipcryptDeterministic && record.rotation == .daily && record.key.count == 16)
        }
    }

    @Test func creatingAgainRefusesToOverwrite() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/key"
            try KeyFile.create(at: path)
            let before = try Data(contentsOf: URL(fileURLWithPath: path))
            let error = try #require(throws: AnonLogError.self) { try KeyFile.create(at: path) }
            #expect(error.code == .cannotCreateOutput)
            #expect(error.message == "key file already exists; refusing to overwrite it")
            #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["key"])
        }
    }

    @Test func missingParentDirectoriesAreCreatedOnlyWhenAsked() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/a/b/key"
            let error = try #require(throws: AnonLogError.self) { try KeyFile.create(at: path) }
            #expect(error.code == .cannotCreateOutput)
            #expect(!FileManager.default.fileExists(atPath: directory + "/a"))

            try KeyFile.create(at: path, createParentDirectories: true)
            #expect(try mode(of: directory + "/a") == 0o700)
            #expect(try mode(of: directory + "/a/b") == 0o700)
            #expect(try mode(of: path) == 0o600)
        }
    }

    // MARK: - Loading

    @Test func loadReturnsTheCreatedKey() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/key"
            let created = try KeyFile.create(at: path)
            let loaded = try KeyFile.load(from: path)
            #expect(loaded.key.withUnsafeBytes { Array($0) } == created.key.withUnsafeBytes { Array($0) })
        }
    }

    @Test func upperCaseDigitsAndTrailingWhitespaceAreAccepted() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/key"
            try write(String(repeating: "aB", count: 32) + " \r\n\n", to: path)
            let key = try KeyFile.load(from: path).key
            #expect(key.withUnsafeBytes { Array($0) } == [UInt8](repeating: 0xab, count: 32))
        }
    }

    @Test func aFileOpenToGroupIsRefusedWithTheCommandThatFixesIt() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/key"
            try KeyFile.create(at: path)
            try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: path)
            let error = try #require(throws: AnonLogError.self) { try KeyFile.load(from: path) }
            #expect(error.code == .permission)
            #expect(error.message == "key file is accessible to group or others (mode 0640); run: chmod 600 \(path)")
        }
    }

    @Test func aFileWritableByOthersIsRefused() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/key"
            try KeyFile.create(at: path)
            try FileManager.default.setAttributes([.posixPermissions: 0o602], ofItemAtPath: path)
            let error = try #require(throws: AnonLogError.self) { try KeyFile.load(from: path) }
            #expect(error.code == .permission)
        }
    }

    @Test func aDirectoryIsNotAKeyFile() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/key"
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
            let error = try #require(throws: AnonLogError.self) { try KeyFile.load(from: path) }
            #expect(error.code == .configuration)
            #expect(error.message.contains("not a regular file"))
        }
    }

    static let malformedContents: [(contents: String, message: String, offset: Int?)] = [
        (String(repeating: "7", count: 63) + "\n", "key file holds 63 hexadecimal digits; expected 64", nil),
        (String(repeating: "7", count: 65), "key file holds 65 hexadecimal digits; expected 64", nil),
        ("", "key file is empty; expected 64", nil),
        (String(repeating: "7", count: 40) + "g" + String(repeating: "7", count: 23), "key file has a character that is not a hexadecimal digit", 40),
        (" " + String(repeating: "7", count: 64), "key file has a character that is not a hexadecimal digit", 0),
        (String(repeating: "7", count: 32) + "\n" + String(repeating: "7", count: 32), "key file has a character that is not a hexadecimal digit", 32),
    ]

    @Test(arguments: malformedContents)
    func malformedContentsAreAConfigurationErrorThatNeverQuotesTheFile(testCase: (contents: String, message: String, offset: Int?)) throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/key"
            try write(testCase.contents, to: path)
            let error = try #require(throws: AnonLogError.self) { try KeyFile.load(from: path) }
            #expect(error.code == .configuration)
            #expect(error.message == testCase.message)
            #expect(error.location?.path == path)
            #expect(error.location?.byteOffset == testCase.offset)
            #expect(!error.description.contains("7777"))
        }
    }

    @Test func aHugeFileIsNotReadInFull() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/key"
            try write(String(repeating: "0", count: 100_000), to: path)
            let error = try #require(throws: AnonLogError.self) { try KeyFile.load(from: path) }
            #expect(error.code == .configuration)
            #expect(error.message.contains("too long (100000 bytes)"))
        }
    }

    // MARK: - Resolving

    @Test func theDefaultKeyIsCreatedOnFirstUseAndLoadedAfterwards() throws {
        try withTemporaryDirectory { directory in
            let environment = ["XDG_STATE_HOME": directory + "/state", "HOME": directory + "/home"]
            let first = try KeyFile.resolve(explicitPath: nil, environment: environment)
            #expect(first.wasCreated)
            #expect(first.path == directory + "/state/anonlog/key")
            #expect(try mode(of: directory + "/state/anonlog") == 0o700)
            #expect(try mode(of: first.path) == 0o600)

            let second = try KeyFile.resolve(explicitPath: nil, environment: environment)
            #expect(!second.wasCreated)
            #expect(second.path == first.path)
            #expect(second.key.withUnsafeBytes { Array($0) } == first.key.withUnsafeBytes { Array($0) })
        }
    }

    @Test func withoutXDGStateHomeTheDefaultIsUnderHome() throws {
        try withTemporaryDirectory { directory in
            let resolved = try KeyFile.resolve(explicitPath: nil, environment: ["HOME": directory, "XDG_STATE_HOME": "relative/ignored"])
            #expect(resolved.wasCreated)
            #expect(resolved.path == directory + "/.local/state/anonlog/key")
            #expect(FileManager.default.fileExists(atPath: resolved.path))
        }
    }

    @Test func aMissingHomeDirectoryIsNotCreated() throws {
        try withTemporaryDirectory { directory in
            let home = directory + "/nonexistent"
            let error = try #require(throws: AnonLogError.self) { try KeyFile.resolve(explicitPath: nil, environment: ["HOME": home]) }
            #expect(error.code == .configuration)
            #expect(error.location?.path == home)
            #expect(!FileManager.default.fileExists(atPath: home))
        }
    }

    @Test func withoutAnyLocationResolvingFails() {
        let error = #expect(throws: AnonLogError.self) { try KeyFile.resolve(explicitPath: nil, environment: [:]) }
        #expect(error?.code == .configuration)
    }

    @Test func aMissingExplicitPathIsAnErrorAndIsNotCreated() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/missing"
            let error = try #require(throws: AnonLogError.self) {
                try KeyFile.resolve(explicitPath: path, environment: ["XDG_STATE_HOME": directory])
            }
            #expect(error.code == .noInput)
            #expect(error.message == "key file not found; create one with: anonlog key init --key-file \(path)")
            #expect(!FileManager.default.fileExists(atPath: path))
            #expect(!FileManager.default.fileExists(atPath: directory + "/anonlog"))
        }
    }

    @Test func aMissingFileNamedByTheEnvironmentIsAnErrorAndIsNotCreated() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/missing"
            let error = try #require(throws: AnonLogError.self) {
                try KeyFile.resolve(explicitPath: nil, environment: ["ANONLOG_KEY_FILE": path, "XDG_STATE_HOME": directory])
            }
            #expect(error.code == .noInput)
            #expect(!FileManager.default.fileExists(atPath: path))
            #expect(!FileManager.default.fileExists(atPath: directory + "/anonlog"))
        }
    }

    @Test func theExplicitPathWinsOverTheEnvironmentWhichWinsOverTheDefault() throws {
        try withTemporaryDirectory { directory in
            let explicit = directory + "/explicit"
            let named = directory + "/named"
            try KeyFile.create(at: explicit)
            try KeyFile.create(at: named)
            let environment = ["ANONLOG_KEY_FILE": named, "XDG_STATE_HOME": directory + "/state"]

            let fromExplicit = try KeyFile.resolve(explicitPath: explicit, environment: environment)
            #expect(fromExplicit.path == explicit)
            #expect(!fromExplicit.wasCreated)
            let fromEnvironment = try KeyFile.resolve(explicitPath: nil, environment: environment)
            #expect(fromEnvironment.path == named)
            #expect(!FileManager.default.fileExists(atPath: directory + "/state"))
        }
    }

    @Test func aSuggestedCommandQuotesAPathWithSpaces() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/my key's file"
            let error = try #require(throws: AnonLogError.self) { try KeyFile.load(from: path) }
            #expect(error.message.hasSuffix("--key-file '\(directory)/my key'\\''s file'"))
        }
    }

    // MARK: - Helpers

    private func withTemporaryDirectory(_ body: (String) throws -> Void) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("anonlog-keyfile-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try body(directory)
    }

    private func mode(of path: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return try #require(attributes[.posixPermissions] as? Int)
    }

    private func write(_ contents: String, to path: String) throws {
        try Data(contents.utf8).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
    }
}
