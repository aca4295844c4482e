import Foundation
import Testing
@testable import AnonLogCore

struct RetentionPolicyTests {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func parse(_ text: String, path: String = "/etc/anonlog/policy.toml") throws(AnonLogError) -> RetentionPolicy {
        try RetentionPolicy(parsing: Array(text.utf8), path: path)
    }

    static func failure(_ text: String) -> AnonLogError? {
        do {
            _ = try parse(text)
            return nil
        } catch {
            return error
        }
    }

    // MARK: - The sample

    @Test func theSamplePolicyMirrorsTheWindowsOfTheIssue() throws {
        let policy = try RetentionPolicy.load(from: Self.packageRoot.appendingPathComponent("SampleLogs/policy.toml").path)
        let expected: [RetentionClass: RetentionDuration] = [
            .rawLogs: .init(7, .days), .anonymizedLogs: .init(26, .months), .keyEpochs: .init(30, .days),
            .perActorStatistics: .init(30, .days), .minuteBuckets: .init(48, .hours), .hourlyBuckets: .init(90, .days),
            .dailyAggregates: .init(5, .years), .chatSessionsWithoutMessages: .init(30, .minutes),
        ]
        #expect(policy.windows == expected)
        #expect(policy.include == ["access.log.*.gz", "error.log.*.gz", "chat.jsonl.*.gz"])
        #expect(policy.live == ["access.log", "error.log", "chat.jsonl"])
        #expect(policy.quietPeriod == .init(10, .minutes))
        #expect(policy.mode == .hmac && policy.rotation == .daily && policy.format == nil)
        #expect(policy.maximumOpenSessions == 100_000)
        #expect(policy.statisticsEnabled && policy.statisticsStore == nil)
    }

    @Test func theStatisticsStoreIsTheDefaultOneUnlessThePolicyNamesOneOrTurnsStatisticsOff() throws {
        let unnamed = try Self.parse("[sources]\ninclude = [\"*.gz\"]")
        #expect(unnamed.statisticsEnabled && unnamed.statisticsStore == nil)
        let named = try Self.parse("[statistics]\nstore = \"state/stats.db\"")
        #expect(named.statisticsEnabled && named.statisticsStore == "/etc/anonlog/state/stats.db")
        let off = try Self.parse("[statistics]\nenabled = false\nstore = \"/var/lib/anonlog/stats.db\"")
        #expect(!off.statisticsEnabled && off.statisticsStore == "/var/lib/anonlog/stats.db")
    }

    @Test func streamWindowsComeFromTheAnonymizedLogsAndChatWindows() throws {
        let policy = try Self.parse("""
            [windows]
            anonymized_logs = "7d"
            chat_sessions_without_messages = "30m"
            [stream]
            max_open_sessions = 50
            """)
        let now: Int64 = 1_800_000_000
        let windows = policy.streamWindows(now: now)
        #expect(windows.recordCutoff == now - 7 * 86_400)
        #expect(windows.chatIdleSeconds == 1800)
        #expect(windows.maximumOpenSessions == 50)
        #expect(try Self.parse("").streamWindows(now: now).isActive == false)
    }

    @Test func relativePathsAreRelativeToThePolicyFile() throws {
        let policy = try Self.parse("""
            [anonymization]
            key_file = "keys/anonlog.key"
            [archive]
            source = "/var/log/nginx"
            output = "../archive"
            """)
        #expect(policy.keyFile == "/etc/anonlog/keys/anonlog.key")
        #expect(policy.sourceDirectory == "/var/log/nginx")
        #expect(policy.archiveDirectory == "/etc/anonlog/../archive")
    }

    // MARK: - Bad inputs name the line

    @Test func badPoliciesAreErrorsNamingTheLine() {
        let cases: [(String, Int, String)] = [
            ("[windows]\nraw_log = \"7d\"", 2, "unknown key 'raw_log' in [windows]; expected one of raw_logs"),
            ("[window]\nraw_logs = \"7d\"", 1, "unknown table [window]"),
            ("\nretention = \"7d\"", 2, "unknown key 'retention' outside any table"),
            ("[windows]\n\nraw_logs = 7", 3, "raw_logs must be a duration string"),
            ("[windows]\nraw_logs = \"7 fortnights\"", 2, "is not a duration"),
            ("[windows]\nraw_logs = \"-7d\"", 2, "is not a duration"),
            ("[windows]\nchat_sessions_without_messages = \"0m\"", 2, "must be longer than zero"),
            ("[windows]\nchat_sessions_without_messages = \"30d\"", 2, "at most 7 days"),
            ("[anonymization]\nrotation = \"none\"\n[windows]\nkey_epochs = \"30d\"", 4, "key_epochs needs a rotating key"),
            ("[anonymization]\nrotation = \"hourly\"", 2, "unknown rotation 'hourly'"),
            ("[anonymization]\nmode = \"sha1\"", 2, "unknown mode 'sha1'"),
            ("[sources]\nformat = \"apache\"", 2, "unknown format 'apache'"),
            ("[sources]\ninclude = \"*.gz\"", 2, "include must be an array of strings, not a string"),
            ("[sources]\ninclude = []", 2, "at least one glob"),
            ("[sources]\ninclude = [\"/var/log/*.gz\"]", 2, "relative to the source directory"),
            ("[archive]\ngzip_level = 10", 2, "gzip_level must be 1 to 9"),
            ("[archive]\ngzip_level = \"6\"", 2, "gzip_level must be an integer"),
            ("[stream]\nmax_open_sessions = 0", 2, "max_open_sessions must be 1"),
            ("[statistics]\nenabled = \"yes\"", 2, "enabled must be true or false, not a string"),
            ("[statistics]\n\nstore = \"\"", 3, "store must name a file"),
            ("[statistics]\nstore = true", 2, "store must be a string"),
            ("[statistics]\ndatabase = \"s.db\"", 2, "unknown key 'database' in [statistics]; expected one of enabled, store"),
            ("[windows]\nraw_logs = \"7d\"\nraw_logs = \"8d\"", 3, "defined twice"),
        ]
        for (text, line, message) in cases {
            let error = Self.failure(text)
            #expect(error?.code == .configuration, "\(text)")
            #expect(error?.location == .init(path: "/etc/anonlog/policy.toml", line: line), "\(text): \(String(describing: error))")
            #expect(error?.message.contains(message) == true, "\(text): \(String(describing: error))")
        }
    }

    @Test func aMissingPolicyFileIsNoInput() {
        #expect(throws: AnonLogError.self) { try RetentionPolicy.load(from: "/nonexistent/policy.toml") }
        do {
            _ = try RetentionPolicy.load(from: "/nonexistent/policy.toml")
        } catch {
            #expect(error.code == .noInput)
        }
    }
}
