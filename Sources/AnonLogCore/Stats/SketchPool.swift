/// A fixed number of HyperLogLog sketches of one precision in one allocation, addressed by slot:
/// the per-row sketches of top tables (clients per path, per network, per bot).
final class SketchPool {
    let precision: Int
    let count: Int
    private let registerCount: Int
    private let storage: UnsafeMutablePointer<UInt8>
    /// Whether each slot holds anything (raw memory: marking one costs neither an exclusivity
    /// check nor a uniqueness check, as an array in a class would on every insert).
    private let used: UnsafeMutablePointer<Bool>

    init(count: Int, precision: Int) {
        self.precision = precision
        self.count = count
        registerCount = 1 << precision
        storage = .allocate(capacity: count * registerCount)
        storage.initialize(repeating: 0, count: count * registerCount)
        used = .allocate(capacity: count)
        used.initialize(repeating: false, count: count)
    }

    deinit {
        storage.deallocate()
        used.deallocate()
    }

    /// Adds a hash to the sketch in `slot`.
    @inline(__always)
    func insert(_ hash: UInt64, into slot: Int) {
        used[slot] = true
        HyperLogLog.insert(hash: hash, into: storage + slot * registerCount, precision: precision)
    }

    /// Empties the sketch in `slot`.
    func clear(_ slot: Int) {
        guard used[slot] else { return }
        (storage + slot * registerCount).update(repeating: 0, count: registerCount)
        used[slot] = false
    }

    /// Empties every sketch.
    func clearAll() {
        for slot in 0..<count where used[slot] { clear(slot) }
    }

    /// The sketch in `slot` as stored bytes.
    func serialized(_ slot: Int) -> [UInt8] {
        HyperLogLog.serialize(registers: storage + slot * registerCount, precision: precision)
    }

    /// Whether nothing was added to the sketch in `slot` since it was last emptied.
    func isEmpty(_ slot: Int) -> Bool { !used[slot] }
}
