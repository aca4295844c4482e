#if canImport(Glibc)
internal import Glibc
#elseif canImport(Musl)
internal import Musl
#elseif canImport(Darwin)
internal import Darwin
#endif

/// The decompressed bytes of a gzip stream read from another source, inflated with ISA-L (or
/// zlib, see ``InflateImplementation``).
///
/// Concatenated members (`cat a.gz b.gz`) are read one after the other; zero bytes after the last
/// member (tape padding) are ignored. Memory stays fixed whatever the input: one compressed-input
/// buffer and the inflater's window, and the inflater writes straight into the caller's buffer.
///
/// On damage (a corrupt or truncated member, trailing bytes that are not gzip), every byte
/// inflated before it is returned first; the call after that throws a
/// ``AnonLogError/Code/dataError`` whose byte offset is in the compressed input:
/// - corrupt data or header: the offset just past the last byte the inflater had consumed when
///   it saw the damage (the damage lies at or before it, in the member that starts at the offset the
///   message names);
/// - truncated member: the offset of the end of the input;
/// - trailing bytes: the offset of the first byte that is neither gzip nor zero padding.
public final class GzipInflatingSource: ByteSource {
    /// The size of the compressed-input buffer.
    public static let inputCapacity = 256 * 1024

    public var name: String { inner.name }
    public var isLive: Bool { inner.isLive }
    /// The number of compressed bytes read from the wrapped source so far.
    public private(set) var compressedBytesRead = 0
    /// The number of gzip members inflated completely so far.
    public private(set) var membersRead = 0

    private enum Phase {
        /// Inside a member (header, deflate data or trailer).
        case member
        /// After a member's trailer: a new member, zero padding or the end must follow.
        case betweenMembers
        /// In zero bytes after the last member: only zeros or the end may follow.
        case padding
        case finished
    }

    private let inner: any ByteSource
    private let engine: any InflateEngine
    private let input: UnsafeMutableRawBufferPointer
    private var phase = Phase.member
    private var memberStart = 0
    /// Whether the current member's fixed header (10 bytes) has yet to be handed over whole.
    private var awaitingHeader = true
    private var inputEnded = false
    /// The error to throw on the next call, once the bytes before it have been returned.
    private var pendingError: AnonLogError?

    /// Prepares to inflate the gzip stream in `inner`.
    ///
    /// - Parameters:
    ///   - inner: The compressed bytes, from their first byte on.
    ///   - implementation: Which inflater to use.
    /// - Throws: ``AnonLogError`` with code ``AnonLogError/Code/ioError`` when the inflater
    ///   cannot get memory.
    public init(wrapping inner: any ByteSource, implementation: InflateImplementation = .preferred) throws(AnonLogError) {
        guard let engine = implementation.makeEngine() else {
            throw AnonLogError(.ioError, "cannot start gzip decompression", location: .init(path: inner.name))
        }
        self.inner = inner
        self.engine = engine
        input = .allocate(byteCount: Self.inputCapacity, alignment: 16)
        engine.nextIn = input.baseAddress!.assumingMemoryBound(to: UInt8.self)
        engine.availableIn = 0
    }

    deinit {
        input.deallocate()
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(AnonLogError) -> Int {
        if let pendingError { throw pendingError }
        precondition(!buffer.isEmpty, "read(into:) needs room for at least one byte")
        let capacity = min(buffer.count, Int(UInt32.max))
        engine.nextOut = buffer.baseAddress!.assumingMemoryBound(to: UInt8.self)
        engine.availableOut = capacity
        do {
            try inflateIntoOutput()
            return capacity - engine.availableOut
        } catch {
            // Deliver what was inflated before the damage; the next call throws.
            pendingError = error
            let produced = capacity - engine.availableOut
            if produced > 0 { return produced }
            throw error
        }
    }

    /// Inflates into `next_out` until it is full, the input has ended, or (for a live source)
    /// more input would have to be waited for after some output.
    private func inflateIntoOutput() throws(AnonLogError) {
        let capacity = engine.availableOut
        var producedSome: Bool { engine.availableOut < capacity }
        while true {
            switch phase {
            case .finished:
                return

            case .member:
                if awaitingHeader {
                    // The inflater sees a member's fixed header in one piece (ISA-L checks it
                    // before inflating), unless the input ends inside it.
                    if engine.availableIn < 10, try refill() { continue }
                    awaitingHeader = false
                }
                if engine.availableIn == 0 {
                    // A live reader must get what is inflated before we block for more input.
                    if producedSome && inner.isLive { return }
                    guard try refill() else {
                        throw dataError(
                            "truncated gzip member starting at byte \(memberStart)", at: compressedBytesRead)
                    }
                }
                switch engine.inflate() {
                case .progress:
                    // The inflater stops only when it runs out of output space or of input.
                    if engine.availableOut == 0 { return }
                case .memberEnded:
                    membersRead += 1
                    phase = .betweenMembers
                    if engine.availableOut == 0 { return }
                case .outOfMemory:
                    throw AnonLogError(.ioError, "out of memory while inflating gzip data", location: .init(path: name))
                case .corrupt(let reason, let inHeader):
                    throw dataError("corrupt gzip \(inHeader ? "header" : "data") (\(reason))", at: consumedOffset)
                }

            case .betweenMembers:
                // One byte decides, except 0x1f, which must be followed by 0x8b.
                let available = engine.availableIn
                if available == 0 || (available == 1 && engine.nextIn[0] == 0x1f) {
                    if producedSome && inner.isLive { return }
                    if try !refill() {
                        // A lone 0x1f at the end starts a member that is then reported truncated.
                        if available == 0 { phase = .finished } else { startMember() }
                    }
                    continue
                }
                switch (engine.nextIn[0], engine.nextIn[1]) {
                case (0, _):
                    phase = .padding
                case (0x1f, 0x8b):
                    startMember()
                default:
                    throw dataError("trailing data after gzip member is not gzip", at: consumedOffset)
                }

            case .padding:
                let bytes = UnsafeRawBufferPointer(start: engine.nextIn, count: engine.availableIn)
                if let nonZero = bytes.firstIndex(where: { $0 != 0 }) {
                    engine.nextIn += nonZero
                    engine.availableIn -= nonZero
                    throw dataError("trailing data after gzip member is not gzip", at: consumedOffset)
                }
                engine.nextIn += bytes.count
                engine.availableIn = 0
                if producedSome && inner.isLive { return }
                if try !refill() { phase = .finished }
            }
        }
    }

    /// The offset in the compressed input of the first byte the inflater has not consumed.
    private var consumedOffset: Int { compressedBytesRead - engine.availableIn }

    private func startMember() {
        memberStart = consumedOffset
        engine.startMember()
        awaitingHeader = true
        phase = .member
    }

    /// Moves unconsumed input to the front of the buffer and reads more after it.
    ///
    /// - Returns: `false` at the end of the input.
    private func refill() throws(AnonLogError) -> Bool {
        if inputEnded { return false }
        let base = input.baseAddress!
        let kept = engine.availableIn
        if kept > 0 { memmove(base, engine.nextIn, kept) }
        engine.nextIn = base.assumingMemoryBound(to: UInt8.self)
        let count = try inner.read(into: UnsafeMutableRawBufferPointer(rebasing: input[kept...]))
        if count == 0 {
            inputEnded = true
            return false
        }
        compressedBytesRead += count
        engine.availableIn = kept + count
        return true
    }

    private func dataError(_ message: String, at offset: Int) -> AnonLogError {
        AnonLogError(.dataError, message, location: .init(path: name, byteOffset: offset))
    }
}
