/// The ordered stage that holds back the events of chat sessions without a message.
///
/// It runs where lines are in input order (the pipeline's writer), over the output the workers
/// made and the ``SessionLineMark``s they left for the chat lines in it; other lines pass
/// straight through. See ``StreamWindows`` for the rules. Time is the records' own: a session
/// is idle for the window when a later record is more than the window past the session's last
/// event, so an archive processed a day late behaves as the live stream would have.
///
/// Memory is bounded: sessions are tracked in order of their last activity, and at the caps
/// the least recently active one is evicted.
final class ChatSessionWindow {
    private let idleSeconds: Int64
    private let maximumSessions: Int
    private let maximumHeldBytes: Int

    private struct Slot {
        var session: Int
        var lastSeen: Int64
        var hasMessage: Bool
        var held: [UInt8]
        var heldLines: Int
        /// Neighbours in activity order (indexes into `slots`, -1 for none).
        var older: Int
        var newer: Int
    }

    private var index: [Int: Int] = [:]
    private var slots: [Slot] = []
    private var freeSlots: [Int] = []
    private var oldest = -1
    private var newest = -1
    private var heldBytes = 0
    /// The latest record time seen.
    private var clock = Int64.min
    /// What was dropped, evicted, and the bytes taken back out of the output count.
    private(set) var counts = AnonymizationCounts()

    init(idleSeconds: Int64, maximumSessions: Int, maximumHeldBytes: Int) {
        precondition(idleSeconds > 0 && maximumSessions > 0, "a session window needs a length and a cap")
        self.idleSeconds = idleSeconds
        self.maximumSessions = maximumSessions
        self.maximumHeldBytes = maximumHeldBytes
    }

    /// Sessions tracked now (for tests).
    var openSessions: Int { index.count }

    /// Copies `output` into `result`, holding, releasing or dropping the marked chat lines.
    ///
    /// - Parameters:
    ///   - output: A chunk's rewritten lines.
    ///   - marks: Its chat lines with a session id, in order.
    ///   - latestTime: The latest record time in the chunk, if any: it advances the clock after
    ///     the chunk, so idle sessions expire even while only other lines arrive.
    ///   - result: Receives the bytes to write.
    func filter(_ output: UnsafeRawBufferPointer, marks: [SessionLineMark], latestTime: Int64?, into result: OutputBuffer) {
        var position = 0
        for mark in marks {
            result.append(UnsafeRawBufferPointer(rebasing: output[position..<mark.start]))
            position = mark.end
            let line = UnsafeRawBufferPointer(rebasing: output[mark.start..<mark.end])
            if let time = mark.time { advance(to: time) }
            let time = mark.time ?? clock
            if let slot = index[mark.session] {
                touch(slot, at: time)
                if slots[slot].hasMessage {
                    result.append(line)
                } else if mark.isMessage {
                    slots[slot].held.withUnsafeBytes { result.append($0) }
                    heldBytes -= slots[slot].held.count
                    slots[slot].held = []
                    slots[slot].heldLines = 0
                    slots[slot].hasMessage = true
                    result.append(line)
                } else {
                    hold(line, in: slot)
                }
            } else {
                let slot = open(mark.session, at: time, hasMessage: mark.isMessage)
                if mark.isMessage {
                    result.append(line)
                } else {
                    hold(line, in: slot)
                }
            }
        }
        result.append(UnsafeRawBufferPointer(rebasing: output[position...]))
        if let latestTime { advance(to: latestTime) }
    }

    /// Moves the clock to a later record time and drops the sessions idle for the window.
    func advance(to time: Int64) {
        guard time > clock else { return }
        clock = time
        let limit = time - idleSeconds
        while oldest != -1, slots[oldest].lastSeen < limit {
            remove(oldest, evicted: false)
        }
    }

    /// The input ended: sessions still without a message are dropped, the rest forgotten.
    func endInput() {
        while oldest != -1 { remove(oldest, evicted: false) }
        clock = .min
    }

    // MARK: - Slots

    private func open(_ session: Int, at time: Int64, hasMessage: Bool) -> Int {
        if index.count >= maximumSessions, oldest != -1 { remove(oldest, evicted: true) }
        let slot = Slot(session: session, lastSeen: time, hasMessage: hasMessage, held: [], heldLines: 0, older: newest, newer: -1)
        let position: Int
        if let free = freeSlots.popLast() {
            slots[free] = slot
            position = free
        } else {
            slots.append(slot)
            position = slots.count - 1
        }
        if newest != -1 { slots[newest].newer = position } else { oldest = position }
        newest = position
        index[session] = position
        return position
    }

    private func hold(_ line: UnsafeRawBufferPointer, in slot: Int) {
        slots[slot].held.append(contentsOf: line)
        slots[slot].heldLines += 1
        heldBytes += line.count
        while heldBytes > maximumHeldBytes, oldest != -1 { remove(oldest, evicted: true) }
    }

    /// Marks a session active and makes it the newest.
    private func touch(_ slot: Int, at time: Int64) {
        if time > slots[slot].lastSeen { slots[slot].lastSeen = time }
        guard slot != newest else { return }
        unlink(slot)
        slots[slot].older = newest
        slots[slot].newer = -1
        if newest != -1 { slots[newest].newer = slot } else { oldest = slot }
        newest = slot
    }

    private func unlink(_ slot: Int) {
        let older = slots[slot].older
        let newer = slots[slot].newer
        if older != -1 { slots[older].newer = newer } else { oldest = newer }
        if newer != -1 { slots[newer].older = older } else { newest = older }
    }

    /// Forgets a session, dropping its held lines if it never had a message.
    private func remove(_ slot: Int, evicted: Bool) {
        unlink(slot)
        let removed = slots[slot]
        index[removed.session] = nil
        if evicted {
            counts.chatSessionsEvicted += 1
        } else if !removed.hasMessage {
            counts.chatSessionsDropped += 1
        }
        if !removed.hasMessage {
            counts.chatLinesDropped += removed.heldLines
            counts.bytesOut -= removed.held.count
            heldBytes -= removed.held.count
        }
        slots[slot].held = []
        freeSlots.append(slot)
    }
}
