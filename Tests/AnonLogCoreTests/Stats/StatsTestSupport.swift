@testable import AnonLogCore

/// Log lines for statistics tests, in the shapes the recognizers read, at times counted in
/// seconds from 2026-11-20T10:00:00Z.
enum Trace {
    static let start: Int64 = 1_795_168_800
    static let browser = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"
    static let googlebot = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"

    /// A combined log line `seconds` after the start.
    static func request(
        _ client: String, _ seconds: Double, _ method: String = "GET", _ target: String, status: Int = 200, bytes: Int = 512,
        userAgent: String = browser, version: String = "HTTP/1.1"
    ) -> String {
        let request = method.isEmpty ? target : "\(method) \(target) \(version)"
        return "\(client) - - [\(commonLogTime(seconds))] \"\(request)\" \(status) \(bytes) \"-\" \"\(userAgent)\""
    }

    /// A chat event line `seconds` after the start.
    static func chat(_ event: String, session: String, client: String?, _ seconds: Double, text: String? = nil, sender: String = "visitor", site: String = "st_test") -> String {
        var members = ["\"ts\":\"\(isoTime(seconds))\"", "\"event\":\"\(event)\"", "\"site_id\":\"\(site)\"", "\"session_id\":\"\(session)\""]
        if event == "message" { members.append("\"sender\":\"\(sender)\"") }
        if let client { members.append("\"visitor_ip\":\"\(client)\"") }
        if let text { members.append("\"text\":\"\(text)\"") }
        return "{" + members.joined(separator: ",") + "}"
    }

    static func commonLogTime(_ seconds: Double) -> String {
        let time = start + Int64(seconds.rounded(.down))
        let day = (time / 86_400) - (start / 86_400) + 20
        let second = Int(time % 86_400)
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(two(Int(day)))/Nov/2026:\(two(second / 3600)):\(two(second / 60 % 60)):\(two(second % 60)) +0000"
    }

    static func isoTime(_ seconds: Double) -> String {
        let whole = Int64(seconds.rounded(.down))
        let millis = Int(((seconds - Double(whole)) * 1000).rounded())
        let text = LogTimestamp.format(start + whole)
        let padded = millis < 10 ? "00\(millis)" : millis < 100 ? "0\(millis)" : "\(millis)"
        return String(text.dropLast()) + ".\(padded)Z"
    }
}

/// Runs lines through the anonymizer with statistics into a memory store.
enum StatsHarness {
    static let key = SecretKey(bytes: (0..<32).map { UInt8($0 &* 7 &+ 1) })!
    static let keys = KeyRecord(mode: .hmac, rotation: .none, epoch: 0, key: key)

    /// What recording `inputs` (one array of lines each) left in a memory store.
    static func record(_ inputs: [[String]], configuration: StatsConfiguration = StatsConfiguration(), store: any StatsStore = MemoryStatsStore())
        throws -> (store: any StatsStore, report: StatsIngestionReport)
    {
        let anonymizer = try LogAnonymizer(keys: keys)
        let recorder = StatsRecorder(store: store, keys: keys, configuration: configuration) { 0 }
        anonymizer.statistics = recorder
        let output = OutputBuffer()
        for (index, lines) in inputs.enumerated() {
            recorder.beginInput(named: "input-\(index)")
            let text = lines.joined(separator: "\n") + "\n"
            Array(text.utf8).withUnsafeBytes { anonymizer.anonymize($0, into: output) }
            recorder.finishInput()
        }
        if let failure = recorder.failure { throw failure }
        return (store, recorder.report)
    }

    /// The alerts fired over `lines`.
    static func alerts(_ lines: [String], configuration: StatsConfiguration = StatsConfiguration()) throws -> [StatsAlert] {
        let (store, _) = try record([lines], configuration: configuration)
        return (store as! MemoryStatsStore).alerts
    }
}
