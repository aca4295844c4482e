#if canImport(Glibc)
internal import Glibc
#elseif canImport(Musl)
internal import Musl
#elseif canImport(Darwin)
internal import Darwin
#endif
internal import CAnonLogCrypto

/// The file that holds the key: a small self-describing text file.
///
/// ```
/// anonlog-key 1
/// mode hmac
/// rotation daily
/// epoch 0
/// key 1f2e…(64 hexadecimal digits)
/// ```
///
/// `epoch` is the index of the oldest retained epoch and `key` its key (see ``KeyRecord``).
/// A file holding nothing but 64 hexadecimal digits (the first format) is read as an `hmac`
/// key without rotation. The file must be readable by its owner only; anonlog refuses any
/// other. Key material is never part of an error message, and the buffers it passes through
/// are overwritten.
public enum KeyFile {
    /// The environment variable that names the key file when no path is given.
    public static let environmentVariable = "ANONLOG_KEY_FILE"

    /// The length of a bare master key, in hexadecimal digits (the first file format).
    static let digitCount = 2 * SecretKey.byteCount
    /// The first line of the current format.
    static let formatLine = "anonlog-key 1"
    /// A key file is tiny; anything longer than this is not one and is not read in full.
    static let maximumFileSize = 1024

    /// A key found by ``KeyFile/resolve(explicitPath:environment:)``.
    public struct ResolvedKey: Sendable {
        /// What the key file holds.
        public let record: KeyRecord
        /// The key of the oldest retained epoch (for a key without rotation, the key).
        public var key: SecretKey { record.key }
        /// The key file.
        public let path: String
        /// Whether the key file did not exist and was created with a new random key.
        ///
        /// The command line tells the person about it; the library never prints.
        public let wasCreated: Bool
    }

    // MARK: - Resolving

    /// Finds the key file and loads its key, creating the default one on first use.
    ///
    /// The file is, in order: `explicitPath`; the file named by `ANONLOG_KEY_FILE`; the default
    /// location, `$XDG_STATE_HOME/anonlog/key` or `$HOME/.local/state/anonlog/key`. Only the
    /// default location is created when it is missing (with a new random key, and with its
    /// missing parent directories as mode 0700); a named file that does not exist is an error,
    /// because silently making a new key would silently change every pseudonym.
    ///
    /// - Parameters:
    ///   - explicitPath: The path given on the command line, if any.
    ///   - environment: The process environment, e.g. ``ProcessEnvironment/current()``.
    /// - Returns: The key, the file it came from and whether that file was just created.
    /// - Throws: ``AnonLogError``: ``AnonLogError/Code/noInput`` when a named file does not
    ///   exist; otherwise as ``load(from:)`` and ``create(at:createParentDirectories:)`` do, or
    ///   ``AnonLogError/Code/configuration`` when there is no default location.
    public static func resolve(
        explicitPath: String?, environment: [String: String], creating template: KeyTemplate = KeyTemplate()
    ) throws(AnonLogError) -> ResolvedKey {
        if let explicitPath {
            return ResolvedKey(record: try load(from: explicitPath), path: explicitPath, wasCreated: false)
        }
        if let named = environment[environmentVariable], !named.isEmpty {
            return ResolvedKey(record: try load(from: named), path: named, wasCreated: false)
        }
        let (path, home) = try defaultLocation(environment: environment)
        if let record = try loadIfPresent(from: path) {
            return ResolvedKey(record: record, path: path, wasCreated: false)
        }
        // XDG_STATE_HOME may be created, but a missing home directory (a service account's
        // /nonexistent) means the default is the wrong place, not one to make.
        if let home, !isDirectory(home) {
            throw AnonLogError(
                .configuration, "home directory does not exist; set \(environmentVariable) or pass --key-file",
                location: .init(path: home))
        }
        if let record = try createIfAbsent(at: path, createParentDirectories: true, template: template) {
            return ResolvedKey(record: record, path: path, wasCreated: true)
        }
        // Another process created it between our two attempts; its file is complete, because
        // a key file only ever appears whole.
        return ResolvedKey(record: try load(from: path), path: path, wasCreated: false)
    }

    /// Returns the default key file location.
    ///
    /// `$XDG_STATE_HOME/anonlog/key` when `XDG_STATE_HOME` is an absolute path (the XDG base
    /// directory rules ignore a relative one), else `$HOME/.local/state/anonlog/key`.
    ///
    /// - Parameter environment: The process environment.
    /// - Returns: The path of the default key file.
    /// - Throws: ``AnonLogError`` with code ``AnonLogError/Code/configuration`` when neither
    ///   variable is usable.
    public static func defaultPath(environment: [String: String]) throws(AnonLogError) -> String {
        try defaultLocation(environment: environment).path
    }

