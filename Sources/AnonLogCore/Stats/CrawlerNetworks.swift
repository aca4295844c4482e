/// The address ranges that crawler operators publish for their crawlers, for telling a real
/// Googlebot from a fake one while the address is still in hand.
///
/// Offline and deterministic (the survey's proposal, §4.3): no DNS. Only operators that publish
/// stable ranges are listed; a claim of any other crawler is taken as declared. Ranges from the
/// operators' documentation (googlebot.json, bingbot.json, Apple's and Yandex's crawler pages,
/// openai.com/gptbot.json), widened to the operator's allocation where the list changes often.
enum CrawlerNetworks {
    /// An operator whose crawlers can be checked.
    enum Operator: Int, CaseIterable, Sendable {
        case google, bing, apple, yandex, openAI

        /// The crawler names (as the crawler list spells them, by prefix) this operator runs.
        var namePrefixes: [String] {
            switch self {
            case .google: ["Googlebot", "AdsBot-Google", "Mediapartners-Google", "Google-InspectionTool"]
            case .bing: ["bingbot", "BingPreview", "msnbot", "adidxbot"]
            case .apple: ["Applebot"]
            case .yandex: ["Yandex"]
            case .openAI: ["GPTBot", "OAI-SearchBot"]
            }
        }

        /// The operator's published ranges, as `address/prefix` text.
        var ranges: [String] {
            switch self {
            case .google:
                ["66.249.64.0/19", "64.233.160.0/19", "72.14.192.0/18", "74.125.0.0/16", "192.178.4.0/22",
                 "34.100.182.96/28", "34.101.50.144/28", "2001:4860:4801::/48"]
            case .bing:
                ["13.66.139.0/24", "13.66.144.0/24", "13.67.10.16/28", "13.69.66.240/28", "13.71.172.224/28",
                 "20.15.133.160/27", "20.36.108.32/28", "20.43.120.16/28", "20.74.197.0/28", "20.79.107.240/28",
                 "40.77.0.0/16", "40.79.131.208/28", "40.79.186.176/28", "51.105.67.0/28", "52.167.144.0/24",
                 "157.55.0.0/16", "191.233.204.224/28", "199.30.16.0/20", "207.46.0.0/16"]
            case .apple:
                ["17.0.0.0/8", "2a01:b740::/29", "2620:149::/32"]
            case .yandex:
                ["5.45.192.0/18", "5.255.192.0/18", "37.9.64.0/18", "37.140.128.0/18", "77.88.0.0/18",
                 "84.252.160.0/19", "87.250.224.0/19", "90.156.176.0/22", "93.158.128.0/18", "95.108.128.0/17",
                 "141.8.128.0/18", "178.154.128.0/18", "213.180.192.0/19", "2a02:6b8::/29"]
            case .openAI:
                ["20.171.206.0/24", "20.171.207.0/24", "52.230.152.0/24", "52.233.106.0/24", "4.227.36.0/25",
                 "20.125.66.80/28", "172.182.204.0/24", "172.182.214.0/24", "172.182.215.0/24"]
            }
        }
    }

    /// One range: the first 128-bit value and the mask of its prefix.
    struct Range: Sendable {
        var high: UInt64
        var low: UInt64
        var maskHigh: UInt64
        var maskLow: UInt64

        func contains(_ address: IPAddress) -> Bool {
            address.high & maskHigh == high && address.low & maskLow == low
        }
    }

    /// The parsed ranges of each operator, in ``Operator`` order.
    static let table: [[Range]] = Operator.allCases.map { $0.ranges.map(parse) }

    /// The operator whose crawler a list entry names, if its addresses can be checked.
    static func checkedOperator(forCrawlerNamed name: String) -> Operator? {
        Operator.allCases.first { $0.namePrefixes.contains { name.hasPrefix($0) } }
    }

    /// Whether `address` lies in one of `operator`'s published ranges.
    static func contains(_ address: IPAddress, for operator: Operator) -> Bool {
        table[`operator`.rawValue].contains { $0.contains(address) }
    }

    private static func parse(_ text: String) -> Range {
        let pieces = text.split(separator: "/")
        let address = IPAddress(String(pieces[0]))!
        // IPv4 ranges apply to the mapped form, so the prefix counts from bit 96.
        let length = Int(pieces[1])! + (address.family == .v4 ? 96 : 0)
        let maskHigh: UInt64 = length >= 64 ? .max : (length == 0 ? 0 : ~(UInt64.max >> UInt64(length)))
        let maskLow: UInt64 = length <= 64 ? 0 : (length >= 128 ? .max : ~(UInt64.max >> UInt64(length - 64)))
        return Range(high: address.high & maskHigh, low: address.low & maskLow, maskHigh: maskHigh, maskLow: maskLow)
    }
}
