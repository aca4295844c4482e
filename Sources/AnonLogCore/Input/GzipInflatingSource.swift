internal import CAnonLogZlib

#if canImport(Glibc)
internal import Glibc
#elseif canImport(Musl)
internal import Musl
#elseif canImport(Darwin)
internal import Darwin
#endif

/// The decompressed bytes of a gzip stream read from another source, inflated with zlib.
///
/// Concatenated members (`cat a.gz b.gz`) are read one after the other; zero bytes after the last
/// member (tape padding) are ignored. Memory stays fixed whatever the input: one compressed-input
/// buffer and zlib's window, and zlib inflates straight into the caller's buffer.
///
/// On damage (a corrupt or truncated member, trailing bytes that are not gzip), every byte
/// inflated before it is returned first; the call after that throws a
/// ``AnonLogError/Code/dataError`` whose byte offset is in the compressed input:
/// - corrupt data or header: the offset just past the last byte zlib had consumed when it saw
///   the damage (the damage lies at or before it, in the member that starts at the offset the
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
    private let stream: UnsafeMutablePointer<z_stream>
    /// Lets zlib report whether it has finished a member's header.
    private let header: UnsafeMutablePointer<gz_header>
    private let input: UnsafeMutableRawBufferPointer
    private var phase = Phase.member
    private var memberStart = 0
    private var inputEnded = false
    /// The error to throw on the next call, once the bytes before it have been returned.
    private var pendingError: AnonLogError?

    /// Prepares to inflate the gzip stream in `inner`.
    ///
    /// - Parameter inner: The compressed bytes, from their first byte on.
    /// - Throws: ``AnonLogError`` with code ``AnonLogError/Code/ioError`` when zlib cannot get memory.
    public init(wrapping inner: any ByteSource) throws(AnonLogError) {
        self.inner = inner
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        header = .allocate(capacity: 1)
        header.initialize(to: gz_header())
        input = .allocate(byteCount: Self.inputCapacity, alignment: 16)
        // 16 + MAX_WBITS: gzip wrapper only, largest window.
        let status = inflateInit2_(stream, 16 + MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else {
            stream.deallocate()
            header.deallocate()
            input.deallocate()
            throw AnonLogError(
                .ioError, "cannot start gzip decompression (zlib status \(status))", location: .init(path: inner.name))
        }
        stream.pointee.next_in = input.baseAddress!.assumingMemoryBound(to: Bytef.self)
        inflateGetHeader(stream, header)
    }

    deinit {
        inflateEnd(stream)
        stream.deallocate()
        header.deallocate()
        input.deallocate()
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(AnonLogError) -> Int {
        if let pendingError { throw pendingError }
        precondition(!buffer.isEmpty, "read(into:) needs room for at least one byte")
        let capacity = min(buffer.count, Int(UInt32.max))
        stream.pointee.next_out = buffer.baseAddress!.assumingMemoryBound(to: Bytef.self)
        stream.pointee.avail_out = UInt32(capacity)
        do {
            try inflateIntoOutput()
            return capacity - Int(stream.pointee.avail_out)
        } catch {
            // Deliver what was inflated before the damage; the next call throws.
            pendingError = error
            let produced = capacity - Int(stream.pointee.avail_out)
            if produced > 0 { return produced }
            throw error
        }
    }

    /// Inflates into `next_out` until it is full, the input has ended, or (for a live source)
    /// more input would have to be waited for after some output.
    private func inflateIntoOutput() throws(AnonLogError) {
        let capacity = Int(stream.pointee.avail_out)
        var producedSome: Bool { Int(stream.pointee.avail_out) < capacity }
        while true {
            switch phase {
            case .finished:
                return

            case .member:
                if stream.pointee.avail_in == 0 {
                    // A live reader must get what is inflated before we block for more input.
                    if producedSome && inner.isLive { return }
                    guard try refill() else {
                        throw dataError(
                            "truncated gzip member starting at byte \(memberStart)", at: compressedBytesRead)
                    }
                }
                switch inflate(stream, Z_NO_FLUSH) {
                case Z_OK, Z_BUF_ERROR:
                    // zlib stops only when it runs out of output space or of input.
                    if stream.pointee.avail_out == 0 { return }
                case Z_STREAM_END:
                    membersRead += 1
                    phase = .betweenMembers
                    if stream.pointee.avail_out == 0 { return }
                case Z_MEM_ERROR:
                    throw AnonLogError(.ioError, "out of memory while inflating gzip data", location: .init(path: name))
                default:
                    let reason = stream.pointee.msg.map { String(cString: $0) } ?? "unknown error"
                    let part = header.pointee.done == 1 ? "data" : "header"
                    throw dataError("corrupt gzip \(part) (\(reason))", at: consumedOffset)
                }

            case .betweenMembers:
                // One byte decides, except 0x1f, which must be followed by 0x8b.
                let available = Int(stream.pointee.avail_in)
                if available == 0 || (available == 1 && stream.pointee.next_in[0] == 0x1f) {
                    if producedSome && inner.isLive { return }
                    if try !refill() {
                        // A lone 0x1f at the end starts a member that is then reported truncated.
                        if available == 0 { phase = .finished } else { startMember() }
                    }
                    continue
                }
                switch (stream.pointee.next_in[0], stream.pointee.next_in[1]) {
                case (0, _):
                    phase = .padding
                case (0x1f, 0x8b):
                    startMember()
                default:
                    throw dataError("trailing data after gzip member is not gzip", at: consumedOffset)
                }

            case .padding:
                let bytes = UnsafeRawBufferPointer(start: stream.pointee.next_in, count: Int(stream.pointee.avail_in))
                if let nonZero = bytes.firstIndex(where: { $0 != 0 }) {
                    stream.pointee.next_in += nonZero
                    stream.pointee.avail_in -= UInt32(nonZero)
                    throw dataError("trailing data after gzip member is not gzip", at: consumedOffset)
                }
                stream.pointee.next_in += bytes.count
                stream.pointee.avail_in = 0
                if producedSome && inner.isLive { return }
                if try !refill() { phase = .finished }
            }
        }
    }

    /// The offset in the compressed input of the first byte zlib has not consumed.
    private var consumedOffset: Int { compressedBytesRead - Int(stream.pointee.avail_in) }

    private func startMember() {
        memberStart = consumedOffset
        inflateReset(stream)
        // inflateReset forgets the header record; hand it over again.
        header.pointee.done = 0
        inflateGetHeader(stream, header)
        phase = .member
    }

    /// Moves unconsumed input to the front of the buffer and reads more after it.
    ///
    /// - Returns: `false` at the end of the input.
    private func refill() throws(AnonLogError) -> Bool {
        if inputEnded { return false }
        let base = input.baseAddress!
        let kept = Int(stream.pointee.avail_in)
        if kept > 0 { memmove(base, stream.pointee.next_in, kept) }
        stream.pointee.next_in = base.assumingMemoryBound(to: Bytef.self)
        let count = try inner.read(into: UnsafeMutableRawBufferPointer(rebasing: input[kept...]))
        if count == 0 {
            inputEnded = true
            return false
        }
        compressedBytesRead += count
        stream.pointee.avail_in = UInt32(kept + count)
        return true
    }

    private func dataError(_ message: String, at offset: Int) -> AnonLogError {
        AnonLogError(.dataError, message, location: .init(path: name, byteOffset: offset))
    }
}
