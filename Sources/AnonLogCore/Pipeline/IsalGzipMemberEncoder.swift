internal import CAnonLogISAL

/// ISA-L's `isal_deflate` at levels 1 to 3.
final class IsalGzipMemberEncoder: GzipMemberEncoding {
    private let stream: UnsafeMutablePointer<isal_zstream>
    private let levelBuffer: UnsafeMutableRawBufferPointer
    let level: Int

    init(level: Int) {
        self.level = level
        stream = .allocate(capacity: 1)
        stream.initialize(to: isal_zstream())
        // ISAL_DEF_LVL3_DEFAULT is 348,160 bytes: the largest of the levels' defaults.
        levelBuffer = .allocate(byteCount: 348_160, alignment: 64)
    }

    deinit {
        stream.deallocate()
        levelBuffer.deallocate()
    }

    func encode(_ input: UnsafeRawBufferPointer, member: Int, into output: OutputBuffer) {
        isal_deflate_init(stream)
        stream.pointee.level = UInt32(level)
        stream.pointee.level_buf = levelBuffer.baseAddress!.assumingMemoryBound(to: UInt8.self)
        stream.pointee.level_buf_size = UInt32(levelBuffer.count)
        stream.pointee.gzip_flag = UInt16(IGZIP_GZIP)
        stream.pointee.end_of_stream = 1
        stream.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: UInt8.self))
        stream.pointee.avail_in = UInt32(input.count)
        // Stored blocks bound the worst case: 5 bytes per 64 KiB block, plus header and trailer.
        var room = input.count + input.count / 8 + 1024
        while true {
            var finished = false
            output.appendWithin(room) { space in
                stream.pointee.next_out = space.baseAddress!.assumingMemoryBound(to: UInt8.self)
                stream.pointee.avail_out = UInt32(space.count)
                let status = isal_deflate(stream)
                precondition(status == COMP_OK, "isa-l deflate failed (status \(status))")
                finished = stream.pointee.internal_state.state == ZSTATE_END
                return space.count - Int(stream.pointee.avail_out)
            }
            if finished { return }
            room *= 2
        }
    }
}
