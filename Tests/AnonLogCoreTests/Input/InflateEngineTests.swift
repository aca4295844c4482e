import Testing
@testable import AnonLogCore

/// ISA-L must behave as zlib does on every input: the same bytes out, damage reported where
/// zlib reports it (its offset may lie later: ISA-L reads ahead a few bytes), the same kind of
/// message. The zlib behaviour itself is pinned down in `GzipInflatingSourceTests`.
struct InflateEngineTests {
    let a = sampleLog(lines: 300, seed: 1)
    let b = sampleLog(lines: 200, seed: 2)

    func inflate(_ compressed: [UInt8], with implementation: InflateImplementation, chunkSize: Int = .max)
        throws -> (bytes: [UInt8], error: AnonLogError?)
    {
        let source = try GzipInflatingSource(wrapping: MemorySource(compressed, chunkSize: chunkSize), implementation: implementation)
        return drain(source, bufferSize: 1_000)
    }

    /// Inputs, each with a name: clean, concatenated, padded, and damaged in every way the zlib
    /// suite knows.
    func cases() throws -> [(String, [UInt8])] {
        let first = try gzip(a)
        let second = try gzip(b)
        var method = second
        method[2] = 7
        var flags = first
        flags[3] |= 0x80
        var checksum = first
        checksum[checksum.count - 8] ^= 0xFF
        var length = first
        length[length.count - 1] ^= 0x01
        var flipped = first
        flipped[first.count / 2] ^= 0x55
        return [
            ("one member", first),
            ("two members", first + second),
            ("zero padding", first + [UInt8](repeating: 0, count: 512)),
            ("empty member", try gzip([]) + first),
            ("unknown method in the second member", first + method),
            ("reserved flags", flags),
            ("wrong checksum", checksum),
            ("wrong length", length + second),
            ("flipped data", flipped),
            ("truncated", Array(first.dropLast(3))),
            ("truncated header", Array(first.prefix(5))),
            ("trailing garbage", first + Array("garbage".utf8)),
        ]
    }

    @Test func isalGivesZlibsBytesAndErrors() throws {
        for (name, input) in try cases() {
            for chunkSize in [Int.max, 7, 1_000] {
                let zlib = try inflate(input, with: .zlib, chunkSize: chunkSize)
                let isal = try inflate(input, with: .isal, chunkSize: chunkSize)
                #expect(isal.bytes.starts(with: zlib.bytes) || zlib.bytes.starts(with: isal.bytes), "\(name)")
                #expect((isal.error == nil) == (zlib.error == nil), "\(name): zlib \(String(describing: zlib.error)), isa-l \(String(describing: isal.error))")
                if zlib.error == nil { #expect(isal.bytes == zlib.bytes, "\(name)") }
                if let zlibError = zlib.error, let isalError = isal.error {
                    #expect(isalError.code == zlibError.code, "\(name)")
                    let kind = { (message: String) in message.split(separator: "(").first.map(String.init) ?? message }
                    #expect(kind(isalError.message) == kind(zlibError.message), "\(name): \(zlibError.message) / \(isalError.message)")
                    let zlibOffset = try #require(zlibError.location?.byteOffset)
                    let isalOffset = try #require(isalError.location?.byteOffset)
                    #expect(isalOffset >= zlibOffset - 4 && isalOffset <= input.count, "\(name): zlib \(zlibOffset), isa-l \(isalOffset)")
                }
            }
        }
    }

    @Test func isalIsTheDefault() {
        #expect(InflateImplementation.preferred == .isal)
    }
}
