import CairnCore
import CairnSupport

/// One stage to run, as the runner prepared it: its inputs, the temporary paths its outputs go
/// to, and its log.
public struct StageJob: Sendable {
    public let id: StageID
    /// The workspace-relative pipeline file, for an executor that loads the stage elsewhere.
    public let pipelineFile: String
    public let node: PipelineGraph.Node
    /// Input name → absolute path.
    public let inputs: [String: String]
    /// Input name → content hash, as hashed before the stage started.
    public let inputHashes: [String: ContentHash]
    /// Output name → absolute temporary path; the runner moves them into place on success.
    public let outputs: [String: String]
    public let logPath: String

    public init(id: StageID, pipelineFile: String, node: PipelineGraph.Node, inputs: [String: String],
                inputHashes: [String: ContentHash], outputs: [String: String], logPath: String) {
        self.id = id
        self.pipelineFile = pipelineFile
        self.node = node
        self.inputs = inputs
        self.inputHashes = inputHashes
        self.outputs = outputs
        self.logPath = logPath
    }
}
