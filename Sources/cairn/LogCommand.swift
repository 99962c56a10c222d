import ArgumentParser
import CairnEngine
import CairnGit
import CairnOperations
import CairnSupport

struct LogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "List the versions of an artifact by commit of the branch history, newest first."
    )

    @Argument(help: "An output path.")
    var artifact: String

    @Flag(help: "Also list the runs made in a dirty tree (experiments), marked as such.")
    var all = false

    @Flag(help: "One JSON object per line.")
    var json = false

    /// One version of the artifact: where it was pinned first (a commit) or built (a dirty run).
    struct Version {
        var hash: ContentHash
        var date: Int
        var commit: GitRepository.ObjectID?
        var subject: String
        /// The lineage commit of a dirty run; nil for a commit of the history.
        var dirtyRun: GitRepository.ObjectID?
        /// The dirty run's files that differed from its commit.
        var modified: [String] = []
        var isMetrics: Bool
    }

    func run() throws {
        let access = try LineageAccess(artifacts: [artifact])
        let path = access.paths[0]
        let history = try access.lineage.repository.history(of: "HEAD")
        var versions = Array(try committedVersions(of: path, history: history, lineage: access.lineage).reversed())
        if all {
            // A dirty run goes just above the commit it was made on (newest first there); one on a
            // commit outside this history goes last. Clocks are not needed to order them.
            let position = Dictionary(uniqueKeysWithValues: history.enumerated().map { ($1, $0) })
            func place(_ version: Version) -> (Int, Int, Int) {
                (version.commit.flatMap { position[$0] } ?? history.count, version.dirtyRun == nil ? 1 : 0, -version.date)
            }
            versions = (versions + (try dirtyRuns(of: path, lineage: access.lineage))).sorted { place($0) < place($1) }
        }
        if versions.isEmpty { throw CairnError(.usage, "no commit of the history and no recorded run pins \(path)") }
        let store = try access.session.makeStore()
        for version in versions {
            let stored = store.contains(version.hash, directory: store.isDirectory(version.hash))
            let metrics = version.isMetrics && stored ? ((try? store.read(version.hash)).map { MetricsFile.values($0, file: path) } ?? []) : []
            if json {
                Output.jsonLine([
                    ("path", .string(path)), ("hash", .string(version.hash.hex)), ("date", .integer(version.date)),
                    ("commit", version.commit.map { .string($0) } ?? .null), ("subject", .string(version.subject)),
                    ("dirty", .bool(version.dirtyRun != nil)), ("run", version.dirtyRun.map { .string($0) } ?? .null),
                    ("modified", .array(version.modified.map { .string($0) })),
                    ("stored", .bool(stored)), ("metrics", .object(metrics.map { ($0.key, .string($0.value)) })),
                ])
            } else {
                let place = version.dirtyRun.map { "run \($0.prefix(8)) (dirty: \(version.modified.joined(separator: ", "))) on " } ?? ""
                let values = metrics.isEmpty ? "" : "  " + metrics.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
                Output.standardOutput("\(version.hash.short)  \(LocalTime.minute(version.date))  \(place)"
                                      + "\(version.commit.map { String($0.prefix(8)) } ?? "no commit") \"\(version.subject)\""
                                      + values + (stored ? "" : "  (not in the store)"))
            }
        }
    }

    /// Walks `history` (HEAD's first parents, newest first) oldest first, reading each lock file
    /// version once, and keeps each commit where the artifact's hash differs from its parent's.
    private func committedVersions(of path: String, history: [GitRepository.ObjectID], lineage: Lineage) throws -> [Version] {
        var parsed: [GitRepository.ObjectID: LockFile] = [:]
        var versions: [Version] = []
        var previous: ContentHash?
        for commit in history.reversed() {
            var locks: [String: LockFile] = [:]
            for (name, entry) in try lineage.lockEntries(at: commit) {
                if parsed[entry.blob] == nil { parsed[entry.blob] = try lineage.lock(entry, of: commit) }
                locks[name] = parsed[entry.blob]
            }
            let producer = Lineage.producer(of: path, in: locks)
            let hash = producer?.hash(of: path)
            defer { previous = hash }
            guard let producer, let hash, hash != previous else { continue }
            let details = try lineage.repository.commit(commit)
            versions.append(Version(hash: hash, date: details.time, commit: commit, subject: details.subject,
                                    dirtyRun: nil, isMetrics: producer.record.roles[path] == .metrics))
        }
        return versions
    }

    /// The recorded runs made in a dirty tree that built the artifact.
    private func dirtyRuns(of path: String, lineage: Lineage) throws -> [Version] {
        try lineage.runs().compactMap { recorded in
            guard recorded.run.source.dirty, let producer = Lineage.producer(of: path, in: recorded.locks),
                  recorded.run.stages.contains(where: { $0.id == producer.id && $0.status.changedOutputs }),
                  let hash = producer.hash(of: path) else { return nil }
            return Version(hash: hash, date: recorded.run.started, commit: recorded.run.source.commit,
                           subject: recorded.run.source.subject ?? "", dirtyRun: recorded.commit,
                           modified: recorded.run.source.modified, isMetrics: producer.record.roles[path] == .metrics)
        }
    }
}
