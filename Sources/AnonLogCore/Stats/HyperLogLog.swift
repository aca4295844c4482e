#if canImport(Glibc)
internal import Glibc
#elseif canImport(Musl)
internal import Musl
#elseif canImport(Darwin)
internal import Darwin
#endif

/// A HyperLogLog sketch: the number of distinct items of a stream, in fixed memory.
///
/// `2^precision` one-byte registers; the relative standard error is about `1.04 / √m`
/// (1.6 % at precision 12, 3.3 % at precision 10). Estimates use Ertl's improved estimator
/// ("New cardinality estimation algorithms for HyperLogLog sketches", 2017), which is
/// unbiased from an empty sketch to billions without the bias tables of HLL++. Sketches merge
/// by taking the maximum of each register, so minute sketches roll up to hours and days
/// without loss.
///
/// Sketches are as sensitive as the pseudonyms they were fed (Desfontaines et al., PETS 2019):
/// they are stored under the statistics' retention and never exported; only estimates are.
public struct HyperLogLog: Sendable, Equatable {
    /// The number of index bits: `2^precision` registers.
    public let precision: Int
    private(set) var registers: [UInt8]

    /// The precisions a sketch may have.
    public static let precisions = 4...16

    /// An empty sketch.
    ///
    /// - Parameter precision: Between 4 and 16.
    public init(precision: Int) {
        precondition(Self.precisions.contains(precision), "HyperLogLog precision must be 4...16")
        self.precision = precision
        self.registers = [UInt8](repeating: 0, count: 1 << precision)
    }

    /// Adds an item given by a uniformly distributed 64-bit hash.
    @inline(__always)
    public mutating func insert(hash: UInt64) {
        let precision = self.precision
        _ = registers.withUnsafeMutableBufferPointer { Self.insert(hash: hash, into: $0.baseAddress!, precision: precision) }
    }

    /// Takes the union with `other` (same precision).
    public mutating func merge(_ other: HyperLogLog) {
        precondition(other.precision == precision, "sketches of different precision do not merge")
        // Through the buffers, without a branch per register: the store merges every minute's
        // sketches into their hour's and day's, thousands of registers each.
        registers.withUnsafeMutableBufferPointer { target in
            other.registers.withUnsafeBufferPointer { source in
                for index in 0..<target.count { target[index] = max(target[index], source[index]) }
            }
        }
    }

    /// Whether nothing was inserted.
    public var isEmpty: Bool { !registers.contains { $0 != 0 } }

    /// The estimated number of distinct items.
    public var estimate: Double {
        registers.withUnsafeBufferPointer { Self.estimate(registers: $0.baseAddress!, precision: precision) }
    }

    /// The number of registers set: a guaranteed lower bound on the number of distinct items
    /// (each item sets at most one register), close to it while items are few next to
    /// `2^precision`. k-anonymity decides on this bound, so a row is never shown for fewer than k
    /// clients because an estimate rounded up.
    public var lowerBound: Int { registers.reduce(0) { $0 + ($1 != 0 ? 1 : 0) } }

    /// The relative standard error of this precision, `1.04 / √m`.
    public var standardError: Double { 1.04 / (Double(1 << precision)).squareRoot() }

    // MARK: - Register arrays

    /// Adds a hash to `2^precision` registers at `registers`.
    ///
    /// - Returns: Whether a register that was zero is set now (owners that count set registers
    ///   as they go need not scan for them, see ``serialize(registers:precision:occupied:)``).
    @inline(__always) @discardableResult
    static func insert(hash: UInt64, into registers: UnsafeMutablePointer<UInt8>, precision: Int) -> Bool {
        let index = Int(truncatingIfNeeded: hash >> UInt64(64 - precision))
        // The rank is the position of the first 1 bit after the index bits; a sentinel bit
        // caps it at 64 - precision + 1.
        let rest = (hash << UInt64(precision)) | (UInt64(1) << UInt64(precision - 1))
        let rank = UInt8(truncatingIfNeeded: rest.leadingZeroBitCount + 1)
        let held = registers[index]
        guard rank > held else { return false }
        registers[index] = rank
        return held == 0
    }

    /// Ertl's improved raw estimate over `2^precision` registers.
    static func estimate(registers: UnsafePointer<UInt8>, precision: Int) -> Double {
        let m = 1 << precision
        let q = 64 - precision
        var histogram = [Int](repeating: 0, count: q + 2)
        for index in 0..<m { histogram[min(Int(registers[index]), q + 1)] += 1 }
        let mDouble = Double(m)
        var z = mDouble * tau(1 - Double(histogram[q + 1]) / mDouble)
        var k = q
        while k >= 1 {
            z = 0.5 * (z + Double(histogram[k]))
            k -= 1
        }
        z += mDouble * sigma(Double(histogram[0]) / mDouble)
        guard z.isFinite, z > 0 else { return 0 }
        return (1 / (2 * log(2.0))) * mDouble * mDouble / z
    }

    private static func sigma(_ value: Double) -> Double {
        if value == 1 { return .infinity }
        var x = value
        var y = 1.0
        var z = x
        while true {
            x *= x
            let next = z + x * y
            y += y
            if next == z { return z }
            z = next
        }
    }

