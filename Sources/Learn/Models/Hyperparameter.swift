import CairnCore
import CairnSupport

/// One hyperparameter of an estimator: the name a pipeline file gives it and the property it
/// sets. An estimator's list of these is how it is read from `params:` (on top of its
/// defaults), written into a model file, and read or changed by a search or an experiment —
/// so a default is stated once, in the estimator's `init`.
public struct Hyperparameter<E: Estimator>: Sendable {
    public let name: String
    let value: @Sendable (E) -> ParameterValue?
    let assign: @Sendable (inout E, ParameterValue) throws -> Void
    let decode: @Sendable (inout E, KeyedDecodingContainer<ParameterKey>) throws -> Void
    let encode: @Sendable (E, inout KeyedEncodingContainer<ParameterKey>) throws -> Void

    public init<V: HyperparameterValue>(_ name: String, _ path: WritableKeyPath<E, V> & Sendable) {
        let key = ParameterKey(name)
        self.name = name
        value = { $0[keyPath: path].parameter }
        assign = { estimator, value in estimator[keyPath: path] = try V.converted(value, for: name) }
        decode = { estimator, container in
            if let value = try container.decodeIfPresent(V.self, forKey: key) { estimator[keyPath: path] = value }
        }
        encode = { estimator, container in try container.encode(estimator[keyPath: path], forKey: key) }
    }

    /// A hyperparameter whose absence means "the estimator decides" (scikit-learn's None).
    public init<V: HyperparameterValue>(_ name: String, _ path: WritableKeyPath<E, V?> & Sendable) {
        let key = ParameterKey(name)
        self.name = name
        value = { $0[keyPath: path]?.parameter }
        assign = { estimator, value in estimator[keyPath: path] = try V.converted(value, for: name) }
        decode = { estimator, container in
            if let value = try container.decodeIfPresent(V.self, forKey: key) { estimator[keyPath: path] = value }
        }
        encode = { estimator, container in try container.encodeIfPresent(estimator[keyPath: path], forKey: key) }
    }

    private init(name: String, value: @escaping @Sendable (E) -> ParameterValue?,
                 assign: @escaping @Sendable (inout E, ParameterValue) throws -> Void,
                 decode: @escaping @Sendable (inout E, KeyedDecodingContainer<ParameterKey>) throws -> Void,
                 encode: @escaping @Sendable (E, inout KeyedEncodingContainer<ParameterKey>) throws -> Void) {
        (self.name, self.value, self.assign, self.decode, self.encode) = (name, value, assign, decode, encode)
    }

    /// The same hyperparameter of an estimator that holds this one at `path`: a forest's tree
    /// settings are the tree's own, in the forest's mapping.
    func through<Outer: Estimator>(_ path: WritableKeyPath<Outer, E> & Sendable) -> Hyperparameter<Outer> {
        let (value, assign, decode, encode) = (self.value, self.assign, self.decode, self.encode)
        return Hyperparameter<Outer>(
            name: name, value: { value($0[keyPath: path]) },
            assign: { outer, parameter in try assign(&outer[keyPath: path], parameter) },
            decode: { outer, container in try decode(&outer[keyPath: path], container) },
            encode: { outer, container in try encode(outer[keyPath: path], &container) })
    }
}

/// A hyperparameter's name as a coding key.
public struct ParameterKey: CodingKey, Sendable {
    public var stringValue: String
    public var intValue: Int? { nil }
    public init(_ name: String) { stringValue = name }
    public init(stringValue: String) { self.stringValue = stringValue }
    public init?(intValue: Int) { nil }
}

/// A type a hyperparameter can have: Codable for files, and convertible from and to the
/// `ParameterValue` a search or an experiment sets.
public protocol HyperparameterValue: Codable, Sendable {
    init?(_ value: ParameterValue)
    /// nil when the value is not one a search can try (a list of class weights).
    var parameter: ParameterValue? { get }
    /// What the value must be, for errors: "a number".
    static var expected: String { get }
}

extension HyperparameterValue {
    static func converted(_ value: ParameterValue, for name: String) throws -> Self {
        guard let converted = Self(value) else {
            throw CairnError(.invalidValue, "\(name) expects \(expected), found \(value)")
        }
        return converted
    }
}

extension Double: HyperparameterValue {
    public init?(_ value: ParameterValue) {
        guard let number = value.number else { return nil }
        self = number
    }
    public var parameter: ParameterValue? { .number(self) }
    public static var expected: String { "a number" }
}

extension Int: HyperparameterValue {
    public init?(_ value: ParameterValue) {
        switch value {
        case .integer(let integer): self = integer
        case .number(let number): self.init(exactly: number)
        case .text, .flag: return nil
        }
    }
    public var parameter: ParameterValue? { .integer(self) }
    public static var expected: String { "a whole number" }
}

extension Bool: HyperparameterValue {
    public init?(_ value: ParameterValue) {
        guard case .flag(let flag) = value else { return nil }
        self = flag
    }
    public var parameter: ParameterValue? { .flag(self) }
    public static var expected: String { "true or false" }
}

/// A choice among names (a criterion, a weighting) is a hyperparameter by its raw value.
extension HyperparameterValue where Self: ConfigEnum {
    public init?(_ value: ParameterValue) {
        guard case .text(let text) = value, let choice = Self(rawValue: text) else { return nil }
        self = choice
    }
    public var parameter: ParameterValue? { .text(rawValue) }
    public static var expected: String { "one of: " + allCases.map(\.rawValue).joined(separator: ", ") }
}
