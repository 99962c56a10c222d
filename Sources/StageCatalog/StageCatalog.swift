import CairnCore
import CommandStage

/// Every stage kind Cairn ships, by the name pipelines use. The only place that knows the
/// stage modules: the engine and the CLI see kinds through this table.
public enum StageCatalog {
    public static let kinds: [String: StageKind] = Dictionary(uniqueKeysWithValues: [
        StageKind(CommandStage.self),
    ].map { ($0.name, $0) })
}
