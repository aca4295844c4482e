import AnonLogCore
import ArgumentParser

/// A point in time typed by a person: `2026-11-20`, `2026-11-20T14:00Z`, `2026-11-20T14:00:00+01:00`.
struct TimeArgument: ExpressibleByArgument {
    let seconds: Int64

    init?(argument: String) {
        var text = argument
        guard let seconds = text.withUTF8({ LogTimestamp.parseISO8601(UnsafeRawBufferPointer($0)) }) else { return nil }
        self.seconds = seconds
    }

    static var defaultValueDescription: String { "now" }
}
