@testable import AnonLogCore

/// An in-memory ``ByteSource`` for tests, handing out its bytes in chunks of a chosen size
/// (like a pipe that delivers little at a time) and counting the calls.
final class MemorySource: ByteSource {
    let name: String
    let isLive: Bool
    private let chunks: [[UInt8]]
    private var chunkIndex = 0
    private var offsetInChunk = 0
    private(set) var readCalls = 0

    /// A source yielding `chunks` one read at a time (a read never spans two chunks).
    init(chunks: [[UInt8]], name: String = "memory", isLive: Bool = false) {
        self.chunks = chunks
        self.name = name
        self.isLive = isLive
    }

    /// A source yielding `bytes` in reads of at most `chunkSize` bytes.
    convenience init(_ bytes: [UInt8], chunkSize: Int = .max, name: String = "memory", isLive: Bool = false) {
        let size = max(1, min(chunkSize, bytes.count))
        let chunks = stride(from: 0, to: bytes.count, by: size).map { Array(bytes[$0..<min($0 + size, bytes.count)]) }
        self.init(chunks: chunks, name: name, isLive: isLive)
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(AnonLogError) -> Int {
        readCalls += 1
        guard chunkIndex < chunks.count else { return 0 }
        let chunk = chunks[chunkIndex]
        let count = min(buffer.count, chunk.count - offsetInChunk)
        chunk.withUnsafeBytes { bytes in
            buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[offsetInChunk..<offsetInChunk + count]))
        }
        offsetInChunk += count
        if offsetInChunk == chunk.count {
            chunkIndex += 1
            offsetInChunk = 0
        }
        return count
    }
}
