import AnonLogCore
import ArgumentParser

#if canImport(Glibc)
import Glibc
#endif

struct LookupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lookup",
        abstract: "Print the pseudonym an address received at a given time.",
        discussion: """
            For matching an abuse report about a raw address against anonymized logs and \
            statistics. Uses the key file's mode and rotation; refuses shredded epochs.
            """
    )

    @Argument(help: ArgumentHelp("The raw IPv4 or IPv6 address.", valueName: "address"))
    var address: String

    @Option(help: ArgumentHelp("A time inside the epoch of interest (2026-11-20T14:00Z); default now.", valueName: "time"))
    var at: TimeArgument?

    @OptionGroup var key: KeyOptions

    @Option(help: ArgumentHelp("The pseudonym shape the logs were written with: address or token.", valueName: "shape"))
    var pseudonymFormat: HMACPseudonymizer.Shape = .address

    @OptionGroup var networks: NetworkLinkingOptions

    @Option(help: ArgumentHelp("The mode the logs were written with (default: the key file's; mask needs no key of its own).", valueName: "mode"))
    var mode: AnonymizationMode?

    @Option(help: ArgumentHelp("With --mode mask: IPv4 bits zeroed.", valueName: "bits"))
    var ipv4Mask = AddressMasker.defaultIPv4Mask

    @Option(help: ArgumentHelp("With --mode mask: IPv6 bits zeroed.", valueName: "bits"))
    var ipv6Mask = AddressMasker.defaultIPv6Mask

    func run() throws {
        guard let parsed = IPAddress(address) else {
            throw ValidationError("'\(address)' is not an IPv4 or IPv6 address")
        }
        var options = AnonymizationOptions()
        options.pseudonymShape = pseudonymFormat
        networks.apply(to: &options)
        options.maskBits = (ipv4Mask, ipv6Mask)
        let time = at?.seconds ?? Int64(Glibc.time(nil))
        let pseudonym = try reportingErrors { () throws(AnonLogError) -> String in
            let record = try KeySettingsCheck.settle(try key.resolveRecord(), mode: mode, rotation: nil)
            return try PseudonymLookup.pseudonym(of: parsed, at: time, keys: record, options: options)
        }
        print(pseudonym)
    }
}
