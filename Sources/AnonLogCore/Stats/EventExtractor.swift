/// The part of statistics recording that depends only on the line: a worker calls it for each
/// line it anonymizes, with the fields, time and epoch it found for its own work, and gets the
/// line's record (time, hash, event) in the chunk's ``StatsEventBuffer``.
///
/// One extractor belongs to one worker; ``StatsRecorder/makeEventExtractor()`` makes them, and
/// the recorder consumes the buffers in input order.
final class EventExtractor {
    private let builder: EventBuilder
    private let keyring: StatsKeyring

    init(keys: KeyRecord, configuration: StatsConfiguration) {
        builder = EventBuilder(geoDatabases: configuration.geoDatabases)
        keyring = StatsKeyring(record: keys)
    }

    /// Adds the record of one line to `buffer`.
    ///
    /// - Parameters:
    ///   - line: The raw line, without its line feed.
    ///   - offset: Where it starts in the chunk.
    ///   - fields: Its recognised fields, or `nil`.
    ///   - time: Its record time (Unix seconds), if it has one that parses.
    ///   - epoch: The key epoch the anonymizer chose for it.
    ///   - addresses: The anonymizer's pseudonym cache of that epoch (`nil` when shredded).
    ///   - keys: ``keys(forEpoch:)`` of that epoch.
    ///   - buffer: The chunk's records.
    @inline(__always)
    func add<Pseudonymizer: AddressPseudonymizer>(
        line: UnsafeRawBufferPointer, at offset: Int, fields: LineFields?, time: Int64?, epoch: Int64,
        addresses: PseudonymCache<Pseudonymizer>?, keys: StatsEpochKeys?, to buffer: StatsEventBuffer
    ) {
        // Filled in place: a record built on the stack and appended was copied (a memmove).
        let slot = buffer.appendEmpty()
        slot.pointee.lineStart = UInt32(truncatingIfNeeded: offset)
        slot.pointee.lineCount = UInt32(truncatingIfNeeded: line.count)
        slot.pointee.lineHash = StatsHash.hash(line, seed: 0x6C69_6E65)
        slot.pointee.epoch = epoch
        guard let fields else { return }
        slot.pointee.flags.insert(.recognized)
        guard let time, let range = fields.time else { return }
        let text = UnsafeRawBufferPointer(rebasing: line[range])
        slot.pointee.flags.insert(.hasTime)
        slot.pointee.time = time
        switch fields.format {
        case .common, .combined, .vhostCombined: slot.pointee.milliseconds = time * 1000
        case .nginxJSON, .chatJSON: slot.pointee.milliseconds = time * 1000 + StatsTime.millisecondFraction(text)
        }
        slot.pointee.localDay = StatsTime.floorDivide(time + StatsTime.zoneOffset(text), 86_400)
        // Tested, not bound: binding an optional reference costs a retain and a release per line.
        guard addresses != nil, keys != nil else { return }
        slot.pointee.flags.insert(.hasEvent)
        builder.build(
            line, fields: fields, keys: keys.unsafelyUnwrapped, addresses: addresses.unsafelyUnwrapped, into: &slot.pointee, buffer: buffer)
    }

    /// Starts loading what a coming line with client `address` will look up.
    @inline(__always)
    func prefetch(_ address: IPAddress, keys: StatsEpochKeys) {
        builder.prefetch(address, keys: keys)
    }

    /// The statistics keys of `epoch` (`nil` when it is shredded), for ``add(line:at:fields:time:epoch:addresses:keys:to:)``:
    /// the caller holds them while lines share the epoch.
    func keys(forEpoch epoch: Int64) -> StatsEpochKeys? { keyring.keys(forEpoch: epoch) }

    /// Ends a chunk: what the buffer's consumer needs beyond the records.
    func finish(_ buffer: StatsEventBuffer) {
        if let geo = builder.geo { buffer.organizations += geo.takeNewOrganizations() }
    }
}
