/// An error anonlog reports to the person or the cron job that runs it.
///
/// One extensible struct, as in swift-nio's `FileSystemError`: a ``Code`` that the command line
/// maps to an exit status, a human message in lower case without a trailing period, the place
/// in the input where it happened and, where there is one, the underlying cause.
public struct AnonLogError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is; decides the exit status.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate enum Value: Hashable, Sendable {
            case usage, dataError, noInput, cannotCreateOutput, ioError, outputClosed, permission, configuration, busy
        }
        fileprivate let value: Value

        /// The arguments or options do not make sense together.
        public static let usage = Code(value: .usage)
        /// The input is damaged: a corrupt or truncated gzip member, an unparseable file.
        public static let dataError = Code(value: .dataError)
        /// An input file does not exist or cannot be read.
        public static let noInput = Code(value: .noInput)
        /// An output file or directory cannot be created.
        public static let cannotCreateOutput = Code(value: .cannotCreateOutput)
        /// Reading or writing failed at the system level (full disk, I/O error).
        public static let ioError = Code(value: .ioError)
        /// The reader of the output went away (a closed pipe); not worth a message.
        public static let outputClosed = Code(value: .outputClosed)
        /// A key file is readable by others, or access to it was denied.
        public static let permission = Code(value: .permission)
        /// A key or configuration file holds something that is not valid.
        public static let configuration = Code(value: .configuration)
        /// Another process holds what this one needs (an archive run's lock); try again later.
        public static let busy = Code(value: .busy)

        public var description: String {
            switch value {
            case .usage: "usage"
            case .dataError: "data error"
            case .noInput: "no input"
            case .cannotCreateOutput: "cannot create output"
            case .ioError: "i/o error"
            case .outputClosed: "output closed"
            case .permission: "permission"
            case .configuration: "configuration"
            case .busy: "busy"
            }
        }

        /// The exit status a process should end with for this code (the BSD `sysexits.h` values
        /// that cron wrappers already know).
        public var exitStatus: Int32 {
            switch value {
            case .usage: 64
            case .dataError: 65
            case .noInput: 66
            case .cannotCreateOutput: 73
            case .ioError: 74
            case .outputClosed: 141  // what a shell reports for a process ended by SIGPIPE
            case .permission: 77
            case .configuration: 78
            case .busy: 75  // EX_TEMPFAIL
            }
        }
    }

    /// Where in the input an error happened.
    public struct Location: Hashable, Sendable, CustomStringConvertible {
        /// The file, or `-` for standard input.
        public var path: String
        /// The 1-based line number, when the error belongs to a line.
        public var line: Int?
        /// The byte offset, in the file as stored (the compressed offset for gzip input).
        public var byteOffset: Int?

        public init(path: String, line: Int? = nil, byteOffset: Int? = nil) {
            self.path = path
            self.line = line
            self.byteOffset = byteOffset
        }

        public var description: String {
            var text = path
            if let line { text += ":\(line)" }
            if let byteOffset { text += " at byte \(byteOffset)" }
            return text
        }
    }

    public var code: Code
    public var message: String
    public var location: Location?
    /// The system error number behind the failure, if any.
    public var errno: Int32?

    public init(_ code: Code, _ message: String, location: Location? = nil, errno: Int32? = nil) {
        self.code = code
        self.message = message
        self.location = location
        self.errno = errno
    }

    public var description: String {
        var text = ""
        if let location { text += "\(location): " }
        text += message
        if let errno { text += ": \(SystemErrorText.describe(errno))" }
        return text
    }
}
