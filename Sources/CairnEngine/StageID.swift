import CairnCore

/// One stage of a workspace: its pipeline and its name, written `PIPELINE.STAGE` — the same
/// stage name may be used by several pipelines.
public struct StageID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var pipeline: String
    public var stage: String

    public init(pipeline: String, stage: String) {
        self.pipeline = pipeline
        self.stage = stage
    }

    public var description: String { "\(pipeline).\(stage)" }

    /// As `--json` lines and records name a stage.
    public var jsonFields: [(String, JSONValue)] { [("pipeline", .string(pipeline)), ("stage", .string(stage))] }

    public static func < (a: StageID, b: StageID) -> Bool { (a.pipeline, a.stage) < (b.pipeline, b.stage) }
}

extension StageEvent {
    public var id: StageID { StageID(pipeline: pipeline, stage: stage) }
}
