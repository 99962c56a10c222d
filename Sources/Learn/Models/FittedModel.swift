import CairnSupport

/// A fitted model of any kind, written as {"linear": {…}}, {"logistic": {…}}, … by its
/// `Predictor.savedName`.
public struct FittedModel: Codable, Sendable, Equatable {
    public let model: any Predictor

    public init(_ model: any Predictor) { self.model = model }

    public func predict(_ x: Matrix) throws -> [Double] { try model.predict(x) }
    public func predict(_ x: DesignMatrix) throws -> [Double] { try model.predict(x) }

    /// Class probabilities, for classifiers.
    public func probabilities(_ x: Matrix) throws -> Matrix? { try model.classProbabilities(x) }
    public func probabilities(_ x: DesignMatrix) throws -> Matrix? { try model.classProbabilities(x) }

    func problem(features: Int, classes: Int) -> String? { model.problem(features: features, classes: classes) }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: ParameterKey.self)
        guard let key = container.allKeys.first else { throw CairnError(.invalidValue, "a fitted model is a mapping with one key") }
        guard let type = ModelCatalog.fittedTypes[key.stringValue] else {
            throw CairnError(.invalidValue, "unknown fitted model '\(key.stringValue)'")
        }
        model = try container.decode(type, forKey: key)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: ParameterKey.self)
        try container.encode(model, forKey: ParameterKey(type(of: model).savedName))
    }

    public static func == (a: FittedModel, b: FittedModel) -> Bool { a.model.isEqual(to: b.model) }
}

extension Predictor {
    func isEqual(to other: any Predictor) -> Bool { (other as? Self) == self }
}
