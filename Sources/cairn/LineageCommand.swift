import ArgumentParser
import CairnCore
import CairnEngine
import CairnGit
import CairnOperations
import CairnSupport
import Glibc

/// Shared by the commands that read lineage: the repository, and artifact paths as the user wrote them.
struct LineageAccess {
    let session: Session
    let lineage: Lineage
    /// The artifact arguments as workspace-relative paths.
    let paths: [String]

    /// - Parameter arguments: artifact paths relative to the current folder.
    init(artifacts arguments: [String] = []) throws {
        let directory = FileSystem.currentDirectory()
        let session = try Session(pipelines: [])
        self.session = session
        guard let lineage = session.lineage() else {
            throw CairnError(.usage, "no git repository here, so no lineage", hint: "`cairn init` makes one; runs record lineage from then on")
        }
        self.lineage = lineage
        paths = try arguments.map { argument in
            let absolute = argument.hasPrefix("/") ? argument : directory + "/" + argument
            guard let path = WorkspacePath.normalize(absolute, root: session.workspace.root) else {
                throw CairnError(.usage, "'\(argument)' is outside the workspace \(session.workspace.root)")
            }
            return path
        }
    }

    /// The lock files a revision pins, or with none the workspace's as they are now.
    func locks(_ revision: String?) throws -> (label: String, commit: GitRepository.ObjectID?, locks: [String: LockFile]) {
        guard let revision else { return ("the workspace", nil, try session.lockFiles()) }
        let pin = try lineage.pin(revision)
        return (pin.label, pin.commit, pin.locks)
    }

    static func describe(_ source: RunRecord.Source) -> String {
        guard let commit = source.commit else { return "no commit yet" }
        return "\(commit.prefix(8)) \"\(source.subject ?? "")\"" + (source.dirty ? " (dirty: \(source.modified.joined(separator: ", ")))" : "")
    }
}

struct LineageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lineage",
        abstract: "Show what produced an artifact: stages, params, input hashes, source commits, back to the raw data."
    )

    @Argument(help: "An output path.")
    var artifact: String

    @Option(help: "A commit (as its committed lock files say) or a run of refs/cairn/lineage (default: the workspace's lock files).")
    var rev: String?

    @Flag(help: "One JSON object.")
    var json = false

    func run() throws {
        let access = try LineageAccess(artifacts: [artifact])
        let paths = access.paths
        let (label, commit, locks) = try access.locks(rev)
        guard let producer = Lineage.producer(of: paths[0], in: locks) else {
            throw CairnError(.usage, "no stage recorded in \(label) produces \(paths[0])")
        }
        var described: Set<String> = []
        let tree = describe(producer, locks: locks, runs: try access.lineage.runs(), ancestors: [], described: &described)
        if json {
            Output.standardOutput(JSONValue.object([("artifact", .string(paths[0])), ("revision", rev.map { .string($0) } ?? .null),
                                                    ("commit", commit.map { .string($0) } ?? .null),
                                                    ("produced_by", tree.json)]).compact)
        } else {
            Output.standardOutput("\(paths[0])  \(producer.record.outputs[producer.output]!.short)")
            Output.standardOutput(tree.lines(prefix: "", last: true).joined(separator: "\n"))
        }
    }

    /// One producing stage and, below it, what it read.
    struct Node {
        var title: String
        var details: [String]
        var json: JSONValue
        var children: [Node]

        func lines(prefix: String, last: Bool) -> [String] {
            let branch = last ? "└─ " : "├─ "
            let inner = prefix + (last ? "   " : "│  ")
            var result = [prefix + branch + title] + details.map { inner + $0 }
            for (index, child) in children.enumerated() {
                result += child.lines(prefix: inner, last: index == children.count - 1)
            }
            return result
        }
    }

    /// `ancestors`: the stages on the way here, which an input cannot lead back to. `described`:
    /// the stages already shown whole; a stage read again (a shared upstream) is named, not repeated.
    /// `runs`: every recorded run, in which the run that built each stage is found by content.
    private func describe(_ producer: Lineage.Producer, locks: [String: LockFile], runs: [Lineage.RecordedRun],
                          ancestors: Set<String>, described: inout Set<String>) -> Node {
        let record = producer.record
        described.insert(producer.id.description)
        let build = Lineage.build(of: producer, in: runs)
        var details = ["fingerprint \(record.fingerprint.short)  \(record.kind)@\(record.version)"]
        if let build {
            let stageRun = build.run.stages.first { $0.id == producer.id }
            details.append("built \(LocalTime.minute(build.run.started)) (\(stageRun?.status.displayName ?? "ran"), "
                           + "\((stageRun?.seconds ?? 0).secondsText)) from \(LineageAccess.describe(build.run.source))"
                           + " on \(build.run.host)")
        }
        if !record.params.isEmpty {
            details.append("params: " + record.params.sorted { $0.key < $1.key }.map { key, value in
                "\(key)=\(value)" + (record.overridden.contains(key) ? " (-S override)" : "")
            }.joined(separator: ", "))
        }
        var children: [Node] = []
        var inputs: [JSONValue] = []
        for (path, hash) in record.inputs.sorted(by: { $0.key < $1.key }) {
            let here = producer.id.description
            if let upstream = Lineage.producer(of: path, in: locks), case let name = upstream.id.description,
               !ancestors.union([here]).contains(name) {
                if described.contains(name) {
                    children.append(Node(title: "\(path)  \(hash.short)  ← \(name) (shown above)", details: [], json: .null, children: []))
                    inputs.append(.object([("path", .string(path)), ("hash", .string(hash.hex)),
                                           ("produced_by", .object([("pipeline", .string(upstream.pipeline)), ("stage", .string(upstream.stage)),
                                                                    ("fingerprint", .string(upstream.record.fingerprint.hex)),
                                                                    ("shown_above", .bool(true))]))]))
                    continue
                }
                var child = describe(upstream, locks: locks, runs: runs, ancestors: ancestors.union([here]), described: &described)
                child.title = "\(path)  \(hash.short)  ← " + child.title
                children.append(child)
                inputs.append(.object([("path", .string(path)), ("hash", .string(hash.hex)), ("produced_by", child.json)]))
            } else {
                children.append(Node(title: "\(path)  \(hash.short)  (external)", details: [], json: .null, children: []))
                inputs.append(.object([("path", .string(path)), ("hash", .string(hash.hex))]))
            }
        }
        let json = JSONValue.object([
            ("pipeline", .string(producer.pipeline)), ("stage", .string(producer.stage)),
            ("fingerprint", .string(record.fingerprint.hex)), ("kind", .string(record.kind)),
            ("params", .object(record.params.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })),
            ("overridden", .array(record.overridden.sorted().map { .string($0) })),
            ("outputs", .object(record.outputs.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value.hex)) })),
            ("built_in", build.map { .string($0.commit) } ?? .null),
            ("source_commit", build?.run.source.commit.map { .string($0) } ?? .null),
            ("dirty", build.map { .bool($0.run.source.dirty) } ?? .null),
            ("started", build.map { .integer($0.run.started) } ?? .null),
            ("inputs", .array(inputs)),
        ])
        return Node(title: producer.id.description, details: details, json: json, children: children)
    }
}
