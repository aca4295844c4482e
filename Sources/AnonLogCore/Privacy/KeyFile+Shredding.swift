#if canImport(Glibc)
internal import Glibc
#elseif canImport(Musl)
internal import Musl
#elseif canImport(Darwin)
internal import Darwin
#endif
internal import CAnonLogCrypto

extension KeyFile {
    /// What shredding did.
    public struct ShredResult: Sendable {
        /// The oldest epoch whose key could be derived before.
        public var previousEpoch: Int64
        /// The oldest epoch whose key can be derived now; every earlier one is gone.
        public var retainedEpoch: Int64
        /// How often the key changes.
        public var rotation: KeyRotation

        /// Whether anything was shredded.
        public var shredAny: Bool { retainedEpoch > previousEpoch }
    }

    /// Makes the epochs before `time` unlinkable forever.
    ///
    /// The stored key is ratcheted forward to the epoch that contains `time`, and the file is
    /// replaced: the new contents are written to a temporary file and flushed, renamed over the
    /// old name and the directory flushed, then the old file's bytes are overwritten with random
    /// bytes through a descriptor kept open across the rename, and flushed. Keys of the shredded epochs cannot be derived from the new
    /// key (the ratchet is one-way), so nobody, the operator included, can make their
    /// pseudonyms again.
    ///
    /// Overwriting in place removes the old key from the file system's view; on copy-on-write
    /// file systems and flash storage old blocks may survive below it, so keep key files on
    /// storage you can trust (or on tmpfs with a backup elsewhere).
    ///
    /// - Parameters:
    ///   - path: The key file.
    ///   - time: Epochs that end before the epoch containing this Unix time are shredded.
    /// - Returns: The epochs before and after.
    /// - Throws: ``AnonLogError``: as ``load(from:)``; ``AnonLogError/Code/usage`` for a key
    ///   without rotation (it has a single epoch: delete the file instead);
    ///   ``AnonLogError/Code/ioError`` when the new file cannot be made durable.
    public static func shred(at path: String, before time: Int64) throws(AnonLogError) -> ShredResult {
        let record = try load(from: path)
        guard record.rotation != .none else {
            throw AnonLogError(
                .usage, "this key has no rotation, so it has a single epoch; to destroy it, delete the key file",
                location: .init(path: path))
        }
        let target = record.rotation.epoch(at: time)
        var result = ShredResult(previousEpoch: record.epoch, retainedEpoch: record.epoch, rotation: record.rotation)
        guard target > record.epoch, let newKey = record.key(forEpoch: target) else { return result }
        var newRecord = record
        newRecord.epoch = target
        newRecord.key = newKey
        try replace(at: path, with: newRecord)
        result.retainedEpoch = target
        return result
    }

    /// Replaces a key file's contents, overwriting the old bytes first.
    static func replace(at path: String, with record: KeyRecord) throws(AnonLogError) {
        let location = AnonLogError.Location(path: path)
        let directory = parentDirectory(of: path)
        let temporaryPath = "\(path).partial-\(getpid())-\(hex(try SecureRandom.bytes(count: 4)))"
        var text = encode(record)
        defer { text.withUnsafeMutableBytes { OPENSSL_cleanse($0.baseAddress, $0.count) } }
        try writeDurably(text, to: temporaryPath, flags: O_CREAT | O_EXCL | O_WRONLY, location: location)

        // Keep the old file open, move the name to the new one, then overwrite the old bytes
        // through the kept descriptor: at every moment the name holds a whole, valid key file
        // (a kill between the steps leaves the new key in place, never noise).
        let old = open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY)
        defer { if old >= 0 { close(old) } }
        guard rename(temporaryPath, path) == 0 else {
            let code = errno
            unlink(temporaryPath)
            throw AnonLogError(.ioError, "cannot rename the new key file into place", location: location, errno: code)
        }
        try synchronizeDirectory(directory, location: location)
        var status = stat()
        if old >= 0, fstat(old, &status) == 0, status.st_size > 0 {
            let noise = try SecureRandom.bytes(count: Int(status.st_size))
            try writeAll(old, noise, location: location)
            guard fsync(old) == 0 else {
                throw AnonLogError(.ioError, "cannot flush the overwritten old key", location: location, errno: errno)
            }
        }
    }

    /// Writes `bytes` at the start of `path` (opened with `flags`, mode 0600) and flushes it.
    private static func writeDurably(
        _ bytes: [UInt8], to path: String, flags: Int32, location: AnonLogError.Location
    ) throws(AnonLogError) {
        let descriptor = open(path, flags | O_CLOEXEC | O_NOCTTY, 0o600)
        guard descriptor >= 0 else {
            throw AnonLogError(.cannotCreateOutput, "cannot write key file", location: location, errno: errno)
        }
        defer { close(descriptor) }
        guard fchmod(descriptor, 0o600) == 0 else {
            throw AnonLogError(.cannotCreateOutput, "cannot restrict key file to its owner", location: location, errno: errno)
        }
        try writeAll(descriptor, bytes, location: location)
        guard fsync(descriptor) == 0 else {
            throw AnonLogError(.ioError, "cannot flush key file", location: location, errno: errno)
        }
    }
}

extension KeyFile {
    /// Reads a raw key given as hex (for `anonlog key import`); whitespace around it is ignored.
    ///
    /// - Parameters:
    ///   - text: The hex digits, as read from standard input.
    ///   - mode: The mode the key is for; it sets the length.
    /// - Returns: The key.
    /// - Throws: ``AnonLogError`` with code ``AnonLogError/Code/configuration`` when the text is
    ///   not `mode.keyByteCount` bytes of hex; the message never quotes it.
    public static func decodeImportedKey(_ text: some Collection<UInt8>, mode: AnonymizationMode) throws(AnonLogError) -> SecretKey {
        var bytes = Array(text)
        defer { bytes.withUnsafeMutableBytes { OPENSSL_cleanse($0.baseAddress, $0.count) } }
        let isSpace: (UInt8) -> Bool = { $0 == 0x20 || (0x09...0x0D).contains($0) }
        let start = bytes.firstIndex { !isSpace($0) } ?? bytes.count
        let end = (bytes.lastIndex { !isSpace($0) } ?? -1) + 1
        let location = AnonLogError.Location(path: "standard input")
        return try bytes.withUnsafeBytes { (buffer) -> Result<SecretKey, AnonLogError> in
            do throws(AnonLogError) {
                let digits = UnsafeRawBufferPointer(rebasing: buffer[start..<max(start, end)])
                return .success(try decodeHex(digits, expected: [mode.keyByteCount * 2], location: location, what: "the key"))
            } catch {
                return .failure(error)
            }
        }.get()
    }
}
