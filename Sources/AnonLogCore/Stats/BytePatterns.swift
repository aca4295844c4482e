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
/// Searches go through two small indexes made with the list, so that a text is read once
/// whatever the number of patterns: the patterns by their first two bytes (a bit per byte pair
/// says whether any pattern starts with it) for ``firstContained(in:count:)``, and by their last
/// two bytes for ``firstSuffix(of:count:)``. Both answer exactly what trying the patterns one by
/// one, in order, would.
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

        fileprivate func allocate<Element>(_ count: Int, of type: Element.Type) -> UnsafeMutablePointer<Element> {
            let pointer = UnsafeMutablePointer<Element>.allocate(capacity: max(count, 1))
            blocks.append(UnsafeMutableRawPointer(pointer))
            return pointer
        }

        /// Lays out `entries` in one block, with their indexes.
        func patterns(_ entries: [[UInt8]]) -> BytePatterns {
            let total = entries.reduce(0) { $0 + $1.count }
            let bytes = allocate(total, of: UInt8.self)
            let starts = allocate(entries.count + 1, of: Int32.self)
            var offset = 0
            for (index, entry) in entries.enumerated() {
                starts[index] = Int32(offset)
                for byte in entry {
                    bytes[offset] = byte
                    offset += 1
                }
            }
            starts[entries.count] = Int32(offset)
            // Patterns shorter than two bytes are tried one by one; the others by byte pair.
            let short = entries.indices.filter { entries[$0].count < 2 }
            let shortIndexes = allocate(short.count, of: Int32.self)
            for (position, index) in short.enumerated() { shortIndexes[position] = Int32(index) }
            func index(_ pair: ([UInt8]) -> UInt16) -> PairIndex {
                let sorted = entries.indices.filter { entries[$0].count >= 2 }.map { (pair(entries[$0]), $0) }.sorted { $0 < $1 }
                let keys = allocate(sorted.count, of: UInt16.self)
                let patterns = allocate(sorted.count, of: Int32.self)
                let bits = allocate(1024, of: UInt64.self)
                bits.initialize(repeating: 0, count: 1024)
                for (position, (key, index)) in sorted.enumerated() {
                    keys[position] = key
                    patterns[position] = Int32(index)
                    bits[Int(key) >> 6] |= 1 << UInt64(key & 63)
                }
                return PairIndex(bits: bits, keys: keys, patterns: patterns, count: sorted.count)
            }
            return BytePatterns(
                bytes: bytes, starts: starts, count: entries.count, shortIndexes: shortIndexes, shortCount: short.count,
                byFirstPair: index { UInt16($0[0]) | UInt16($0[1]) << 8 },
                byLastPair: index { UInt16($0[$0.count - 2]) | UInt16($0[$0.count - 1]) << 8 })
        }
    }

    /// Patterns of two bytes or more by a pair of their bytes (first two, or last two).
    fileprivate struct PairIndex {
        /// One bit per pair: whether any pattern has it.
        let bits: UnsafeMutablePointer<UInt64>
        /// The pairs in ascending order, and the pattern of each (ascending for one pair).
        let keys: UnsafeMutablePointer<UInt16>
        let patterns: UnsafeMutablePointer<Int32>
        let count: Int

        @inline(__always)
        func has(_ pair: UInt16) -> Bool { bits[Int(pair) >> 6] & (1 << UInt64(pair & 63)) != 0 }

        /// The first position of `pair` in ``keys``.
        @inline(__always)
        func first(_ pair: UInt16) -> Int {
            var low = 0
            var high = count
            while low < high {
                let middle = (low + high) >> 1
                if keys[middle] < pair { low = middle + 1 } else { high = middle }
            }
            return low
        }
    }

    private let bytes: UnsafeMutablePointer<UInt8>
    private let starts: UnsafeMutablePointer<Int32>
    /// The number of patterns.
    let count: Int
    private let shortIndexes: UnsafeMutablePointer<Int32>
    private let shortCount: Int
    private let byFirstPair: PairIndex
    private let byLastPair: PairIndex

    /// Pattern `index` as a pointer and a length.
    @inline(__always)
    func pattern(_ index: Int) -> (pointer: UnsafePointer<UInt8>, count: Int) {
        let start = Int(starts[index])
        return (UnsafePointer(bytes + start), Int(starts[index + 1]) - start)
    }

    /// The index of the first pattern that occurs anywhere in `text`, or -1.
    @inline(__always)
    func firstContained(in text: UnsafePointer<UInt8>, count textCount: Int) -> Int {
        var best = Int.max
        for position in 0..<shortCount {
            let index = Int(shortIndexes[position])
            let (pointer, length) = pattern(index)
            if length == 0 || (textCount > 0 && memchr(text, Int32(pointer[0]), textCount) != nil) {
                best = index
                break
            }
        }
        guard textCount >= 2, byFirstPair.count > 0 else { return best == .max ? -1 : best }
        var position = 0
        while position < textCount - 1, best > 0 {
            let pair = UInt16(text[position]) | UInt16(text[position + 1]) << 8
            if byFirstPair.has(pair) {
                var entry = byFirstPair.first(pair)
                while entry < byFirstPair.count, byFirstPair.keys[entry] == pair {
                    let index = Int(byFirstPair.patterns[entry])
                    if index >= best { break }
                    let (pointer, length) = pattern(index)
                    if length <= textCount - position, Self.equal(text + position, pointer, length) {
                        best = index
                        break
                    }
                    entry += 1
                }
            }
            position += 1
        }
        return best == .max ? -1 : best
    }

    /// The index of the first pattern `text` ends with, or -1.
    @inline(__always)
    func firstSuffix(of text: UnsafePointer<UInt8>, count textCount: Int) -> Int {
        var best = Int.max
        for position in 0..<shortCount {
            let index = Int(shortIndexes[position])
            let (pointer, length) = pattern(index)
            if length == 0 || (textCount > 0 && text[textCount - 1] == pointer[0]) {
                best = index
                break
            }
        }
        guard textCount >= 2, byLastPair.count > 0 else { return best == .max ? -1 : best }
        let pair = UInt16(text[textCount - 2]) | UInt16(text[textCount - 1]) << 8
        guard byLastPair.has(pair) else { return best == .max ? -1 : best }
        var entry = byLastPair.first(pair)
        while entry < byLastPair.count, byLastPair.keys[entry] == pair {
            let index = Int(byLastPair.patterns[entry])
            if index >= best { break }
            let (pointer, length) = pattern(index)
            if length <= textCount, Self.equal(text + textCount - length, pointer, length) {
                best = index
                break
            }
            entry += 1
        }
        return best == .max ? -1 : best
    }

    /// Whether `count` bytes at `a` and `b` are equal (patterns are short: no call).
    @inline(__always)
    private static func equal(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ count: Int) -> Bool {
        var index = 0
        while index < count {
            if a[index] != b[index] { return false }
            index += 1
        }
        return true
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
