@_spi(Benchmarks) import AnonLogCore
import Benchmark
import Foundation

// Each streaming benchmark handles one MiB of a generated combined log per iteration, so its
// throughput in iterations per second reads as MiB/s. Compare stages with each other in the
// same run; the machine is shared and noisy, so absolute numbers vary.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.throughput, .wallClock, .mallocCountTotal],
        warmupIterations: 2,
        maxDuration: .seconds(3),
        maxIterations: 400
    )
    let corpus = StageCorpus.shared

    Benchmark("Scan for addresses (MiB)") { benchmark in
        var scanner = AddressScanner()
        for iteration in benchmark.chunkIterations {
            corpus.withChunk(iteration) { chunk in
                var offset = 0
                while offset < chunk.count {
                    let end = min(offset + 65_536, chunk.count)
                    scanner.scan(UnsafeRawBufferPointer(rebasing: chunk[offset..<end]))
                    offset = end
                }
                blackHole(scanner.matches.count)
            }
        }
    }

    Benchmark("Anonymize plain lines: scan + HMAC pseudonyms + formats (MiB)") { benchmark in
        let anonymizer = try LogAnonymizer(key: corpus.key)
        let output = OutputBuffer(capacity: 4 << 20)
        // A worker that has been running: its cache table's pages are in place (the first
        // lookups of a fresh one fault them in) and hold the clients of an earlier MiB.
        corpus.withChunk(0) { anonymizer.anonymize($0, into: output) }
        benchmark.startMeasurement()
        for iteration in benchmark.chunkIterations {
            corpus.withChunk(iteration) { chunk in
                output.removeAll()
                anonymizer.anonymize(chunk, into: output)
                blackHole(output.count)
            }
        }
    }

    Benchmark("Anonymize plain lines, pseudonym cache cold: every address new (MiB)") { benchmark in
        let output = OutputBuffer(capacity: 4 << 20)
        for iteration in benchmark.chunkIterations {
            // A fresh anonymizer per MiB: its cache starts empty, so every client costs a MAC
            // (and the table's pages are faulted in as they are first written).
            let anonymizer = try LogAnonymizer(key: corpus.key)
            corpus.withChunk(iteration) { chunk in
                output.removeAll()
                anonymizer.anonymize(chunk, into: output)
                blackHole(output.count)
            }
        }
    }

    // Statistics: the same lines with and without the stats recorder (events, detectors and
    // aggregates, into a store that keeps nothing), per MiB and per thousand lines (events).
    // In the pipeline the work is split: the workers anonymize and build each line's event in
    // parallel, one thread counts the events in order. The two parts are measured apart too.
    Benchmark("Statistics, workers' part: anonymize plain lines and build their events (MiB)") { benchmark in
        let anonymizer = try LogAnonymizer(key: corpus.key)
        anonymizer.statistics = StatsRecorder(store: DiscardingStatsStore(), keys: corpus.keys) { 0 }
        let output = OutputBuffer(capacity: 4 << 20)
        let events = StatsEventBuffer()
        // Setup (the shipped lists, the tables, a first MiB) is not measured.
        corpus.withChunk(0) { anonymizer.anonymize($0, into: output, events: events) }
        benchmark.startMeasurement()
        for iteration in benchmark.chunkIterations {
            corpus.withChunk(iteration) { chunk in
                output.removeAll()
                anonymizer.anonymize(chunk, into: output, events: events)
                blackHole(events.count)
            }
        }
    }

    Benchmark("Statistics, ordered part: count a MiB's events: segments, detectors, aggregates (MiB)") { benchmark in
        // The events of every MiB of the corpus, built once, counted in input order.
        let built = corpus.builtEvents
        let recorder = StatsRecorder(store: DiscardingStatsStore(), keys: corpus.keys) { 0 }
        recorder.beginInput(named: "corpus")
        benchmark.startMeasurement()
        for iteration in benchmark.chunkIterations {
            let index = iteration % built.count
            corpus.withChunk(index) { chunk in recorder.consume(built[index], lines: chunk) }
        }
        recorder.finishInput()
    }

    Benchmark("Anonymize plain lines with statistics: events + detectors + aggregates (MiB)") { benchmark in
        let anonymizer = try LogAnonymizer(key: corpus.key)
        anonymizer.statistics = StatsRecorder(store: DiscardingStatsStore(), keys: corpus.keys) { 0 }
        let output = OutputBuffer(capacity: 4 << 20)
        benchmark.startMeasurement()
        for iteration in benchmark.chunkIterations {
            corpus.withChunk(iteration) { chunk in
                output.removeAll()
                anonymizer.anonymize(chunk, into: output)
                blackHole(output.count)
            }
        }
    }

    for statisticsOn in [false, true] {
        Benchmark("Anonymize 1k lines, statistics \(statisticsOn ? "on" : "off") (k events)") { benchmark in
            let anonymizer = try LogAnonymizer(key: corpus.key)
            if statisticsOn { anonymizer.statistics = StatsRecorder(store: DiscardingStatsStore(), keys: corpus.keys) { 0 } }
            let output = OutputBuffer(capacity: 1 << 20)
            corpus.withThousandLines(0) { anonymizer.anonymize($0, into: output) }
            output.removeAll()
            benchmark.startMeasurement()
            for iteration in benchmark.chunkIterations {
                corpus.withThousandLines(iteration) { lines in
                    output.removeAll()
                    anonymizer.anonymize(lines, into: output)
                    blackHole(output.count)
                }
            }
        }
    }

    Benchmark("HMAC-SHA256 of a 16-byte address (keyed once)", configuration: .init(scalingFactor: .kilo)) { benchmark in
        let mac = HMACSHA256(key: corpus.key)
        var address = (UInt64(0x0000_FFFF_C000_0200), UInt64(0))
        var digest = (UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        for iteration in benchmark.scaledIterations {
            address.1 = UInt64(iteration)
            withUnsafeBytes(of: &address) { message in
                withUnsafeMutableBytes(of: &digest) { mac.authenticate(message, into: $0) }
            }
            blackHole(digest.0)
        }
    }

    // MARK: Address modes, per address (the text that replaces it, formatting included)

    // Cache cold: the prefix cache is off, so every bit of the address costs its AES blocks (a
    // client in a network never seen). Warm: hosts in 256 networks already seen, so only the
    // bits after the cached /24 (IPv4) or /64 (IPv6) cost AES blocks.
    let samples = ModeSamples()
    let perAddress = Benchmark.Configuration(scalingFactor: .kilo)

    Benchmark("Mode hmac: pseudonym per address", configuration: perAddress) { benchmark in
        let pseudonymizer = HMACPseudonymizer(key: corpus.key)
        samples.run(benchmark, pseudonymizer, samples.ipv4Anywhere)
    }

    Benchmark("Mode mask: pseudonym per address", configuration: perAddress) { benchmark in
        samples.run(benchmark, try AddressMasker(), samples.ipv4Anywhere)
    }

    for (family, anywhere, inKnownNetworks) in [
        ("IPv4", samples.ipv4Anywhere, samples.ipv4InKnownNetworks),
        ("IPv6", samples.ipv6Anywhere, samples.ipv6InKnownNetworks),
    ] {
        Benchmark("Mode cryptopan \(family), prefix cache cold: pseudonym per address", configuration: perAddress) { benchmark in
            samples.run(benchmark, try CryptoPAn(key: corpus.key, prefixCacheSlotCount: 0), anywhere)
        }
        Benchmark("Mode cryptopan \(family), prefix cache warm: pseudonym per address", configuration: perAddress) { benchmark in
            samples.run(benchmark, try CryptoPAn(key: corpus.key), inKnownNetworks)
        }
        Benchmark("Mode ipcrypt-pfx \(family), prefix cache cold: pseudonym per address", configuration: perAddress) { benchmark in
            samples.run(benchmark, try IPCryptPFX(key: corpus.key, prefixCacheSlotCount: 0), anywhere)
        }
        Benchmark("Mode ipcrypt-pfx \(family), prefix cache warm: pseudonym per address", configuration: perAddress) { benchmark in
            samples.run(benchmark, try IPCryptPFX(key: corpus.key), inKnownNetworks)
        }
    }

    Benchmark("Mode ipcrypt-deterministic: pseudonym per address", configuration: perAddress) { benchmark in
        samples.run(benchmark, try IPCryptDeterministic(key: corpus.key), samples.ipv4Anywhere)
    }

    Benchmark("Mode ipcrypt-ndx: pseudonym per address (random tweak each)", configuration: perAddress) { benchmark in
        samples.run(benchmark, try IPCryptNDXPseudonymizer(cipher: IPCryptNDX(key: corpus.key)), samples.ipv4Anywhere)
    }

    Benchmark("Inflate gzip -6 (MiB out)") { benchmark in
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { buffer.deallocate() }
        for iteration in benchmark.chunkIterations {
            let member = corpus.gzipMembers[iteration % corpus.gzipMembers.count]
            let source = try GzipInflatingSource(wrapping: MemorySource(member))
            var total = 0
            while true {
                let count = try source.read(into: buffer)
                if count == 0 { break }
                total += count
            }
            blackHole(total)
        }
    }

    // The member encoders `.gz` output uses, one chunk per member, as the workers call them.
    for level in [1, 2, 3, 6] {
        Benchmark("Deflate member, anonlog level \(level) (MiB in)") { benchmark in
            let encoder = try GzipMemberEncoders.make(level: level)
            let output = OutputBuffer(capacity: 2 << 20)
            for iteration in benchmark.chunkIterations {
                output.removeAll()
                corpus.withChunk(iteration) { chunk in encoder.encode(chunk, member: iteration, into: output) }
                blackHole(output.count)
            }
        }
    }

    // zlib's streaming deflate (the public `GzipDeflatingSink`), for comparison.
    Benchmark("Deflate gzip -6, zlib stream (MiB in)") { benchmark in
        for iteration in benchmark.chunkIterations {
            let sink = CountingSink()
            let gzip = try GzipDeflatingSink(wrapping: sink, level: 6)
            try corpus.withChunk(iteration) { chunk in try gzip.write(chunk) }
            try gzip.finish()
            blackHole(sink.count)
        }
    }
}

