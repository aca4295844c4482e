/// One unit of the pipeline's work: a stretch of input and what it becomes.
final class PipelineChunk: @unchecked Sendable {
    /// What the input holds.
    enum Kind {
        /// Whole lines (the last one may lack its line feed at the end of the input).
        case lines
        /// A piece of a line longer than the limit.
        case oversizedPiece(endsLine: Bool)
        /// Part of a run of address characters longer than the limit: it cannot be read whole,
        /// so it is replaced by the redaction marker (written by the run's first part).
        case redactedRun(writesMarker: Bool, endsLine: Bool)
    }

    private(set) var storage: UnsafeMutableRawPointer
    private(set) var capacity: Int
    /// Bytes of input held.
    var count = 0
    var kind = Kind.lines
    /// Whether the input ended in damage after this chunk's bytes.
    var damaged = false
    /// The position in the input, for ordered writing.
    var sequence = 0
    /// The anonymized bytes.
    let output = OutputBuffer(capacity: 1 << 20)
    /// The output as a gzip member, when the output is compressed.
    let encoded = OutputBuffer(capacity: 1 << 16)
    /// Its chat lines, for the ordered session stage (empty without a chat window).
    var sessionMarks: [SessionLineMark] = []
    /// The latest record time in it, when a chat window needs the clock.
    var latestTime: Int64?
    /// The statistics records of its lines, when statistics are recorded.
    let events: StatsEventBuffer?

    // @unchecked Sendable: a chunk is owned by one thread at a time (reader, a worker, the
    // writer), handed over under the pipeline's lock.

    init(capacity: Int, events: StatsEventBuffer? = nil) {
        self.capacity = capacity
        self.events = events
        self.storage = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
    }

    deinit { storage.deallocate() }

    func reset() {
        count = 0
        kind = .lines
        damaged = false
    }

    /// Whether this chunk ends a line longer than the limit.
    var endsOversizedLine: Bool {
        switch kind {
        case .lines: false
        case .oversizedPiece(let endsLine), .redactedRun(_, let endsLine): endsLine
        }
    }

    var inputBytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: storage, count: count) }

    var freeSpace: UnsafeMutableRawBufferPointer {
        UnsafeMutableRawBufferPointer(start: storage + count, count: capacity - count)
    }

    func append(_ bytes: [UInt8]) {
        if count + bytes.count > capacity { grow(to: count + bytes.count) }
        bytes.withUnsafeBytes { (storage + count).copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
        count += bytes.count
    }

    func bytes(from start: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: storage + start, count: count - start)
    }

    func grow(to newCapacity: Int) {
        let newStorage = UnsafeMutableRawPointer.allocate(byteCount: newCapacity, alignment: 16)
        newStorage.copyMemory(from: storage, byteCount: count)
        storage.deallocate()
        storage = newStorage
        capacity = newCapacity
    }

    /// The last line feed at or after `start`.
    func lastNewline(from start: Int) -> Int? {
        var index = count - 1
        while index >= start {
            if storage.load(fromByteOffset: index, as: UInt8.self) == 0x0A { return index }
            index -= 1
        }
        return nil
    }

    func firstNewline() -> Int? {
        for index in 0..<count where storage.load(fromByteOffset: index, as: UInt8.self) == 0x0A { return index }
        return nil
    }

    /// Just after the last byte that cannot be part of an address, so no address is split;
    /// `nil` when every byte can.
    func safeCut() -> Int? {
        var index = count - 1
        while index >= 0 {
            if !Self.isRunByte(storage.load(fromByteOffset: index, as: UInt8.self)) { return index + 1 }
            index -= 1
        }
        return nil
    }

    /// The first byte that cannot be part of an address, or `count`.
    func runEnd() -> Int {
        for index in 0..<count where !Self.isRunByte(storage.load(fromByteOffset: index, as: UInt8.self)) { return index }
        return count
    }

    @inline(__always) private static func isRunByte(_ byte: UInt8) -> Bool {
        ByteClass.table[Int(byte)] & (ByteClass.runMember | ByteClass.percent) != 0
    }
}

/// Where the reader cuts each chunk: after the last whole line, or, inside a line longer than
/// the limit, where no address can be split.
struct LineFraming {
    /// Bytes read past the cut, which start the next chunk.
    var carry: [UInt8] = []
    /// Inside a line longer than the limit, between its pieces.
    var inOversizedLine = false
    /// Inside a run of address characters longer than the limit.
    var inRedactedRun = false

