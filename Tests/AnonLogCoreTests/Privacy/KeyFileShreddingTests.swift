import Foundation
import Testing
@testable import AnonLogCore

struct KeyFileShreddingTests {
    func hex(_ key: SecretKey) -> String { key.withUnsafeBytes { $0.map { String(format: "%02x", $0) }.joined() } }

    @Test func shreddingRatchetsPastTheDateAndLeavesNoWayBack() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("shred-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/key"
        let original = try KeyFile.create(at: path, template: KeyTemplate(rotation: .daily))
        let cut = Array("2026-10-21".utf8).withUnsafeBytes { LogTimestamp.parseISO8601($0)! }
        let shreddedEpoch = KeyRotation.daily.epoch(at: cut) - 1
        let shreddedKey = try #require(original.key(forEpoch: shreddedEpoch))

        let result = try KeyFile.shred(at: path, before: cut)
        #expect(result.previousEpoch == 0 && result.retainedEpoch == shreddedEpoch + 1)
        let record = try KeyFile.load(from: path)
        #expect(record.epoch == shreddedEpoch + 1)
        #expect(record.key(forEpoch: shreddedEpoch) == nil)
        #expect(hex(try #require(record.key(forEpoch: shreddedEpoch + 1))) == hex(try #require(original.key(forEpoch: shreddedEpoch + 1))))

        // The file holds neither the original key nor the shredded epoch's, and ratcheting the
        // new key forward for a year never comes back to the shredded one.
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(!text.contains(hex(original.key)) && !text.contains(hex(shreddedKey)))
        for step in 0..<366 {
            #expect(hex(KeyRatchet.advance(record.key, steps: Int64(step))) != hex(shreddedKey))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["key"])
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)

        // Shredding again to the same date changes nothing.
        let again = try KeyFile.shred(at: path, before: cut)
        #expect(!again.shredAny)
    }

    @Test func theOldKeysBytesAreOverwrittenAfterTheNewFileIsInPlace() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("shred-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/key"
        let original = try KeyFile.create(at: path, template: KeyTemplate(rotation: .daily))
        // A second name keeps the old inode reachable, so what happened to its bytes shows.
        try FileManager.default.linkItem(atPath: path, toPath: directory + "/old-inode")
        _ = try KeyFile.shred(at: path, before: 1_800_000_000)
        let oldBytes = try Data(contentsOf: URL(fileURLWithPath: directory + "/old-inode"))
        #expect(!oldBytes.isEmpty)
        #expect(!String(decoding: oldBytes, as: UTF8.self).contains(hex(original.key)))
        #expect(!String(decoding: oldBytes, as: UTF8.self).contains("anonlog-key"))
        #expect(try KeyFile.load(from: path).epoch == KeyRotation.daily.epoch(at: 1_800_000_000))
    }

    @Test func aKeyWithoutRotationCannotBeShredded() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("shred-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try KeyFile.create(at: directory + "/key")
        let error = try #require(throws: AnonLogError.self) { try KeyFile.shred(at: directory + "/key", before: 1_800_000_000) }
        #expect(error.code == .usage)
    }
}