/// A generated combined log (64 MiB), made once with the project's generator.
final class StageCorpus: @unchecked Sendable {
    static let shared = StageCorpus()
    static let chunkSize = 1 << 20

    let bytes: [UInt8]
    /// Chunk boundaries, each at a line end, about one MiB apart.
    let chunkStarts: [Int]
    let gzipMembers: [[UInt8]]
    /// Starts of runs of 1,000 lines.
    let thousandLineStarts: [Int]
    let key = SecretKey(bytes: (0..<32).map { UInt8($0) })!
    var keys: KeyRecord { KeyRecord(mode: .hmac, rotation: .none, epoch: 0, key: key) }

    private init() {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let path = root.appendingPathComponent("Benchmarks/corpus/stage-64M.log").path
        if !FileManager.default.fileExists(atPath: path) {
            try? FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            let generator = Process()
            generator.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            generator.arguments = ["python3", root.appendingPathComponent("Scripts/generate-sample-logs.py").path,
                                   "--format", "combined", "--bytes", "64M", "--out", path]
            try! generator.run()
            generator.waitUntilExit()
        }
        bytes = Array(FileManager.default.contents(atPath: path)!)
        var starts = [0]
        var position = Self.chunkSize
        while position < bytes.count {
            while position < bytes.count, bytes[position - 1] != 0x0A { position += 1 }
            if position < bytes.count { starts.append(position) }
            position += Self.chunkSize
        }
        chunkStarts = starts
        var lineStarts = [0]
        var lines = 0
        for (index, byte) in bytes.enumerated() where byte == 0x0A {
            lines += 1
            if lines % 1000 == 0 { lineStarts.append(index + 1) }
        }
        thousandLineStarts = lineStarts
        var members: [[UInt8]] = []
        for index in 0..<min(16, starts.count - 1) {
            let sink = CountingSink(keeping: true)
            let gzip = try! GzipDeflatingSink(wrapping: sink, level: 6)
            bytes.withUnsafeBytes { try! gzip.write(UnsafeRawBufferPointer(rebasing: $0[starts[index]..<starts[index + 1]])) }
            try! gzip.finish()
            members.append(sink.kept)
        }
        gzipMembers = members
    }

