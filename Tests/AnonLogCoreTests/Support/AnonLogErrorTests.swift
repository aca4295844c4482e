import Testing
@testable import AnonLogCore

struct AnonLogErrorTests {
    @Test func descriptionNamesTheFileAndByteOffset() {
        let error = AnonLogError(.dataError, "truncated gzip member", location: .init(path: "a.gz", byteOffset: 10))
        #expect(error.description == "a.gz at byte 10: truncated gzip member")
    }

    @Test func descriptionNamesTheLineAndTheSystemError() {
        let error = AnonLogError(.ioError, "cannot write", location: .init(path: "out.log", line: 3), errno: 28)
        #expect(error.description == "out.log:3: cannot write: no space left on device")
    }

    @Test func everyCodeHasADistinctExitStatus() {
        let codes: [AnonLogError.Code] = [.usage, .dataError, .noInput, .cannotCreateOutput, .ioError, .outputClosed, .permission, .configuration, .busy]
        #expect(Set(codes.map(\.exitStatus)).count == codes.count)
        #expect(!codes.contains { $0.exitStatus == 0 || $0.exitStatus == 1 })
    }
}
