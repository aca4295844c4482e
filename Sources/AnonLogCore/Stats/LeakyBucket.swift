/// The parameters of a CrowdSec-style leaky bucket.
///
/// A bucket holds events; one event leaks out every ``leakMilliseconds``. It overflows when it
/// holds more than ``capacity`` events: on a burst of `capacity + 1` events, or on a sustained
/// rate above one per leak interval. A capacity of 0 is a trigger: the first event overflows.
/// After an overflow the subject cannot fire again for ``blackholeMilliseconds``. With
/// ``distinct``, an event whose value is already in the bucket is not poured (so "many
/// different paths" counts paths, not requests).
public struct LeakyBucketRule: Sendable, Equatable {
    /// Overflow when the bucket holds more than this many events; 0 fires on the first event.
    public var capacity: Int
    /// One event leaks out per this many milliseconds.
    public var leakMilliseconds: Int64
    /// After an overflow, the same subject is silent for this long.
    public var blackholeMilliseconds: Int64
    /// Whether only events with a value not already in the bucket are poured.
    public var distinct: Bool

    public init(capacity: Int, leakMilliseconds: Int64, blackholeMilliseconds: Int64, distinct: Bool = false) {
        self.capacity = capacity
        self.leakMilliseconds = leakMilliseconds
        self.blackholeMilliseconds = blackholeMilliseconds
        self.distinct = distinct
    }
}

/// What an overflowing bucket held.
struct BucketOverflow {
    /// Events poured since the bucket was last empty, this one included.
    var events: Int
    /// Distinct values held (the events in the bucket when they must be distinct).
    var distinctValues: Int
    /// Up to five evidence keys (path templates), most recent last.
    var evidence: EvidenceKeys
    /// The time of the first event since the bucket was last empty.
    var firstTime: Int64
}

/// Up to five evidence keys, inline.
struct EvidenceKeys {
    static let capacity = 5
    var keys: (UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0)
    var count = 0

    subscript(index: Int) -> UInt64 {
        withUnsafeBytes(of: keys) { $0.load(fromByteOffset: index * 8, as: UInt64.self) }
    }

    /// Adds a key unless it is 0 or already held; beyond five, the oldest goes.
    @inline(__always)
    mutating func add(_ key: UInt64) {
        guard key != 0 else { return }
        for index in 0..<count where self[index] == key { return }
        withUnsafeMutableBytes(of: &keys) { bytes in
            if count == Self.capacity {
                for index in 0..<(Self.capacity - 1) {
                    bytes.storeBytes(of: bytes.load(fromByteOffset: (index + 1) * 8, as: UInt64.self), toByteOffset: index * 8, as: UInt64.self)
                }
                bytes.storeBytes(of: key, toByteOffset: (Self.capacity - 1) * 8, as: UInt64.self)
            } else {
                bytes.storeBytes(of: key, toByteOffset: count * 8, as: UInt64.self)
                count += 1
            }
        }
    }
}

/// Leaky buckets of one rule, one per subject, in fixed memory.
///
/// The events in a bucket are kept as a queue of 32-bit value hashes when the rule counts
/// distinct values, so that the values that leak out are the oldest ones, as in CrowdSec.
final class LeakyBucketTable {
    /// The state of one subject's bucket, together in memory: a pour touches one or two cache
    /// lines instead of one per field.
    private struct Bucket {
        /// The subject the state belongs to (a slot shared with other tables may have been given
        /// to another subject since this table last saw it).
        var subject: UInt64 = 0
        var level: Int32 = 0
        var poured: Int32 = 0
        /// Where the queue of values starts (rules that count distinct values).
        var ringHead: Int32 = 0
        var lastLeak: Int64 = 0
        var blackhole: Int64 = .min
        var firstTime: Int64 = 0
        var evidence = EvidenceKeys()
    }

    let rule: LeakyBucketRule
    private let slots: BoundedSlots
    private let buckets: UnsafeMutablePointer<Bucket>
    /// The queue of values per slot: `ringSize` entries from the bucket's `ringHead`.
    private let values: UnsafeMutablePointer<UInt32>
    private let ringSize: Int
    private let count: Int

