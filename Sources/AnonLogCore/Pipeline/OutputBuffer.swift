/// A growable byte buffer that output is assembled in before it goes to a ``ByteSink``.
///
/// One allocation that grows geometrically and is reused for every chunk; appending never
/// allocates once the buffer has reached its working size.
public final class OutputBuffer {
    // Internal stored properties: the optimizer sees every access within the module and checks
    // exclusivity at compile time, instead of at run time on every append.
    private(set) var storage: UnsafeMutableRawPointer
    private(set) var capacity: Int
    private var used = 0

    /// The number of bytes held.
    public var count: Int { used }

    /// Creates an empty buffer with room for `capacity` bytes.
    public init(capacity: Int = 1 << 16) {
        self.capacity = max(capacity, 64)
        self.storage = UnsafeMutableRawPointer.allocate(byteCount: self.capacity, alignment: 16)
    }

    deinit { storage.deallocate() }

    /// The bytes held.
    public var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: storage, count: used) }

    /// Forgets the bytes held, keeping the allocation.
    public func removeAll() { used = 0 }

    /// Makes room for `additional` more bytes.
    @inline(__always)
    public func reserve(_ additional: Int) {
        if used + additional > capacity { grow(to: used + additional) }
    }

    private func grow(to minimum: Int) {
        var newCapacity = capacity
        while newCapacity < minimum { newCapacity *= 2 }
        let newStorage = UnsafeMutableRawPointer.allocate(byteCount: newCapacity, alignment: 16)
        newStorage.copyMemory(from: storage, byteCount: used)
        storage.deallocate()
        storage = newStorage
        capacity = newCapacity
    }

    /// Appends `bytes`.
    @inline(__always)
    public func append(_ bytes: UnsafeRawBufferPointer) {
        guard let source = bytes.baseAddress, bytes.count > 0 else { return }
        reserve(bytes.count)
        (storage + used).copyMemory(from: source, byteCount: bytes.count)
        used += bytes.count
    }

    /// Appends one byte.
    @inline(__always)
    public func append(_ byte: UInt8) {
        reserve(1)
        storage.storeBytes(of: byte, toByteOffset: used, as: UInt8.self)
        used += 1
    }

    /// Lets `body` write up to `maximum` bytes at the end and keeps the number it returns.
    @inline(__always)
    public func appendWithin(_ maximum: Int, _ body: (UnsafeMutableRawBufferPointer) -> Int) {
        reserve(maximum)
        let written = body(UnsafeMutableRawBufferPointer(start: storage + used, count: maximum))
        used += written
    }
}
