/// The pieces of an HTTP request line (`GET /path?query HTTP/1.1`), as byte ranges.
///
/// Attack traffic sends anything as a request line (TLS handshakes, `-`, a bare word); what
/// cannot be read is marked so the detectors can count it, never rejected.
struct RequestLine {
    /// The request method, as far as the statistics care.
    enum Method: UInt8, CaseIterable {
        case none, get, head, post, put, delete, options, patch, connect, trace, other

        var name: String {
            switch self {
            case .none: "-"
            case .get: "GET"
            case .head: "HEAD"
            case .post: "POST"
            case .put: "PUT"
            case .delete: "DELETE"
            case .options: "OPTIONS"
            case .patch: "PATCH"
            case .connect: "CONNECT"
            case .trace: "TRACE"
            case .other: "other"
            }
        }
    }

    /// What follows the target.
    enum Version: UInt8 {
        /// `HTTP/0.9` through `HTTP/3.0`.
        case valid
        /// No version (a bare `GET /` or an empty request).
        case missing
        /// Something that is not one of the versions CrowdSec accepts.
        case invalid
    }

    var method: Method = .none
    /// The request target (path and query), empty when there is none.
    var target: Range<Int> = 0..<0
    /// The path part of the target.
    var path: Range<Int> = 0..<0
    /// The query, without its `?`; `nil` when the target has none.
    var query: Range<Int>?
    var version: Version = .missing
    /// Whether the line was `-` or empty (a connection closed before a request).
    var isEmpty = true

    /// Reads the request line in `bytes[range]`.
    init(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) {
        var start = range.lowerBound
        let end = range.upperBound
        guard end > start, !(end - start == 1 && bytes[start] == UInt8(ascii: "-")) else { return }
        isEmpty = false
        var methodEnd = start
        while methodEnd < end, bytes[methodEnd] != UInt8(ascii: " ") { methodEnd += 1 }
        guard methodEnd < end else {
            // One word: a bare method, or junk such as a TLS handshake.
            method = .other
            version = .invalid
            return
        }
        method = Self.method(bytes, start, methodEnd)
        start = methodEnd + 1
        var targetEnd = end
        version = .missing
        // The version is the last word when it starts with "HTTP/".
        var lastSpace = end - 1
        while lastSpace > start, bytes[lastSpace] != UInt8(ascii: " ") { lastSpace -= 1 }
        if lastSpace > start, bytes[lastSpace] == UInt8(ascii: " ") {
            targetEnd = lastSpace
            version = Self.isValidVersion(bytes, lastSpace + 1, end) ? .valid : .invalid
        }
        target = start..<targetEnd
        var queryStart = start
        while queryStart < targetEnd, bytes[queryStart] != UInt8(ascii: "?") { queryStart += 1 }
        path = start..<queryStart
        if queryStart < targetEnd { query = (queryStart + 1)..<targetEnd }
    }

    private static func method(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> Method {
        func equals(_ name: StaticString) -> Bool {
            guard end - start == name.utf8CodeUnitCount else { return false }
            let pointer = name.utf8Start
            for offset in 0..<(end - start) where bytes[start + offset] != pointer[offset] { return false }
            return true
        }
        switch end - start {
        case 3: return equals("GET") ? .get : equals("PUT") ? .put : .other
        case 4: return equals("HEAD") ? .head : equals("POST") ? .post : .other
        case 5: return equals("PATCH") ? .patch : equals("TRACE") ? .trace : .other
        case 6: return equals("DELETE") ? .delete : .other
        case 7: return equals("OPTIONS") ? .options : equals("CONNECT") ? .connect : .other
        default: return .other
        }
    }

    /// `HTTP/0.9`, `HTTP/1.0`, `HTTP/1.1`, `HTTP/2.0`, `HTTP/2`, `HTTP/3.0` or `HTTP/3`.
    private static func isValidVersion(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> Bool {
        let count = end - start
        guard count == 6 || count == 8, bytes[start] == UInt8(ascii: "H"), bytes[start + 1] == UInt8(ascii: "T"),
            bytes[start + 2] == UInt8(ascii: "T"), bytes[start + 3] == UInt8(ascii: "P"), bytes[start + 4] == UInt8(ascii: "/")
        else { return false }
        let major = bytes[start + 5]
        if count == 6 { return major == UInt8(ascii: "2") || major == UInt8(ascii: "3") }
        guard bytes[start + 6] == UInt8(ascii: ".") else { return false }
        let minor = bytes[start + 7]
        switch major {
        case UInt8(ascii: "0"): return minor == UInt8(ascii: "9")
        case UInt8(ascii: "1"): return minor == UInt8(ascii: "0") || minor == UInt8(ascii: "1")
        case UInt8(ascii: "2"), UInt8(ascii: "3"): return minor == UInt8(ascii: "0")
        default: return false
        }
    }
}
