/// The keys of a key record's epochs, ratcheted forwards and kept at intervals on the way.
///
/// Going forward costs one MAC per epoch from the last key derived. Going back (a log whose
/// timestamps jump back further than the recent epochs a worker keeps, such as merged logs)
/// starts from the nearest kept key at or before the epoch, at most ``interval`` - 1 MACs away,
/// instead of from the key file's epoch, which could be millions of epochs back.
final class EpochKeyChain {
    /// Every how many epochs a derived key is kept.
    static let interval: Int64 = 64

    let record: KeyRecord
    /// The keys of epochs `record.epoch + i * interval`, as far as the chain has ratcheted.
    private var kept: [SecretKey]
    /// The last key derived going forwards.
    private var cursor: (epoch: Int64, key: SecretKey)

    init(record: KeyRecord) {
        self.record = record
        kept = [record.key]
        cursor = (record.epoch, record.key)
    }

    /// The key of `target`, or `nil` when the epoch is older than the record's: shredded.
    func key(forEpoch target: Int64) -> SecretKey? {
        guard target >= record.epoch else { return nil }
        if target < cursor.epoch {
            let index = (target - record.epoch) / Self.interval
            let from = record.epoch + index * Self.interval
            return KeyRatchet.advance(kept[Int(index)], steps: target - from)
        }
        while cursor.epoch < target {
            let nextKept = record.epoch + Int64(kept.count) * Self.interval
            let step = min(target, nextKept)
            cursor = (step, KeyRatchet.advance(cursor.key, steps: step - cursor.epoch))
            if step == nextKept { kept.append(cursor.key) }
        }
        return cursor.key
    }
}
