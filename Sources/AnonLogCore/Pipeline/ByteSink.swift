/// A destination for output bytes: standard output, a file, or an encoder wrapped around one.
public protocol ByteSink: AnyObject {
    /// The name used in messages: the path, or `-` for standard output.
    var name: String { get }

    /// Writes all of `bytes`, or throws.
    ///
    /// - Throws: ``AnonLogError`` with code ``AnonLogError/Code/outputClosed`` when the reader of
    ///   a pipe has gone, ``AnonLogError/Code/ioError`` for other failures.
    func write(_ bytes: UnsafeRawBufferPointer) throws(AnonLogError)

    /// Pushes everything written so far to the underlying descriptor, so that a reader of the
    /// output sees it now (an encoder emits a sync point).
    func flush() throws(AnonLogError)

    /// Writes any trailer and flushes; nothing may be written afterwards.
    func finish() throws(AnonLogError)
}