    func withChunk<Result>(_ iteration: Int, _ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        let index = iteration % (chunkStarts.count - 1)
        return try bytes.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[chunkStarts[index]..<chunkStarts[index + 1]])) }
    }
}

/// Addresses for the per-address mode benchmarks, made once.
struct ModeSamples: Sendable {
    static let count = 1 << 16
    let ipv4Anywhere: [IPAddress]
    let ipv4InKnownNetworks: [IPAddress]
    let ipv6Anywhere: [IPAddress]
    let ipv6InKnownNetworks: [IPAddress]

    init() {
        var generator = SystemRandomNumberGenerator()
        let networks24 = (0..<256).map { _ in UInt32.random(in: .min ... .max, using: &generator) & 0xFFFF_FF00 }
        let networks64 = (0..<256).map { _ in UInt64.random(in: .min ... .max, using: &generator) }
        ipv4Anywhere = (0..<Self.count).map { _ in IPAddress(ipv4: .random(in: 1 ... .max, using: &generator)) }
        ipv4InKnownNetworks = (0..<Self.count).map { _ in
            IPAddress(ipv4: networks24.randomElement(using: &generator)! | .random(in: 0...255, using: &generator))
        }
        ipv6Anywhere = (0..<Self.count).map { _ in
            IPAddress(ipv6High: .random(in: 1 ... .max, using: &generator), low: .random(in: .min ... .max, using: &generator))
        }
        ipv6InKnownNetworks = (0..<Self.count).map { _ in
            IPAddress(ipv6High: networks64.randomElement(using: &generator)!, low: .random(in: .min ... .max, using: &generator))
        }
    }

