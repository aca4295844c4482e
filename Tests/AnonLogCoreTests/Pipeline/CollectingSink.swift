@testable import AnonLogCore

/// A ``ByteSink`` for tests that keeps everything written to it in memory.
final class CollectingSink: ByteSink {
    let name: String
    private(set) var bytes: [UInt8] = []
    /// How many bytes had been written at each call of `flush()`.
    private(set) var flushedAt: [Int] = []
    private(set) var isFinished = false

    init(name: String = "collected") {
        self.name = name
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws(AnonLogError) {
        self.bytes.append(contentsOf: bytes)
    }

    func flush() throws(AnonLogError) {
        flushedAt.append(bytes.count)
    }

    func finish() throws(AnonLogError) {
        isFinished = true
    }
}
