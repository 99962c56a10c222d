import CairnSupport

/// Every feature step, by name: one registration each. A new step is its file (a config that
/// fits, a fitted step that applies) and one line here.
public enum FeatureStepCatalog {
    public static let kinds: [FeatureStepKind] = [
        FeatureStepKind("impute", ImputeConfig.self),
        FeatureStepKind("scale", ScaleConfig.self),
        FeatureStepKind("one_hot", OneHotConfig.self),
        FeatureStepKind("ordinal", OrdinalConfig.self),
        FeatureStepKind("bin", BinConfig.self),
        FeatureStepKind("log1p", Log1pConfig.self),
        FeatureStepKind("polynomial", PolynomialConfig.self),
        FeatureStepKind("date_parts", DatePartsConfig.self),
    ]

    public static var names: [String] { kinds.map(\.name) }

    /// The kind of the one-key mapping `{NAME: …}` that `container` reads.
    static func kind(in container: KeyedDecodingContainer<ParameterKey>, what: String) throws -> (FeatureStepKind, ParameterKey) {
        guard container.allKeys.count == 1, let key = container.allKeys.first else {
            throw CairnError(.invalidValue, "a \(what) is a mapping with one key, one of: \(names.joined(separator: ", "))")
        }
        guard let kind = kinds.first(where: { $0.name == key.stringValue }) else {
            throw CairnError(.invalidValue, "unknown step '\(key.stringValue)'",
                             hint: Suggestion.hint(for: key.stringValue, in: names, noun: "steps"))
        }
        return (kind, key)
    }
}
