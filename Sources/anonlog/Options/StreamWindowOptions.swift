import AnonLogCore
import ArgumentParser

/// Retention windows on the stream: for the filter, from a policy file or given directly.
struct StreamWindowOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "A retention policy (TOML): its anonymized_logs window drops older records, its chat window holds sessions without messages, its [statistics] section names the store (or turns recording off).",
        valueName: "path"))
    var policy: String?

    @Option(help: ArgumentHelp(
        "Drop records whose own time is older than this (7d, 48h, 26 months); counted in the summary.",
        valueName: "duration"))
    var dropOlderThan: DurationArgument?

    @Option(help: ArgumentHelp(
        "Hold the events of a chat session until it has a message; drop them when it is idle this long (30m).",
        valueName: "duration"))
    var chatIdleWindow: DurationArgument?

    @Option(help: ArgumentHelp(
        "The most chat sessions held at once; at the cap the least recently active one is evicted (its held events dropped) and counted.",
        valueName: "count"))
    var maxOpenSessions: Int?

    func validate() throws {
        if let maxOpenSessions, maxOpenSessions < 1 { throw ValidationError("--max-open-sessions must be at least 1") }
        if let chatIdleWindow, chatIdleWindow.duration.isZero { throw ValidationError("--chat-idle-window must be longer than zero") }
    }

    /// The policy named with `--policy`, read and checked; `nil` without one.
    func loadPolicy() throws(AnonLogError) -> RetentionPolicy? {
        guard let policy else { return nil }
        return try RetentionPolicy.load(from: policy)
    }

    /// Sets `options.windows` from the policy and the flags (flags win), measured from `now`.
    func apply(to options: inout AnonymizationOptions, policy: RetentionPolicy?, now: Int64) {
        if let policy { options.windows = policy.streamWindows(now: now) }
        if let dropOlderThan { options.windows.recordCutoff = dropOlderThan.duration.cutoff(before: now) }
        if let chatIdleWindow { options.windows.chatIdleSeconds = chatIdleWindow.duration.approximateSeconds }
        if let maxOpenSessions { options.windows.maximumOpenSessions = maxOpenSessions }
    }
}

/// A retention window typed by a person: `7d`, `48h`, `30m`, `26 months`.
struct DurationArgument: ExpressibleByArgument {
    let duration: RetentionDuration

    init?(argument: String) {
        guard let duration = RetentionDuration(parsing: argument) else { return nil }
        self.duration = duration
    }
}
