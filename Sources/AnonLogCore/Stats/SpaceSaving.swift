/// The Space-Saving summary (Metwally, Agrawal, El Abbadi, 2005): the heaviest keys of a stream
/// and their counts, in a fixed number of slots.
///
/// A key already held is counted exactly from the moment it entered. A new key takes the slot
/// of the smallest count, inherits that count as its possible overestimate (``error(at:)``),
/// and counts on. For a stream of `N` keys and `m` slots: every count is at least the true
/// one and at most the true one plus its error, every error is at most `N / m`, and every key
/// heavier than `N / m` is held. Slots are stable, so owners keep per-slot data (a path
/// template's text, a sketch of its clients) in arrays indexed by slot. Storage is raw memory
/// fixed at creation.
final class SpaceSaving {
    /// How many keys are held at most.
    let capacity: Int
    private let keys: UnsafeMutablePointer<UInt64>
    private let errors: UnsafeMutablePointer<Int64>
    /// The number of slots in use.
    private(set) var count = 0
    /// The number of keys added, repeats included.
    private(set) var total: Int64 = 0

    // The stream summary of the paper: every slot, used or not (count 0), in `order` sorted by
    // count, and one group per distinct count holding the range of `order` it occupies. A unit
    // increment moves a slot to the end of its group and over into the next group: O(1), where
    // a heap sifts through every slot tied at the minimum (all of them, when clients churn).
    /// Slots sorted by count, ascending.
    private let order: UnsafeMutablePointer<Int32>
    /// The position of each slot in `order`.
    private let positions: UnsafeMutablePointer<Int32>
    /// The group of each slot.
    private let groupOfSlot: UnsafeMutablePointer<Int32>
    /// Per group: its count and its first and last position in `order`.
    private let groupCounts: UnsafeMutablePointer<Int64>
    private let groupFirst: UnsafeMutablePointer<Int32>
    private let groupLast: UnsafeMutablePointer<Int32>
    /// Groups not in use, as a stack.
    private let freeGroups: UnsafeMutablePointer<Int32>
    private var freeGroupCount = 0
    /// Open addressing from key to slot + 1 (0 = empty), linear probing.
    private let index: UnsafeMutablePointer<Int32>
    private let indexMask: Int

    init(capacity: Int) {
        precondition(capacity > 0, "Space-Saving needs at least one slot")
        self.capacity = capacity
        keys = .allocate(capacity: capacity)
        keys.initialize(repeating: 0, count: capacity)
        errors = .allocate(capacity: capacity)
        errors.initialize(repeating: 0, count: capacity)
        order = .allocate(capacity: capacity)
        order.initialize(repeating: 0, count: capacity)
        positions = .allocate(capacity: capacity)
        positions.initialize(repeating: 0, count: capacity)
        groupOfSlot = .allocate(capacity: capacity)
        groupOfSlot.initialize(repeating: 0, count: capacity)
        // At most one group per slot, plus the one a slot moves into before its old one is freed.
        groupCounts = .allocate(capacity: capacity + 1)
        groupCounts.initialize(repeating: 0, count: capacity + 1)
        groupFirst = .allocate(capacity: capacity + 1)
        groupFirst.initialize(repeating: 0, count: capacity + 1)
        groupLast = .allocate(capacity: capacity + 1)
        groupLast.initialize(repeating: 0, count: capacity + 1)
        freeGroups = .allocate(capacity: capacity + 1)
        freeGroups.initialize(repeating: 0, count: capacity + 1)
        var size = 4
        while size < capacity * 2 { size <<= 1 }
        index = .allocate(capacity: size)
        index.initialize(repeating: 0, count: size)
        indexMask = size - 1
        resetOrder()
    }

    deinit {
        keys.deallocate()
        errors.deallocate()
        order.deallocate()
        positions.deallocate()
        groupOfSlot.deallocate()
        groupCounts.deallocate()
        groupFirst.deallocate()
        groupLast.deallocate()
        freeGroups.deallocate()
        index.deallocate()
    }

