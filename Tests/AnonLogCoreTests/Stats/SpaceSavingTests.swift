import Foundation
import Testing

@testable import AnonLogCore

/// Space-Saving keeps its published guarantees on any stream (property tests).
struct SpaceSavingTests {
    /// A Zipf-like stream: key `floor(keys^u)` for uniform `u`, so key `k` comes with weight
    /// about `1 / k`.
    static func stream(length: Int, keys: Int, seed: UInt64) -> [UInt64] {
        var generator = SeededGenerator(seed: seed)
        return (0..<length).map { _ in
            let unit = Double(generator.next() >> 11) / Double(UInt64(1) << 53)
            return UInt64(pow(Double(keys), unit))
        }
    }

    @Test(arguments: [(16, 1000), (64, 5000), (256, 50_000)])
    func countsBoundTheTrueCountsAndHoldEveryHeavyKey(capacity: Int, keys: Int) {
        for seed: UInt64 in [1, 2, 3, 4] {
            let items = Self.stream(length: 40_000, keys: keys, seed: seed &* 7919)
            let summary = SpaceSaving(capacity: capacity)
            var truth: [UInt64: Int64] = [:]
            for item in items {
                _ = summary.add(item)
                truth[item, default: 0] += 1
            }
            let total = Int64(items.count)
            #expect(summary.total == total)
            for slot in 0..<summary.count {
                let key = summary.key(at: slot)
                let count = summary.count(at: slot)
                let error = summary.error(at: slot)
                let real = truth[key] ?? 0
                #expect(count >= real, "count \(count) below the true \(real)")
                #expect(count - error <= real, "count minus error \(count - error) above the true \(real)")
                #expect(error <= total / Int64(capacity), "error \(error) above N/m")
            }
            for (key, real) in truth where real > total / Int64(capacity) {
                #expect(summary.slot(of: key) != nil, "a key seen \(real) times (> N/m) was lost")
            }
        }
    }

    @Test func aStreamWithFewerKeysThanSlotsIsCountedExactly() {
        let summary = SpaceSaving(capacity: 32)
        var generator = SeededGenerator(seed: 11)
        var truth: [UInt64: Int64] = [:]
        for _ in 0..<5000 {
            let key = generator.next() % 20
            _ = summary.add(key)
            truth[key, default: 0] += 1
        }
        for (key, real) in truth {
            let slot = summary.slot(of: key)!
            #expect(summary.count(at: slot) == real && summary.error(at: slot) == 0)
        }
    }

    /// Against a plain model: a new key replaces a key of the smallest count (any of them) and
    /// inherits it; slots are given out in order; counts are those of the model at every step.
    @Test func everyReplacementTakesASmallestCount() {
        let capacity = 8
        let summary = SpaceSaving(capacity: capacity)
        var model: [Int: (key: UInt64, count: Int64)] = [:]
        var generator = SeededGenerator(seed: 5)
        for step in 0..<20_000 {
            let key = generator.next() % (step < 10_000 ? 12 : 400)
            let smallest = model.values.map(\.count).min() ?? 0
            let (slot, isNew) = summary.add(key)
            if let held = model[slot], held.key == key {
                #expect(!isNew)
                model[slot] = (key, held.count + 1)
            } else {
                #expect(isNew)
                if model.count < capacity {
                    #expect(slot == model.count, "slots are given out in order")
                    #expect(summary.error(at: slot) == 0)
                } else {
                    #expect(summary.error(at: slot) == smallest, "replaced a count above the smallest")
                }
                model[slot] = (key, summary.error(at: slot) + 1)
            }
            #expect(summary.count(at: slot) == model[slot]!.count)
        }
        for (slot, held) in model { #expect(summary.key(at: slot) == held.key && summary.count(at: slot) == held.count) }
    }

    @Test func removingAllForgetsEveryKeyAndKeepsWorking() {
        let summary = SpaceSaving(capacity: 4)
        for key: UInt64 in [1, 2, 3, 4, 5, 6, 1, 1] { _ = summary.add(key) }
        summary.removeAll()
        #expect(summary.count == 0 && summary.slot(of: 1) == nil)
        let (slot, isNew) = summary.add(9)
        #expect(isNew && summary.count(at: slot) == 1)
    }
}
