/// A stream of raw input bytes: a file, standard input, a pipe, or a decoder wrapped around one.
///
/// Sources are read by one thread at a time; they are classes because they own a descriptor or
/// a decoder state.
public protocol ByteSource: AnyObject {
    /// The name used in messages: the path, or `-` for standard input.
    var name: String { get }

    /// Whether bytes arrive over time (a pipe, terminal or socket) rather than from storage.
    ///
    /// A reader of a live source writes out every complete line as soon as no more bytes are
    /// ready, so that no line is held back waiting for the next one.
    var isLive: Bool { get }

    /// Reads at most `buffer.count` bytes into `buffer`.
    ///
    /// Blocks until at least one byte is available or the input has ended.
    ///
    /// - Parameter buffer: Where to put the bytes; must not be empty.
    /// - Returns: The number of bytes read; `0` only at the end of the input.
    /// - Throws: ``AnonLogError`` when the input cannot be read or is damaged. Every byte that
    ///   could be recovered before the damage has been returned by earlier calls.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(AnonLogError) -> Int
}
