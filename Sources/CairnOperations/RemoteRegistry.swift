import CairnCore
import CairnEngine
import CairnSpec
import CairnSupport

/// `cairn remote add | list | remove`: the named remotes of `cairn.yaml` (committed: a clone
/// knows them), or of `.cairn/config` with `local` (this machine's only). Writing a file
/// rewrites it from its settings, so comments in it are not kept.
public struct RemoteRegistry: Sendable {
    public struct Remote: Sendable, Equatable {
        public var name: String
        public var url: String
        public var isDefault: Bool
    }

    public let workspace: Workspace

    public init(workspace: Workspace) { self.workspace = workspace }

    /// Every remote of the merged settings, by name.
    public func list() throws -> [Remote] {
        let config = try workspace.config()
        let fallback = config.remotes.count == 1 ? config.remotes.keys.first : nil
        return config.remotes.sorted { $0.key < $1.key }.map { name, remote in
            Remote(name: name, url: remote.url, isDefault: name == (config.defaultRemote ?? fallback))
        }
    }

    public func add(_ name: String, url: String, makeDefault: Bool, local: Bool) throws {
        guard !name.isEmpty, name.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || "-_.".unicodeScalars.contains($0) }) else {
            throw CairnError(.usage, "'\(name)' cannot name a remote", hint: "use letters, digits, '-', '_' and '.'")
        }
        _ = try RemoteURL(url, origin: "remote '\(name)'", workspace: workspace)
        try edit(local: local) { entries in
            var remotes = entries["remotes"]?.entries ?? []
            remotes.removeAll { $0.name == name }
            remotes.append(.init(key: Self.scalar(name), value: Self.scalar(url)))
            entries["remotes"] = ConfigNode(.mapping(remotes), at: Self.here)
            if makeDefault { entries["default_remote"] = Self.scalar(name) }
        }
    }

    /// Removes the remote from the file that names it (the local one first); false if none does.
    public func remove(_ name: String) throws -> Bool {
        for local in [true, false] where try file(local: local)?["remotes"]?[name] != nil {
            try edit(local: local) { entries in
                let rest = (entries["remotes"]?.entries ?? []).filter { $0.name != name }
                entries["remotes"] = rest.isEmpty ? nil : ConfigNode(.mapping(rest), at: Self.here)
                if entries["default_remote"]?.scalarText == name { entries["default_remote"] = nil }
            }
            return true
        }
        return false
    }

    private static let here = SourceLocation(file: "cairn remote", line: 1, column: 1)
    private static func scalar(_ text: String) -> ConfigNode { ConfigNode(.scalar(text, quoted: true), at: here) }

    private func path(local: Bool) -> String { workspace.absolute(local ? ProjectConfig.localFile : ProjectConfig.file) }

    private func file(local: Bool) throws -> ConfigNode? {
        let path = path(local: local)
        guard FileSystem.exists(path) else { return nil }
        return try YAMLDocument.parse(try FileSystem.readAll(path), file: local ? ProjectConfig.localFile : ProjectConfig.file)
    }

    /// Rewrites one file with `change` applied to its top-level settings (kept in their order).
    private func edit(local: Bool, _ change: (inout OrderedEntries) -> Void) throws {
        var entries = OrderedEntries(try file(local: local)?.entries ?? [])
        change(&entries)
        let text = entries.items.map { entry in
            // Plain scalars as they were written, the rest as JSON (YAML's flow style).
            if let nested = entry.value.entries {
                return "\(entry.name):\n" + nested.map { "  \(ConfigNode.jsonQuoted($0.name)): \(YAMLEdit.text(of: $0.value))\n" }.joined()
            }
            return "\(entry.name): \(YAMLEdit.text(of: entry.value))\n"
        }.joined()
        try FileSystem.makeDirectories(FileSystem.parent(of: path(local: local)))
        try FileSystem.writeAtomically(Array(text.utf8), to: path(local: local))
        _ = try workspace.config()  // what was written must read back
    }

    /// Top-level entries by name, in their order.
    struct OrderedEntries {
        var items: [ConfigNode.Entry]
        init(_ items: [ConfigNode.Entry]) { self.items = items }
        subscript(name: String) -> ConfigNode? {
            get { items.first { $0.name == name }?.value }
            set {
                guard let newValue else { return items.removeAll { $0.name == name } }
                if let index = items.firstIndex(where: { $0.name == name }) { items[index].value = newValue }
                else { items.append(.init(key: ConfigNode(.scalar(name, quoted: false), at: RemoteRegistry.here), value: newValue)) }
            }
        }
    }
}
