import AnonLogCore
import ArgumentParser

#if canImport(Glibc)
import Glibc
#endif

/// The statistics options of the anonymize command: where to record, and the detection rules'
/// parameters.
struct StatsRecordingOptions: ParsableArguments {
    @Option(
        name: .customLong("stats"),
        help: ArgumentHelp(
            "Record statistics in this SQLite file (default: $XDG_STATE_HOME/anonlog/stats.db or ~/.local/state/anonlog/stats.db).",
            valueName: "path"))
    var path: String?

    @Flag(name: .customLong("no-stats"), help: "Do not record statistics.")
    var disabled = false

    @Option(
        name: .customLong("threshold"),
        help: ArgumentHelp(
            "Change a detection parameter, e.g. http-probing.capacity=20 or chat-fast-first-message.interval=5s (repeatable; see 'anonlog stats rules').",
            valueName: "rule.parameter=value"))
    var thresholds: [String] = []

    @Option(
        name: .customLong("geoip-db"),
        help: ArgumentHelp(
            "A MaxMind database (GeoLite2/GeoIP2 ASN, Country or City) for each client's autonomous system and country (repeatable).",
            valueName: "path"))
    var geoDatabases: [String] = []

    @Option(
        name: .customLong("disable-rule"),
        help: ArgumentHelp("Do not run this detection rule (repeatable).", valueName: "rule"))
    var disabledRules: [String] = []

    func validate() throws {
        if disabled && path != nil { throw ValidationError("--stats and --no-stats contradict each other") }
        _ = try configuration()
    }

    /// The rules' configuration with the overrides applied.
    func configuration() throws -> StatsConfiguration {
        var configuration = StatsConfiguration()
        for assignment in thresholds {
            do {
                try configuration.apply(assignment)
            } catch {
                throw ValidationError(error.message)
            }
        }
        for name in disabledRules {
            guard let rule = DetectionRule(rawValue: name) else {
                throw ValidationError("'\(name)' is not a rule; 'anonlog stats rules' lists them")
            }
            configuration.disabledRules.insert(rule)
        }
        return configuration
    }

    /// The recorder for this run, or `nil` without statistics.
    ///
    /// Without `--stats` or `--no-stats`, a policy's `[statistics]` decides: `enabled = false`
    /// records nothing, `store` names the store (the one `anonlog archive` with the same policy
    /// records into). A store given with `--stats` or named by the policy that cannot be opened is
    /// an error; the default store that cannot be opened is a warning (a log filter must not stop
    /// because of its statistics).
    func makeRecorder(keys: KeyRecord, policy: RetentionPolicy? = nil) throws -> (recorder: StatsRecorder, path: String)? {
        guard !disabled else { return nil }
        if self.path == nil, let policy, !policy.statisticsEnabled { return nil }
        let named = self.path ?? policy?.statisticsStore
        var configuration = try configuration()
        for path in geoDatabases {
            configuration.geoDatabases.append(try reportingErrors { () throws(AnonLogError) in try GeoDatabase(path: path) })
        }
        let path: String
        if let given = named {
            path = given
        } else {
            do {
                path = try StatsStoreLocation.defaultPath(environment: ProcessEnvironment.current())
            } catch {
                StandardError.print("anonlog: warning: \(error.message); statistics are not recorded")
                return nil
            }
        }
        do throws(AnonLogError) {
            let store = try SQLiteStatsStore(path: path)
            let recorder = StatsRecorder(store: store, keys: keys, configuration: configuration) { Int64(time(nil)) }
            return (recorder, path)
        } catch {
            if named != nil {
                StandardError.report(error)
                throw ExitCode(error.code.exitStatus)
            }
            StandardError.print("anonlog: warning: \(error); statistics are not recorded")
            return nil
        }
    }

    /// Reports what recording did; returns the exit status it calls for (0 when fine).
    func finish(_ recorder: StatsRecorder, path: String, quiet: Bool) -> Int32 {
        let report = recorder.report
        if let failure = recorder.failure {
            StandardError.print("anonlog: statistics stopped: \(failure)")
            return failure.code.exitStatus
        }
        if report.linesNotVerified > 0 {
            StandardError.print(
                "anonlog: warning: \(report.linesNotVerified) lines were not counted: the store holds segments that begin with the same lines but differ later")
        }
        if !quiet {
            var line = "anonlog: statistics: \(report.linesCounted) lines counted in \(report.segmentsWritten) segments, \(report.alerts) alerts"
            if report.linesAlreadyIngested > 0 { line += ", \(report.linesAlreadyIngested) lines already counted before" }
            if report.linesIngestedConcurrently > 0 { line += ", \(report.linesIngestedConcurrently) counted by another process" }
            if report.linesInShreddedEpochs > 0 { line += ", \(report.linesInShreddedEpochs) in shredded epochs" }
            StandardError.print(line + " (\(path))")
        }
        return 0
    }
}
