import Testing
@testable import AnonLogCore

@Test func errorDescriptionNamesTheLocation() {
    let error = AnonLogError(.dataError, "truncated gzip member", location: .init(path: "a.gz", byteOffset: 10))
    #expect(error.description == "a.gz at byte 10: truncated gzip member")
}
