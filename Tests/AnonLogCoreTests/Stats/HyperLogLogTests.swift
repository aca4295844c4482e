import Testing

@testable import AnonLogCore

/// HyperLogLog estimates within its error bound, merges losslessly and survives the store.
struct HyperLogLogTests {
    /// A stream of `count` distinct hashes (and `repeats` duplicates of each), from a seed.
    static func sketch(precision: Int, distinct count: Int, seed: UInt64, repeats: Int = 1) -> HyperLogLog {
        var sketch = HyperLogLog(precision: precision)
        var generator = SeededGenerator(seed: seed)
        for _ in 0..<count {
            let hash = generator.next()
            for _ in 0..<repeats { sketch.insert(hash: hash) }
        }
        return sketch
    }

    // MARK: - Error bounds (property tests)

    @Test(arguments: [10, 12, 14])
    func estimatesStayWithinFourStandardErrorsOverManySeedsAndSizes(precision: Int) {
        let sizes = [1, 10, 100, 1000, 5000, 20_000, 100_000]
        for size in sizes {
            var worst = 0.0
            var sumOfSquares = 0.0
            let seeds: [UInt64] = (1...8).map { UInt64($0) * 0x9E37 + UInt64(size) }
            for seed in seeds {
                let estimate = Self.sketch(precision: precision, distinct: size, seed: seed).estimate
                let relative = (estimate - Double(size)) / Double(size)
                worst = max(worst, abs(relative))
                sumOfSquares += relative * relative
            }
            let bound = 4 * 1.04 / Double(1 << precision).squareRoot()
            #expect(worst <= bound, "precision \(precision), \(size) distinct: worst relative error \(worst) > \(bound)")
            // Over the seeds, the root-mean-square error is near the standard error, not above twice it.
            let rootMeanSquare = (sumOfSquares / Double(seeds.count)).squareRoot()
            #expect(rootMeanSquare <= 2 * 1.04 / Double(1 << precision).squareRoot() + 0.001)
        }
    }

    /// k-anonymity decides on the lower bound: it must never exceed the true count (a row would
    /// be shown for fewer than k clients), and both it and the estimate must stay close.
    @Test(arguments: [10, 12])
    func smallCardinalitiesHaveAnExactLowerBoundAndACloseEstimate(precision: Int) {
        for size in 0...60 {
            for seed: UInt64 in 1...20 {
                let sketch = Self.sketch(precision: precision, distinct: size, seed: seed &* 1000 &+ UInt64(size))
                #expect(sketch.lowerBound <= size)
                #expect(Double(sketch.lowerBound) >= Double(size) * 0.9 - 1, "\(size) distinct items, lower bound \(sketch.lowerBound)")
                let bound = 1 + Double(size) * 4 * sketch.standardError
                #expect(abs(sketch.estimate - Double(size)) <= bound, "\(size) distinct items estimated as \(sketch.estimate)")
            }
        }
    }

    @Test func duplicatesDoNotChangeTheEstimate() {
        let once = Self.sketch(precision: 12, distinct: 3000, seed: 42)
        let thrice = Self.sketch(precision: 12, distinct: 3000, seed: 42, repeats: 3)
        #expect(once == thrice)
    }

    // MARK: - Merging

    @Test func mergingEqualsTheSketchOfTheUnion() {
        var generator = SeededGenerator(seed: 99)
        let hashes = (0..<30_000).map { _ in generator.next() }
        var left = HyperLogLog(precision: 12)
        var right = HyperLogLog(precision: 12)
        var union = HyperLogLog(precision: 12)
        for (index, hash) in hashes.enumerated() {
            if index % 3 == 0 { left.insert(hash: hash) } else { right.insert(hash: hash) }
            if index % 5 == 0 { left.insert(hash: hash) }
            union.insert(hash: hash)
        }
        left.merge(right)
        #expect(left == union)
    }

    // MARK: - Serialization

    @Test(arguments: [0, 5, 300, 5000])
    func serializedSketchesReadBackIdentical(distinct: Int) throws {
        let sketch = Self.sketch(precision: 12, distinct: distinct, seed: 5)
        let bytes = sketch.serialized()
        #expect(try #require(HyperLogLog(serialized: bytes)) == sketch)
        // Sparse while few registers are set, dense after.
        #expect(bytes[0] == (distinct < 1000 ? 2 : 1))
    }

    /// A pool counts its sketches' set registers as they are set, instead of scanning them:
    /// its bytes must be those of the same sketch made alone, sparse or dense, after clears.
    @Test(arguments: [0, 1, 40, 300, 5000])
    func poolSketchesSerializeLikeSketchesMadeAlone(distinct: Int) {
        let pool = SketchPool(count: 3, precision: 10)
        var generator = SeededGenerator(seed: UInt64(distinct) &+ 17)
        var alone = HyperLogLog(precision: 10)
        for round in 0..<2 {
            pool.clear(1)
            alone = HyperLogLog(precision: 10)
            for _ in 0..<(distinct + round) {
                let hash = generator.next()
                pool.insert(hash, into: 1)
                pool.insert(hash, into: 1)
                alone.insert(hash: hash)
            }
            #expect(pool.serialized(1) == alone.serialized())
            #expect(pool.isEmpty(1) == (distinct + round == 0))
        }
        #expect(pool.isEmpty(0) && pool.serialized(0) == HyperLogLog(precision: 10).serialized())
    }

    @Test func damagedBytesAreNotASketch() {
        #expect(HyperLogLog(serialized: [UInt8]()) == nil)
        #expect(HyperLogLog(serialized: [9, 12]) == nil)
        #expect(HyperLogLog(serialized: [1, 12, 0, 0]) == nil)
        #expect(HyperLogLog(serialized: [2, 12, 1, 0, 0, 0, 0xFF, 0xFF, 3]) == nil)
    }
}
