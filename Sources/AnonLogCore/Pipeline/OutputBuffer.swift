/// A growable byte buffer that output is assembled in before it goes to a ``ByteSink``.
///
/// One allocation that grows geometrically and is reused for every chunk; appending never
/// allocates once the buffer has reached its working size.
public final class OutputBuffer {
    private(set) var storage: UnsafeMutableRawPointer
    private(set) var capacity: Int
    /// The number of bytes held.
    public private(set) var count: Int = 0

    /// Creates an empty buffer with room for `capacity` bytes.
    public init(capacity: Int = 1 << 16) {
        self.capacity = max(capacity, 64)
        self.storage = UnsafeMutableRawPointer.allocate(byteCount: self.capacity, alignment: 16)
    }

    deinit { storage.deallocate() }

    /// The bytes held.
    public var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: storage, count: count) }

    /// Forgets the bytes held, keeping the allocation.
    public func removeAll() { count = 0 }

    /// Makes room for `additional` more bytes.
    @inline(__always)
    public func reserve(_ additional: Int) {
        if count + additional > capacity { grow(to: count + additional) }
    }

    private func grow(to minimum: Int) {
        var newCapacity = capacity
        while newCapacity < minimum { newCapacity *= 2 }
        let newStorage = UnsafeMutableRawPointer.allocate(byteCount: newCapacity, alignment: 16)
        newStorage.copyMemory(from: storage, byteCount: count)
        storage.deallocate()
        storage = newStorage
        capacity = newCapacity
    }

    /// Appends `bytes`.
    @inline(__always)
    public func append(_ bytes: UnsafeRawBufferPointer) {
        guard let source = bytes.baseAddress, bytes.count > 0 else { return }
        reserve(bytes.count)
        (storage + count).copyMemory(from: source, byteCount: bytes.count)
        count += bytes.count
    }

    /// Appends one byte.
    @inline(__always)
    public func append(_ byte: UInt8) {
        reserve(1)
        storage.storeBytes(of: byte, toByteOffset: count, as: UInt8.self)
        count += 1
    }

    /// Lets `body` write up to `maximum` bytes at the end and keeps the number it returns.
    @inline(__always)
    public func appendWithin(_ maximum: Int, _ body: (UnsafeMutableRawBufferPointer) -> Int) {
        reserve(maximum)
        let written = body(UnsafeMutableRawBufferPointer(start: storage + count, count: maximum))
        count += written
    }
}