    /// The default key file, and the home directory when it lies below `$HOME`.
    private static func defaultLocation(environment: [String: String]) throws(AnonLogError) -> (path: String, home: String?) {
        if let stateHome = environment["XDG_STATE_HOME"], stateHome.hasPrefix("/") {
            return (stateHome + "/anonlog/key", nil)
        }
        if let home = environment["HOME"], home.hasPrefix("/") {
            return (home + "/.local/state/anonlog/key", home)
        }
        throw AnonLogError(
            .configuration,
            "no place for the key file: neither XDG_STATE_HOME nor HOME is set; set \(environmentVariable) or pass --key-file")
    }

    // MARK: - Loading

    /// Reads the key from a key file.
    ///
    /// The file must be a regular file that grants no access to group or others, holding
    /// exactly 64 hexadecimal digits (either case) and optionally trailing whitespace.
    ///
    /// - Parameter path: The key file.
    /// - Returns: The key.
    /// - Throws: ``AnonLogError``: ``AnonLogError/Code/noInput`` when the file does not exist or
    ///   cannot be opened; ``AnonLogError/Code/permission`` when it is open to group or others
    ///   or cannot be read; ``AnonLogError/Code/configuration`` when it is not a regular file or
    ///   does not hold a key (the message says what is wrong, never what the file holds).
    public static func load(from path: String) throws(AnonLogError) -> KeyRecord {
        guard let key = try loadIfPresent(from: path) else {
            throw AnonLogError(
                .noInput, "key file not found; create one with: anonlog key init --key-file \(shellQuoted(path))",
                location: .init(path: path))
        }
        return key
    }

