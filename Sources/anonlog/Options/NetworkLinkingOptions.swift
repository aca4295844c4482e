import AnonLogCore
import ArgumentParser

/// Network-linked pseudonyms, shared by anonymize and lookup.
struct NetworkLinkingOptions: ParsableArguments {
    @Flag(help: "Begin each HMAC pseudonym with bits of a keyed MAC of the client's network, so analysts can group by network.")
    var linkNetworks = false

    @Option(help: ArgumentHelp("The IPv4 network prefix length for --link-networks.", valueName: "bits"))
    var ipv4Network = 24

    @Option(help: ArgumentHelp("The IPv6 network prefix length for --link-networks.", valueName: "bits"))
    var ipv6Network = 48

    func validate() throws {
        guard (0...32).contains(ipv4Network), (0...128).contains(ipv6Network) else {
            throw ValidationError("--ipv4-network must be 0 to 32 and --ipv6-network 0 to 128")
        }
    }

    func apply(to options: inout AnonymizationOptions) {
        options.linkNetworks = linkNetworks
        options.networkPrefixLengths = (ipv4Network, ipv6Network)
    }
}
