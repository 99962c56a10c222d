import CairnCore
import CairnSpec
import CairnSupport

/// The workspace's settings: `cairn.yaml` at its root, committed with the pipelines so that a
/// teammate's clone knows the remotes, the executor and the cluster defaults; then
/// `.cairn/config` (git-ignored: this machine's own) in place of any key it also sets, remotes
/// by name; then the environment (`CAIRN_STORE`, `CAIRN_REMOTE`, `CAIRN_EXECUTOR`).
///
/// ```yaml
/// remotes:
///   shared: /mnt/team/cairn-store
/// default_remote: shared
/// executor: slurm
/// slurm: { partition: short, mem: 2G }
/// store: /scratch/cairn-store
/// ```
public struct ProjectConfig: Sendable {
    public static let file = "cairn.yaml"
    public static let localFile = ".cairn/config"
    static let keys = ["remotes", "default_remote", "remote", "executor", "slurm", "store"]

    /// Remote name → where it is, as written.
    public var remotes: [String: String] = [:]
    public var defaultRemote: String?
    public var executor: String?
    /// The `slurm:` block, decoded by the Slurm executor.
    public var slurm: ConfigNode?
    /// The store directory, as written.
    public var store: String?

    public init() {}

    /// The project file and the local one, read and merged; a file that does not exist is empty.
    public static func load(workspace: Workspace) throws -> ProjectConfig {
        var config = ProjectConfig()
        for file in [file, localFile] where FileSystem.exists(workspace.absolute(file)) {
            let root = try YAMLDocument.parse(try FileSystem.readAll(workspace.absolute(file)), file: file)
            guard let entries = root.entries else {
                throw CairnError(.invalidValue, "\(file) is a mapping of settings", at: root.location)
            }
            try PipelineSpecParser.rejectUnknownKeys(entries, allowed: keys)
            try config.take(root, from: file)
        }
        return config
    }

    private mutating func take(_ root: ConfigNode, from file: String) throws {
        func text(_ key: String) throws -> String? {
            guard let node = root[key] else { return nil }
            guard let value = node.scalarText, !value.isEmpty else {
                throw CairnError(.invalidValue, "'\(key):' takes one value", at: node.location)
            }
            return value
        }
        if let remotes = root["remotes"] {
            guard let entries = remotes.entries else {
                throw CairnError(.invalidValue, "'remotes:' is a mapping of name to URL", at: remotes.location)
            }
            for entry in entries {
                guard let url = entry.value.scalarText, !url.isEmpty else {
                    throw CairnError(.invalidValue, "remote '\(entry.name)' needs a URL", at: entry.value.location)
                }
                try RemoteURL.check(url, at: entry.value.location)
                self.remotes[entry.name] = url
            }
        }
        // `remote: URL`, as Cairn read it before remotes had names: the default, named `default`.
        if let url = try text("remote") {
            try RemoteURL.check(url, at: root["remote"]!.location)
            remotes["default"] = url
            defaultRemote = "default"
        }
        if let name = try text("default_remote") {
            guard remotes[name] != nil else {
                throw CairnError(.unknownReference, "default_remote '\(name)' is not one of the remotes", at: root["default_remote"]!.location,
                                 hint: Suggestion.hint(for: name, in: remotes.keys.sorted(), noun: "remotes"))
            }
            defaultRemote = name
        }
        executor = try text("executor") ?? executor
        slurm = root["slurm"] ?? slurm
        store = try text("store") ?? store
    }

    /// The remote a push or pull uses: `$CAIRN_REMOTE` (a name or a URL), else the default.
    public func remote(environment: [String: String], workspace: Workspace) throws -> RemoteURL? {
        if let chosen = environment["CAIRN_REMOTE"], !chosen.isEmpty {
            return try RemoteURL(remotes[chosen] ?? chosen, origin: "CAIRN_REMOTE", workspace: workspace)
        }
        guard let name = defaultRemote ?? (remotes.count == 1 ? remotes.keys.first : nil) else { return nil }
        return try RemoteURL(remotes[name]!, origin: "remote '\(name)'", workspace: workspace)
    }
}
