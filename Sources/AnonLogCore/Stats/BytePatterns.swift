#if canImport(Glibc)
internal import Glibc
#elseif canImport(Musl)
internal import Musl
#elseif canImport(Darwin)
internal import Darwin
#endif

/// A list of byte strings in one block of memory, searched without reference counting: the
/// shipped probe lists on the per-line path.
///
/// A value of this type is a view (plain pointers); the ``Storage`` that made it owns the memory
/// and must outlive it.
struct BytePatterns {
    /// Owns the memory of the patterns made from it.
    final class Storage {
        fileprivate var blocks: [UnsafeMutableRawPointer] = []

        deinit {
            for block in blocks { block.deallocate() }
        }

        /// Lays out `entries` in one block.
        func patterns(_ entries: [[UInt8]]) -> BytePatterns {
            let total = entries.reduce(0) { $0 + $1.count }
            let bytes = UnsafeMutablePointer<UInt8>.allocate(capacity: max(total, 1))
            let starts = UnsafeMutablePointer<Int32>.allocate(capacity: entries.count + 1)
            blocks.append(UnsafeMutableRawPointer(bytes))
            blocks.append(UnsafeMutableRawPointer(starts))
            var offset = 0
            for (index, entry) in entries.enumerated() {
                starts[index] = Int32(offset)
                for byte in entry {
                    bytes[offset] = byte
                    offset += 1
                }
            }
            starts[entries.count] = Int32(offset)
            return BytePatterns(bytes: bytes, starts: starts, count: entries.count)
        }
    }

    private let bytes: UnsafeMutablePointer<UInt8>
    private let starts: UnsafeMutablePointer<Int32>
    /// The number of patterns.
    let count: Int

    /// Pattern `index` as a pointer and a length.
    @inline(__always)
    func pattern(_ index: Int) -> (pointer: UnsafePointer<UInt8>, count: Int) {
        let start = Int(starts[index])
        return (UnsafePointer(bytes + start), Int(starts[index + 1]) - start)
    }

    /// The index of the first pattern that occurs anywhere in `text`, or -1.
    @inline(__always)
    func firstContained(in text: UnsafePointer<UInt8>, count textCount: Int) -> Int {
        for index in 0..<count {
            let (pointer, length) = pattern(index)
            if Self.find(pointer, length, in: text, textCount) >= 0 { return index }
        }
        return -1
    }

    /// The index of the first pattern `text` ends with, or -1.
    @inline(__always)
    func firstSuffix(of text: UnsafePointer<UInt8>, count textCount: Int) -> Int {
        for index in 0..<count {
            let (pointer, length) = pattern(index)
            if length <= textCount, memcmp(text + textCount - length, pointer, length) == 0 { return index }
        }
        return -1
    }

    /// The offset of `needle` in `haystack`, or -1 (memchr for the first byte, memcmp for the rest).
    @inline(__always)
    static func find(_ needle: UnsafePointer<UInt8>, _ needleCount: Int, in haystack: UnsafePointer<UInt8>, _ haystackCount: Int) -> Int {
        guard needleCount > 0 else { return 0 }
        guard needleCount <= haystackCount else { return -1 }
        let first = Int32(needle[0])
        let last = haystackCount - needleCount
        var position = 0
        while position <= last {
            guard let hit = memchr(haystack + position, first, last - position + 1) else { return -1 }
            let offset = UnsafeRawPointer(haystack).distance(to: UnsafeRawPointer(hit))
            if memcmp(haystack + offset, needle, needleCount) == 0 { return offset }
            position = offset + 1
        }
        return -1
    }
}

/// A growable byte scratch buffer in raw memory, for lower- and upper-cased copies.
final class ByteScratch {
    private(set) var pointer: UnsafeMutablePointer<UInt8>
    private(set) var capacity: Int
    /// Bytes held.
    private(set) var count = 0

    init(capacity: Int = 512) {
        self.capacity = capacity
        pointer = .allocate(capacity: capacity)
    }

    deinit { pointer.deallocate() }

    /// Replaces the contents with `bytes[range]`, each byte mapped by `transform`.
    @inline(__always)
    func set(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>, _ transform: (UInt8) -> UInt8) {
        if range.count > capacity {
            pointer.deallocate()
            capacity = range.count * 2
            pointer = .allocate(capacity: capacity)
        }
        var offset = 0
        for index in range {
            pointer[offset] = transform(bytes[index])
            offset += 1
        }
        count = offset
    }
}
