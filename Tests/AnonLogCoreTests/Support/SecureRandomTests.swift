import Testing
@testable import AnonLogCore

struct SecureRandomTests {
    @Test func bytesHaveTheAskedLengthAndDifferBetweenCalls() throws {
        let first = try SecureRandom.bytes(count: 32)
        let second = try SecureRandom.bytes(count: 32)
        #expect(first.count == 32)
        #expect(first != second)  // equal with probability 2^-256
    }

    @Test func fillOverwritesTheWholeBuffer() throws {
        // Some run of 16 zero bytes survives a fill with probability below 2^-116.
        var buffer = [UInt8](repeating: 0, count: 4096)
        try buffer.withUnsafeMutableBytes { buffer in Result { () throws(AnonLogError) in try SecureRandom.fill(buffer) } }.get()
        #expect(!(0...(buffer.count - 16)).contains { start in buffer[start..<start + 16].allSatisfy { $0 == 0 } })
    }

    @Test func anEmptyBufferIsFine() throws {
        try SecureRandom.fill(UnsafeMutableRawBufferPointer(start: nil, count: 0))
        #expect(try SecureRandom.bytes(count: 0).isEmpty)
    }
}
