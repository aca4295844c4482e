/// Finds the raw logs a policy names: files under the source directory matching an `include`
/// glob and no `exclude` glob.
///
/// A glob with a `/` is matched against the path relative to the source directory, one without
/// against the file name (in any subdirectory). Hidden directories and the archive directory
/// (when it lies inside the source directory) are not entered; symbolic links are reported as
/// matched but are never followed.
enum SourceScanner {
    /// A file that matched.
    struct File {
        var path: String
        /// Relative to the source directory.
        var relativePath: String
        var status: ArchiveFileSystem.Status
    }

    /// Directories deeper than this are not entered.
    static let maximumDepth = 8

    /// The matching files, sorted by relative path.
    ///
    /// - Throws: ``AnonLogError`` with code ``AnonLogError/Code/noInput`` when the directory
    ///   cannot be read.
    static func scan(_ directory: String, policy: RetentionPolicy, excludingDirectory archive: String?) throws(AnonLogError) -> [File] {
        guard let root = ArchiveFileSystem.status(directory), root.isDirectory || isLinkToDirectory(directory) else {
            throw AnonLogError(.noInput, "the source directory does not exist or is not a directory", location: .init(path: directory))
        }
        let excluded = archive.flatMap { statusFollowingLinks($0) }
        var files: [File] = []
        try walk(directory, relative: "", depth: 0, policy: policy, excluded: excluded, into: &files)
        return files.sorted { $0.relativePath < $1.relativePath }
    }

    /// Whether `relativePath` matches one of `globs`.
    static func matches(_ globs: [String], _ relativePath: String) -> Bool {
        let name = ArchiveFileSystem.baseName(of: relativePath)
        return globs.contains { glob in
            glob.contains("/") ? ArchiveFileSystem.matches(glob, relativePath) : ArchiveFileSystem.matches(glob, name)
        }
    }

    private static func walk(
        _ directory: String, relative: String, depth: Int, policy: RetentionPolicy,
        excluded: ArchiveFileSystem.Status?, into files: inout [File]
    ) throws(AnonLogError) {
        for name in try ArchiveFileSystem.listDirectory(directory) {
            let path = ArchiveFileSystem.join(directory, name)
            let relativePath = relative.isEmpty ? name : relative + "/" + name
            guard let status = ArchiveFileSystem.status(path) else { continue }  // gone meanwhile
            if status.isDirectory {
                guard !name.hasPrefix("."), depth < maximumDepth else { continue }
                if let excluded, excluded.device == status.device, excluded.inode == status.inode { continue }
                try walk(path, relative: relativePath, depth: depth + 1, policy: policy, excluded: excluded, into: &files)
                continue
            }
            guard matches(policy.include, relativePath), !matches(policy.exclude, relativePath) else { continue }
            files.append(File(path: path, relativePath: relativePath, status: status))
        }
    }

    private static func isLinkToDirectory(_ path: String) -> Bool {
        statusFollowingLinks(path)?.isDirectory ?? false
    }

    /// The status of what a path leads to (through symbolic links).
    private static func statusFollowingLinks(_ path: String) -> ArchiveFileSystem.Status? {
        guard let real = ArchiveFileSystem.realPath(path) else { return nil }
        return ArchiveFileSystem.status(real)
    }
}
