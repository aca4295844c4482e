/// What the statistics take from recent request targets: the path template, the probe findings
/// and the keys of the distinct-value rules.
///
/// All of it depends on the target's bytes alone (and, for the findings, on whether the status
/// was 403 or 404), and logs ask for the same few hundred targets over and over, so a
/// direct-mapped table of recent targets answers most lines with one hash, one comparison and
/// one copy instead of a template and a dozen list searches. An entry holds its target in full:
/// an answer is never a guess. Targets longer than ``maximumTargetLength`` are not held.
final class RequestCache {
    /// What one target gives.
    struct Entry {
        var templateKey: UInt64 = 0
        var findings: ProbeMatcher.Findings = []
        var exploitTag: Int32 = -1
        var pathKey: UInt32 = 0
        var targetKey: UInt32 = 0
        var fileNameKey: UInt32 = 0
        var argumentsKey: UInt32 = 0
    }

    static let maximumTargetLength = 112
    /// Templates are at most ``PathTemplate/maximumLength`` bytes and a cut mark.
    private static let templateCapacity = 128
    private let mask: Int
    /// Per slot: the hash of target and status kind with its low bit set (0 = empty).
    private let tags: UnsafeMutablePointer<UInt64>
    private let entries: UnsafeMutablePointer<Entry>
    private let targets: UnsafeMutablePointer<UInt8>
    private let targetCounts: UnsafeMutablePointer<UInt8>
    private let templates: UnsafeMutablePointer<UInt8>
    private let templateCounts: UnsafeMutablePointer<UInt8>

    init(capacity: Int = 1024) {
        var size = 16
        while size < capacity { size <<= 1 }
        mask = size - 1
        tags = .allocate(capacity: size)
        tags.initialize(repeating: 0, count: size)
        entries = .allocate(capacity: size)
        entries.initialize(repeating: Entry(), count: size)
        targets = .allocate(capacity: size * Self.maximumTargetLength)
        targetCounts = .allocate(capacity: size)
        targetCounts.initialize(repeating: 0, count: size)
        templates = .allocate(capacity: size * Self.templateCapacity)
        templateCounts = .allocate(capacity: size)
        templateCounts.initialize(repeating: 0, count: size)
    }

    deinit {
        tags.deallocate()
        entries.deallocate()
        targets.deallocate()
        targetCounts.deallocate()
        templates.deallocate()
        templateCounts.deallocate()
    }

    /// The tag of a target: its hash with the status kind mixed in, never 0.
    @inline(__always)
    static func tag(_ target: UnsafeRawBufferPointer, notFound: Bool) -> UInt64 {
        (StatsHash.hash(target, seed: notFound ? 0x4E46 : 0x4F4B) | 1)
    }

    /// The slot holding `target`, if any.
    @inline(__always)
    func slot(of target: UnsafeRawBufferPointer, tag: UInt64) -> Int? {
        guard target.count <= Self.maximumTargetLength else { return nil }
        let slot = Int(truncatingIfNeeded: tag >> 13) & mask
        guard tags[slot] == tag, Int(targetCounts[slot]) == target.count else { return nil }
        let held = targets + slot * Self.maximumTargetLength
        var index = 0
        while index < target.count {
            if held[index] != target[index] { return nil }
            index += 1
        }
        return slot
    }

    /// The entry in `slot`.
    @inline(__always)
    func entry(_ slot: Int) -> Entry { entries[slot] }

    /// The template text in `slot`.
    @inline(__always)
    func template(_ slot: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: templates + slot * Self.templateCapacity, count: Int(templateCounts[slot]))
    }

    /// Holds what `target` gave, replacing the slot's last target.
    @inline(__always)
    func remember(_ target: UnsafeRawBufferPointer, tag: UInt64, entry: Entry, template: UnsafeRawBufferPointer) {
        guard target.count <= Self.maximumTargetLength, template.count <= Self.templateCapacity else { return }
        let slot = Int(truncatingIfNeeded: tag >> 13) & mask
        tags[slot] = tag
        entries[slot] = entry
        targetCounts[slot] = UInt8(target.count)
        if target.count > 0 { UnsafeMutableRawPointer(targets + slot * Self.maximumTargetLength).copyMemory(from: target.baseAddress!, byteCount: target.count) }
        templateCounts[slot] = UInt8(template.count)
        if template.count > 0 {
            UnsafeMutableRawPointer(templates + slot * Self.templateCapacity).copyMemory(from: template.baseAddress!, byteCount: template.count)
        }
    }
}
