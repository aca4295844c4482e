import Foundation
import Testing

/// Where the published test vectors are, and how to read their hexadecimal fields.
enum TestVectors {
    /// `<package root>/../shared`, or `$ANONLOG_SHARED_DIR` when it is set.
    static var sharedDirectory: URL {
        if let directory = ProcessInfo.processInfo.environment["ANONLOG_SHARED_DIR"], !directory.isEmpty {
            return URL(fileURLWithPath: directory)
        }
        // This file is <root>/Tests/AnonLogCoreTests/Privacy/TestVectors.swift.
        var root = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { root.deleteLastPathComponent() }
        return root.deletingLastPathComponent().appendingPathComponent("shared")
    }

    /// The bytes of a hexadecimal string.
    static func bytes(hex text: String) throws -> [UInt8] {
        let digits = Array(text.utf8)
        try #require(digits.count % 2 == 0, "odd number of hex digits")
        return try stride(from: 0, to: digits.count, by: 2).map { index in
            try #require(UInt8(String(decoding: digits[index..<index + 2], as: UTF8.self), radix: 16))
        }
    }
}
