import CairnCore

/// The values in a pipeline's `params:` file, looked up by dotted key (`train.C`), with the
/// `-S` overrides of the run in place of the file's values.
public struct ParamsFile: Sendable {
    /// Workspace-relative path.
    public var path: String
    public var root: ConfigNode
    /// Keys whose value is an override's rather than the file's → that value.
    public private(set) var overrides: [String: ConfigNode] = [:]

    public init(path: String, root: ConfigNode) {
        self.path = path
        self.root = root
    }

    public func value(_ dottedKey: String) -> ConfigNode? { root.lookup(dottedKey: dottedKey) }

    /// Every key that names a value, for "did you mean".
    public var keys: [String] { root.dottedKeys }

    /// This file with each override whose key it has put in place of its value.
    public func overridden(by overrides: ParamOverrides) -> ParamsFile {
        var copy = self
        for (key, value) in overrides.values {
            guard let replaced = copy.root.replacing(dottedKey: key, with: value) else { continue }
            copy.root = replaced
            copy.overrides[key] = value
        }
        return copy
    }

    /// Where the value of `key` was written, for messages: the file's line and column, or the `-S` assignment.
    public func origin(of key: String) -> String {
        overrides[key].map { $0.location.file } ?? value(key).map { "\($0.location)" } ?? path
    }
}
