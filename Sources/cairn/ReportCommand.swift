import ArgumentParser
import CairnCore
import CairnEngine
import CairnGit
import Drift
import Learn

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write one self-contained HTML page about a pipeline: its DAG, metrics, plots and drift."
    )

    @Argument(help: "The pipeline, by name or path; may be left out when there is only one.")
    var pipeline: String?

    @Option(name: .shortAndLong, help: "Where to write the page (default: artifacts/PIPELINE/report.html).")
    var output: String?

    func run() throws {
        let session = try Session(pipelines: pipeline.map { [$0] } ?? [])
        let graphs = try session.loadGraphs()
        guard graphs.count == 1, let graph = graphs.first else {
            throw CairnError(.usage, graphs.isEmpty ? "no pipelines in pipelines/" : "name the pipeline to report on",
                             hint: graphs.isEmpty ? nil : "one of: " + graphs.map(\.pipeline).joined(separator: ", "))
        }
        let workspace = session.workspace
        let destination = output.map { $0.hasPrefix("/") ? $0 : FileSystem.currentDirectory() + "/" + $0 }
            ?? workspace.absolute("artifacts/\(graph.pipeline)/report.html")
        let lock = try LockFile.load(workspace.lockFilePath(pipeline: graph.pipeline))
        let stale = Set(Planner.plan(graph, lock: lock, hashes: try session.currentHashes(graph))
            .filter { $0.freshness != .fresh }.map(\.name))
        var page = ReportPage(pipeline: graph.pipeline,
                              dag: DagPicture(graph: graph, history: StageHistory.load(StageHistory.path(in: workspace, pipeline: graph.pipeline)),
                                              stale: stale).svg,
                              source: try? GitRepository.discover(workspace.root).map { try Lineage(repository: $0).source() } ?? nil)
        let previous = PreviousValues(session: session, pipeline: graph.pipeline)
        for node in graph.nodes {
            for metricsOutput in node.outputs where MetricsFile.matches(metricsOutput.path) {
                let now = MetricsFile.values(atPath: workspace.absolute(metricsOutput.path))
                guard !now.isEmpty else { continue }
                page.metrics.append(.init(file: metricsOutput.path, values: now, previous: previous.metrics(metricsOutput.path)))
            }
            if node.kind.name == "evaluate", let plots = node.outputs.first(where: { $0.name == "plots" }) {
                for name in ["roc.svg", "confusion.svg", "pr.svg"] {
                    if let picture = try? FileSystem.readText(workspace.absolute(plots.path + "/" + name)) { page.plots.append(picture) }
                }
            }
            if node.kind.name == "monitor", let report = node.outputs.first(where: { $0.name == "report" }),
               FileSystem.exists(workspace.absolute(report.path)) {
                page.drift.append((node.name, try JSONFile.decode(DriftReport.self, from: workspace.absolute(report.path),
                                                                   displayName: report.path, what: "drift report")))
            }
        }
        try FileSystem.makeDirectories(FileSystem.parent(of: destination))
        try FileSystem.writeAtomically(Array(page.html.utf8), to: destination)
        Output.standardOutput("wrote \(output ?? "artifacts/\(graph.pipeline)/report.html"): \(graph.nodes.count) stages, \(page.metrics.count) metrics files, "
            + "\(page.plots.count) plots, \(page.drift.count) drift reports")
    }
}

/// Metrics as HEAD committed them: the hash its lock file (`pipelines/NAME.lock` in HEAD's tree)
/// records for the file, read back from the store. None without git, a committed lock, or a store copy.
struct PreviousValues {
    let session: Session
    let pipeline: String

    func metrics(_ path: String) -> [String: String]? {
        guard let repository = GitRepository.discover(session.workspace.root), let head = repository.resolve("HEAD"),
              let store = try? session.makeStore() else { return nil }
        let lockPath = WorkspacePath.normalize(session.workspace.lockFilePath(pipeline: pipeline), root: session.workspace.root)
        guard let lockPath, let bytes = try? repository.file(lockPath, in: head),
              let lock = try? LockFile.parse(bytes, file: "HEAD:" + lockPath),
              let hash = lock.stages.values.compactMap({ $0.outputs[path] }).first,
              let metrics = try? store.read(hash) else { return nil }
        return Dictionary(MetricsFile.values(metrics, file: path)) { first, _ in first }
    }
}
