/// Decides the format of each line, automatically or as the user forced it.
///
/// Recognition is per line, so a file that mixes formats (or carries a few broken lines) is
/// counted honestly; it costs one parse per line.
public struct FormatRecognizer: Sendable {
    /// The format every line is expected to have, or `nil` to recognise each line.
    public let forcedFormat: LogFormat?

    public init(forcedFormat: LogFormat? = nil) {
        self.forcedFormat = forcedFormat
    }

    /// The fields of `line` (without its line feed), or `nil` when it has no known format (or
    /// not the forced one). With a forced format, a recognised line has that format.
    public func recognize(_ line: UnsafeRawBufferPointer) -> LineFields? {
        var start = 0
        while start < line.count, line[start] == UInt8(ascii: " ") || line[start] == UInt8(ascii: "\t") { start += 1 }
        guard start < line.count else { return nil }
        let fields = line[start] == UInt8(ascii: "{")
            ? JSONLogFormatParser.parse(line)
            : CommonLogFormatParser.parse(line)
        guard var fields else { return nil }
        if let forcedFormat, forcedFormat != fields.format {
            // combined is common with more fields: a forced common format accepts it, and the
            // line counts as the format the user named.
            guard forcedFormat == .common && fields.format == .combined else { return nil }
            fields.format = .common
        }
        return fields
    }
}
