import CairnCore

/// The values in a pipeline's `params:` file, looked up by dotted key (`train.C`).
public struct ParamsFile: Sendable {
    /// Workspace-relative path.
    public var path: String
    public var root: ConfigNode

    public init(path: String, root: ConfigNode) {
        self.path = path
        self.root = root
    }

    public func value(_ dottedKey: String) -> ConfigNode? { root.lookup(dottedKey: dottedKey) }

    /// Every key that names a value, for "did you mean".
    public var keys: [String] { root.dottedKeys }
}
