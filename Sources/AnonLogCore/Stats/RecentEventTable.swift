/// The last few events of each subject, in fixed memory: for rules that count within a window
/// (recidive, sessions per client, sessions per message fingerprint).
final class RecentEventTable {
    /// One remembered event: its time and two values the rule needs (a session, a client).
    struct Entry {
        var time: Int64
        var first: UInt64
        var second: UInt64
    }

    let depth: Int
    private let slots: BoundedSlots
    private var entries: [Entry]
    private var counts: [Int32]
    private var heads: [Int32]
    private var silencedUntil: [Int64]
    private var texts: [ShortText]

    /// - Parameters:
    ///   - depth: Events remembered per subject (the newest ones).
    ///   - capacity: Subjects held.
    init(depth: Int, capacity: Int) {
        self.depth = depth
        slots = BoundedSlots(capacity: capacity)
        let count = slots.capacity
        entries = [Entry](repeating: Entry(time: 0, first: 0, second: 0), count: count * depth)
        counts = [Int32](repeating: 0, count: count)
        heads = [Int32](repeating: 0, count: count)
        silencedUntil = [Int64](repeating: .min, count: count)
        texts = [ShortText](repeating: ShortText(), count: count)
    }

    /// The slot of `subject`, emptied when it is new.
    @inline(__always)
    func slot(for subject: UInt64, time: Int64) -> Int {
        let (slot, isNew) = slots.slot(for: subject, time: time)
        if isNew {
            counts[slot] = 0
            heads[slot] = 0
            silencedUntil[slot] = .min
            texts[slot].clear()
        }
        return slot
    }

    /// Remembers an event, forgetting the oldest when the slot is full.
    @inline(__always)
    func append(_ entry: Entry, to slot: Int) {
        let count = Int(counts[slot])
        if count < depth {
            entries[slot * depth + (Int(heads[slot]) + count) % depth] = entry
            counts[slot] = Int32(count + 1)
        } else {
            entries[slot * depth + Int(heads[slot])] = entry
            heads[slot] = Int32((Int(heads[slot]) + 1) % depth)
        }
    }

    /// The remembered events of a slot, oldest first.
    func entries(of slot: Int) -> [Entry] {
        (0..<Int(counts[slot])).map { entries[slot * depth + (Int(heads[slot]) + $0) % depth] }
    }

    /// Calls `body` with each remembered event of a slot, oldest first.
    @inline(__always)
    func forEach(in slot: Int, _ body: (Entry) -> Void) {
        let head = Int(heads[slot])
        for offset in 0..<Int(counts[slot]) { body(entries[slot * depth + (head + offset) % depth]) }
    }

    /// Whether a value is among the slot's events (as `first`).
    func contains(_ value: UInt64, in slot: Int) -> Bool {
        var found = false
        forEach(in: slot) { if $0.first == value { found = true } }
        return found
    }

    /// Forgets the slot's events (after an alert).
    func clear(_ slot: Int) {
        counts[slot] = 0
        heads[slot] = 0
    }

    func isSilenced(_ slot: Int, at time: Int64) -> Bool { time < silencedUntil[slot] }
    func silence(_ slot: Int, until time: Int64) { silencedUntil[slot] = time }

    /// A text kept with the subject (a link host, a site id).
    func text(of slot: Int) -> ShortText { texts[slot] }
    func setText(_ text: ShortText, of slot: Int) { texts[slot] = text }
}
