import Foundation
import Testing
@testable import AnonLogCore

struct KeyRotationTests {
    static func time(_ text: String) -> Int64 {
        Array(text.utf8).withUnsafeBytes { LogTimestamp.parseISO8601($0)! }
    }

    @Test func dailyEpochsChangeAtUTCMidnight() {
        let before = Self.time("2026-11-20T23:59:59Z")
        let after = Self.time("2026-11-21T00:00:00Z")
        #expect(KeyRotation.daily.epoch(at: after) == KeyRotation.daily.epoch(at: before) + 1)
        #expect(KeyRotation.daily.start(ofEpoch: KeyRotation.daily.epoch(at: after)) == after)
        #expect(KeyRotation.daily.describe(epoch: KeyRotation.daily.epoch(at: before)) == "2026-11-20")
    }

    @Test func weeklyEpochsStartOnMonday() {
        let sunday = Self.time("2026-11-22T23:59:59Z")
        let monday = Self.time("2026-11-23T00:00:00Z")
        #expect(KeyRotation.weekly.epoch(at: monday) == KeyRotation.weekly.epoch(at: sunday) + 1)
        #expect(KeyRotation.weekly.start(ofEpoch: KeyRotation.weekly.epoch(at: sunday)) == Self.time("2026-11-16T00:00:00Z"))
    }

    @Test func monthlyEpochsFollowTheCalendar() {
        for (text, start) in [("2026-02-28T12:00:00Z", "2026-02-01"), ("2024-02-29T23:00:00Z", "2024-02-01"), ("1970-01-01T00:00:00Z", "1970-01-01")] {
            let epoch = KeyRotation.monthly.epoch(at: Self.time(text))
            #expect(KeyRotation.monthly.start(ofEpoch: epoch) == Self.time(start))
        }
        #expect(KeyRotation.monthly.epoch(at: Self.time("2026-12-01T00:00:00Z")) == KeyRotation.monthly.epoch(at: Self.time("2026-11-30T23:59:59Z")) + 1)
    }

    @Test func everySecondLiesInTheEpochWhoseStartPrecedesIt() {
        var generator = SeededGenerator(seed: 31)
        for rotation in [KeyRotation.daily, .weekly, .monthly] {
            for _ in 0..<2_000 {
                let seconds = Int64.random(in: 0...4_102_444_800, using: &generator)
                let epoch = rotation.epoch(at: seconds)
                #expect(rotation.start(ofEpoch: epoch) <= seconds && seconds < rotation.start(ofEpoch: epoch + 1))
            }
        }
    }

    @Test func noRotationIsOneEpoch() {
        #expect(KeyRotation.none.epoch(at: 0) == 0 && KeyRotation.none.epoch(at: 4_000_000_000) == 0)
    }
}

struct KeyRecordTests {
    let key = SecretKey(bytes: (0..<32).map { UInt8($0) })!

    func bytes(_ key: SecretKey) -> [UInt8] { key.withUnsafeBytes { Array($0) } }

    @Test func theRatchetStepsOneEpochAtATime() {
        let two = KeyRatchet.advance(key, steps: 2)
        #expect(bytes(two) == bytes(KeyRatchet.advance(KeyRatchet.advance(key, steps: 1), steps: 1)))
        #expect(bytes(KeyRatchet.advance(key, steps: 0)) == bytes(key))
        // One step is HMAC-SHA256(K, "anonlog/v1/ratchet").
        #expect(bytes(KeyRatchet.advance(key, steps: 1)) == HMACSHA256(key: bytes(key)).authenticate(Array("anonlog/v1/ratchet".utf8)))
    }

    /// Unix times reach past the year 9999 (`key shred` to a far date): years keep every digit.
    @Test func epochsPastTheYear9999AreDescribedWithWholeDates() {
        #expect(KeyRotation.daily.describe(epoch: 11_574_074) == "33658-09-27")
        #expect(KeyRotation.monthly.describe(epoch: KeyRotation.monthly.epoch(at: 1_000_000_000_000)) == "33658-09")
        #expect(KeyRotation.daily.latestEpoch == 2_932_896)
        #expect(KeyRotation.daily.describe(epoch: KeyRotation.daily.latestEpoch) == "9999-12-31")
    }

    @Test func aShortKeyStaysShort() {
        let short = SecretKey(bytes: [UInt8](repeating: 7, count: 16))!
        #expect(KeyRatchet.advance(short, steps: 3).count == 16)
    }

    @Test func epochsBeforeTheStoredOneHaveNoKey() {
        let record = KeyRecord(mode: .hmac, rotation: .daily, epoch: 100, key: key)
        #expect(record.key(forEpoch: 99) == nil)
        #expect(record.key(forEpoch: 100).map(bytes) == bytes(key))
        #expect(record.key(forEpoch: 103).map(bytes) == bytes(KeyRatchet.advance(key, steps: 3)))
    }

    /// The chain keeps every 64th key on its way forwards and starts from those when a log
    /// goes back: whatever the order of epochs, each gets the record's key for it.
    @Test func theKeyChainGivesEachEpochTheRecordsKeyInAnyOrder() {
        let record = KeyRecord(mode: .hmac, rotation: .daily, epoch: 100, key: key)
        let chain = EpochKeyChain(record: record)
        var generator = SeededGenerator(seed: 9)
        let epochs = [99, 100, 101, 230, 164, 163, 165, 100, 99, 400, 228, 229, 227, 292, 291, 293, 105] + (0..<40).map { _ in Int64.random(in: 90..<420, using: &generator) }
        for epoch in epochs {
            #expect(chain.key(forEpoch: Int64(epoch)).map(bytes) == record.key(forEpoch: Int64(epoch)).map(bytes), "epoch \(epoch)")
        }
    }
}
