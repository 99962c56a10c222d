import ArgumentParser
import CairnEngine
import CairnOperations

struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Say which stages are fresh and why the others are stale."
    )

    @OptionGroup var report: ReportOptions

    func run() throws {
        let session = try Session(pipelines: report.pipelines)
        let graphs = try session.loadGraphs()
        var stale = 0
        for graph in graphs {
            let lock = try LockFile.load(session.workspace.lockFilePath(pipeline: graph.pipeline))
            let plan = Planner.plan(graph, lock: lock, hashes: try session.currentHashes(graph))
            stale += plan.filter { $0.freshness != .fresh }.count
            for step in plan {
                let state = step.freshness == .fresh ? "fresh" : "stale"
                if report.json {
                    Output.jsonLine([
                        ("event", .string("status")), ("pipeline", .string(graph.pipeline)), ("stage", .string(step.name)),
                        ("state", .string(state)), ("reasons", .array(step.freshness.reasons.map { .string($0.description) })),
                    ])
                } else {
                    let reasons = step.freshness.reasons.map(\.description).joined(separator: "; ")
                    Output.standardOutput("\(state.padding(7))\(StageID(pipeline: graph.pipeline, stage: step.name).description.padding(24)) \(reasons)"
                        .trimmingTrailingSpaces)
                }
            }
        }
        if !report.json {
            Output.standardOutput(stale == 0 ? "everything is up to date" : "\(stale) stage\(stale == 1 ? "" : "s") stale")
        }
        // Saving only spares work next time: `status` reports what it read even on a full disk.
        try? session.hasher.statCache.save()
    }

    /// `run --dry-run`: what would run, be restored or be skipped, and why.
    static func printPlan(_ session: Session, graphs: [PipelineGraph], selections: [StageSelection?]?,
                          json: Bool, force: Bool) throws {
        let store = try session.makeStore()
        let runCache = RunCache(storeRoot: store.root)
        for (index, graph) in graphs.enumerated() {
            let selection = selections?[index]
            let lock = try LockFile.load(session.workspace.lockFilePath(pipeline: graph.pipeline))
            for step in Planner.plan(graph, lock: lock, hashes: try session.currentHashes(graph),
                                     force: force, selection: selection) {
                let action: String
                switch step.freshness {
                case .fresh: action = "skip"
                case .stale:
                    let cached = !force && step.fingerprint.flatMap(runCache.lookup).map { entry in
                        graph.node(named: step.name).map { store.canRestore(entry, outputsOf: $0) } ?? false
                    } == true
                    action = cached ? "restore" : "run"
                }
                let reasons = step.freshness.reasons.map(\.description)
                if json {
                    Output.jsonLine([
                        ("event", .string("plan")), ("pipeline", .string(graph.pipeline)), ("stage", .string(step.name)),
                        ("action", .string(action)), ("reasons", .array(reasons.map { .string($0) })),
                    ])
                } else {
                    Output.standardOutput("would \(action.padding(8))\(StageID(pipeline: graph.pipeline, stage: step.name).description.padding(24)) "
                        + (reasons.isEmpty ? "up to date" : reasons.joined(separator: "; ")))
                }
            }
        }
    }
}
