import Foundation

/// anonlog running as a child process with real pipes, fed and read a line at a time.
final class LiveChild {
    let process = Process()
    private let input = Pipe()
    private let output = Pipe()
    private var pending = Data()

    init(arguments: [String]) throws {
        process.executableURL = AnonlogBinary.url
        process.arguments = arguments
        process.environment = AnonlogBinary.environment
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
    }

    func send(_ text: String) throws {
        try input.fileHandleForWriting.write(contentsOf: Data(text.utf8))
    }

    func closeInput() throws {
        try input.fileHandleForWriting.close()
    }

    /// Reads until `count` complete lines have arrived; fails after 20 seconds (a hang, not a
    /// speed limit: a line held back never arrives at all).
    func readLines(_ count: Int) throws -> [String] {
        let descriptor = output.fileHandleForReading.fileDescriptor
        let deadline = Date().addingTimeInterval(20)
        while pending.filter({ $0 == 0x0A }).count < count {
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let remaining = Int32(max(0, deadline.timeIntervalSinceNow) * 1000)
            guard remaining > 0, poll(&poller, 1, remaining) > 0 else {
                throw LiveChildError.timedOut(received: String(decoding: pending, as: UTF8.self))
            }
            var chunk = [UInt8](repeating: 0, count: 65_536)
            let read = Foundation.read(descriptor, &chunk, chunk.count)
            guard read > 0 else { throw LiveChildError.ended }
            pending.append(contentsOf: chunk[..<read])
        }
        let text = String(decoding: pending, as: UTF8.self)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let complete = Array(lines.prefix(count))
        lines.removeFirst(count)
        pending = Data(lines.joined(separator: "\n").utf8)
        return complete
    }

    /// Everything written after the lines already read, up to the end of the output.
    func remainingOutput() -> String {
        pending.append(output.fileHandleForReading.readDataToEndOfFile())
        return String(decoding: pending, as: UTF8.self)
    }
}

enum LiveChildError: Error {
    case timedOut(received: String)
    case ended
}
