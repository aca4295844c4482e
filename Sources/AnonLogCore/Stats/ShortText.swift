/// Up to 48 bytes of text held inline: a pseudonym, a session token, a link host.
///
/// Events and detector slots carry the text they will name in an alert without allocating;
/// longer text is cut at 48 bytes.
struct ShortText: Equatable {
    static let capacity = 48
    private var storage: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0)
    private var length: UInt8 = 0

    init() {}

    /// The first 48 bytes of `bytes`.
    init(_ bytes: UnsafeRawBufferPointer) {
        set(bytes)
    }

    /// Text from a Swift string (cold paths and tests).
    init(_ string: String) {
        var copy = string
        copy.withUTF8 { set(UnsafeRawBufferPointer($0)) }
    }

    /// Replaces the text with the first 48 bytes of `bytes`.
    @inline(__always)
    mutating func set(_ bytes: UnsafeRawBufferPointer) {
        let count = min(bytes.count, Self.capacity)
        length = UInt8(count)
        withUnsafeMutableBytes(of: &storage) { target in
            if count > 0 { target.baseAddress!.copyMemory(from: bytes.baseAddress!, byteCount: count) }
        }
    }

    /// Makes the text empty.
    @inline(__always)
    mutating func clear() { length = 0 }

    var count: Int { Int(length) }
    var isEmpty: Bool { length == 0 }

    /// Calls `body` with the bytes.
    @inline(__always)
    func withBytes<Result>(_ body: (UnsafeRawBufferPointer) -> Result) -> Result {
        withUnsafeBytes(of: storage) { body(UnsafeRawBufferPointer(rebasing: $0[0..<Int(length)])) }
    }

    /// The text as a string (invalid UTF-8 repaired).
    var string: String { withBytes { String(decoding: $0, as: UTF8.self) } }

    /// A 64-bit hash of the text.
    var hash: UInt64 { withBytes { StatsHash.hash($0) } }

    static func == (lhs: ShortText, rhs: ShortText) -> Bool {
        lhs.length == rhs.length && lhs.withBytes { left in rhs.withBytes { right in left.elementsEqual(right) } }
    }
}
