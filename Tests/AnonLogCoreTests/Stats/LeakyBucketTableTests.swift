import Testing

@testable import AnonLogCore

/// Leaky bucket tables, alone and sharing their subjects' slots.
struct LeakyBucketTableTests {
    /// Overflows on the third event within an hour.
    static let rule = LeakyBucketRule(capacity: 2, leakMilliseconds: 3_600_000, blackholeMilliseconds: 0)

    @Test func aBucketOverflowsWhenItHoldsMoreThanItsCapacity() {
        let table = LeakyBucketTable(rule: Self.rule, capacity: 8)
        #expect(table.pour(subject: 7, time: 0) == nil)
        #expect(table.pour(subject: 7, time: 1) == nil)
        #expect(table.pour(subject: 9, time: 2) == nil)
        let overflow = table.pour(subject: 7, time: 3)
        #expect(overflow?.events == 3)
    }

    /// A slot shared by two tables can pass to another subject through the other table; the
    /// state left in this table belongs to the subject that had the slot before and must not
    /// count for the new one.
    @Test func aSharedSlotGivenToAnotherSubjectStartsAnEmptyBucket() throws {
        let slots = BoundedSlots(capacity: 8)
        let first = LeakyBucketTable(rule: Self.rule, capacity: 8, sharedSlots: slots)
        let second = LeakyBucketTable(rule: Self.rule, capacity: 8, sharedSlots: slots)
        func pour(_ table: LeakyBucketTable, _ subject: UInt64, at time: Int64) -> BucketOverflow? {
            table.pour(slot: slots.slot(for: subject, time: time).slot, subject: subject, time: time)
        }
        #expect(pour(first, 100, at: 0) == nil)
        #expect(pour(first, 100, at: 1) == nil)
        // Eight newer subjects through the second table: the last one takes subject 100's slot.
        for subject: UInt64 in 200..<208 { #expect(pour(second, subject, at: Int64(subject)) == nil) }
        let taken = slots.slot(for: 207, time: 300).slot
        #expect(slots.existingSlot(for: 100) == nil && taken == slots.existingSlot(for: 207))
        #expect(pour(first, 207, at: 301) == nil, "inherited subject 100's two events")
        #expect(pour(first, 207, at: 302) == nil)
        #expect(pour(first, 207, at: 303)?.events == 3)
        #expect(slots.evictions == 1)
    }
}
