import Testing
@testable import AnonLogCore

struct PrefixedSourceTests {
    @Test func thePrefixComesBeforeTheRest() {
        let source = PrefixedSource(prefix: [1, 2, 3], wrapping: MemorySource([4, 5, 6, 7]))
        let result = drain(source, bufferSize: 2)
        #expect(result.error == nil)
        #expect(result.bytes == [1, 2, 3, 4, 5, 6, 7])
    }

    @Test func theFirstReadReturnsOnlyThePrefixSoAPipeIsNotWaitedFor() throws {
        let inner = MemorySource([4, 5, 6], isLive: true)
        let source = PrefixedSource(prefix: [1], wrapping: inner)
        var buffer = [UInt8](repeating: 0, count: 16)
        #expect(try readOnce(source, into: &buffer) == 1)
        #expect(inner.readCalls == 0)
        #expect(source.isLive)
    }

    @Test func itTakesItsNameFromTheWrappedSource() {
        #expect(PrefixedSource(prefix: [], wrapping: MemorySource([], name: "x.log")).name == "x.log")
    }
}