    /// - Parameters:
    ///   - rule: The bucket's parameters.
    ///   - capacity: Subjects held at once (least recently active ones are forgotten).
    ///   - sharedSlots: Slots shared with other tables of the same subjects, so that one
    ///     lookup per event serves them all (see ``pour(slot:subject:value:time:evidence:)``);
    ///     `capacity` is then theirs.
    init(rule: LeakyBucketRule, capacity: Int, sharedSlots: BoundedSlots? = nil) {
        self.rule = rule
        slots = sharedSlots ?? BoundedSlots(capacity: capacity)
        sharesSlots = sharedSlots != nil
        count = slots.capacity
        buckets = .allocate(capacity: count)
        buckets.initialize(repeating: Bucket(), count: count)
        ringSize = rule.distinct ? rule.capacity + 1 : 0
        values = .allocate(capacity: max(1, count * ringSize))
        values.initialize(repeating: 0, count: max(1, count * ringSize))
    }

    deinit {
        buckets.deallocate()
        values.deallocate()
    }

    /// Subjects whose state was forgotten to make room.
    var evictions: Int { slots.evictions }
    /// Whether the slots are shared with other tables (their owner counts their evictions).
    let sharesSlots: Bool

    /// Pours one event of `subject` at `time`.
    ///
    /// - Parameters:
    ///   - subject: The key the bucket is grouped by (a client or network hash).
    ///   - value: The value hash that must be distinct (ignored unless the rule is distinct).
    ///   - time: Record time in milliseconds; events should come in time order.
    ///   - evidence: A path template key to keep as evidence, or 0.
    /// - Returns: The overflow, when this event made the bucket overflow.
    @inline(__always)
    func pour(subject: UInt64, value: UInt32 = 0, time: Int64, evidence evidenceKey: UInt64 = 0) -> BucketOverflow? {
        pour(slot: slots.slot(for: subject, time: time).slot, subject: subject, value: value, time: time, evidence: evidenceKey)
    }

    /// Pours one event of `subject` into `slot`, which the caller looked up in the slots this
    /// table shares with others.
    @inline(__always)
    func pour(slot: Int, subject: UInt64, value: UInt32 = 0, time: Int64, evidence evidenceKey: UInt64 = 0) -> BucketOverflow? {
        let bucket = buckets + slot
        if bucket.pointee.subject != subject { bucket.pointee = Bucket(subject: subject) }
        if time < bucket.pointee.blackhole { return nil }
        leak(bucket, to: time)
        let level = Int(bucket.pointee.level)
        if ringSize > 0 {
            let base = values + slot * ringSize
            let head = Int(bucket.pointee.ringHead)
            var offset = 0
            var position = head
            while offset < level {
                if base[position] == value { return nil }
                offset += 1
                position += 1
                if position == ringSize { position = 0 }
            }
            base[position] = value
        }
        if level == 0 {
            bucket.pointee.lastLeak = time
            bucket.pointee.firstTime = time
            bucket.pointee.poured = 0
            bucket.pointee.evidence = EvidenceKeys()
        }
        bucket.pointee.level = Int32(level + 1)
        bucket.pointee.poured &+= 1
        bucket.pointee.evidence.add(evidenceKey)
        guard level + 1 > rule.capacity else { return nil }
        let overflow = BucketOverflow(
            events: Int(bucket.pointee.poured), distinctValues: level + 1, evidence: bucket.pointee.evidence,
            firstTime: bucket.pointee.firstTime)
        bucket.pointee.level = 0
        bucket.pointee.ringHead = 0
        bucket.pointee.blackhole = time &+ rule.blackholeMilliseconds
        return overflow
    }

    /// Lets the events that leaked out by `time` go, oldest first.
    @inline(__always)
    private func leak(_ bucket: UnsafeMutablePointer<Bucket>, to time: Int64) {
        let level = Int64(bucket.pointee.level)
        guard level > 0, rule.leakMilliseconds > 0 else { return }
        let elapsed = time - bucket.pointee.lastLeak
        guard elapsed >= rule.leakMilliseconds else { return }
        let leaked = elapsed / rule.leakMilliseconds
        if leaked >= level {
            bucket.pointee.level = 0
            bucket.pointee.ringHead = 0
            return
        }
        bucket.pointee.level = Int32(level - leaked)
        bucket.pointee.lastLeak += leaked * rule.leakMilliseconds
        if ringSize > 0 { bucket.pointee.ringHead = Int32((Int(bucket.pointee.ringHead) + Int(leaked)) % ringSize) }
    }
}
