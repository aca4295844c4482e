/// A fixed number of HyperLogLog sketches of one precision in one allocation, addressed by slot:
/// the per-row sketches of top tables (clients per path, per network, per bot).
final class SketchPool {
    let precision: Int
    let count: Int
    private let registerCount: Int
    private let storage: UnsafeMutablePointer<UInt8>
    /// The number of registers set in each slot, counted as they are set, so that serializing
    /// a sketch needs no scan to choose its form (raw memory: counting costs neither an
    /// exclusivity check nor a uniqueness check, as an array in a class would on every insert).
    private let occupied: UnsafeMutablePointer<Int32>

    init(count: Int, precision: Int) {
        self.precision = precision
        self.count = count
        registerCount = 1 << precision
        storage = .allocate(capacity: count * registerCount)
        storage.initialize(repeating: 0, count: count * registerCount)
        occupied = .allocate(capacity: count)
        occupied.initialize(repeating: 0, count: count)
    }

    deinit {
        storage.deallocate()
        occupied.deallocate()
    }

    /// Adds a hash to the sketch in `slot`.
    @inline(__always)
    func insert(_ hash: UInt64, into slot: Int) {
        if HyperLogLog.insert(hash: hash, into: storage + slot * registerCount, precision: precision) { occupied[slot] += 1 }
    }

    /// Empties the sketch in `slot`.
    func clear(_ slot: Int) {
        guard occupied[slot] > 0 else { return }
        (storage + slot * registerCount).update(repeating: 0, count: registerCount)
        occupied[slot] = 0
    }

    /// Empties every sketch.
    func clearAll() {
        for slot in 0..<count where occupied[slot] > 0 { clear(slot) }
    }

    /// The sketch in `slot` as stored bytes.
    func serialized(_ slot: Int) -> [UInt8] {
        HyperLogLog.serialize(registers: storage + slot * registerCount, precision: precision, occupied: Int(occupied[slot]))
    }

    /// Whether nothing was added to the sketch in `slot` since it was last emptied.
    func isEmpty(_ slot: Int) -> Bool { occupied[slot] == 0 }
}
