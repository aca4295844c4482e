/// Finds the client address of a recognised line: the address the statistics count a request
/// or a chat event for.
///
/// - combined, common, vhost_combined: the client field, or the first address of an
///   X-Forwarded-For style list in it (`203.0.113.7, 10.0.0.1`), brackets, ports and zone ids
///   removed;
/// - nginx JSON: the leftmost public address of `http_x_forwarded_for` when it has one (the
///   client behind the load balancer), else `remote_addr`;
/// - chat JSON: `visitor_ip` (operator messages have none).
enum ClientAddress {
    static func find(in line: UnsafeRawBufferPointer, fields: LineFields) -> IPAddress? {
        if fields.format == .nginxJSON, let forwarded = fields.forwardedFor, !forwarded.isEmpty {
            var start = forwarded.lowerBound
            while start < forwarded.upperBound {
                var end = start
                while end < forwarded.upperBound, line[end] != UInt8(ascii: ",") { end += 1 }
                if let address = parse(line, start, end), isPublic(address) { return address }
                start = end + 1
            }
        }
        guard let client = fields.client else { return nil }
        var end = client.lowerBound
        while end < client.upperBound, line[end] != UInt8(ascii: ",") { end += 1 }
        return parse(line, client.lowerBound, end)
    }

    /// One list entry: spaces, brackets, a port and a zone id around an address.
    static func parse(_ line: UnsafeRawBufferPointer, _ rangeStart: Int, _ rangeEnd: Int) -> IPAddress? {
        var start = rangeStart
        var end = rangeEnd
        while start < end, line[start] == UInt8(ascii: " ") || line[start] == UInt8(ascii: "\"") { start += 1 }
        while end > start, line[end - 1] == UInt8(ascii: " ") || line[end - 1] == UInt8(ascii: "\"") { end -= 1 }
        guard end > start else { return nil }
        if line[start] == UInt8(ascii: "[") {
            // [v6] or [v6]:port
            var close = start + 1
            while close < end, line[close] != UInt8(ascii: "]") { close += 1 }
            guard close < end else { return nil }
            start += 1
            end = close
        } else {
            var colons = 0
            var lastColon = -1
            for index in start..<end where line[index] == UInt8(ascii: ":") {
                colons += 1
                lastColon = index
            }
            if colons == 1 { end = lastColon }  // a.b.c.d:port
        }
        var zone = start
        while zone < end, line[zone] != UInt8(ascii: "%") { zone += 1 }
        end = zone
        guard end - start <= 45 else { return nil }
        return IPAddress.parse(UnsafeRawBufferPointer(rebasing: line[start..<end]))
    }

    /// Whether an address belongs to the public internet (not private, loopback, link-local,
    /// shared CGNAT space, unique-local or unspecified). Documentation ranges count as public,
    /// as they stand for public addresses in examples.
    static func isPublic(_ address: IPAddress) -> Bool {
        if let v4 = address.ipv4Bits {
            let first = v4 >> 24
            let second = (v4 >> 16) & 0xFF
            switch first {
            case 0, 10, 127: return false
            case 100: return !(64...127).contains(second)
            case 169: return second != 254
            case 172: return !(16...31).contains(second)
            case 192: return second != 168
            default: return first < 224
            }
        }
        let top = address.high >> 48
        if address.high == 0 && address.low <= 1 { return false }  // :: and ::1
        if top & 0xFE00 == 0xFC00 { return false }  // fc00::/7
        if top & 0xFFC0 == 0xFE80 { return false }  // fe80::/10
        if top & 0xFF00 == 0xFF00 { return false }  // multicast
        return true
    }
}
