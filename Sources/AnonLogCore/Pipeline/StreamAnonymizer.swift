/// A failure while anonymizing one stream, on the side it happened.
enum StreamFailure: Error {
    /// Reading or decoding the input failed; everything before it was written.
    case input(AnonLogError)
    /// Writing the output failed.
    case output(AnonLogError)
}

/// Reads a source to its end and writes it, anonymized, to a sink.
///
/// Lines are framed in one reusable buffer. Whenever a read returns, every complete line in it
/// is anonymized and handed to the sink; from a live source (a pipe or terminal) the sink is
/// flushed as well, so no line waits for the next one. A line longer than the limit is
/// anonymized in pieces cut where no address can be split; a run of address characters longer
/// than the limit cannot be read whole, so it is replaced by the redaction marker (fail closed).
final class StreamAnonymizer<Pseudonymizer: AddressPseudonymizer> {
    let lines: LineAnonymizer<Pseudonymizer>
    private let maximumLineLength: Int
    private let output = OutputBuffer(capacity: 1 << 20)
    private var buffer: UnsafeMutableRawPointer
    private var capacity: Int

    /// - Parameters:
    ///   - lines: Rewrites the lines.
    ///   - chunkSize: How much is read at a time.
    ///   - maximumLineLength: The longest line held whole; at least `chunkSize`.
    init(lines: LineAnonymizer<Pseudonymizer>, chunkSize: Int = 1 << 20, maximumLineLength: Int = 64 << 20) {
        self.lines = lines
        self.capacity = chunkSize
        self.maximumLineLength = max(maximumLineLength, chunkSize)
        self.buffer = UnsafeMutableRawPointer.allocate(byteCount: chunkSize, alignment: 16)
    }

    deinit { buffer.deallocate() }

    /// Anonymizes `source` into `sink` until the input ends or a shutdown is requested.
    ///
    /// The sink is flushed at the end but not finished: several inputs may share one output.
    ///
    /// - Throws: ``StreamFailure/input(_:)`` after writing everything that was read before the
    ///   damage, ``StreamFailure/output(_:)`` when the sink fails.
    func run(_ source: any ByteSource, into sink: any ByteSink) throws(StreamFailure) {
        var filled = 0
        var inOversizedLine = false
        // Inside a run of address characters that filled the whole buffer: its rest is dropped.
        var inRedactedRun = false

        while !ShutdownRequest.isRequested {
            if filled == capacity {
                if capacity < maximumLineLength {
                    grow(to: min(capacity * 2, maximumLineLength), keeping: filled)
                } else if let cut = Self.safeCut(buffer, count: filled) {
                    lines.anonymize(oversizedPiece: bytes(0, cut), endsLine: false, into: output)
                    shift(from: cut, to: filled)
                    filled -= cut
                    inOversizedLine = true
                    try write(to: sink, flush: false)
                } else {
                    // The bytes before the buffer (a line start or a safe cut) ended outside
                    // any run, so the run starts at the buffer's first byte.
                    lines.redact(oversizedRun: bytes(0, filled), writingMarker: !inRedactedRun, into: output)
                    filled = 0
                    inOversizedLine = true
                    inRedactedRun = true
                    try write(to: sink, flush: false)
                }
            }
            let count: Int
            do {
                count = try source.read(into: UnsafeMutableRawBufferPointer(start: buffer + filled, count: capacity - filled))
            } catch {
                finish(filled: filled, inOversizedLine: inOversizedLine, damaged: true)
                try write(to: sink, flush: true)
                throw .input(error)
            }
            if count == 0 { break }
            let searchStart = filled
            filled += count
            if inRedactedRun {
                // The buffer was emptied when the run was redacted: the new bytes start at 0.
                let runEnd = Self.runEnd(buffer, count: filled)
                lines.redact(oversizedRun: bytes(0, runEnd), writingMarker: false, into: output)
                inRedactedRun = runEnd == filled
                shift(from: runEnd, to: filled)
                filled -= runEnd
            }
            if let lastNewline = Self.lastNewline(buffer, from: searchStart, to: filled) {
                var start = 0
                if inOversizedLine {
                    let lineEnd = Self.firstNewline(buffer, from: 0, to: filled)!
                    lines.anonymize(oversizedPiece: bytes(0, lineEnd + 1), endsLine: true, into: output)
                    start = lineEnd + 1
                    inOversizedLine = false
                }
                if start <= lastNewline {
                    lines.anonymize(lines: bytes(start, lastNewline + 1), into: output)
                }
                shift(from: lastNewline + 1, to: filled)
                filled -= lastNewline + 1
            }
            if source.isLive || output.count >= 1 << 20 {
                try write(to: sink, flush: source.isLive)
            }
        }
        finish(filled: filled, inOversizedLine: inOversizedLine, damaged: false)
        try write(to: sink, flush: true)
    }

