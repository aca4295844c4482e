/// The text of recent path templates by key, for an alert's evidence.
///
/// Detector slots keep only template keys; when a rule fires, the texts are looked up here. A
/// direct-mapped table of fixed size: a template not seen for a long while may be gone, and its
/// evidence is then left out.
final class TemplateDictionary {
    private static let slotSize = 128
    private let mask: Int
    private var keys: [UInt64]
    private var lengths: [UInt8]
    private var texts: [UInt8]

    init(capacity: Int = 8192) {
        var size = 16
        while size < capacity { size <<= 1 }
        mask = size - 1
        keys = [UInt64](repeating: 0, count: size)
        lengths = [UInt8](repeating: 0, count: size)
        texts = [UInt8](repeating: 0, count: size * Self.slotSize)
    }

    /// Remembers the text of `key`.
    @inline(__always)
    func remember(_ key: UInt64, _ text: UnsafeRawBufferPointer) {
        let slot = Int(truncatingIfNeeded: key >> 7) & mask
        guard keys[slot] != key else { return }
        keys[slot] = key
        let count = min(text.count, Self.slotSize)
        lengths[slot] = UInt8(count)
        texts.withUnsafeMutableBytes { storage in
            if count > 0 { (storage.baseAddress! + slot * Self.slotSize).copyMemory(from: text.baseAddress!, byteCount: count) }
        }
    }

    /// The text of `key`, if it is still held.
    func text(_ key: UInt64) -> String? {
        let slot = Int(truncatingIfNeeded: key >> 7) & mask
        guard key != 0, keys[slot] == key else { return nil }
        let start = slot * Self.slotSize
        return String(decoding: texts[start..<(start + Int(lengths[slot]))], as: UTF8.self)
    }
}
