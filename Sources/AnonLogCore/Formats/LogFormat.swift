/// The log formats anonlog recognises.
///
/// Recognition tells the summary how many lines were understood and, for later stages, where
/// the time, the client and the other fields of a line are. Addresses are found everywhere in
/// every line whatever the format, so an unrecognised line is still anonymized.
public enum LogFormat: String, CaseIterable, Sendable, Hashable {
    /// NCSA common: `%h %l %u %t "%r" %>s %b`.
    case common
    /// Apache/nginx combined: common plus `"%{Referer}i" "%{User-agent}i"`, and any fields after.
    case combined
    /// Apache `vhost_combined`: `%v:%p` before the combined fields.
    case vhostCombined = "vhost_combined"
    /// nginx access log written as one JSON object per line (`escape=json`).
    case nginxJSON = "nginx-json"
    /// A live-chat event log, one JSON object per line with a `session_id`.
    case chatJSON = "chat-json"
}
