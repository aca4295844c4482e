/// How statistics are computed: the rules' parameters and the memory the detectors may use.
///
/// Memory is set here, never by the input: every table below has a fixed number of slots, and
/// when a table is full the subject seen longest ago is forgotten.
public struct StatsConfiguration: Sendable {
    /// The parameters of every rule (the survey's defaults unless changed).
    public var parameters: [DetectionRule: DetectionRule.Parameters]
    /// Rules that do not run.
    public var disabledRules: Set<DetectionRule> = []
    /// Clients whose always-on buckets (crawl, request burst, switching user agent) are held.
    public var clientCapacity = 16_384
    /// Subjects held by each of the rarer rules (probes, brute force, chat per-client rules).
    public var probeCapacity = 4096
    /// Chat sessions held (start time, messages, flood bucket, recent fingerprints).
    public var sessionCapacity = 16_384
    /// Message fingerprints held for campaign detection.
    public var fingerprintCapacity = 4096
    /// Rows per top table in one segment (Space-Saving slots): paths, networks, clients.
    public var topCapacity = 512
    /// The most lines in one ingestion segment before a flush point.
    public var segmentLines = 200_000
    /// The length of a segment in record time, in seconds (a flush point at each boundary).
    public var segmentSeconds: Int64 = 300
    /// MaxMind databases (ASN, Country or City) to take each client's autonomous system and
    /// country from, in order; empty records neither.
    public var geoDatabases: [GeoDatabase] = []

    public init() {
        var parameters: [DetectionRule: DetectionRule.Parameters] = [:]
        for rule in DetectionRule.allCases { parameters[rule] = rule.defaultParameters }
        self.parameters = parameters
    }

    /// The parameters of `rule`.
    public func parameters(of rule: DetectionRule) -> DetectionRule.Parameters {
        parameters[rule] ?? rule.defaultParameters
    }

    /// Changes one parameter from text such as `http-probing.capacity=20` or
    /// `chat-fast-first-message.interval=5s`.
    ///
    /// Durations take `ms`, `s`, `m`, `h` or `d` (seconds without a unit).
    ///
    /// - Parameter assignment: `rule.parameter=value`, parameter one of capacity, interval,
    ///   blackhole.
    /// - Throws: ``AnonLogError`` with code ``AnonLogError/Code/usage`` naming what is wrong.
    public mutating func apply(_ assignment: String) throws(AnonLogError) {
        let sides = assignment.split(separator: "=", maxSplits: 1).map(String.init)
        let target = sides.first?.split(separator: ".").map(String.init) ?? []
        guard sides.count == 2, target.count == 2 else {
            throw AnonLogError(.usage, "'\(assignment)' is not rule.parameter=value")
        }
        guard let rule = DetectionRule(rawValue: target[0]) else {
            throw AnonLogError(.usage, "'\(target[0])' is not a rule; the rules are \(DetectionRule.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        var value = parameters(of: rule)
        switch target[1] {
        case "capacity":
            guard let number = Int(sides[1]), number >= 0, number <= 100_000 else {
                throw AnonLogError(.usage, "\(rule.rawValue).capacity must be a whole number from 0 to 100000")
            }
            value.capacity = number
        case "interval", "blackhole":
            guard let milliseconds = Self.milliseconds(sides[1]) else {
                throw AnonLogError(.usage, "'\(sides[1])' is not a duration such as 500ms, 10s, 5m, 1h")
            }
            // Detectors add these to record times; a century keeps every sum far from overflow.
            guard milliseconds <= Self.longestDuration else {
                throw AnonLogError(.usage, "\(rule.rawValue).\(target[1]) must be at most 36500d (a century)")
            }
            if target[1] == "interval" { value.interval = milliseconds } else { value.blackhole = milliseconds }
        default:
            throw AnonLogError(.usage, "'\(target[1])' is not a parameter; use capacity, interval or blackhole")
        }
        parameters[rule] = value
    }

    /// The longest interval or blackhole a rule takes: 36,500 days.
    static let longestDuration: Int64 = 36_500 * 86_400_000

    /// `500ms`, `10s`, `5m`, `1h`, `2d` or a bare number of seconds, in milliseconds; `nil` when
    /// the text is no such duration or too long to count in milliseconds.
    static func milliseconds(_ text: String) -> Int64? {
        let units: [(String, Int64)] = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000), ("d", 86_400_000)]
        for (suffix, factor) in units where text.hasSuffix(suffix) {
            guard let number = Int64(text.dropLast(suffix.count)), number >= 0 else { return nil }
            let (product, overflow) = number.multipliedReportingOverflow(by: factor)
            return overflow ? nil : product
        }
        guard let seconds = Int64(text), seconds >= 0 else { return nil }
        let (product, overflow) = seconds.multipliedReportingOverflow(by: 1000)
        return overflow ? nil : product
    }
}