    /// The key in `slot`.
    func key(at slot: Int) -> UInt64 { keys[slot] }
    /// The count of `slot` (an overestimate by at most ``error(at:)``).
    func count(at slot: Int) -> Int64 { groupCounts[Int(groupOfSlot[slot])] }
    /// How much of the count of `slot` may belong to keys it replaced.
    func error(at slot: Int) -> Int64 { errors[slot] }

    /// Counts one occurrence of `key`.
    ///
    /// - Returns: The key's slot, and whether the slot was just given to it (the owner then
    ///   resets its per-slot data). Slots are given out as 0, 1, 2, … until all are in use.
    @inline(__always)
    func add(_ key: UInt64) -> (slot: Int, isNew: Bool) {
        total += 1
        var probe = Int(truncatingIfNeeded: key) & indexMask
        while true {
            let entry = Int(index[probe])
            if entry == 0 { break }
            if keys[entry - 1] == key {
                let slot = entry - 1
                increment(slot)
                return (slot, false)
            }
            probe = (probe + 1) & indexMask
        }
        // The last slot of the smallest count: an unused one (count 0) while there are any,
        // else one of the keys counted least, which the new key replaces.
        let slot = Int(order[Int(groupLast[Int(groupOfSlot[Int(order[0])])])])
        if count < capacity {
            count += 1
            index[probe] = Int32(slot + 1)
        } else {
            removeFromIndex(keys[slot])
            insertIntoIndex(key, slot: slot)
        }
        keys[slot] = key
        errors[slot] = count(at: slot)
        increment(slot)
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
        resetOrder()
    }

    // MARK: - Stream summary

    /// Every slot at count 0, in one group, ordered so that slot 0 is the group's last (the
    /// next one given out).
    private func resetOrder() {
        for slot in 0..<capacity {
            errors[slot] = 0
            order[capacity - 1 - slot] = Int32(slot)
            positions[slot] = Int32(capacity - 1 - slot)
            groupOfSlot[slot] = 0
        }
        groupCounts[0] = 0
        groupFirst[0] = 0
        groupLast[0] = Int32(capacity - 1)
        freeGroupCount = 0
        for group in stride(from: capacity, through: 1, by: -1) {
            freeGroups[freeGroupCount] = Int32(group)
            freeGroupCount += 1
        }
    }

    /// Adds 1 to the count of `slot`, keeping `order` sorted.
    @inline(__always)
    private func increment(_ slot: Int) {
        let group = Int(groupOfSlot[slot])
        let newCount = groupCounts[group] + 1
        // Move the slot to the end of its group.
        let last = Int(groupLast[group])
        let position = Int(positions[slot])
        if position != last {
            let other = order[last]
            order[position] = other
            positions[Int(other)] = Int32(position)
            order[last] = Int32(slot)
            positions[slot] = Int32(last)
        }
        let leavesGroupEmpty = groupFirst[group] == Int32(last)
        if !leavesGroupEmpty { groupLast[group] = Int32(last - 1) }
        // Join the next group if it holds the new count, else make one (reusing the old group
        // when the slot was its only member).
        if last + 1 < capacity {
            let next = Int(groupOfSlot[Int(order[last + 1])])
            if groupCounts[next] == newCount {
                groupFirst[next] = Int32(last)
                groupOfSlot[slot] = Int32(next)
                if leavesGroupEmpty {
                    freeGroups[freeGroupCount] = Int32(group)
                    freeGroupCount += 1
                }
                return
            }
        }
        if leavesGroupEmpty {
            groupCounts[group] = newCount
            return
        }
        freeGroupCount -= 1
        let made = Int(freeGroups[freeGroupCount])
        groupCounts[made] = newCount
        groupFirst[made] = Int32(last)
        groupLast[made] = Int32(last)
        groupOfSlot[slot] = Int32(made)
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
}