    /// Writes the pseudonym of one sample address per scaled iteration.
    func run<Pseudonymizer: AddressPseudonymizer>(
        _ benchmark: Benchmark, _ pseudonymizer: Pseudonymizer, _ addresses: [IPAddress]
    ) {
        let text = UnsafeMutableRawBufferPointer.allocate(byteCount: 64, alignment: 8)
        defer { text.deallocate() }
        addresses.withUnsafeBufferPointer { addresses in
            for iteration in benchmark.scaledIterations {
                blackHole(pseudonymizer.writePseudonym(for: addresses[iteration & (Self.count - 1)], into: text))
            }
        }
    }
}

extension StageCorpus {
    /// The statistics records of every MiB of the corpus (made on first use).
    var builtEvents: [StatsEventBuffer] {
        Self.eventsLock.lock()
        defer { Self.eventsLock.unlock() }
        if let made = Self.events { return made.buffers }
        let anonymizer = try! LogAnonymizer(key: key)
        anonymizer.statistics = StatsRecorder(store: DiscardingStatsStore(), keys: keys) { 0 }
        let output = OutputBuffer(capacity: 4 << 20)
        let buffers = (0..<(chunkStarts.count - 1)).map { index in
            let events = StatsEventBuffer()
            withChunk(index) { chunk in
                output.removeAll()
                anonymizer.anonymize(chunk, into: output, events: events)
            }
            return events
        }
        Self.events = EventBuffers(buffers: buffers)
        return buffers
    }

    private struct EventBuffers: @unchecked Sendable {
        let buffers: [StatsEventBuffer]
    }

    nonisolated(unsafe) private static var events: EventBuffers?
    private static let eventsLock = NSLock()

    func withThousandLines<Result>(_ iteration: Int, _ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        let index = iteration % (thousandLineStarts.count - 1)
        return try bytes.withUnsafeBytes {
            try body(UnsafeRawBufferPointer(rebasing: $0[thousandLineStarts[index]..<thousandLineStarts[index + 1]]))
        }
    }
}

/// A stats store that keeps nothing: measures recording without the database.
final class DiscardingStatsStore: StatsStore {
    func ledgerEntry(for segment: [UInt8]) throws(AnonLogError) -> LedgerEntry? { nil }
    func commit(_ batch: StatsBatch, updates: [LedgerUpdate]) throws(AnonLogError) -> Bool {
        blackHole(batch)
        return true
    }
}

/// Compressed bytes from memory.
final class MemorySource: ByteSource {
    let name = "memory"
    let isLive = false
    private let bytes: [UInt8]
    private var offset = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(AnonLogError) -> Int {
        let count = min(buffer.count, bytes.count - offset)
        bytes.withUnsafeBytes { buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[offset..<(offset + count)])) }
        offset += count
        return count
    }
}

/// Counts (and optionally keeps) what is written.
final class CountingSink: ByteSink {
    let name = "memory"
    private(set) var count = 0
    private(set) var kept: [UInt8] = []
    private let keeping: Bool

    init(keeping: Bool = false) { self.keeping = keeping }

    func write(_ bytes: UnsafeRawBufferPointer) throws(AnonLogError) {
        count += bytes.count
        if keeping { kept.append(contentsOf: bytes) }
    }

    func flush() throws(AnonLogError) {}
    func finish() throws(AnonLogError) {}
}

extension Benchmark {
    /// The numbers of this sample's iterations, counted across samples. `scaledIterations`
    /// starts at 0 in every sample, so a benchmark that picks its MiB of the corpus by it would
    /// measure the corpus's first MiB over and over (and a blend of gzip levels only its first
    /// member's level).
    var chunkIterations: Range<Int> {
        let scale = configuration.scalingFactor.rawValue
        return (currentIteration * scale)..<((currentIteration + 1) * scale)
    }
}
