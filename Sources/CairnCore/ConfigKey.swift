/// A stage config's keys, each with a line of help: the config decodes with them and
/// `cairn stages` lists them, so a key and its help are written once, side by side.
public protocol ConfigKey: CodingKey, CaseIterable, Sendable {
    var help: String { get }
}

/// The keys of a stage that takes no config.
public enum NoConfigKeys: ConfigKey {
    public var help: String { switch self {} }
    public var stringValue: String { switch self {} }
    public var intValue: Int? { nil }
    public init?(stringValue: String) { nil }
    public init?(intValue: Int) { nil }
}
