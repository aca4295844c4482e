/// One unit of the pipeline's work: a stretch of input and what it becomes.
final class PipelineChunk: @unchecked Sendable {
    /// What the input holds.
    enum Kind {
        /// Whole lines (the last one may lack its line feed at the end of the input).
        case lines
        /// A piece of a line longer than the limit.
        case oversizedPiece(endsLine: Bool)
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

    // @unchecked Sendable: a chunk is owned by one thread at a time (reader, a worker, the
    // writer), handed over under the pipeline's lock.

    init(capacity: Int) {
        self.capacity = capacity
        self.storage = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
    }

    deinit { storage.deallocate() }

    func reset() {
        count = 0
        kind = .lines
        damaged = false
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

    /// Just after the last byte that cannot be part of an address, so no address is split.
    func safeCut() -> Int {
        var index = count - 1
        while index > 0 {
            let byte = storage.load(fromByteOffset: index, as: UInt8.self)
            if ByteClass.table[Int(byte)] & (ByteClass.runMember | ByteClass.percent) == 0 { return index + 1 }
            index -= 1
        }
        return count
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
