import CairnCore
import CairnSupport

/// The keys a stage's mapping may have.
enum StageKey: String, CaseIterable {
    case uses, cmd, inputs, outputs, with, params
    case alwaysRun = "always_run"
    case metrics, plots, resources, retries, timeout
}

/// A stage's mapping read in one pass, an unknown key rejected: a generated pipeline has
/// 100,000 stages, and looking each key up in the mapping cost a scan per key.
struct StageFields {
    private var values: [StageKey: ConfigNode] = [:]

    init(_ entries: [ConfigNode.Entry]) throws {
        values.reserveCapacity(entries.count)
        for entry in entries {
            guard let key = StageKey(rawValue: entry.name) else {
                throw CairnError(.unknownKey, "unknown key '\(entry.name)'", at: entry.key.location,
                                 hint: Suggestion.hint(for: entry.name, in: StageKey.allCases.map(\.rawValue), noun: "keys"))
            }
            values[key] = entry.value
        }
    }

    subscript(key: StageKey) -> ConfigNode? { values[key] }
}
