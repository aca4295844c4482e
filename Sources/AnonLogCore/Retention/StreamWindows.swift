/// Retention windows applied to the stream itself, in `anonlog` and in `anonlog archive`.
///
/// - Records whose own time is before ``recordCutoff`` are dropped from the output (counted as
///   ``AnonymizationCounts/recordsDroppedByAge``). Lines without a time are kept.
/// - With ``chatIdleSeconds``, the events of a chat session that has not carried a message are
///   held back: when the session's first message arrives they are written, in their order, just
///   before it; when the session has been idle for the window (by the records' own times), or the
///   input ends, they are dropped, and only the counts remain. Events of a session that has had a
///   message are written at once. Other lines are never held.
/// - At most ``maximumOpenSessions`` sessions are tracked, and at most ``maximumHeldBytes`` are
///   held. At either cap the least recently active session is evicted: its held events are
///   dropped (a session that had a message is forgotten, so that its later events are held as
///   if it were new). Evictions are counted as ``AnonymizationCounts/chatSessionsEvicted``.
public struct StreamWindows: Sendable, Equatable {
    /// The default cap on tracked chat sessions.
    public static let defaultMaximumOpenSessions = 100_000
    /// The default cap on bytes held for sessions without a message.
    public static let defaultMaximumHeldBytes = 64 << 20

    /// Records older than this Unix time are dropped; `nil` keeps every record.
    public var recordCutoff: Int64?
    /// How long a chat session without a message may be idle before it is dropped; `nil`
    /// writes chat events as they come.
    public var chatIdleSeconds: Int64?
    /// The most chat sessions tracked at once.
    public var maximumOpenSessions = defaultMaximumOpenSessions
    /// The most bytes held for sessions without a message.
    public var maximumHeldBytes = defaultMaximumHeldBytes

    public init() {}

    /// Whether any window applies.
    public var isActive: Bool { recordCutoff != nil || chatIdleSeconds != nil }
}
