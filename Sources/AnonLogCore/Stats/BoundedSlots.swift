/// Where per-subject state lives: a fixed number of slots found by a 64-bit key.
///
/// The memory of every detector table is fixed when it is made, never by the number of clients
/// (invariant 5). A key is looked for in a window of eight slots from its home; a new key takes
/// an empty slot of the window or, when there is none, the slot touched longest ago (by record
/// time), whose state is then forgotten. Eviction depends only on the input, so a replay of the
/// same lines evicts the same slots and fires the same alerts. Storage is raw memory: the
/// per-line path has no reference counting and no exclusivity checks.
final class BoundedSlots {
    /// Slots probed per key.
    static let window = 8
    private let keys: UnsafeMutablePointer<UInt64>
    private let touched: UnsafeMutablePointer<Int64>
    private let mask: Int
    /// The number of slots.
    let capacity: Int
    /// Keys that pushed out another key's state.
    private(set) var evictions = 0

    /// - Parameter capacity: At least this many slots (rounded up to a power of two, at least 8).
    init(capacity: Int) {
        var size = Self.window
        while size < capacity { size <<= 1 }
        self.capacity = size
        keys = .allocate(capacity: size)
        keys.initialize(repeating: 0, count: size)
        touched = .allocate(capacity: size)
        touched.initialize(repeating: .min, count: size)
        mask = size - 1
    }

    deinit {
        keys.deallocate()
        touched.deallocate()
    }

    /// Key 0 marks an empty slot, so no key is ever 0.
    @inline(__always)
    static func storedKey(_ key: UInt64) -> UInt64 { key == 0 ? 1 : key }

    /// The slot of `key`, claimed if it has none; `isNew` tells the owner to reset the slot.
    @inline(__always)
    func slot(for rawKey: UInt64, time: Int64) -> (slot: Int, isNew: Bool) {
        let key = Self.storedKey(rawKey)
        let home = Int(truncatingIfNeeded: key >> 20) & mask
        var empty = -1
        var oldest = -1
        for step in 0..<Self.window {
            let slot = (home + step) & mask
            let held = keys[slot]
            if held == key {
                if time > touched[slot] { touched[slot] = time }
                return (slot, false)
            }
            if held == 0 {
                if empty < 0 { empty = slot }
            } else if oldest < 0 || touched[slot] < touched[oldest] {
                oldest = slot
            }
        }
        let slot = empty >= 0 ? empty : oldest
        if empty < 0 { evictions += 1 }
        keys[slot] = key
        touched[slot] = time
        return (slot, true)
    }

    /// The slot of `key` if it has one.
    @inline(__always)
    func existingSlot(for rawKey: UInt64) -> Int? {
        let key = Self.storedKey(rawKey)
        let home = Int(truncatingIfNeeded: key >> 20) & mask
        for step in 0..<Self.window {
            let slot = (home + step) & mask
            if keys[slot] == key { return slot }
        }
        return nil
    }
}
