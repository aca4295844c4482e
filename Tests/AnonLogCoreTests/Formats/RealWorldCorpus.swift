import Foundation
import Testing

/// The logs in `../shared/corpora/realworld`, read by the tests (never copied into the repository).
enum RealWorldCorpus {
    /// `<shared>/corpora/realworld`, found as ``TestVectors/sharedDirectory`` finds the shared folder.
    static var directory: URL {
        TestVectors.sharedDirectory.appendingPathComponent("corpora/realworld")
    }

    /// The bytes of a corpus file, decompressed when its name ends in `.gz`.
    ///
    /// - Parameter relativePath: The path under `realworld/`, such as `honeynet-chuvakin-httpd/access_log`.
    static func bytes(_ relativePath: String) throws -> [UInt8] {
        let url = directory.appendingPathComponent(relativePath)
        let stored = try #require(
            FileManager.default.contents(atPath: url.path), "missing corpus file \(url.path); set ANONLOG_SHARED_DIR")
        guard relativePath.hasSuffix(".gz") else { return Array(stored) }
        let plain = try gunzip(Array(stored))
        try #require(plain.valid, "\(relativePath) is not valid gzip")
        return plain.output
    }

    /// The lines of a corpus file without their line feeds (a last line without one included).
    static func lines(_ relativePath: String) throws -> [[UInt8]] {
        splitLines(try bytes(relativePath))
    }

    /// The first line of a corpus file that contains `fragment`.
    static func line(_ relativePath: String, containing fragment: String) throws -> [UInt8] {
        let needle = Array(fragment.utf8)
        let found = try lines(relativePath).first { line in
            line.count >= needle.count && (0...(line.count - needle.count)).contains { line[$0..<$0 + needle.count].elementsEqual(needle) }
        }
        return try #require(found, "no line of \(relativePath) contains \(fragment)")
    }
}

/// `bytes` cut at each line feed, which is dropped; an empty tail after the last one is no line.
func splitLines(_ bytes: [UInt8]) -> [[UInt8]] {
    var lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map(Array.init)
    if lines.last?.isEmpty == true { lines.removeLast() }
    return lines
}
