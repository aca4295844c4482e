/// Where the fields of a recognised line are, as byte ranges of the line.
///
/// Only what a format carries is set. Ranges point into the line as read, so a field's text is
/// the raw bytes (JSON escapes undone by nobody: the consumers compare bytes).
public struct LineFields: Sendable, Equatable {
    public var format: LogFormat
    /// The timestamp text, without brackets or quotes.
    public var time: Range<Int>?
    /// The client field; it may hold an X-Forwarded-For style list.
    public var client: Range<Int>?
    /// The request line (`GET /path HTTP/1.1`), without quotes.
    public var request: Range<Int>?
    public var status: Range<Int>?
    public var bytesSent: Range<Int>?
    public var referer: Range<Int>?
    public var userAgent: Range<Int>?
    /// A forwarded-for header value (nginx JSON `http_x_forwarded_for`).
    public var forwardedFor: Range<Int>?
    /// The chat session identifier value, without quotes.
    public var sessionID: Range<Int>?
    /// The chat event type (`session_start`, `message`, ...).
    public var event: Range<Int>?
    /// The chat message text, without quotes.
    public var text: Range<Int>?

    public init(format: LogFormat) {
        self.format = format
    }
}