    /// Sets the chunk's kind and returns how many of its bytes it keeps.
    mutating func cut(_ chunk: PipelineChunk, ended: Bool) -> Int {
        if inRedactedRun {
            let end = chunk.runEnd()
            inRedactedRun = end == chunk.count && !ended
            chunk.kind = .redactedRun(writesMarker: false, endsLine: ended && end == chunk.count)
            if ended && end == chunk.count { inOversizedLine = false }
            return end
        }
        if inOversizedLine {
            if let newline = chunk.firstNewline() {
                inOversizedLine = false
                chunk.kind = .oversizedPiece(endsLine: true)
                return newline + 1
            }
            if ended {
                inOversizedLine = false
                chunk.kind = .oversizedPiece(endsLine: true)
                return chunk.count
            }
            return cutOversized(chunk)
        }
        chunk.kind = .lines
        if ended { return chunk.count }  // the last line, complete or not
        if let newline = chunk.lastNewline(from: 0) { return newline + 1 }
        inOversizedLine = true  // full at the line limit without a line feed
        return cutOversized(chunk)
    }

    /// A piece of an oversized line: up to its last byte outside any address, or, when every
    /// byte could belong to one, the start of a run to redact.
    private mutating func cutOversized(_ chunk: PipelineChunk) -> Int {
        if let cut = chunk.safeCut() {
            chunk.kind = .oversizedPiece(endsLine: false)
            return cut
        }
        inRedactedRun = true
        chunk.kind = .redactedRun(writesMarker: true, endsLine: false)
        return chunk.count
    }
}

/// The hand-offs between the reader, the workers and the writer, under one lock.
final class PipelineState: @unchecked Sendable {
    private let lock = ConditionLock()
    private var free: [PipelineChunk]
    private var ready: [PipelineChunk] = []
    private var completed: [Int: PipelineChunk] = [:]
    private var nextSequence = 0
    private var nextToWrite = 0
    private var dispatchingFinished = false
    private(set) var outputFailure: AnonLogError?

    // @unchecked Sendable: every field is read and written with `lock` held.

    init(chunks: [PipelineChunk]) {
        free = chunks
    }

    /// Whether the output failed, so reading on is pointless.
    var isCancelled: Bool { lock.withLock { outputFailure != nil } }

    /// A chunk to fill; waits for one. `nil` once the output has failed.
    func takeFreeChunk() -> PipelineChunk? {
        lock.withLock {
            while free.isEmpty && outputFailure == nil { lock.wait() }
            return outputFailure == nil ? free.removeLast() : nil
        }
    }

    func dispatch(_ chunk: PipelineChunk) {
        lock.withLock {
            chunk.sequence = nextSequence
            nextSequence += 1
            ready.append(chunk)
            lock.broadcast()
        }
    }

    func release(_ chunk: PipelineChunk) {
        lock.withLock {
            free.append(chunk)
            lock.broadcast()
        }
    }

    /// No more chunks will be dispatched.
    func finishDispatching() {
        lock.withLock {
            dispatchingFinished = true
            lock.broadcast()
        }
    }

    /// The oldest dispatched chunk for a worker; `nil` when all are taken and no more come.
    func takeReadyChunk() -> PipelineChunk? {
        lock.withLock {
            while ready.isEmpty && !dispatchingFinished { lock.wait() }
            return ready.isEmpty ? nil : ready.removeFirst()
        }
    }

    func complete(_ chunk: PipelineChunk) {
        lock.withLock {
            completed[chunk.sequence] = chunk
            lock.broadcast()
        }
    }

    /// The next chunk in input order once it is done; `nil` when every chunk has been written.
    func takeNextCompletedChunk() -> PipelineChunk? {
        lock.withLock {
            while true {
                if let chunk = completed.removeValue(forKey: nextToWrite) {
                    nextToWrite += 1
                    return chunk
                }
                if dispatchingFinished && nextToWrite == nextSequence { return nil }
                lock.wait()
            }
        }
    }

    /// Records the first output failure; the reader stops at its next chunk.
    func fail(_ error: AnonLogError) {
        lock.withLock {
            if outputFailure == nil { outputFailure = error }
            lock.broadcast()
        }
    }
}
