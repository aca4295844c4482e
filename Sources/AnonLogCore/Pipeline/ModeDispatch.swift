/// Which way the addresses go.
public enum TransformDirection: Sendable {
    /// Addresses become pseudonyms (`anonlog`).
    case anonymize
    /// Pseudonyms of a reversible mode become addresses again (`anonlog decrypt`).
    case decrypt
}

/// Something built around the pseudonymizer type of a mode: the generic line rewriter and
/// pipeline are specialized per mode, and this is how a mode chosen at run time reaches them.
protocol PseudonymizerConsumer {
    associatedtype Result
    func consume<Pseudonymizer: AddressPseudonymizer>(
        _ factory: @escaping EpochPseudonyms<Pseudonymizer>.Factory
    ) throws(AnonLogError) -> Result
}

enum ModeDispatch {
    /// Hands `consumer` the factory that makes each epoch's pseudonymizer for `mode`.
    ///
    /// hmac derives its address (and network) subkeys from the epoch key; the cipher modes use
    /// the epoch key itself, so that a key imported from another tool gives that tool's output.
    static func withFactory<Consumer: PseudonymizerConsumer>(
        mode: AnonymizationMode, direction: TransformDirection, options: AnonymizationOptions, _ consumer: Consumer
    ) throws(AnonLogError) -> Consumer.Result {
        if direction == .decrypt {
            _ = try AddressDecryptor(mode: mode, key: SecretKey.random(byteCount: mode.keyByteCount))  // refuses hmac and mask
            return try consumer.consume { (key) throws(AnonLogError) in try AddressDecryptor(mode: mode, key: key) }
        }
        switch mode {
        case .hmac:
            return try consumer.consume { (key) throws(AnonLogError) in try HMACPseudonymizer(epochKey: key, options: options) }
        case .mask:
            let masker = try AddressMasker(ipv4Mask: options.maskBits.ipv4, ipv6Mask: options.maskBits.ipv6)
            return try consumer.consume { (_) throws(AnonLogError) in masker }
        case .cryptopan:
            return try consumer.consume { (key) throws(AnonLogError) in try CryptoPAn(key: key) }
        case .ipcryptPFX:
            return try consumer.consume { (key) throws(AnonLogError) in try IPCryptPFX(key: key) }
        case .ipcryptDeterministic:
            return try consumer.consume { (key) throws(AnonLogError) in try IPCryptDeterministic(key: key) }
        case .ipcryptNDX:
            return try consumer.consume { (key) throws(AnonLogError) in try IPCryptNDXPseudonymizer(cipher: IPCryptNDX(key: key)) }
        }
    }
}

/// A line rewriter of any mode.
protocol LineRewriting: AnyObject {
    func anonymize(lines chunk: UnsafeRawBufferPointer, into output: OutputBuffer)
    func anonymize(lines chunk: UnsafeRawBufferPointer, into output: OutputBuffer, events: StatsEventBuffer?)
    var counts: AnonymizationCounts { get }
    var keyingError: AnonLogError? { get }
    var statistics: StatsRecorder? { get set }
}

extension LineAnonymizer: LineRewriting {}

/// A pipeline of any mode.
protocol PipelineRunning: AnyObject {
    func run(_ source: any ByteSource, into sink: any ByteSink) throws(StreamFailure)
    var counts: AnonymizationCounts { get }
    var tally: ContentTally? { get }
    var keyingError: AnonLogError? { get }
}

extension ChunkPipeline: PipelineRunning {
    var keyingError: AnonLogError? { workers.lazy.compactMap(\.keyingError).first }
}

/// Makes line rewriters for a mode: one for in-memory use, several for a pipeline.
struct LineRewriterBuilder: PseudonymizerConsumer {
    let keys: KeyRecord
    let options: AnonymizationOptions
    let direction: TransformDirection
    let now: Int64
    /// How many rewriters (pipeline workers) to make.
    let count: Int
    /// Compress the pipeline's output into gzip members at this level.
    let gzipLevel: Int?
    /// Records statistics from the lines: built by the workers, counted in order on the
    /// pipeline's writer thread.
    var statistics: StatsRecorder?
    /// Whether the pipeline tallies the bytes it writes (the archive verifies them).
    var tallying = false

    /// - Parameter marksSessions: Whether the rewriter marks chat lines for an ordered session
    ///   stage (a pipeline's; the in-memory anonymizer has none).
    func rewriter<Pseudonymizer: AddressPseudonymizer>(
        _ factory: @escaping EpochPseudonyms<Pseudonymizer>.Factory, marksSessions: Bool = false
    ) -> LineAnonymizer<Pseudonymizer> {
        let policy = LineRewritePolicy(options: options, direction: direction)
        let epochs = EpochPseudonyms<Pseudonymizer>(
            record: keys, pseudonymizeIdentifiers: !policy.identifiers.isEmpty, makePseudonymizer: factory)
        return LineAnonymizer(
            epochs: epochs, recognizer: FormatRecognizer(forcedFormat: options.forcedFormat), policy: policy, now: now,
            windows: options.windows.isActive ? options.windows : nil, marksSessions: marksSessions)
    }

    func consume<Pseudonymizer: AddressPseudonymizer>(
        _ factory: @escaping EpochPseudonyms<Pseudonymizer>.Factory
    ) throws(AnonLogError) -> any PipelineRunning {
        let workers = (0..<max(1, count)).map { _ in rewriter(factory, marksSessions: true) }
        return try ChunkPipeline(
            workers: workers, gzipLevel: gzipLevel, maximumLineLength: options.maximumLineLength, statistics: statistics,
            windows: options.windows.isActive ? options.windows : nil, tallying: tallying)
    }
}

/// Makes one line rewriter of a mode.
struct SingleRewriterBuilder: PseudonymizerConsumer {
    let base: LineRewriterBuilder

    func consume<Pseudonymizer: AddressPseudonymizer>(
        _ factory: @escaping EpochPseudonyms<Pseudonymizer>.Factory
    ) throws(AnonLogError) -> any LineRewriting {
        base.rewriter(factory)
    }
}
