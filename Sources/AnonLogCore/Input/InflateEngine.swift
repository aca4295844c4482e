internal import CAnonLogISAL
internal import CAnonLogZlib

/// One gzip member's worth of raw inflation, behind which zlib or ISA-L does the work.
///
/// ``GzipInflatingSource`` owns the input buffer and the member, padding and error logic; an
/// engine only moves bytes from `nextIn` to `nextOut` and says when a member ended.
protocol InflateEngine: AnyObject {
    var nextIn: UnsafeMutablePointer<UInt8> { get set }
    var availableIn: Int { get set }
    var nextOut: UnsafeMutablePointer<UInt8> { get set }
    var availableOut: Int { get set }

    /// Prepares for a new member (its header comes next).
    func startMember()

    /// Inflates until the input or the output runs out, or the member ends.
    func inflate() -> InflateStep
}

/// What one call of an engine ended with.
enum InflateStep {
    /// Out of input or of output space.
    case progress
    /// The member's trailer was read and checked.
    case memberEnded
    /// The data are damaged; `inHeader` when the damage is in the member's header.
    case corrupt(reason: String, inHeader: Bool)
    /// The engine could not get memory.
    case outOfMemory
}

/// Which inflater reads gzip input.
public enum InflateImplementation: String, Sendable, CaseIterable {
    /// Intel's ISA-L (`libisal`): several times faster than zlib on x86-64.
    case isal
    /// zlib.
    case zlib

    /// The implementation used unless `ANONLOG_INFLATE=zlib` asks for zlib.
    public static var preferred: InflateImplementation {
        if let value = ProcessEnvironment.current()["ANONLOG_INFLATE"], let chosen = InflateImplementation(rawValue: value) {
            return chosen
        }
        return .isal
    }

    func makeEngine() -> (any InflateEngine)? {
        switch self {
        case .isal: IsalInflateEngine()
        case .zlib: ZlibInflateEngine()
        }
    }
}

/// zlib's `inflate` with the gzip wrapper.
final class ZlibInflateEngine: InflateEngine {
    private let stream: UnsafeMutablePointer<z_stream>
    private let header: UnsafeMutablePointer<gz_header>

    init?() {
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        header = .allocate(capacity: 1)
        header.initialize(to: gz_header())
        // 16 + MAX_WBITS: gzip wrapper only, largest window.
        guard inflateInit2_(stream, 16 + MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            stream.deallocate()
            header.deallocate()
            return nil
        }
        inflateGetHeader(stream, header)
    }

    deinit {
        inflateEnd(stream)
        stream.deallocate()
        header.deallocate()
    }

    var nextIn: UnsafeMutablePointer<UInt8> {
        get { stream.pointee.next_in }
        set { stream.pointee.next_in = newValue }
    }
    var availableIn: Int {
        get { Int(stream.pointee.avail_in) }
        set { stream.pointee.avail_in = UInt32(newValue) }
    }
    var nextOut: UnsafeMutablePointer<UInt8> {
        get { stream.pointee.next_out }
        set { stream.pointee.next_out = newValue }
    }
    var availableOut: Int {
        get { Int(stream.pointee.avail_out) }
        set { stream.pointee.avail_out = UInt32(min(newValue, Int(UInt32.max))) }
    }

    func startMember() {
        inflateReset(stream)
        // inflateReset forgets the header record; hand it over again.
        header.pointee.done = 0
        inflateGetHeader(stream, header)
    }

    func inflate() -> InflateStep {
        switch CAnonLogZlib.inflate(stream, Z_NO_FLUSH) {
        case Z_OK, Z_BUF_ERROR: return .progress
        case Z_STREAM_END: return .memberEnded
        case Z_MEM_ERROR: return .outOfMemory
        default:
            let reason = stream.pointee.msg.map { String(cString: $0) } ?? "unknown error"
            return .corrupt(reason: reason, inHeader: header.pointee.done != 1)
        }
    }
}

/// ISA-L's `isal_inflate` with the gzip wrapper (header parsed, CRC-32 and length checked).
final class IsalInflateEngine: InflateEngine {
    private let state: UnsafeMutablePointer<inflate_state>
    /// ISA-L accepts a header with an unknown method or reserved flags; zlib does not, and
    /// neither do we: checked once the first bytes of a member are in.
    private var headerChecked = false

    init() {
        state = .allocate(capacity: 1)
        isal_inflate_init(state)
        state.pointee.crc_flag = UInt32(ISAL_GZIP)
    }

    deinit { state.deallocate() }

    var nextIn: UnsafeMutablePointer<UInt8> {
        get { state.pointee.next_in }
        set { state.pointee.next_in = newValue }
    }
    var availableIn: Int {
        get { Int(state.pointee.avail_in) }
        set { state.pointee.avail_in = UInt32(newValue) }
    }
    var nextOut: UnsafeMutablePointer<UInt8> {
        get { state.pointee.next_out }
        set { state.pointee.next_out = newValue }
    }
    var availableOut: Int {
        get { Int(state.pointee.avail_out) }
        set { state.pointee.avail_out = UInt32(min(newValue, Int(UInt32.max))) }
    }

    func startMember() {
        // isal_inflate_reset clears the stream pointers; keep them.
        let (input, inputCount, output, outputCount) = (nextIn, availableIn, nextOut, availableOut)
        isal_inflate_reset(state)
        state.pointee.crc_flag = UInt32(ISAL_GZIP)
        (nextIn, availableIn, nextOut, availableOut) = (input, inputCount, output, outputCount)
        headerChecked = false
    }

    func inflate() -> InflateStep {
        if !headerChecked, availableIn >= 4 {
            headerChecked = true
            if nextIn[2] != 8 { return .corrupt(reason: "unknown compression method", inHeader: true) }
            if nextIn[3] & 0xE0 != 0 { return .corrupt(reason: "unknown header flags set", inHeader: true) }
        }
        let status = isal_inflate(state)
        if status >= 0 {
            return state.pointee.block_state == ISAL_BLOCK_FINISH ? .memberEnded : .progress
        }
        switch status {
        case ISAL_INVALID_WRAPPER, ISAL_UNSUPPORTED_METHOD:
            return .corrupt(reason: "invalid gzip header", inHeader: true)
        case ISAL_INCORRECT_CHECKSUM:
            return .corrupt(reason: "incorrect data check", inHeader: false)
        case ISAL_INVALID_BLOCK:
            return .corrupt(reason: "invalid block type", inHeader: false)
        case ISAL_INVALID_SYMBOL:
            return .corrupt(reason: "invalid code", inHeader: false)
        case ISAL_INVALID_LOOKBACK:
            return .corrupt(reason: "invalid distance too far back", inHeader: false)
        default:
            return .corrupt(reason: "isa-l status \(status)", inHeader: false)
        }
    }
}
