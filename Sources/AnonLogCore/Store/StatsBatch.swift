/// Everything one ingestion segment adds to the stats store, written in one transaction
/// together with the segment's ledger entry.
///
/// Time-bucketed rows come at minute granularity; the store rolls them up into hour and day
/// rows as it writes. Sketches are serialized ``HyperLogLog`` bytes.
public struct StatsBatch: Sendable {
    struct Traffic: Sendable, Equatable {
        var minute: Int64
        var userAgentClass: UserAgentClass
        var statusClass: Int
        var isStatic: Bool
        var hits: Int64
        var bytes: Int64
    }

    struct Status: Sendable, Equatable {
        var minute: Int64
        var status: Int
        var hits: Int64
        /// `nil` when the minute had too many distinct statuses to sketch them all.
        var clients: [UInt8]?
    }

    struct Uniques: Sendable, Equatable {
        var minute: Int64
        var clients: [UInt8]
        var networks: [UInt8]
    }

    struct ClassClients: Sendable, Equatable {
        var minute: Int64
        var userAgentClass: UserAgentClass
        var clients: [UInt8]
    }

    struct Chat: Sendable, Equatable {
        var minute: Int64
        var sessions: Int64 = 0
        var sessionsWithMessages: Int64 = 0
        var messages: Int64 = 0
        var operatorMessages: Int64 = 0
        var duplicates: Int64 = 0
        var messagesWithLinks: Int64 = 0
        /// Time to first message: < 3 s, < 10 s, < 30 s, < 1 min, < 5 min, < 30 min, longer.
        var firstMessageDelays = [Int64](repeating: 0, count: 7)
        var clients: [UInt8]
    }

    struct Visitors: Sendable, Equatable {
        var day: Int64
        var sketch: [UInt8]
    }

    struct Path: Sendable, Equatable {
        var hour: Int64
        var statusClass: Int
        var template: String
        var hits: Int64
        var error: Int64
        var clients: [UInt8]
    }

    struct Network: Sendable, Equatable {
        var day: Int64
        var network: String
        var hits: Int64
        var bytes: Int64
        var clientErrors: Int64
        var serverErrors: Int64
        var clients: [UInt8]
    }

    struct Actor: Sendable, Equatable {
        var day: Int64
        var client: String
        var network: String?
        var hits: Int64
        var bytes: Int64
        var clientErrors: Int64
        var serverErrors: Int64
        /// A bit per ``UserAgentClass`` seen.
        var classes: Int64
        var chatSessions: Int64
        var chatMessages: Int64
        var firstSeen: Int64
        var lastSeen: Int64
    }

    struct Bot: Sendable, Equatable {
        var day: Int64
        var userAgentClass: UserAgentClass
        var bot: String
        var category: String
        var hits: Int64
        var bytes: Int64
        var clients: [UInt8]
    }

    struct AutonomousSystem: Sendable, Equatable {
        var day: Int64
        var asn: UInt32
        var country: String?
        var organization: String?
        var hits: Int64
        var clientErrors: Int64
        var clients: [UInt8]
    }

    struct Fingerprint: Sendable, Equatable {
        var hour: Int64
        var fingerprint: String
        var messages: Int64
        var sessions: [UInt8]
        var clients: [UInt8]
        var networks: [UInt8]
        var linkHost: String?
        var messagesWithLinks: Int64
        var firstSeen: Int64
        var lastSeen: Int64
    }

    var traffic: [Traffic] = []
    var statuses: [Status] = []
    var uniques: [Uniques] = []
    var classClients: [ClassClients] = []
    var chat: [Chat] = []
    var visitors: [Visitors] = []
    var paths: [Path] = []
    var networks: [Network] = []
    var actors: [Actor] = []
    var bots: [Bot] = []
    var autonomousSystems: [AutonomousSystem] = []
    var fingerprints: [Fingerprint] = []
    var alerts: [StatsAlert] = []

    public init() {}

    /// Whether the batch adds nothing.
    public var isEmpty: Bool {
        traffic.isEmpty && chat.isEmpty && alerts.isEmpty && visitors.isEmpty
    }
}
