import CairnCore
import CairnEngine
import CairnSupport
import Synchronization
import Tables
import TestSupport

/// Runs a stage the way the engine does: inputs and outputs are absolute paths in a temporary
/// workspace, inputs hashed by the engine's hasher, and errors come out as thrown.
struct StageHarness {
    let workspace = TestData.temporaryDirectory()
    /// What the stages run so far reported through `context.progress`.
    let progress = ProgressLog()

    final class ProgressLog: Sendable {
        let reports = Mutex<[String]>([])
        /// Rerun requests: the stages asked for and the output given as evidence.
        let reruns = Mutex<[(RerunRequest, String)]>([])
    }

    func path(_ relative: String) -> String { relative.hasPrefix("/") ? relative : workspace + "/" + relative }

    func write(_ text: String, to relative: String) throws {
        try FileSystem.makeDirectories(FileSystem.parent(of: path(relative)))
        try FileSystem.writeAtomically(Array(text.utf8), to: path(relative))
    }

    /// Runs `stage` with inputs and outputs named relative to the workspace.
    func run(_ stage: some Stage, inputs: [String: String], outputs: [String: String]) throws {
        try FileSystem.makeDirectories(path(".cairn"))
        for output in outputs.values { try FileSystem.makeDirectories(FileSystem.parent(of: path(output))) }
        let hasher = ContentHasher(statCache: StatCache(file: path(".cairn/stat-cache")))
        let context = StageContext(workspace: workspace, pipeline: "test", stage: "stage", inputs: inputs.mapValues(path),
                                   inputHashes: try inputs.compactMapValues { try hasher.hash(path($0)) }, outputs: outputs.mapValues(path), params: [:],
                                   log: try StageLog(path: path(".cairn/stage.log")), cancellation: Cancellation(),
                                   progress: { [progress] text in progress.reports.withLock { $0.append(text) } },
                                   requestRerun: { [progress] stages, evidence in progress.reruns.withLock { $0.append((stages, evidence)) } })
        try stage.run(context)
    }

    func table(_ relative: String) throws -> Table { try Table.load(path(relative)) }

    func text(_ relative: String) throws -> String { try FileSystem.readText(path(relative)) }
}
