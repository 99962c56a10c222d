/// A stage type with its static facts, usable where the concrete type is not known:
/// the registry maps `uses:` names to these. A class: every stage of a pipeline holds its
/// kind, and a reference is one retain where a copy of these fields is six.
public final class StageKind: Sendable {
    public let name: String
    public let version: Int
    public let summary: String
    public let slots: StageSlots
    public let configKeys: [(name: String, help: String)]
    private let instantiate: @Sendable (ConfigNode) throws -> any Stage

    public init<S: Stage>(_ type: S.Type) {
        name = S.kind
        version = S.version
        summary = S.summary
        slots = S.slots
        configKeys = S.configKeys
        instantiate = { node in S(config: try S.config(from: node)) }
    }

    /// Decodes `config` (errors point into the pipeline file) and makes the stage.
    public func makeStage(config: ConfigNode) throws -> any Stage { try instantiate(config) }
}
