import CairnCore
import Tables

/// One entry of the features stage's `steps:` list, e.g. `- scale: {columns: numeric}`.
public enum FeatureStepSpec: Codable, Sendable, Equatable {
    case impute(ImputeConfig)
    case scale(ScaleConfig)
    case oneHot(OneHotConfig)
    case ordinal(OrdinalConfig)
    case bin(BinConfig)
    case log1p(Log1pConfig)
    case polynomial(PolynomialConfig)
    case dateParts(DatePartsConfig)

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: FittedStep.Key.self)
        guard container.allKeys.count == 1, let key = container.allKeys.first else {
            throw CairnError(.invalidValue, "a step is a mapping with one key, one of: \(FittedStep.names.joined(separator: ", "))")
        }
        switch key.stringValue {
        case "impute": self = .impute(try container.decode(ImputeConfig.self, forKey: key))
        case "scale": self = .scale(try container.decode(ScaleConfig.self, forKey: key))
        case "one_hot": self = .oneHot(try container.decode(OneHotConfig.self, forKey: key))
        case "ordinal": self = .ordinal(try container.decode(OrdinalConfig.self, forKey: key))
        case "bin": self = .bin(try container.decode(BinConfig.self, forKey: key))
        case "log1p": self = .log1p(try container.decode(Log1pConfig.self, forKey: key))
        case "polynomial": self = .polynomial(try container.decode(PolynomialConfig.self, forKey: key))
        case "date_parts": self = .dateParts(try container.decode(DatePartsConfig.self, forKey: key))
        default:
            throw CairnError(.invalidValue, "unknown step '\(key.stringValue)'",
                             hint: Suggestion.hint(for: key.stringValue, in: FittedStep.names, noun: "steps"))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: FittedStep.Key.self)
        switch self {
        case .impute(let config): try container.encode(config, forKey: FittedStep.Key(stringValue: "impute"))
        case .scale(let config): try container.encode(config, forKey: FittedStep.Key(stringValue: "scale"))
        case .oneHot(let config): try container.encode(config, forKey: FittedStep.Key(stringValue: "one_hot"))
        case .ordinal(let config): try container.encode(config, forKey: FittedStep.Key(stringValue: "ordinal"))
        case .bin(let config): try container.encode(config, forKey: FittedStep.Key(stringValue: "bin"))
        case .log1p(let config): try container.encode(config, forKey: FittedStep.Key(stringValue: "log1p"))
        case .polynomial(let config): try container.encode(config, forKey: FittedStep.Key(stringValue: "polynomial"))
        case .dateParts(let config): try container.encode(config, forKey: FittedStep.Key(stringValue: "date_parts"))
        }
    }

    /// Learns the step's values from `table`.
    public func fit(_ table: Table, target: String?) throws -> FittedStep {
        switch self {
        case .impute(let config): .impute(try config.fit(table, target: target))
        case .scale(let config): .scale(try config.fit(table, target: target))
        case .oneHot(let config): .oneHot(try config.fit(table, target: target))
        case .ordinal(let config): .ordinal(try config.fit(table, target: target))
        case .bin(let config): .bin(try config.fit(table, target: target))
        case .log1p(let config): .log1p(try config.fit(table, target: target))
        case .polynomial(let config): .polynomial(try config.fit(table, target: target))
        case .dateParts(let config): .dateParts(try config.fit(table, target: target))
        }
    }
}
