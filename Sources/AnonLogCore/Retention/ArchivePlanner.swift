/// Works out an ``ArchivePlan`` from the policy, the manifest and the files on disk, touching
/// nothing.
enum ArchivePlanner {
    /// What the planner saw, besides the plan: the raw logs on disk by identity.
    struct Result {
        var plan: ArchivePlan
        /// Every matching raw log found, archived or not.
        var files: [SourceScanner.File]
        /// The archived ones still on disk, by identity (logrotate may have renamed them).
        var archivedOnDisk: [SourceIdentity: SourceScanner.File]
    }

    /// - Parameters:
    ///   - configuration: Directories, policy, key file and the time.
    ///   - manifest: What the archive has done.
    ///   - archiving: Whether new raw logs are to be archived (false for `retention apply`).
    static func plan(_ configuration: ArchiveConfiguration, manifest: ArchiveManifest, archiving: Bool) throws(AnonLogError) -> Result {
        let policy = configuration.policy
        let now = configuration.now
        var plan = ArchivePlan()
        var files: [SourceScanner.File] = []
        var archivedOnDisk: [SourceIdentity: SourceScanner.File] = [:]
        let rawCutoff = policy.window(.rawLogs)?.cutoff(before: now)

        if let sourceDirectory = configuration.sourceDirectory {
            guard !policy.include.isEmpty else {
                throw AnonLogError(
                    .configuration, "the policy must list the files to take: [sources] include = [\"access.log.*.gz\"]",
                    location: .init(path: policy.path))
            }
            files = try SourceScanner.scan(sourceDirectory, policy: policy, excludingDirectory: configuration.archiveDirectory)
            var assigned = Set<String>()
            for file in files {
                if SourceScanner.matches(policy.live, file.relativePath) {
                    plan.skipped.append(.init(relativePath: file.relativePath, reason: .liveLog))
                    continue
                }
                guard file.status.isRegularFile else {
                    plan.skipped.append(.init(relativePath: file.relativePath, reason: .notRegularFile))
                    continue
                }
                let identity = SourceIdentity(file.status)
                if let entry = manifest.entry(for: identity) {
                    archivedOnDisk[identity] = file
                    plan.skipped.append(.init(relativePath: file.relativePath, reason: .alreadyArchived(output: entry.output)))
                    continue
                }
                if let entry = manifest.changedEntry(for: identity) {
                    plan.skipped.append(.init(relativePath: file.relativePath, reason: .changedSinceArchived(output: entry.output)))
                    continue
                }
                let age = now - identity.modified
                if age < policy.quietPeriod.approximateSeconds {
                    plan.skipped.append(.init(relativePath: file.relativePath, reason: .quietPeriod(secondsAgo: max(0, age))))
                    continue
                }
                guard archiving else { continue }
                let output = outputName(for: file.relativePath, identity: identity) { name in
                    assigned.contains(name) || manifest.hasOutput(name)
                }
                assigned.insert(output)
                plan.toArchive.append(ArchivePlan.Candidate(
                    sourcePath: file.path, relativePath: file.relativePath, identity: identity,
                    outputPath: ArchiveFileSystem.join(configuration.archiveDirectory, output), outputRelativePath: output,
                    stagingPath: ArchiveFileSystem.join(
                        ArchiveState.stagingDirectory(configuration), output.replacingSlashes()),
                    deleteOnceArchived: rawCutoff.map { identity.modified < $0 } ?? false))
            }
        } else {
            plan.notes.append("no source directory: raw logs are neither archived nor deleted")
        }

        for entry in manifest.entries where entry.sourceDeletedAt == nil {
            let onDisk = archivedOnDisk[entry.identity]
            if !entry.statisticsIngested {
                if onDisk != nil {
                    plan.pendingStatistics.append(entry.identity)
                } else {
                    plan.notes.append("the statistics of \(entry.source) were never ingested and the raw log is gone")
                }
            }
            if let file = onDisk, let rawCutoff, entry.identity.modified < rawCutoff {
                plan.rawDeletions.append(.init(sourcePath: file.path, relativePath: file.relativePath, identity: entry.identity))
            }
        }
        if let cutoff = policy.window(.anonymizedLogs)?.cutoff(before: now) {
            for entry in manifest.entries where entry.outputDeletedAt == nil && entry.identity.modified < cutoff {
                plan.outputExpiries.append(.init(
                    outputPath: ArchiveFileSystem.join(configuration.archiveDirectory, entry.output),
                    outputRelativePath: entry.output, identity: entry.identity))
            }
            // A raw log older than the window is still archived (its statistics may be kept
            // longer), and its output expires at once.
            for candidate in plan.toArchive where candidate.identity.modified < cutoff {
                plan.outputExpiries.append(.init(
                    outputPath: candidate.outputPath, outputRelativePath: candidate.outputRelativePath, identity: candidate.identity))
            }
        }
        for statisticsClass in StatisticsClass.allCases {
            if let window = policy.window(statisticsClass.retentionClass) {
                plan.rowExpiries.append(.init(statisticsClass: statisticsClass, cutoff: window.cutoff(before: now)))
            }
        }
        if let window = policy.window(.keyEpochs) {
            if let keyFile = configuration.keyFile {
                do throws(AnonLogError) {
                    let record = try KeyFile.load(from: keyFile)
                    if record.rotation == .none {
                        plan.notes.append("the key has no rotation, so key_epochs cannot be enforced: \(keyFile)")
                    } else {
                        let before = window.cutoff(before: now)
                        let target = record.rotation.epoch(at: before)
                        if target > record.epoch {
                            plan.keyShred = .init(keyFile: keyFile, before: before, rotation: record.rotation, fromEpoch: record.epoch, toEpoch: target)
                        }
                    }
                } catch {
                    plan.notes.append("cannot read the key file to check its epochs: \(error)")
                }
            } else {
                plan.notes.append("no key file: key_epochs is not enforced")
            }
        }
        return Result(plan: plan, files: files, archivedOnDisk: archivedOnDisk)
    }

    /// The archive name of a raw log: its directory, its name without `.gz` and a rotation
    /// number, and its modification time, so that the name stays the same when logrotate
    /// renames the raw log (`access.log.3.gz` → `access.log-20261120T235959Z.gz`). The inode is
    /// added when that name is taken.
    static func outputName(for relativePath: String, identity: SourceIdentity, isTaken: (String) -> Bool) -> String {
        let directory = relativePath.contains("/") ? ArchiveFileSystem.parent(of: relativePath) : ""
        var stem = ArchiveFileSystem.baseName(of: relativePath)
        if stem.hasSuffix(".gz") { stem.removeLast(3) }
        if let dot = stem.lastIndex(of: "."), dot != stem.startIndex,
            stem[stem.index(after: dot)...].allSatisfy(\.isNumber), stem.index(after: dot) != stem.endIndex
        {
            stem = String(stem[..<dot])
        }
        let stamp = LogTimestamp.format(identity.modified).filter { $0 != "-" && $0 != ":" }
        let name = ArchiveFileSystem.join(directory, "\(stem)-\(stamp).gz")
        guard isTaken(name) else { return name }
        return ArchiveFileSystem.join(directory, "\(stem)-\(stamp)-\(identity.inode).gz")
    }
}

extension String {
    /// The path with `/` written as `%2F`, `%` as `%25`: a flat name for the staging area.
    fileprivate func replacingSlashes() -> String {
        var result = ""
        for character in self {
            switch character {
            case "%": result += "%25"
            case "/": result += "%2F"
            default: result.append(character)
            }
        }
        return result
    }
}