    /// Anonymizes what is left in the buffer: a last line without a line feed. After damage it
    /// gets a line feed, so that the next input's first line is not glued to it.
    private func finish(filled: Int, inOversizedLine: Bool, damaged: Bool) {
        if inOversizedLine {
            // Even with nothing left, the line was begun by earlier pieces: it ends here.
            lines.anonymize(oversizedPiece: bytes(0, filled), endsLine: true, into: output)
        } else if filled > 0 {
            lines.anonymize(lines: bytes(0, filled), into: output)
        } else {
            return
        }
        if damaged {
            output.append(UInt8(ascii: "\n"))
            lines.counts.bytesOut += 1
        }
    }

    private func write(to sink: any ByteSink, flush: Bool) throws(StreamFailure) {
        do {
            if output.count > 0 { try sink.write(output.bytes) }
            output.removeAll()
            if flush { try sink.flush() }
        } catch {
            throw .output(error)
        }
    }

    // MARK: - Buffer

    private func bytes(_ start: Int, _ end: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: buffer + start, count: end - start)
    }

    private func shift(from start: Int, to end: Int) {
        if start < end { buffer.copyMemory(from: buffer + start, byteCount: end - start) }
    }

    private func grow(to newCapacity: Int, keeping count: Int) {
        let newBuffer = UnsafeMutableRawPointer.allocate(byteCount: newCapacity, alignment: 16)
        newBuffer.copyMemory(from: buffer, byteCount: count)
        buffer.deallocate()
        buffer = newBuffer
        capacity = newCapacity
    }

    private static func lastNewline(_ buffer: UnsafeMutableRawPointer, from start: Int, to end: Int) -> Int? {
        var index = end - 1
        while index >= start {
            if buffer.load(fromByteOffset: index, as: UInt8.self) == 0x0A { return index }
            index -= 1
        }
        return nil
    }

    private static func firstNewline(_ buffer: UnsafeMutableRawPointer, from start: Int, to end: Int) -> Int? {
        var index = start
        while index < end {
            if buffer.load(fromByteOffset: index, as: UInt8.self) == 0x0A { return index }
            index += 1
        }
        return nil
    }

    /// Where to cut a full buffer without a line feed: just after its last byte that cannot be
    /// part of an address, so no address is split between two pieces; `nil` when every byte can.
    private static func safeCut(_ buffer: UnsafeMutableRawPointer, count: Int) -> Int? {
        var index = count - 1
        while index >= 0 {
            if !isRunByte(buffer.load(fromByteOffset: index, as: UInt8.self)) { return index + 1 }
            index -= 1
        }
        return nil
    }

    /// The offset of the first byte in `0..<count` that cannot be part of an address, or `count`.
    private static func runEnd(_ buffer: UnsafeMutableRawPointer, count: Int) -> Int {
        var index = 0
        while index < count, isRunByte(buffer.load(fromByteOffset: index, as: UInt8.self)) { index += 1 }
        return index
    }

    /// Whether `byte` may belong to an address token: a hex digit, `.`, `:` or the `%` of `%3A`.
    @inline(__always) private static func isRunByte(_ byte: UInt8) -> Bool {
        ByteClass.table[Int(byte)] & (ByteClass.runMember | ByteClass.percent) != 0
    }
}