    private static func tau(_ value: Double) -> Double {
        if value == 0 || value == 1 { return 0 }
        var x = value
        var y = 1.0
        var z = 1 - x
        while true {
            x = x.squareRoot()
            let previous = z
            y *= 0.5
            z -= (1 - x) * (1 - x) * y
            if previous == z { return z / 3 }
        }
    }
}

// MARK: - Serialization

extension HyperLogLog {
    private static let denseTag: UInt8 = 1
    private static let sparseTag: UInt8 = 2

    /// The sketch as bytes for the stats store: sparse (index, rank) pairs while few registers
    /// are set, the dense registers otherwise.
    ///
    /// Layout: a tag byte (1 dense, 2 sparse), the precision, then either `2^precision`
    /// registers, or a little-endian UInt32 count followed by that many (UInt16 index, UInt8
    /// rank) triples in index order.
    public func serialized() -> [UInt8] {
        registers.withUnsafeBufferPointer { Self.serialize(registers: $0.baseAddress!, precision: precision) }
    }

    /// The stored bytes of `2^precision` registers at `registers`, of which `occupied` are set
    /// (counted here when not given).
    static func serialize(registers: UnsafePointer<UInt8>, precision: Int, occupied known: Int? = nil) -> [UInt8] {
        let m = 1 << precision
        let nonzero = known ?? occupied(registers: registers, count: m)
        if nonzero * 3 + 4 < m {
            return [UInt8](unsafeUninitializedCapacity: 6 + nonzero * 3) { buffer, initialized in
                buffer[0] = sparseTag
                buffer[1] = UInt8(precision)
                buffer[2] = UInt8(truncatingIfNeeded: nonzero)
                buffer[3] = UInt8(truncatingIfNeeded: nonzero >> 8)
                buffer[4] = UInt8(truncatingIfNeeded: nonzero >> 16)
                buffer[5] = UInt8(truncatingIfNeeded: nonzero >> 24)
                var written = 6
                let raw = UnsafeRawPointer(registers)
                // Eight registers at a time (m, a power of two from 16, has no remainder): a
                // word's nonzero bytes as one bit each, visited set bit by set bit (testing byte
                // by byte mispredicted a branch on most).
                for offset in stride(from: 0, to: m, by: 8) {
                    var nonzeroBytes = nonzeroByteBits(UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)))
                    while nonzeroBytes != 0 {
                        let index = offset + nonzeroBytes.trailingZeroBitCount >> 3
                        buffer[written] = UInt8(truncatingIfNeeded: index)
                        buffer[written + 1] = UInt8(truncatingIfNeeded: index >> 8)
                        buffer[written + 2] = registers[index]
                        written += 3
                        nonzeroBytes &= nonzeroBytes - 1
                    }
                }
                initialized = written
            }
        }
        return [UInt8](unsafeUninitializedCapacity: 2 + m) { buffer, initialized in
            buffer[0] = denseTag
            buffer[1] = UInt8(precision)
            (buffer.baseAddress! + 2).update(from: registers, count: m)
            initialized = 2 + m
        }
    }

    /// Bit `8 * i` set for each nonzero byte `i` of `word` (read little-endian: register `i` of eight),
    /// every other bit clear: each byte's bits folded into its lowest one.
    @inline(__always)
    static func nonzeroByteBits(_ word: UInt64) -> UInt64 {
        var folded = word | (word >> 4)
        folded |= folded >> 2
        folded |= folded >> 1
        return folded & 0x0101_0101_0101_0101
    }

    /// The number of nonzero registers, eight at a time (most are zero in small sketches).
    static func occupied(registers: UnsafePointer<UInt8>, count: Int) -> Int {
        var nonzero = 0
        let raw = UnsafeRawPointer(registers)
        var offset = 0
        while offset + 8 <= count {
            nonzero += nonzeroByteBits(UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))).nonzeroBitCount
            offset += 8
        }
        while offset < count {
            if registers[offset] != 0 { nonzero += 1 }
            offset += 1
        }
        return nonzero
    }

    /// Reads a sketch written by ``serialized()``.
    ///
    /// - Parameter bytes: The stored bytes.
    /// - Returns: `nil` when the bytes are not a sketch.
    public init?(serialized bytes: UnsafeRawBufferPointer) {
        guard bytes.count >= 2, Self.precisions.contains(Int(bytes[1])) else { return nil }
        let precision = Int(bytes[1])
        let m = 1 << precision
        self.init(precision: precision)
        switch bytes[0] {
        case Self.denseTag:
            guard bytes.count == 2 + m else { return nil }
            for index in 0..<m { registers[index] = bytes[2 + index] }
        case Self.sparseTag:
            guard bytes.count >= 6 else { return nil }
            let count = Int(bytes[2]) | Int(bytes[3]) << 8 | Int(bytes[4]) << 16 | Int(bytes[5]) << 24
            guard bytes.count == 6 + count * 3 else { return nil }
            for entry in 0..<count {
                let offset = 6 + entry * 3
                let index = Int(bytes[offset]) | Int(bytes[offset + 1]) << 8
                guard index < m else { return nil }
                registers[index] = max(registers[index], bytes[offset + 2])
            }
        default:
            return nil
        }
    }

    /// Reads a stored sketch from an array.
    public init?(serialized bytes: [UInt8]) {
        guard let sketch = bytes.withUnsafeBytes({ HyperLogLog(serialized: $0) }) else { return nil }
        self = sketch
    }
}
