import ArgumentParser
import CairnEngine
import CairnGit
import CairnOperations
import CairnSupport

struct LogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "List every recorded version of an artifact, newest first."
    )

    @Argument(help: "An output path.")
    var artifact: String

    @Flag(help: "One JSON object per line.")
    var json = false

    func run() throws {
        let access = try LineageAccess(artifacts: [artifact])
        let paths = access.paths
        let path = paths[0]
        let store = try access.session.makeStore()
        // Oldest first, so that each version is dated by the run that first produced it.
        var versions: [(hash: ContentHash, commit: GitRepository.ObjectID, run: RunRecord)] = []
        for commit in try access.lineage.history().reversed() {
            guard let producer = Lineage.producer(of: path, in: try access.lineage.locks(at: commit)),
                  let hash = producer.record.outputs[path] ?? (producer.output == path ? nil : producer.record.outputs[producer.output]),
                  hash != versions.last?.hash, let run = try access.lineage.run(at: commit) else { continue }
            versions.append((hash, commit, run))
        }
        if versions.isEmpty { throw CairnError(.usage, "no recorded run produced \(path)") }
        let isMetrics = MetricsFile.paths(in: try access.session.loadGraphs()).contains(path)
        for version in versions.reversed() {
            let metrics = isMetrics ? ((try? store.read(version.hash)).map { MetricsFile.values($0, file: path) } ?? []) : []
            if json {
                Output.jsonLine([
                    ("path", .string(path)), ("hash", .string(version.hash.hex)), ("lineage_commit", .string(version.commit)),
                    ("source_commit", version.run.source.commit.map { .string($0) } ?? .null),
                    ("subject", version.run.source.subject.map { .string($0) } ?? .null),
                    ("dirty", .bool(version.run.source.dirty)), ("date", .integer(version.run.started)),
                    ("metrics", .object(metrics.map { ($0.key, .string($0.value)) })),
                ])
            } else {
                let values = metrics.isEmpty ? "" : "  " + metrics.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
                Output.standardOutput("\(version.hash.short)  \(LineageAccess.date(version.run.started))  "
                                      + LineageAccess.describe(version.run.source) + values)
            }
        }
    }
}
