import CairnCore
import Tables

/// One fitted step of a transform, written in the transform file as `{"impute": {...}}`, the
/// same shape as the step in the pipeline file.
public enum FittedStep: Codable, Sendable, Equatable {
    case impute(Imputer)
    case scale(Scaler)
    case oneHot(OneHotEncoder)
    case ordinal(OrdinalEncoder)
    case bin(Binner)
    case log1p(Log1pTransform)
    case polynomial(PolynomialFeatures)
    case dateParts(DateParts)

    static let names = ["impute", "scale", "one_hot", "ordinal", "bin", "log1p", "polynomial", "date_parts"]

    public var name: String {
        switch self {
        case .impute: "impute"
        case .scale: "scale"
        case .oneHot: "one_hot"
        case .ordinal: "ordinal"
        case .bin: "bin"
        case .log1p: "log1p"
        case .polynomial: "polynomial"
        case .dateParts: "date_parts"
        }
    }

    public var step: any FittedFeatureStep {
        switch self {
        case .impute(let step): step
        case .scale(let step): step
        case .oneHot(let step): step
        case .ordinal(let step): step
        case .bin(let step): step
        case .log1p(let step): step
        case .polynomial(let step): step
        case .dateParts(let step): step
        }
    }

    public func apply(to table: Table) throws -> Table { try step.apply(to: table) }

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        guard container.allKeys.count == 1, let key = container.allKeys.first else {
            throw CairnError(.invalidValue, "a step is a mapping with one key: \(FittedStep.names.joined(separator: ", "))")
        }
        switch key.stringValue {
        case "impute": self = .impute(try container.decode(Imputer.self, forKey: key))
        case "scale": self = .scale(try container.decode(Scaler.self, forKey: key))
        case "one_hot": self = .oneHot(try container.decode(OneHotEncoder.self, forKey: key))
        case "ordinal": self = .ordinal(try container.decode(OrdinalEncoder.self, forKey: key))
        case "bin": self = .bin(try container.decode(Binner.self, forKey: key))
        case "log1p": self = .log1p(try container.decode(Log1pTransform.self, forKey: key))
        case "polynomial": self = .polynomial(try container.decode(PolynomialFeatures.self, forKey: key))
        case "date_parts": self = .dateParts(try container.decode(DateParts.self, forKey: key))
        default:
            throw CairnError(.invalidValue, "unknown step '\(key.stringValue)'",
                             hint: Suggestion.hint(for: key.stringValue, in: FittedStep.names, noun: "steps"))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(step, forKey: Key(stringValue: name))
    }
}
