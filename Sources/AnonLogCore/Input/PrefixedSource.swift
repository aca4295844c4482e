/// A source that first replays a few bytes already taken from another source, then reads on.
///
/// Sniffing the format of a pipe consumes its first bytes; this puts them back in front.
public final class PrefixedSource: ByteSource {
    public var name: String { inner.name }
    public var isLive: Bool { inner.isLive }

    private let inner: any ByteSource
    private let prefix: [UInt8]
    private var replayed = 0

    /// Creates a source that yields `prefix` and then the rest of `inner`.
    ///
    /// - Parameters:
    ///   - prefix: The bytes already read from `inner`, in order.
    ///   - inner: The source they came from.
    public init(prefix: [UInt8], wrapping inner: any ByteSource) {
        self.prefix = prefix
        self.inner = inner
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(AnonLogError) -> Int {
        guard replayed < prefix.count else { return try inner.read(into: buffer) }
        // Return the prefix alone rather than also reading on: on a pipe that read could block.
        let count = min(buffer.count, prefix.count - replayed)
        prefix.withUnsafeBytes { bytes in
            buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[replayed..<replayed + count]))
        }
        replayed += count
        return count
    }
}
