/// One output of one stage: `STAGE.OUTPUT` in a pipeline file, and the workspace path it lives at.
public struct ArtifactRef: Hashable, Sendable, Codable, CustomStringConvertible {
    public var stage: String
    public var output: String
    /// Workspace-relative path.
    public var path: String

    public init(stage: String, output: String, path: String) {
        self.stage = stage
        self.output = output
        self.path = path
    }

    public var description: String { "\(stage).\(output)" }
}