    /// Reads the key from a key file, or returns `nil` when the file does not exist.
    static func loadIfPresent(from path: String) throws(AnonLogError) -> KeyRecord? {
        let location = AnonLogError.Location(path: path)
        // O_NONBLOCK so that a FIFO in the key file's place cannot hang the open.
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK)
        if descriptor < 0 {
            let code = errno
            switch code {
            case ENOENT: return nil
            case EACCES, EPERM: throw AnonLogError(.permission, "cannot open key file", location: location, errno: code)
            default: throw AnonLogError(.noInput, "cannot open key file", location: location, errno: code)
            }
        }
        defer { close(descriptor) }

        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            throw AnonLogError(.ioError, "cannot examine key file", location: location, errno: errno)
        }
        guard status.st_mode & S_IFMT == S_IFREG else {
            throw AnonLogError(.configuration, "key file is not a regular file", location: location)
        }
        let mode = status.st_mode & 0o7777
        guard mode & 0o077 == 0 else {
            let octal = String(mode, radix: 8)
            throw AnonLogError(
                .permission,
                "key file is accessible to group or others (mode \(String(repeating: "0", count: max(0, 4 - octal.count)) + octal)); "
                    + "run: chmod 600 \(shellQuoted(path))",
                location: location)
        }

        return try withUnsafeTemporaryAllocation(byteCount: maximumFileSize + 1, alignment: 8) { buffer throws(AnonLogError) in
            defer { OPENSSL_cleanse(buffer.baseAddress, buffer.count) }
            let count = try readAll(descriptor, into: buffer, location: location)
            guard count <= maximumFileSize else {
                throw AnonLogError(
                    .configuration, "key file is too long (\(status.st_size) bytes) to be a key file",
                    location: location)
            }
            return try decode(UnsafeRawBufferPointer(rebasing: buffer[..<count]), location: location)
        }
    }

    /// Parses the contents of a key file; errors describe the contents but never quote them.
    static func decode(_ contents: UnsafeRawBufferPointer, location: AnonLogError.Location) throws(AnonLogError) -> KeyRecord {
        var end = contents.count
        while end > 0, isWhitespace(contents[end - 1]) { end -= 1 }
        let prefix = Array(formatLine.utf8)
        guard end >= prefix.count, zip(prefix.indices, prefix).allSatisfy({ contents[$0] == $1 }) else {
            // The first format: the master key as bare hexadecimal digits.
            let key = try decodeHex(UnsafeRawBufferPointer(rebasing: contents[..<end]), expected: [digitCount], location: location)
            return KeyRecord(mode: .hmac, rotation: .none, epoch: 0, key: key)
        }
        var mode: AnonymizationMode?
        var rotation: KeyRotation?
        var epoch: Int64?
        var key: SecretKey?
        var lineStart = 0
        var lineNumber = 0
        while lineStart < end {
            var lineEnd = lineStart
            while lineEnd < end, contents[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
            lineNumber += 1
            var at = location
            at.line = lineNumber
            defer { lineStart = lineEnd + 1 }
            var valueEnd = lineEnd
            while valueEnd > lineStart, isWhitespace(contents[valueEnd - 1]) { valueEnd -= 1 }
            guard lineNumber > 1, valueEnd > lineStart, contents[lineStart] != UInt8(ascii: "#") else { continue }
            var nameEnd = lineStart
            while nameEnd < valueEnd, !isWhitespace(contents[nameEnd]) { nameEnd += 1 }
            var valueStart = nameEnd
            while valueStart < valueEnd, isWhitespace(contents[valueStart]) { valueStart += 1 }
            let name = String(decoding: UnsafeRawBufferPointer(rebasing: contents[lineStart..<nameEnd]), as: UTF8.self)
            let value = UnsafeRawBufferPointer(rebasing: contents[valueStart..<valueEnd])
            switch name {
            case "key":
                key = try decodeHex(value, expected: SecretKey.allowedByteCounts.map { $0 * 2 }.sorted(), location: at)
            case "mode":
                let text = String(decoding: value, as: UTF8.self)
                guard let parsed = AnonymizationMode(rawValue: text) else {
                    throw AnonLogError(.configuration, "key file names an unknown mode '\(text)'", location: at)
                }
                mode = parsed
            case "rotation":
                let text = String(decoding: value, as: UTF8.self)
                guard let parsed = KeyRotation(rawValue: text) else {
                    throw AnonLogError(.configuration, "key file names an unknown rotation '\(text)'", location: at)
                }
                rotation = parsed
            case "epoch":
                guard let parsed = Int64(String(decoding: value, as: UTF8.self)), parsed >= 0 else {
                    throw AnonLogError(.configuration, "key file epoch is not a whole number", location: at)
                }
                epoch = parsed
            default:
                throw AnonLogError(.configuration, "key file has an unknown entry '\(name)' (written by a newer anonlog?)", location: at)
            }
        }
        guard let mode, let rotation, let epoch, let key else {
            let missing = [mode == nil ? "mode" : nil, rotation == nil ? "rotation" : nil, epoch == nil ? "epoch" : nil, key == nil ? "key" : nil]
                .compactMap { $0 }.joined(separator: ", ")
            throw AnonLogError(.configuration, "key file lacks: \(missing)", location: location)
        }
        guard epoch <= rotation.latestEpoch else {
            throw AnonLogError(
                .configuration, "key file epoch \(epoch) lies past the year 9999 (the last \(rotation.rawValue) epoch is \(rotation.latestEpoch))",
                location: location)
        }
        guard key.count == mode.keyByteCount else {
            throw AnonLogError(
                .configuration, "key file holds a \(key.count)-byte key but mode \(mode.rawValue) needs \(mode.keyByteCount) bytes",
                location: location)
        }
        return KeyRecord(mode: mode, rotation: rotation, epoch: epoch, key: key)
    }

    /// Hexadecimal digits as a key; the errors give offsets and counts, never digits.
    static func decodeHex(
        _ text: UnsafeRawBufferPointer, expected: [Int], location: AnonLogError.Location, what subject: String = "key file"
    ) throws(AnonLogError) -> SecretKey {
        for offset in 0..<text.count where hexValue(text[offset]) == nil {
            var at = location
            if at.line == nil { at.byteOffset = offset }
            throw AnonLogError(.configuration, "\(subject) has a character that is not a hexadecimal digit", location: at)
        }
        guard expected.contains(text.count) else {
            let what = text.isEmpty ? "is empty" : "holds \(text.count) hexadecimal digits"
            let wanted = expected.map(String.init).joined(separator: " or ")
            throw AnonLogError(.configuration, "\(subject) \(what); expected \(wanted)", location: location)
        }
        return SecretKey(byteCount: text.count / 2) { (key: UnsafeMutableRawBufferPointer) in
            for index in key.indices {
                // Both digits were checked above.
                key[index] = hexValue(text[2 * index])! << 4 | hexValue(text[2 * index + 1])!
            }
        }
    }

    /// The text of a key file for `record`.
    static func encode(_ record: KeyRecord) -> [UInt8] {
        var text = Array("\(formatLine)\n# anonlog key file: keep it secret and backed up; mode 0600\n".utf8)
        text += Array("mode \(record.mode.rawValue)\nrotation \(record.rotation.rawValue)\nepoch \(record.epoch)\nkey ".utf8)
        record.key.withUnsafeBytes { key in
            for byte in key {
                text.append(hexDigits[Int(byte >> 4)])
                text.append(hexDigits[Int(byte & 0x0f)])
            }
        }
        text.append(UInt8(ascii: "\n"))
        return text
    }

    // MARK: - Creating

    /// Writes a new key file with a new random key.
    ///
    /// The file appears whole or not at all: the key is written and flushed to a temporary
    /// file in the same directory (opened with `O_CREAT | O_EXCL`, mode 0600 whatever the
    /// umask), which is then hard-linked under its name, so an existing file is never replaced
    /// and a concurrent reader never sees half a key. The directory is flushed too.
    ///
    /// - Parameters:
    ///   - path: Where the key file goes.
    ///   - createParentDirectories: Whether to create missing parent directories (mode 0700);
    ///     otherwise a missing directory is an error.
    /// - Returns: The new key.
    /// - Throws: ``AnonLogError``: ``AnonLogError/Code/cannotCreateOutput`` when the file
    ///   already exists or cannot be created; ``AnonLogError/Code/permission`` when access is
    ///   denied; ``AnonLogError/Code/ioError`` when writing or flushing fails.
    @discardableResult
    public static func create(
        at path: String, createParentDirectories: Bool = false, template: KeyTemplate = KeyTemplate()
    ) throws(AnonLogError) -> KeyRecord {
        guard let key = try createIfAbsent(at: path, createParentDirectories: createParentDirectories, template: template) else {
            throw AnonLogError(.cannotCreateOutput, "key file already exists; refusing to overwrite it", location: .init(path: path))
        }
        return key
    }

    /// Writes a new key file, or returns `nil` when a file of that name already exists.
    static func createIfAbsent(
        at path: String, createParentDirectories: Bool, template: KeyTemplate
    ) throws(AnonLogError) -> KeyRecord? {
        let location = AnonLogError.Location(path: path)
        let directory = parentDirectory(of: path)
        if createParentDirectories {
            try makeDirectories(directory)
        }
        if exists(path) { return nil }

        let key: SecretKey
        if let given = template.key {
            key = given
        } else {
            key = try SecretKey.random(byteCount: template.mode.keyByteCount)
        }
        let record = KeyRecord(mode: template.mode, rotation: template.rotation, epoch: 0, key: key)
        let temporaryPath = "\(path).partial-\(getpid())-\(hex(try SecureRandom.bytes(count: 4)))"
        let descriptor = open(temporaryPath, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC | O_NOCTTY, 0o600)
        if descriptor < 0 {
            let code = errno
            throw AnonLogError(code == EACCES || code == EPERM ? .permission : .cannotCreateOutput,
                               "cannot create key file", location: location, errno: code)
        }
        // Until the link below, a failure removes the temporary file.
        var temporaryNameExists = true
        defer { if temporaryNameExists { unlink(temporaryPath) } }

        do throws(AnonLogError) {
            // The mode given to open() is reduced by the umask; fchmod sets it exactly.
            guard fchmod(descriptor, 0o600) == 0 else {
                throw AnonLogError(.cannotCreateOutput, "cannot restrict key file to its owner", location: location, errno: errno)
            }
            var text = encode(record)
            defer { text.withUnsafeMutableBytes { OPENSSL_cleanse($0.baseAddress, $0.count) } }
            try writeAll(descriptor, text, location: location)
            guard fsync(descriptor) == 0 else {
                throw AnonLogError(.ioError, "cannot flush key file", location: location, errno: errno)
            }
        } catch {
            close(descriptor)
            throw error
        }
        guard close(descriptor) == 0 else {
            throw AnonLogError(.ioError, "cannot write key file", location: location, errno: errno)
        }

        // link() never replaces an existing name, unlike rename().
        if link(temporaryPath, path) != 0 {
            let code = errno
            if code == EEXIST { return nil }
            throw AnonLogError(.cannotCreateOutput, "cannot create key file", location: location, errno: code)
        }
        // The key now has its own name; drop the temporary one before flushing the directory.
        unlink(temporaryPath)
        temporaryNameExists = false
        try synchronizeDirectory(directory, location: location)
        return record
    }

    // MARK: - System calls

    private static func readAll(
        _ descriptor: Int32, into buffer: UnsafeMutableRawBufferPointer, location: AnonLogError.Location
    ) throws(AnonLogError) -> Int {
        var total = 0
        while total < buffer.count {
            let count = read(descriptor, buffer.baseAddress! + total, buffer.count - total)
            if count > 0 {
                total += count
            } else if count == 0 {
                break
            } else if errno != EINTR {
                throw AnonLogError(.ioError, "cannot read key file", location: location, errno: errno)
            }
        }
        return total
    }

    static func writeAll(
        _ descriptor: Int32, _ bytes: UnsafeRawBufferPointer, location: AnonLogError.Location
    ) throws(AnonLogError) {
        var total = 0
        while total < bytes.count {
            let count = write(descriptor, bytes.baseAddress! + total, bytes.count - total)
            if count >= 0 {
                total += count
            } else if errno != EINTR {
                throw AnonLogError(.ioError, "cannot write key file", location: location, errno: errno)
            }
        }
    }

    /// Writes all of `bytes`: the buffer version behind `withUnsafeBytes`, whose closure cannot
    /// rethrow a typed error, so callers need not repeat the dance.
    static func writeAll(_ descriptor: Int32, _ bytes: [UInt8], location: AnonLogError.Location) throws(AnonLogError) {
        let failure = bytes.withUnsafeBytes { buffer -> AnonLogError? in
            do throws(AnonLogError) {
                try writeAll(descriptor, buffer, location: location)
                return nil
            } catch {
                return error
            }
        }
        if let failure { throw failure }
    }

    /// Creates `directory` and its missing ancestors with mode 0700, flushing each parent.
    private static func makeDirectories(_ directory: String) throws(AnonLogError) {
        if exists(directory) { return }
        let parent = parentDirectory(of: directory)
        if parent != directory {
            try makeDirectories(parent)
        }
        if mkdir(directory, 0o700) != 0 {
            let code = errno
            if code == EEXIST { return }  // made by someone else meanwhile
            throw AnonLogError(code == EACCES || code == EPERM ? .permission : .cannotCreateOutput,
                               "cannot create directory for key file", location: .init(path: directory), errno: code)
        }
        // mkdir's mode is reduced by the umask; the directory must not be more open than 0700.
        guard chmod(directory, 0o700) == 0 else {
            throw AnonLogError(.cannotCreateOutput, "cannot restrict directory to its owner",
                               location: .init(path: directory), errno: errno)
        }
        try synchronizeDirectory(parent, location: .init(path: directory))
    }

    /// Flushes a directory, so that a name just added to it survives a crash.
    static func synchronizeDirectory(_ directory: String, location: AnonLogError.Location) throws(AnonLogError) {
        let descriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw AnonLogError(.ioError, "cannot open directory \(directory) to flush it", location: location, errno: errno)
        }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else {
            throw AnonLogError(.ioError, "cannot flush directory \(directory)", location: location, errno: errno)
        }
    }

    private static func isDirectory(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0 && status.st_mode & S_IFMT == S_IFDIR
    }

    /// Whether anything, even a dangling symbolic link, has this name.
    private static func exists(_ path: String) -> Bool {
        var status = stat()
        return lstat(path, &status) == 0
    }

    // MARK: - Text

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    static func hex(_ bytes: [UInt8]) -> String {
        String(decoding: bytes.flatMap { [hexDigits[Int($0 >> 4)], hexDigits[Int($0 & 0x0f)]] }, as: UTF8.self)
    }

    private static func hexValue(_ character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): character - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): character - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): character - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    private static func isWhitespace(_ character: UInt8) -> Bool {
        // space, \t, \n, \v, \f, \r
        character == 0x20 || (0x09...0x0d).contains(character)
    }

    /// The directory part of a path: `.` for a bare name, `/` for a file in the root.
    static func parentDirectory(of path: String) -> String {
        var bytes = Array(path.utf8)
        while bytes.count > 1, bytes.last == UInt8(ascii: "/") { bytes.removeLast() }
        guard let slash = bytes.lastIndex(of: UInt8(ascii: "/")) else { return "." }
        var end = slash
        while end > 0, bytes[end - 1] == UInt8(ascii: "/") { end -= 1 }
        return end == 0 ? "/" : String(decoding: bytes[..<end], as: UTF8.self)
    }

    /// The path as one shell word, so that a suggested command can be pasted as it is.
    static func shellQuoted(_ path: String) -> String {
        let plain = path.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                true
            default:
                "/._-+=:,@%".utf8.contains(byte)
            }
        }
        if plain && !path.isEmpty { return path }
        var quoted = "'"
        for character in path {
            quoted += character == "'" ? "'\\''" : String(character)
        }
        return quoted + "'"
    }
}
