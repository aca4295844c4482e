#if canImport(Glibc)
import AnonLogCore
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Messages for the person at the terminal or the cron mail.
enum StandardError {
    static func print(_ message: String) {
        var line = message
        line += "\n"
        line.withUTF8 { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = write(2, bytes.baseAddress! + offset, bytes.count - offset)
                if written <= 0 { return }
                offset += written
            }
        }
    }

    /// Prints an error the way every anonlog command does: `anonlog: <where>: <what>`.
    static func report(_ error: AnonLogError) {
        print("anonlog: \(error)")
    }
}
