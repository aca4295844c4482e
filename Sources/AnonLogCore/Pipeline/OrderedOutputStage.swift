/// The writer thread's work between the workers and the sink, when the stream has a chat
/// session window or the bytes written are tallied (for the archive's verification).
///
/// Chunks reach it in input order. A chunk with marked chat lines goes through the
/// ``ChatSessionWindow``; the workers left such a chunk uncompressed, so for gzip output it is
/// compressed here. Every other chunk passes as the workers made it (compressed in parallel).
final class OrderedOutputStage {
    let sessions: ChatSessionWindow?
    private let encoder: (any GzipMemberEncoding)?
    private let tallying: Bool
    private let filtered = OutputBuffer(capacity: 1 << 20)
    private let encoded = OutputBuffer(capacity: 1 << 16)
    /// The uncompressed bytes handed to the sink so far.
    private(set) var tally = ContentTally()

    /// - Parameters:
    ///   - windows: The stream windows; only the chat window matters here.
    ///   - gzipLevel: The level the workers compress at, or `nil` for plain output.
    ///   - tallying: Whether to tally the uncompressed bytes written.
    init(windows: StreamWindows?, gzipLevel: Int?, tallying: Bool) throws(AnonLogError) {
        if let windows, let idle = windows.chatIdleSeconds {
            sessions = ChatSessionWindow(idleSeconds: idle, maximumSessions: windows.maximumOpenSessions, maximumHeldBytes: windows.maximumHeldBytes)
            encoder = try gzipLevel.map { (level) throws(AnonLogError) in try GzipMemberEncoders.make(level: level) }
        } else {
            sessions = nil
            encoder = nil
        }
        self.tallying = tallying
    }

    /// Whether a pipeline with these settings needs the stage at all.
    static func isNeeded(windows: StreamWindows?, tallying: Bool) -> Bool {
        tallying || windows?.chatIdleSeconds != nil
    }

    /// The bytes to write for `chunk` (valid until the next call).
    func bytes(for chunk: PipelineChunk) -> UnsafeRawBufferPointer {
        if let sessions {
            if !chunk.sessionMarks.isEmpty {
                filtered.removeAll()
                sessions.filter(chunk.output.bytes, marks: chunk.sessionMarks, latestTime: chunk.latestTime, into: filtered)
                if tallying { tally.add(filtered.bytes) }
                guard let encoder else { return filtered.bytes }
                encoded.removeAll()
                if filtered.count > 0 { encoder.encode(filtered.bytes, member: chunk.sequence, into: encoded) }
                return encoded.bytes
            }
            if let latest = chunk.latestTime { sessions.advance(to: latest) }
        }
        if tallying { tally.add(chunk.output.bytes) }
        return chunk.encoded.count > 0 ? chunk.encoded.bytes : chunk.output.bytes
    }

    /// The input ended: held sessions are dropped.
    func endInput() { sessions?.endInput() }

    /// What the session window dropped.
    var counts: AnonymizationCounts { sessions?.counts ?? AnonymizationCounts() }
}
