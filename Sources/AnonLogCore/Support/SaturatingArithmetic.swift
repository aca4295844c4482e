extension Int64 {
    /// `self + other`, held at `.max` or `.min` instead of overflowing (which traps in Swift).
    ///
    /// For sums of numbers a log supplies, such as response sizes: a crafted log could push
    /// them past 2^63, and a statistic pinned at the largest value beats a crash.
    @inline(__always)
    func addingSaturated(_ other: Int64) -> Int64 {
        let (sum, overflow) = addingReportingOverflow(other)
        guard overflow else { return sum }
        return other > 0 ? .max : .min
    }
}
