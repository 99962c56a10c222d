import CairnEngine
import CairnGit
import CairnSupport
import Drift
import Learn

/// What `cairn report` shows of a pipeline as the workspace has it now: its DAG with each
/// stage's last status and what is stale, every metrics file beside HEAD's committed values,
/// the pictures and drift reports its stages declare (by the role of their outputs).
public struct PipelineReport {
    public let session: Session
    public let graph: PipelineGraph

    public init(session: Session, graph: PipelineGraph) {
        self.session = session
        self.graph = graph
    }

    public func page() throws -> ReportPage {
        let workspace = session.workspace
        let lock = try LockFile.load(workspace.lockFilePath(pipeline: graph.pipeline))
        let stale = Set(Planner.plan(graph, lock: lock, hashes: try session.currentHashes(graph))
            .filter { $0.freshness != .fresh }.map(\.name))
        let history = StageHistory.load(StageHistory.path(in: workspace, pipeline: graph.pipeline))
        let lineage = session.lineage()
        var page = ReportPage(pipeline: graph.pipeline, dag: DagPicture(graph: graph, history: history, stale: stale).svg,
                              source: try? lineage?.source())
        // HEAD's committed lock file; none without git or a committed lock.
        let committed = (try? lineage?.pin("HEAD"))?.locks[graph.pipeline]
        for node in graph.nodes {
            for output in node.outputs {
                let path = workspace.absolute(output.path)
                switch output.role {
                case .metrics:
                    let now = MetricsFile.values(atPath: path)
                    if !now.isEmpty { page.metrics.append(.init(file: output.path, values: now, previous: committedMetrics(output.path, committed))) }
                case .plots where FileSystem.status(path)?.kind == .directory:
                    let names = ((try? FileSystem.list(path)) ?? []).filter { $0.hasSuffix(".svg") }.sorted()
                    page.plots += names.compactMap { try? FileSystem.readText(path + "/" + $0) }
                case .plots:
                    if output.path.hasSuffix(".svg"), let picture = try? FileSystem.readText(path) { page.plots.append(picture) }
                case .driftReport where FileSystem.exists(path):
                    page.drift.append((node.name, try JSONFile.decode(DriftReport.self, from: path, displayName: output.path, what: "drift report")))
                case .driftReport, nil:
                    break
                }
            }
        }
        page.experiments = try experiments(lineage)
        return page
    }

    /// The workspace's experiments, each with only this pipeline's metrics; none without git.
    private func experiments(_ lineage: Lineage?) throws -> [Experiment] {
        guard let lineage else { return [] }
        let files = Set(graph.nodes.flatMap(\.outputs).filter { $0.role == .metrics }.map(\.path))
        return try ExperimentStore(lineage: lineage).all().map(\.experiment).map { experiment in
            var trimmed = experiment
            trimmed.metrics = experiment.metrics.filter { files.contains(String($0.key.split(separator: ":").dropLast().joined(separator: ":"))) }
            return trimmed
        }
    }

    /// The metrics file `path` as the committed lock records it, read back from the store; nil
    /// without such a record or a store copy.
    private func committedMetrics(_ path: String, _ lock: LockFile?) -> [String: String]? {
        guard let hash = lock?.stages.values.compactMap({ $0.outputs[path] }).first,
              let bytes = try? session.makeStore().read(hash) else { return nil }
        return Dictionary(MetricsFile.values(bytes, file: path)) { first, _ in first }
    }
}
