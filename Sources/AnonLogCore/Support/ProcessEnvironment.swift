#if canImport(Glibc)
internal import Glibc
#elseif canImport(Musl)
internal import Musl
#elseif canImport(Darwin)
internal import Darwin
#endif

/// The environment variables of this process, read without Foundation.
///
/// Library functions take the environment as a dictionary so that they can be tested without
/// changing the process; the command line builds it once with ``current()``.
public enum ProcessEnvironment {
    /// Returns the variables of this process as a dictionary.
    ///
    /// An entry without `=` is skipped; when a name occurs twice, the first entry wins, as it
    /// does for `getenv`. Not safe to call while another thread changes the environment.
    ///
    /// - Returns: Each variable's name mapped to its value.
    public static func current() -> [String: String] {
        var variables: [String: String] = [:]
        #if canImport(Darwin)
        guard var entry = _NSGetEnviron()?.pointee else { return variables }
        #else
        // Glibc imports `environ` as non-optional, yet clearenv() sets it to NULL.
        guard var entry = unsafeBitCast(environ, to: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?.self) else {
            return variables
        }
        #endif
        while let pointer = entry.pointee {
            let text = String(cString: pointer)
            if let equals = text.utf8.firstIndex(of: UInt8(ascii: "=")) {
                let name = String(text[..<equals])
                if variables[name] == nil {
                    variables[name] = String(text[text.utf8.index(after: equals)...])
                }
            }
            entry += 1
        }
        return variables
    }
}
