#if canImport(Glibc)
internal import Glibc
#elseif canImport(Musl)
internal import Musl
#elseif canImport(Darwin)
internal import Darwin
#endif
internal import CAnonLogZlib

/// The line count, size and CRC-32 of a stream of bytes, to check that what was read back is
/// what was written.
public struct ContentTally: Sendable, Equatable, CustomStringConvertible {
    /// Lines: line feeds, plus one for a last line without one.
    public var lines: Int { lineFeeds + (endsInLineFeed || bytes == 0 ? 0 : 1) }
    /// Bytes counted.
    public private(set) var bytes = 0
    /// The CRC-32 (as gzip computes it) of the bytes.
    public private(set) var crc32: UInt32 = 0
    private var lineFeeds = 0
    private var endsInLineFeed = false

    public init() {}

    /// Counts `buffer` after the bytes counted so far.
    public mutating func add(_ buffer: UnsafeRawBufferPointer) {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return }
        bytes += buffer.count
        var remaining = buffer.count
        var start = base
        while remaining > 0 {
            // zlib takes 32-bit lengths.
            let piece = min(remaining, 1 << 30)
            crc32 = UInt32(CAnonLogZlib.crc32(UInt(crc32), start.assumingMemoryBound(to: Bytef.self), UInt32(piece)))
            start += piece
            remaining -= piece
        }
        var position = base
        let end = base + buffer.count
        while position < end, let found = memchr(position, 0x0A, end - position) {
            lineFeeds += 1
            position = UnsafeRawPointer(found) + 1
        }
        endsInLineFeed = buffer[buffer.count - 1] == 0x0A
    }

    public var description: String { summary.description }

    /// What a tally found, as stored.
    public struct Summary: Sendable, Equatable, CustomStringConvertible {
        public var lines: Int
        public var bytes: Int
        public var crc32: UInt32

        public init(lines: Int, bytes: Int, crc32: UInt32) {
            self.lines = lines
            self.bytes = bytes
            self.crc32 = crc32
        }

        public var description: String { "\(lines) lines, \(bytes) bytes, crc32 \(String(crc32, radix: 16))" }
    }

    /// The line count, size and checksum.
    public var summary: Summary { Summary(lines: lines, bytes: bytes, crc32: crc32) }
}
