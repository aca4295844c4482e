/// What a worker tells the ordered session stage about one chat line it rewrote: where the
/// line is in the chunk's output, its time, its session and whether it is a message.
///
/// The workers recognise the line anyway; handing these facts on keeps the sequential stage
/// from parsing anything.
struct SessionLineMark {
    /// The line's bytes in the chunk's output, its line feed included.
    var start: Int
    var end: Int
    /// The record's own time (Unix seconds), or `nil` when it has none.
    var time: Int64?
    /// A hash of the raw session id (random per process; only compared in memory).
    var session: Int
    /// Whether the event is a message (its name contains `message`).
    var isMessage: Bool
}
