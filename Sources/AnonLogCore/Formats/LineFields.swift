/// Where the fields of a recognised line are, as byte ranges of the line.
///
/// Only what a format carries is set. Ranges point into the line as read, so a field's text is
/// the raw bytes (JSON escapes undone by nobody: the consumers compare bytes).
///
/// The ranges are stored as 32-bit offsets (a line is far shorter than 4 GiB): the fields are
/// copied several times per line on the hot path, and eleven optional `Range<Int>` made them
/// 265 bytes, each copy a `memcpy` call.
public struct LineFields: Sendable, Equatable {
    public var format: LogFormat
    private var timeSpan = FieldSpan.absent
    private var clientSpan = FieldSpan.absent
    private var requestSpan = FieldSpan.absent
    private var statusSpan = FieldSpan.absent
    private var bytesSentSpan = FieldSpan.absent
    private var refererSpan = FieldSpan.absent
    private var userAgentSpan = FieldSpan.absent
    private var forwardedForSpan = FieldSpan.absent
    private var sessionIDSpan = FieldSpan.absent
    private var eventSpan = FieldSpan.absent
    private var textSpan = FieldSpan.absent

    /// The timestamp text, without brackets or quotes.
    public var time: Range<Int>? {
        get { timeSpan.range }
        set { timeSpan = FieldSpan(newValue) }
    }
    /// The client field; it may hold an X-Forwarded-For style list.
    public var client: Range<Int>? {
        get { clientSpan.range }
        set { clientSpan = FieldSpan(newValue) }
    }
    /// The request line (`GET /path HTTP/1.1`), without quotes.
    public var request: Range<Int>? {
        get { requestSpan.range }
        set { requestSpan = FieldSpan(newValue) }
    }
    public var status: Range<Int>? {
        get { statusSpan.range }
        set { statusSpan = FieldSpan(newValue) }
    }
    public var bytesSent: Range<Int>? {
        get { bytesSentSpan.range }
        set { bytesSentSpan = FieldSpan(newValue) }
    }
    public var referer: Range<Int>? {
        get { refererSpan.range }
        set { refererSpan = FieldSpan(newValue) }
    }
    public var userAgent: Range<Int>? {
        get { userAgentSpan.range }
        set { userAgentSpan = FieldSpan(newValue) }
    }
    /// A forwarded-for header value (nginx JSON `http_x_forwarded_for`).
    public var forwardedFor: Range<Int>? {
        get { forwardedForSpan.range }
        set { forwardedForSpan = FieldSpan(newValue) }
    }
    /// The chat session identifier value, without quotes.
    public var sessionID: Range<Int>? {
        get { sessionIDSpan.range }
        set { sessionIDSpan = FieldSpan(newValue) }
    }
    /// The chat event type (`session_start`, `message`, ...).
    public var event: Range<Int>? {
        get { eventSpan.range }
        set { eventSpan = FieldSpan(newValue) }
    }
    /// The chat message text, without quotes.
    public var text: Range<Int>? {
        get { textSpan.range }
        set { textSpan = FieldSpan(newValue) }
    }

    public init(format: LogFormat) {
        self.format = format
    }
}

/// A field's byte range in 32-bit offsets, or no field.
private struct FieldSpan: Sendable, Equatable {
    var start: UInt32
    var end: UInt32

    static let absent = FieldSpan(start: .max, end: .max)

    @inline(__always)
    init(start: UInt32, end: UInt32) {
        self.start = start
        self.end = end
    }

    @inline(__always)
    init(_ range: Range<Int>?) {
        guard let range else {
            self = .absent
            return
        }
        precondition(range.lowerBound >= 0 && range.upperBound < Int(UInt32.max), "a field lies beyond 4 GiB")
        self.init(start: UInt32(truncatingIfNeeded: range.lowerBound), end: UInt32(truncatingIfNeeded: range.upperBound))
    }

    @inline(__always)
    var range: Range<Int>? {
        start == .max ? nil : Int(start)..<Int(end)
    }
}
