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
///   shared: ssh://cairn@files.example.org/srv/cairn-store
///   bucket: { url: s3://team-bucket/cairn, endpoint_url: "https://s3.example.org", region: eu-west-1 }
/// default_remote: shared
/// executor: slurm
/// slurm: { partition: short, mem: 2G }
/// store: /scratch/cairn-store
/// ```
public struct ProjectConfig: Sendable {
    public static let file = "cairn.yaml"
    public static let localFile = ".cairn/config"
    static let keys = ["remotes", "default_remote", "remote", "executor", "slurm", "store"]

    /// A remote as written: its URL and its settings.
    public struct Remote: Sendable, Equatable {
        public var url: String
        public var settings: [String: String] = [:]
    }

    /// Remote name → where it is.
    public var remotes: [String: Remote] = [:]
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
            for entry in entries { self.remotes[entry.name] = try Self.remote(entry.value, named: entry.name) }
        }
        // `remote: URL`, as Cairn read it before remotes had names: the default, named `default`.
        if let node = root["remote"] {
            remotes["default"] = try Self.remote(node, named: "default")
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

    /// `URL`, or `{url: URL, SETTING: VALUE, …}`.
    private static func remote(_ node: ConfigNode, named name: String) throws -> Remote {
        var remote = Remote(url: "")
        if let entries = node.entries {
            for entry in entries {
                guard let value = entry.value.scalarText else {
                    throw CairnError(.invalidValue, "'\(entry.name):' of remote '\(name)' takes one value", at: entry.value.location)
                }
                if entry.name == "url" { remote.url = value } else { remote.settings[entry.name] = value }
            }
        } else {
            remote.url = node.scalarText ?? ""
        }
        guard !remote.url.isEmpty else {
            throw CairnError(.invalidValue, "remote '\(name)' needs a URL", at: node.location, hint: "`NAME: URL`, or `NAME: {url: URL, …}`")
        }
        try RemoteURL.check(remote.url, settings: remote.settings, at: node.location)
        return remote
    }

    /// The remote a push or pull uses: `$CAIRN_REMOTE` (a name or a URL), else the default.
    public func remote(environment: [String: String], workspace: Workspace) throws -> RemoteURL? {
        if let chosen = environment["CAIRN_REMOTE"], !chosen.isEmpty {
            let remote = remotes[chosen] ?? Remote(url: chosen)
            return try RemoteURL(remote.url, settings: remote.settings, origin: "CAIRN_REMOTE", workspace: workspace)
        }
        guard let name = defaultRemote ?? (remotes.count == 1 ? remotes.keys.first : nil), let remote = remotes[name] else { return nil }
        return try RemoteURL(remote.url, settings: remote.settings, origin: "remote '\(name)'", workspace: workspace)
    }
}
