import CairnEngine
import CairnSupport

/// Lineage in a git repository. What a commit means is the lock files in its tree
/// (`pipelines/NAME.lock`, as `dvc.lock` is for DVC): the hashes of every input, output and
/// param that made each artifact, whose bytes the store keeps. Beside the user's history, on
/// `refs/cairn/lineage`, one commit per run that changed an output holds `run.json` (who ran
/// it where and when, from which source, dirty or not, what each stage did and why) and the
/// lock files that run left, `locks/NAME.lock`; a commit finds its runs by that lock content,
/// so it does not matter whether it was made before or after the run, and an experiment in a
/// dirty tree never changes what a commit means. `git push origin refs/cairn/lineage` shares it.
public struct Lineage: Sendable {
    public static let ref = "refs/cairn/lineage"

    public let repository: GitRepository
    /// Where the workspace's lock files lie in a commit's tree: `pipelines`, or `sub/pipelines`
    /// for a workspace in a folder of the repository.
    public let lockFolder: String

    public init(repository: GitRepository, workspaceRoot: String) {
        self.repository = repository
        lockFolder = WorkspacePath.normalize(workspaceRoot + "/pipelines", root: repository.workTree) ?? "pipelines"
    }

    /// Where the code is now: HEAD and the tracked files that differ from it. The workspace's
    /// lock files do not count: they are what runs write, and each lineage commit holds them.
    public func source() throws -> RunRecord.Source {
        let head = repository.resolve("HEAD")
        let modified = try repository.modifiedTrackedFiles().filter { path in
            !(path.hasSuffix(".lock") && FileSystem.parent(of: path) == lockFolder)
        }
        return RunRecord.Source(commit: head, subject: try head.map { try repository.commit($0).subject },
                                dirty: !modified.isEmpty, modified: modified)
    }

    /// Commits the run with the lock files it left. Returns the lineage commit.
    @discardableResult
    public func record(_ run: RunRecord, lockFiles: [String: [UInt8]]) throws -> GitRepository.ObjectID {
        var files = ["run.json": Array(run.json.utf8)]
        for (pipeline, bytes) in lockFiles { files["locks/\(pipeline).lock"] = bytes }
        let changed = run.stages.filter(\.status.changedOutputs).map(\.id.description)
        let subject = "cairn run: " + (changed.isEmpty ? "no outputs changed" : changed.joined(separator: ", "))
        let source = run.source.commit.map { " at \($0.prefix(12))" + (run.source.dirty ? " (dirty)" : "") } ?? ""
        return try repository.commit(files: files, message: subject + source + "\n", on: Self.ref)
    }

    /// What a revision pins: the lock files of a commit of the user's history, or those a
    /// recorded run (a lineage commit) left.
    public struct Pin: Sendable {
        public var revision: String
        public var commit: GitRepository.ObjectID
        /// Pipeline name → lock file.
        public var locks: [String: LockFile]

        public var label: String { "\(revision) (\(commit.prefix(8)))" }
    }

    public func pin(_ revision: String) throws -> Pin {
        guard let commit = repository.resolve(revision) else {
            throw CairnError(.usage, "'\(revision)' is not a commit of this repository")
        }
        let committed = try lockEntries(at: commit)
        if !committed.isEmpty {
            return Pin(revision: revision, commit: commit, locks: try committed.mapValues { try lock($0, of: commit) })
        }
        if try history().contains(commit) {
            return Pin(revision: revision, commit: commit, locks: try locks(at: commit))
        }
        throw CairnError(.usage, "\(revision) (\(commit.prefix(8))) holds no lock files in \(lockFolder)/, so it pins no run",
                         hint: "commit \(lockFolder)/NAME.lock after `cairn run`, as dvc.lock: it is what ties a commit to its data and outputs")
    }

    /// Pipeline name → the lock file in `commit`'s tree (of the user's history), by blob: equal
    /// ids are equal lock files, so a walk over history reads each version once.
    public func lockEntries(at commit: GitRepository.ObjectID) throws -> [String: GitRepository.Entry] {
        try named(try repository.files(in: lockFolder, of: commit), folder: lockFolder, commit: commit)
    }

    /// Reads one lock file of `commit`.
    public func lock(_ entry: GitRepository.Entry, of commit: GitRepository.ObjectID) throws -> LockFile {
        guard let bytes = try repository.blob(entry.blob) else {
            throw CairnError(.io, "git: \(commit.prefix(8)):\(entry.path) is missing from the repository", hint: "`git fetch` it again")
        }
        return try LockFile.parse(bytes, file: "\(commit.prefix(8)):\(entry.path)")
    }

    /// Pipeline name → its lock file as lineage commit `commit` recorded it.
    public func locks(at commit: GitRepository.ObjectID) throws -> [String: LockFile] {
        try named(try repository.files(in: "locks", of: commit), folder: "locks", commit: commit).mapValues { try lock($0, of: commit) }
    }

    /// Lock files by pipeline name. The name becomes `pipelines/NAME.lock` on checkout: one
    /// plain file name, nothing else.
    private func named(_ entries: [GitRepository.Entry], folder: String, commit: GitRepository.ObjectID) throws -> [String: GitRepository.Entry] {
        var result: [String: GitRepository.Entry] = [:]
        for entry in entries where entry.path.hasSuffix(".lock") {
            let name = String(entry.path.dropFirst(folder.count + 1).dropLast(".lock".count))
            guard WorkspacePath.problem(name) == nil, !name.contains("/"), !name.hasPrefix("."), !name.isEmpty else {
                throw CairnError(.invalidValue, "commit \(commit.prefix(8)) holds a lock file named '\(entry.path)', which is no pipeline name",
                                 hint: "the commit is damaged or hostile")
            }
            result[name] = entry
        }
        return result
    }

    public func run(at commit: GitRepository.ObjectID) throws -> RunRecord? {
        try repository.file("run.json", in: commit).map { try RunRecord(json: $0, file: "\(commit.prefix(8)):run.json") }
    }

    /// Every lineage commit, newest first.
    public func history(limit: Int = .max) throws -> [GitRepository.ObjectID] {
        try repository.history(of: Self.ref, limit: limit)
    }
}
