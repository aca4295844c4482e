/// The Space-Saving summary (Metwally, Agrawal, El Abbadi, 2005): the heaviest keys of a stream
/// and their counts, in a fixed number of slots.
///
/// A key already held is counted exactly from the moment it entered. A new key takes the slot
/// of the smallest count, inherits that count as its possible overestimate (``error(at:)``),
/// and counts on. For a stream of `N` weights and `m` slots: every count is at least the true
/// one and at most the true one plus its error, every error is at most `N / m`, and every key
/// heavier than `N / m` is held. Slots are stable, so owners keep per-slot data (a path
/// template's text, a sketch of its clients) in arrays indexed by slot. Storage is raw memory
/// fixed at creation.
final class SpaceSaving {
    /// How many keys are held at most.
    let capacity: Int
    private let keys: UnsafeMutablePointer<UInt64>
    private let counts: UnsafeMutablePointer<Int64>
    private let errors: UnsafeMutablePointer<Int64>
    /// The number of slots in use.
    private(set) var count = 0
    /// The sum of all weights added.
    private(set) var total: Int64 = 0
    /// Slots ordered as a binary min-heap by count.
    private let heap: UnsafeMutablePointer<Int32>
    /// The heap position of each slot.
    private let positions: UnsafeMutablePointer<Int32>
    /// Open addressing from key to slot + 1 (0 = empty), linear probing.
    private let index: UnsafeMutablePointer<Int32>
    private let indexMask: Int

    init(capacity: Int) {
        precondition(capacity > 0, "Space-Saving needs at least one slot")
        self.capacity = capacity
        keys = .allocate(capacity: capacity)
        keys.initialize(repeating: 0, count: capacity)
        counts = .allocate(capacity: capacity)
        counts.initialize(repeating: 0, count: capacity)
        errors = .allocate(capacity: capacity)
        errors.initialize(repeating: 0, count: capacity)
        heap = .allocate(capacity: capacity)
        heap.initialize(repeating: 0, count: capacity)
        positions = .allocate(capacity: capacity)
        positions.initialize(repeating: 0, count: capacity)
        var size = 4
        while size < capacity * 2 { size <<= 1 }
        index = .allocate(capacity: size)
        index.initialize(repeating: 0, count: size)
        indexMask = size - 1
    }

    deinit {
        keys.deallocate()
        counts.deallocate()
        errors.deallocate()
        heap.deallocate()
        positions.deallocate()
        index.deallocate()
    }

    /// The key in `slot`.
    func key(at slot: Int) -> UInt64 { keys[slot] }
    /// The count of `slot` (an overestimate by at most ``error(at:)``).
    func count(at slot: Int) -> Int64 { counts[slot] }
    /// How much of the count of `slot` may belong to keys it replaced.
    func error(at slot: Int) -> Int64 { errors[slot] }

    /// Counts `weight` for `key`.
    ///
    /// - Returns: The key's slot, and whether the slot was just given to it (the owner then
    ///   resets its per-slot data).
    @inline(__always)
    func add(_ key: UInt64, weight: Int64 = 1) -> (slot: Int, isNew: Bool) {
        total += weight
        var probe = Int(truncatingIfNeeded: key) & indexMask
        while true {
            let entry = Int(index[probe])
            if entry == 0 { break }
            if keys[entry - 1] == key {
                let slot = entry - 1
                counts[slot] += weight
                siftDown(Int(positions[slot]))
                return (slot, false)
            }
            probe = (probe + 1) & indexMask
        }
        if count < capacity {
            let slot = count
            count += 1
            keys[slot] = key
            counts[slot] = weight
            errors[slot] = 0
            index[probe] = Int32(slot + 1)
            heap[slot] = Int32(slot)
            positions[slot] = Int32(slot)
            siftUp(slot)
            return (slot, true)
        }
        // Replace the smallest: the root of the heap.
        let slot = Int(heap[0])
        removeFromIndex(keys[slot])
        let inherited = counts[slot]
        keys[slot] = key
        errors[slot] = inherited
        counts[slot] = inherited + weight
        insertIntoIndex(key, slot: slot)
        siftDown(0)
        return (slot, true)
    }

    /// The slot of `key`, if it is held.
    func slot(of key: UInt64) -> Int? {
        var probe = Int(truncatingIfNeeded: key) & indexMask
        while true {
            let entry = Int(index[probe])
            if entry == 0 { return nil }
            if keys[entry - 1] == key { return entry - 1 }
            probe = (probe + 1) & indexMask
        }
    }

    /// Forgets every key, keeping the memory.
    func removeAll() {
        for slot in 0..<count { removeFromIndex(keys[slot]) }
        count = 0
        total = 0
    }

    // MARK: - Index

    private func insertIntoIndex(_ key: UInt64, slot: Int) {
        var probe = Int(truncatingIfNeeded: key) & indexMask
        while index[probe] != 0 { probe = (probe + 1) & indexMask }
        index[probe] = Int32(slot + 1)
    }

    /// Deletes with backward shifting, so linear probing needs no tombstones.
    private func removeFromIndex(_ key: UInt64) {
        var probe = Int(truncatingIfNeeded: key) & indexMask
        while keys[Int(index[probe]) - 1] != key { probe = (probe + 1) & indexMask }
        var hole = probe
        var next = (hole + 1) & indexMask
        while index[next] != 0 {
            let home = Int(truncatingIfNeeded: keys[Int(index[next]) - 1]) & indexMask
            // Move the entry back when the hole lies on its probe path (between home and here).
            if (next &- home) & indexMask >= (next &- hole) & indexMask {
                index[hole] = index[next]
                hole = next
            }
            next = (next + 1) & indexMask
        }
        index[hole] = 0
    }

    // MARK: - Heap

    private func siftUp(_ start: Int) {
        var position = start
        while position > 0 {
            let parent = (position - 1) / 2
            guard counts[Int(heap[position])] < counts[Int(heap[parent])] else { return }
            swapHeap(position, parent)
            position = parent
        }
    }

    private func siftDown(_ start: Int) {
        var position = start
        while true {
            let left = position * 2 + 1
            guard left < count else { return }
            var smallest = left
            let right = left + 1
            if right < count, counts[Int(heap[right])] < counts[Int(heap[left])] { smallest = right }
            guard counts[Int(heap[smallest])] < counts[Int(heap[position])] else { return }
            swapHeap(position, smallest)
            position = smallest
        }
    }

    @inline(__always)
    private func swapHeap(_ a: Int, _ b: Int) {
        let held = heap[a]
        heap[a] = heap[b]
        heap[b] = held
        positions[Int(heap[a])] = Int32(a)
        positions[Int(heap[b])] = Int32(b)
    }
}
