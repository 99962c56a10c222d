/// Paths as pipelines name them: relative to the workspace root, normalized, never outside it.
public enum WorkspacePath {
    /// The normalized workspace-relative form of `raw` (`./data/../data/x.csv` → `data/x.csv`),
    /// or nil when it leaves the workspace (`../x`, or an absolute path elsewhere).
    public static func normalize(_ raw: String, root: String) -> String? {
        var relative = raw
        if raw.hasPrefix("/") {
            let prefix = root.hasSuffix("/") ? root : root + "/"
            guard raw.hasPrefix(prefix) || raw == root else { return nil }
            relative = String(raw.dropFirst(min(prefix.count, raw.count)))
        }
        var parts: [Substring] = []
        for part in relative.split(separator: "/", omittingEmptySubsequences: true) {
            switch part {
            case ".": continue
            case "..":
                guard !parts.isEmpty else { return nil }
                parts.removeLast()
            default: parts.append(part)
            }
        }
        guard !parts.isEmpty else { return nil }
        return parts.joined(separator: "/")
    }

    /// True when `inner` is `outer` or lies inside it.
    public static func contains(_ outer: String, _ inner: String) -> Bool {
        inner == outer || inner.hasPrefix(outer + "/")
    }
}
