#if canImport(Glibc)
import Glibc
#endif
@testable import AnonLogCore

/// What anonymized output must look like, computed from the pseudonymizers directly, so that
/// pipeline tests can spell out expected lines.
struct AnonymizationOracle {
    static let standardKey = SecretKey(bytes: (0..<32).map { UInt8(($0 * 29 + 11) & 0xFF) })!

    let key: SecretKey
    let shape: HMACPseudonymizer.Shape
    private let addressKey: SecretKey
    private let identifierKey: SecretKey

    init(key: SecretKey = standardKey, shape: HMACPseudonymizer.Shape = .address) throws {
        self.key = key
        self.shape = shape
        addressKey = try key.subkey(purpose: .address)
        identifierKey = try key.subkey(purpose: .sessionIdentifier)
    }

    /// The pseudonym that replaces `address` (written as `IPAddress` parses it).
    func pseudonym(_ address: String) -> String {
        guard let parsed = IPAddress(address) else { preconditionFailure("\(address) is no address") }
        return pseudonym(parsed)
    }

    func pseudonym(_ address: IPAddress) -> String {
        let pseudonymizer = HMACPseudonymizer(key: addressKey, shape: shape)
        var buffer = [UInt8](repeating: 0, count: pseudonymizer.maximumLength)
        let length = buffer.withUnsafeMutableBytes { pseudonymizer.writePseudonym(for: address, into: $0) }
        return String(decoding: buffer[..<length], as: UTF8.self)
    }

    /// The token that replaces a chat session id.
    func sessionToken(_ value: String) -> String {
        let identifiers = IdentifierPseudonymizer(key: identifierKey)
        var buffer = [UInt8](repeating: 0, count: IdentifierPseudonymizer.tokenLength)
        Array(value.utf8).withUnsafeBytes { value in
            buffer.withUnsafeMutableBytes { identifiers.writeToken(for: value, into: $0) }
        }
        return String(decoding: buffer, as: UTF8.self)
    }

    /// A fresh line anonymizer keyed like ``LogAnonymizer`` with this oracle's key.
    func lineAnonymizer(
        keepSessionIDs: Bool = false, forcedFormat: LogFormat? = nil, redactionMarker: String = "REDACTED"
    ) -> LineAnonymizer<HMACPseudonymizer> {
        var options = AnonymizationOptions()
        options.pseudonymShape = shape
        options.pseudonymizeSessionIDs = !keepSessionIDs
        options.forcedFormat = forcedFormat
        options.redactionMarker = redactionMarker
        let builder = LineRewriterBuilder(
            keys: KeyRecord(mode: .hmac, rotation: .none, epoch: 0, key: key), options: options, direction: .anonymize,
            now: 0, count: 1, gzipLevel: nil)
        return builder.rewriter { (epochKey) throws(AnonLogError) in try HMACPseudonymizer(epochKey: epochKey, options: options) }
    }
}

extension LineAnonymizer {
    /// The anonymized form of `bytes` (whole lines, the last perhaps without a line feed).
    func anonymize(_ bytes: [UInt8]) -> [UInt8] {
        let output = OutputBuffer()
        bytes.withUnsafeBytes { anonymize(lines: $0, into: output) }
        return Array(output.bytes)
    }

    func anonymize(_ text: String) -> String {
        String(decoding: anonymize(Array(text.utf8)), as: UTF8.self)
    }
}

extension LogAnonymizer {
    /// The anonymized form of `bytes`.
    func anonymize(_ bytes: [UInt8]) -> [UInt8] {
        let output = OutputBuffer()
        bytes.withUnsafeBytes { anonymize($0, into: output) }
        return Array(output.bytes)
    }

    func anonymize(_ text: String) -> String {
        String(decoding: anonymize(Array(text.utf8)), as: UTF8.self)
    }
}

/// `bytes` as text, for readable expectations (invalid UTF-8 repaired).
func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

/// Where two byte strings first differ, shown briefly, or `nil` when they are equal: a failure
/// message that names the place instead of printing every byte.
func firstDifference(_ actual: [UInt8], _ expected: [UInt8]) -> String? {
    guard actual != expected else { return nil }
    let index = (0..<min(actual.count, expected.count)).first { actual[$0] != expected[$0] } ?? min(actual.count, expected.count)
    func around(_ bytes: [UInt8]) -> String {
        String(reflecting: text(Array(bytes[max(0, index - 40)..<min(bytes.count, index + 40)])))
    }
    return "byte \(index) of \(actual.count) (expected \(expected.count)): \(around(actual)) vs \(around(expected))"
}

/// Whether `needle` occurs in `haystack` (`memchr` for its first byte, then `memcmp`).
func contains(_ haystack: [UInt8], _ needle: String) -> Bool {
    let needle = Array(needle.utf8)
    guard let first = needle.first else { return true }
    return haystack.withUnsafeBytes { haystack in
        needle.withUnsafeBytes { needle in
            guard let base = haystack.baseAddress else { return false }
            var start = 0
            while haystack.count - start >= needle.count,
                let found = memchr(base + start, Int32(first), haystack.count - start - needle.count + 1)
            {
                if memcmp(found, needle.baseAddress!, needle.count) == 0 { return true }
                start = base.distance(to: UnsafeRawPointer(found)) + 1
            }
            return false
        }
    }
}
