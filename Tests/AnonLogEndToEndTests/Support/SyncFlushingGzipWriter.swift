import CAnonLogZlib
import Foundation

/// A gzip stream made piece by piece with a sync flush after each, like a live compressed log.
final class SyncFlushingGzipWriter {
    private var stream = z_stream()

    init() throws {
        let status = deflateInit2_(&stream, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else { throw WriterError.zlib(status) }
    }

    deinit { deflateEnd(&stream) }

    func compress(_ text: String) throws -> Data { try run(Array(text.utf8), flush: Z_SYNC_FLUSH) }

    func finish() throws -> Data { try run([], flush: Z_FINISH) }

    private func run(_ input: [UInt8], flush: Int32) throws -> Data {
        var input = input
        var output = [UInt8](repeating: 0, count: 65_536)
        var produced = Data()
        try input.withUnsafeMutableBufferPointer { inputBuffer in
            stream.next_in = inputBuffer.baseAddress
            stream.avail_in = UInt32(inputBuffer.count)
            repeat {
                try output.withUnsafeMutableBufferPointer { outputBuffer in
                    stream.next_out = outputBuffer.baseAddress
                    stream.avail_out = UInt32(outputBuffer.count)
                    let status = deflate(&stream, flush)
                    guard status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR else { throw WriterError.zlib(status) }
                    produced.append(outputBuffer.baseAddress!, count: outputBuffer.count - Int(stream.avail_out))
                }
            } while stream.avail_out == 0
        }
        return produced
    }

    enum WriterError: Error { case zlib(Int32) }
}
