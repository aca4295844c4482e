/// Reads one-object-per-line JSON logs: nginx access logs written with `escape=json`, and
/// live-chat event logs.
///
/// A line with a `session_id` and an `event` (or `type`) member is a chat event; a line with a
/// `remote_addr`, or with both `request` and `status`, is an nginx access record. Other JSON
/// (Caddy, Traefik) is not recognised, and is still scanned for addresses like every line.
enum JSONLogFormatParser {
    static func parse(_ line: UnsafeRawBufferPointer) -> LineFields? {
        var fields = LineFields(format: .nginxJSON)
        var hasRemoteAddress = false
        let isObject = JSONObjectScanner.scan(line) { member in
            let key = member.key
            func named(_ name: StaticString) -> Bool { JSONObjectScanner.equals(line, key, name) }
            switch key.count {
            case 2 where named("ts"),
                4 where named("time"),
                9 where named("timestamp"),
                10 where named("time_local") || named("@timestamp"),
                12 where named("time_iso8601"):
                if fields.time == nil { fields.time = member.value }
            case 11 where named("remote_addr"):
                hasRemoteAddress = true
                fields.client = member.value
            case 10 where named("visitor_ip"), 9 where named("client_ip"), 2 where named("ip"):
                if fields.client == nil { fields.client = member.value }
            case 7 where named("request"):
                // nginx writes the request line; Caddy nests an object of the same name.
                if member.isString { fields.request = member.value }
            case 6 where named("status"):
                fields.status = member.value
            case 15 where named("body_bytes_sent"), 10 where named("bytes_sent"):
                if fields.bytesSent == nil { fields.bytesSent = member.value }
            case 12 where named("http_referer"), 7 where named("referer"):
                fields.referer = member.value
            case 15 where named("http_user_agent"), 10 where named("user_agent"):
                fields.userAgent = member.value
            case 20 where named("http_x_forwarded_for"):
                fields.forwardedFor = member.value
            case 10 where named("session_id"):
                if member.isString { fields.sessionID = member.value }
            case 5 where named("event"), 4 where named("type"):
                if fields.event == nil, member.isString { fields.event = member.value }
            case 4 where named("text"), 7 where named("message"):
                if member.isString { fields.text = member.value }
            default:
                break
            }
        }
        guard isObject else { return nil }
        if fields.sessionID != nil, fields.event != nil {
            fields.format = .chatJSON
            return fields
        }
        if hasRemoteAddress || (fields.request != nil && fields.status != nil) {
            return fields
        }
        return nil
    }
}
