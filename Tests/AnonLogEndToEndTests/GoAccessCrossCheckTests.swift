import Foundation
import Testing

/// anonlog's statistics agree with GoAccess on the same combined log: total requests and
/// requests per status code exactly, unique visitors (GoAccess's definition: address + date +
/// user agent, 4xx responses excluded) within HyperLogLog error.
struct GoAccessCrossCheckTests {
    static let goaccess: String? = ["/usr/bin/goaccess", "/usr/local/bin/goaccess"].first { FileManager.default.isExecutableFile(atPath: $0) }

    @Test(.enabled(if: goaccess != nil, "goaccess is not installed (apt-get install goaccess): the cross-check with GoAccess is skipped"))
    func countsMatchGoAccessOnTheSampleCombinedLog() throws {
        let directory = try TemporaryDirectory()
        let original = try gunzip(ProjectPaths.packageRoot.appendingPathComponent("SampleLogs/access.log.gz").path)
        let originalPath = directory.path("access.log")
        try original.write(to: URL(fileURLWithPath: originalPath))

        // GoAccess reads the client field's first address (~h) like anonlog; the lines it still
        // cannot read (a zone id) are left out, so both read the same log.
        let invalidPath = directory.path("invalid.txt")
        _ = try runGoAccess([originalPath, "-o", directory.path("first.json"), "--invalid-requests=\(invalidPath)"])
        let invalid = Set((try? String(contentsOfFile: invalidPath, encoding: .utf8))?.split(separator: "\n").map(String.init) ?? [])
        let lines = String(decoding: original, as: UTF8.self).split(separator: "\n").map(String.init)
        let common = lines.filter { !invalid.contains($0) }
        #expect(invalid.count <= 2, "GoAccess should read nearly every sample line; it refused \(invalid.count)")
        let logPath = directory.path("common.log")
        try Data((common.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: logPath))

        let reportPath = directory.path("goaccess.json")
        _ = try runGoAccess([logPath, "-o", reportPath])
        // GoAccess copies invalid UTF-8 from the log into its JSON: repair it before parsing.
        let reportText = String(decoding: try Data(contentsOf: URL(fileURLWithPath: reportPath)), as: UTF8.self)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(reportText.utf8)) as? [String: Any])
        let general = try #require(report["general"] as? [String: Any])
        let goTotal = try #require(general["total_requests"] as? Int)
        let goVisitors = try #require(general["unique_visitors"] as? Int)
        var goStatuses: [String: Int] = [:]
        for group in (report["status_codes"] as? [String: Any])?["data"] as? [[String: Any]] ?? [] {
            for item in group["items"] as? [[String: Any]] ?? [] {
                let code = String((item["data"] as? String ?? "").prefix(3))
                goStatuses[code] = (item["hits"] as? [String: Any])?["count"] as? Int
            }
        }

        let key = try directory.makeKey()
        let store = directory.path("stats.db")
        let run = try AnonlogBinary.run(["--key-file", key, "--stats", store, logPath, "-o", "/dev/null"])
        #expect(run.status == 0, "\(run.error)")
        let summary = try statsJSON(["summary", "--stats", store, "--k", "1"])
        let traffic = summary.first { $0["name"] as? String == "traffic" }?["rows"] as? [[String: Any]] ?? []
        func metric(_ name: String) -> Int? { traffic.first { $0["metric"] as? String == name }?["value"] as? Int }
        #expect(metric("requests") == goTotal)
        #expect(goTotal == common.count)

        let statuses = try statsJSON(["top", "--by", "status", "--stats", store, "--k", "1", "--limit", "100"])
        var ours: [String: Int] = [:]
        for row in statuses.first?["rows"] as? [[String: Any]] ?? [] {
            ours[row["status"] as? String ?? ""] = row["requests"] as? Int
        }
        #expect(ours == goStatuses)

        let visitors = try #require(metric("unique visitors (GoAccess)"))
        // Precision-14 sketches: standard error 0.81 %; allow four of them (and one visitor).
        let allowed = Double(goVisitors) * 4 * 0.0081 + 1
        #expect(abs(Double(visitors - goVisitors)) <= allowed, "anonlog \(visitors) unique visitors, GoAccess \(goVisitors)")
    }

    private func runGoAccess(_ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.goaccess!)
        // The combined format, reading the first address of an X-Forwarded-For style client list.
        process.arguments = arguments + [
            "--log-format=~h{, } %^[%d:%t %^] \"%r\" %s %b \"%R\" \"%u\"", "--date-format=%d/%b/%Y", "--time-format=%T",
            "--no-global-config",
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }

    private func statsJSON(_ arguments: [String]) throws -> [[String: Any]] {
        let result = try AnonlogBinary.run(["stats"] + arguments + ["--format", "json"])
        #expect(result.status == 0, "\(result.error)")
        let object = try JSONSerialization.jsonObject(with: result.output) as? [String: Any]
        return object?["tables"] as? [[String: Any]] ?? []
    }
}
