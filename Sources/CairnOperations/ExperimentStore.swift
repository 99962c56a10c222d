import CairnEngine
import CairnGit
import CairnSupport

/// Experiments in the git repository, one ref each: `refs/cairn/exps/NAME` points at a commit
/// holding `experiment.json` and the lock files the variant's run left (`locks/NAME.lock`),
/// whose parent is the commit the variant ran from. `git push origin 'refs/cairn/exps/*:refs/cairn/exps/*'`
/// shares them, and the store (`cairn push`) their outputs.
public struct ExperimentStore: Sendable {
    public static let prefix = "refs/cairn/exps/"

    public let lineage: Lineage
    public var repository: GitRepository { lineage.repository }

    public init(lineage: Lineage) { self.lineage = lineage }

    /// A name that is one ref component: letters, digits, `-`, `_`, `.`, not starting with `.`.
    public static func check(name: String) throws {
        let allowed = name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || "-_.".unicodeScalars.contains($0) }
        guard !name.isEmpty, allowed, !name.hasPrefix("."), !name.hasSuffix(".lock"), !name.contains("..") else {
            throw CairnError(.usage, "'\(name)' cannot name an experiment", hint: "use letters, digits, '-', '_' and '.'")
        }
    }

    /// Records `experiment` (replacing one of the same name) with the lock files its run left.
    public func save(_ experiment: Experiment, lockFiles: [String: [UInt8]]) throws {
        var files = ["experiment.json": Array(experiment.json.utf8)]
        for (pipeline, bytes) in lockFiles { files["locks/\(pipeline).lock"] = bytes }
        let parents = experiment.base.flatMap { repository.resolve($0) }.map { [$0] } ?? []
        let summary = experiment.params.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        let commit = try repository.commit(files: files, message: "cairn exp \(experiment.name): \(summary) (\(experiment.status.rawValue))\n",
                                           parents: parents)
        try repository.setReference(Self.prefix + experiment.name, to: commit)
    }

    /// Every experiment with the commit that holds it, oldest first.
    public func all() throws -> [(experiment: Experiment, commit: GitRepository.ObjectID)] {
        try repository.references(matching: Self.prefix + "*").map { ref, commit in
            let file = "\(ref.dropFirst("refs/".count)):experiment.json"
            guard let bytes = try repository.file("experiment.json", in: commit) else {
                throw CairnError(.invalidValue, "\(ref) holds no experiment.json", hint: "the ref is damaged; delete it with `cairn exp remove`")
            }
            var experiment = try Experiment(json: bytes, file: file)
            experiment.name = String(ref.dropFirst(Self.prefix.count))
            return (experiment, commit)
        }.sorted { ($0.experiment.created, $0.experiment.name) < ($1.experiment.created, $1.experiment.name) }
    }

    /// The experiment named `name`, or a usage error suggesting the closest.
    public func named(_ name: String) throws -> (experiment: Experiment, commit: GitRepository.ObjectID) {
        let all = try all()
        guard let found = all.first(where: { $0.experiment.name == name }) else {
            throw CairnError(.usage, "no experiment named '\(name)'",
                             hint: Suggestion.hint(for: name, in: all.map(\.experiment.name), noun: "experiments")
                                 ?? (all.isEmpty ? "`cairn exp run` makes some" : "`cairn exp show` lists them"))
        }
        return found
    }

    /// Pipeline name → the lock file the experiment's run left.
    public func locks(at commit: GitRepository.ObjectID) throws -> [String: LockFile] { try lineage.locks(at: commit) }

    /// Forgets an experiment; `cairn gc` then frees what only it kept.
    public func remove(_ name: String) throws {
        guard try repository.deleteReference(Self.prefix + name) else { throw CairnError(.usage, "no experiment named '\(name)'") }
    }
}
