import CairnEngine
import CairnSupport

/// The lineage history in a git repository: on `refs/cairn/lineage`, one commit per run that
/// changed an output, holding `run.json` and `locks/NAME.lock` for every pipeline; and a note
/// under `refs/notes/cairn` on the source commit naming the latest lineage commit for it.
/// `git push origin refs/cairn/lineage refs/notes/cairn` shares all of it.
public struct Lineage: Sendable {
    public static let ref = "refs/cairn/lineage"
    public static let notesRef = "refs/notes/cairn"
    static let notePrefix = "cairn-lineage "

    public let repository: GitRepository

    public init(repository: GitRepository) { self.repository = repository }

    /// Where the code is now: HEAD and the tracked files that differ from it. Lock files
    /// (`pipelines/NAME.lock`) do not count: they are what runs write, and each lineage commit
    /// holds them anyway.
    public func source() throws -> RunRecord.Source {
        let head = repository.resolve("HEAD")
        let modified = try repository.modifiedTrackedFiles().filter { path in
            !(path.hasSuffix(".lock") && FileSystem.parent(of: path).split(separator: "/").last == "pipelines")
        }
        return RunRecord.Source(commit: head, subject: try head.map { try repository.commit($0).subject },
                                dirty: !modified.isEmpty, modified: modified)
    }

    /// Commits the run and notes it on its source commit. Returns the lineage commit.
    @discardableResult
    public func record(_ run: RunRecord, lockFiles: [String: [UInt8]]) throws -> GitRepository.ObjectID {
        var files = ["run.json": Array(run.json.utf8)]
        for (pipeline, bytes) in lockFiles { files["locks/\(pipeline).lock"] = bytes }
        let changed = run.stages.filter(\.status.changedOutputs).map(\.id.description)
        let subject = "cairn run: " + (changed.isEmpty ? "no outputs changed" : changed.joined(separator: ", "))
        let source = run.source.commit.map { " at \($0.prefix(12))" + (run.source.dirty ? " (dirty)" : "") } ?? ""
        let commit = try repository.commit(files: files, message: subject + source + "\n", on: Self.ref)
        if let sourceCommit = run.source.commit {
            try repository.setNote(Self.notePrefix + commit + "\n", on: sourceCommit, notesRef: Self.notesRef)
        }
        return commit
    }

    /// The lineage commit a revision stands for: the latest one when nil; a lineage commit
    /// itself; or, for a commit of the source history, the one its note names.
    public func lineageCommit(for revision: String?) throws -> GitRepository.ObjectID? {
        guard let revision else { return repository.resolve(Self.ref) }
        guard let id = repository.resolve(revision) else {
            throw CairnError(.usage, "'\(revision)' is not a commit of this repository")
        }
        if let note = repository.note(on: id, notesRef: Self.notesRef), note.hasPrefix(Self.notePrefix) {
            return String(note.dropFirst(Self.notePrefix.count).prefix { !$0.isWhitespace })
        }
        return try isLineageCommit(id) ? id : nil
    }

    public func isLineageCommit(_ id: GitRepository.ObjectID) throws -> Bool {
        try repository.history(of: Self.ref).contains(id)
    }

    public func run(at commit: GitRepository.ObjectID) throws -> RunRecord? {
        try repository.file("run.json", in: commit).map { try RunRecord(json: $0, file: "\(commit.prefix(8)):run.json") }
    }

    /// Pipeline name → its lock file as of `commit`.
    public func locks(at commit: GitRepository.ObjectID) throws -> [String: LockFile] {
        var locks: [String: LockFile] = [:]
        for path in try repository.files(in: "locks", of: commit) where path.hasSuffix(".lock") {
            let name = String(path.dropFirst("locks/".count).dropLast(".lock".count))
            // The name becomes pipelines/NAME.lock on checkout: one plain file name, nothing else.
            guard WorkspacePath.problem(name) == nil, !name.contains("/"), !name.hasPrefix(".") else {
                throw CairnError(.invalidValue, "lineage commit \(commit.prefix(8)) holds a lock file named '\(path)', which is no pipeline name",
                                 hint: "the lineage commit is damaged or hostile")
            }
            if let bytes = try repository.file(path, in: commit) {
                locks[name] = try LockFile.parse(bytes, file: "\(commit.prefix(8)):\(path)")
            }
        }
        return locks
    }

    /// Every lineage commit, newest first.
    public func history(limit: Int = .max) throws -> [GitRepository.ObjectID] {
        try repository.history(of: Self.ref, limit: limit)
    }
}
