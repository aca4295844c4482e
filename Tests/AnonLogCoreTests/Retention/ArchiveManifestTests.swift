import Foundation
import Testing
@testable import AnonLogCore

struct ArchiveManifestTests {
    static func entry(_ source: String, inode: UInt64) -> ArchiveManifest.Entry {
        ArchiveManifest.Entry(
            identity: SourceIdentity(device: 2049, inode: inode, size: 1234, modifiedNanoseconds: 1_795_000_000_123_456_789),
            source: source, output: "out/\(source).gz", linesIn: 10, written: .init(lines: 9, bytes: 900, crc32: 0xDEAD_BEEF),
            outputSize: 300, dropped: 1, archivedAt: 1_795_300_000, statisticsIngested: inode % 2 == 0,
            sourceDeletedAt: inode == 3 ? 1_795_300_100 : nil, outputDeletedAt: inode == 4 ? 1_795_300_200 : nil)
    }

    @Test func entriesSurviveASaveAndALoadWhateverTheirNames() throws {
        let directory = try TemporaryDirectory()
        var manifest = ArchiveManifest()
        let names = ["access.log.1.gz", "tab\there", "equals=and%percent", "line\nfeed", "ünïcode/日本.gz"]
        for (index, name) in names.enumerated() { manifest.record(Self.entry(name, inode: UInt64(index + 1))) }
        try manifest.save(to: directory.path + "/manifest")
        let loaded = try ArchiveManifest.load(from: directory.path + "/manifest")
        #expect(loaded.entries == manifest.entries)
        #expect(try directory.listing() == ["manifest"])
    }

    @Test func recordingAnIdentityAgainReplacesItsEntry() {
        var manifest = ArchiveManifest()
        manifest.record(Self.entry("a", inode: 2))
        var changed = Self.entry("b", inode: 2)
        changed.linesIn = 99
        manifest.record(changed)
        #expect(manifest.entries.count == 1 && manifest.entries[0].linesIn == 99)
    }

    @Test func aRawLogTheArchiveDeletedIsNotMatchedAgain() {
        var manifest = ArchiveManifest()
        manifest.record(Self.entry("deleted", inode: 3))
        manifest.record(Self.entry("kept", inode: 2))
        #expect(manifest.entry(for: Self.entry("deleted", inode: 3).identity) == nil)
        #expect(manifest.entry(for: Self.entry("kept", inode: 2).identity)?.source == "kept")
    }

    @Test func aMissingManifestIsEmpty() throws {
        #expect(try ArchiveManifest.load(from: "/nonexistent/manifest").entries.isEmpty)
    }

    @Test func aDamagedManifestIsAnErrorNamingTheLine() throws {
        let directory = try TemporaryDirectory()
        var manifest = ArchiveManifest()
        manifest.record(Self.entry("a", inode: 2))
        var text = String(decoding: manifest.text, as: UTF8.self)
        text += "id=1:2:3\tsource=x\n"
        let path = try directory.file("manifest", Array(text.utf8))
        #expect(throws: AnonLogError.self) { try ArchiveManifest.load(from: path) }
        do {
            _ = try ArchiveManifest.load(from: path)
        } catch {
            #expect(error.code == .dataError && error.location?.line == 3)
        }
        let foreign = try directory.file("other", Array("hello\n".utf8))
        do {
            _ = try ArchiveManifest.load(from: foreign)
            Issue.record("a file without the header was read as a manifest")
        } catch {
            #expect(error.location?.line == 1)
        }
    }

    @Test func identitiesReadBackTheirText() {
        let identity = SourceIdentity(device: 1, inode: 2, size: 3, modifiedNanoseconds: -4)
        #expect(SourceIdentity(parsing: identity.description) == identity)
        #expect(SourceIdentity(parsing: "1:2:3") == nil)
    }
}
