import Glibc

/// Paths as pipelines name them: relative to the workspace root, normalized, never outside it.
public enum WorkspacePath {
    /// The normalized workspace-relative form of `raw` (`./data/../data/x.csv` → `data/x.csv`),
    /// or nil when it leaves the workspace (`../x`, or an absolute path elsewhere).
    public static func normalize(_ raw: String, root: String) -> String? {
        guard !raw.utf8.contains(0) else { return nil }
        if !raw.hasPrefix("/"), partsAreNames(raw) { return raw }
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

    /// What is wrong with a workspace-relative path read from a file that anyone may have written
    /// (a store manifest, a run-cache entry, a lock file, a lineage commit), or nil when it is one
    /// Cairn could have written itself: relative, normalized, without `..`, NUL or control bytes.
    public static func problem(_ path: String) -> String? {
        if path.isEmpty { return "is empty" }
        if path.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F }) { return "has a NUL or control byte" }
        if path.hasPrefix("/") { return "is absolute" }
        if partsAreNames(path) { return nil }
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        if parts.contains("..") { return "climbs out with '..'" }
        if parts.contains(where: { $0.isEmpty || $0 == "." }) { return "is not in normal form" }
        return nil
    }

    /// Whether every `/`-separated part of `path` is a name (not empty, `.` or `..`): the path
    /// is in normal form. One pass over the bytes: every path of a pipeline is checked on every run.
    static func partsAreNames(_ path: String) -> Bool {
        var length = 0, dots = 0
        func isName() -> Bool { length > 0 && !(dots == length && length <= 2) }
        for byte in path.utf8 {
            if byte == UInt8(ascii: "/") {
                guard isName() else { return false }
                length = 0
                dots = 0
            } else {
                length += 1
                if byte == UInt8(ascii: ".") { dots += 1 }
            }
        }
        return isName()
    }

    /// `path` if it is clean (see `problem`), else an error naming where it was read.
    public static func validated(_ path: String, from source: String) throws -> String {
        guard let problem = problem(path) else { return path }
        throw CairnError(.invalidValue, "\(source) names the path '\(path.debugDescription.dropFirst().dropLast())', which \(problem)",
                         hint: "refusing to write outside the workspace or to a path Cairn would never name; the file is damaged or hostile")
    }

    /// Whether `relative` stays inside `root` once symbolic links are followed: the path itself
    /// when it is a link, and the deepest existing folder above it, must resolve to places inside
    /// the resolved root. `out -> /elsewhere` makes `out/model.json` leave the workspace though it
    /// reads as inside. `folders` remembers answers per folder, for callers that check many
    /// paths at once (every input and output of a pipeline shares a few folders).
    /// `mayBeLink: false` (the folder's listing says it is no link) spares the path's `lstat`.
    public static func resolvesInside(_ relative: String, root: String, folders: inout [String: Bool], mayBeLink: Bool = true) -> Bool {
        let path = root + "/" + relative
        var info = stat()
        if mayBeLink, lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFLNK, !resolvesInside(path: path, root: root) { return false }
        let folder = FileSystem.parent(of: relative)
        if folder.isEmpty { return true }
        if let known = folders[folder] { return known }
        var candidate = root + "/" + folder
        while candidate.count > root.count, realPath(candidate) == nil { candidate = FileSystem.parent(of: candidate) }
        let answer = candidate.count <= root.count || resolvesInside(path: candidate, root: root)
        folders[folder] = answer
        return answer
    }

    public static func resolvesInside(_ relative: String, root: String) -> Bool {
        var folders: [String: Bool] = [:]
        return resolvesInside(relative, root: root, folders: &folders)
    }

    private static func resolvesInside(path: String, root: String) -> Bool {
        guard let resolvedRoot = realPath(root), let resolved = realPath(path) else { return false }
        return contains(resolvedRoot, resolved)
    }

    private static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Places an output may not be, lie inside, or hold: the repository, Cairn's own state, the
    /// pipeline files and lock files, and the default store. Writing one would delete what Cairn
    /// or git keeps there.
    public static let reserved = [".git", ".cairn", "pipelines", "artifacts/.cache"]

    /// Why an output may not be written at `path` (normalized), or nil.
    public static func reservedProblem(_ path: String) -> String? {
        guard let place = reserved.first(where: { contains($0, path) || contains(path, $0) }) else { return nil }
        return path == place ? "is \(place), which Cairn or git keeps" : contains(place, path)
            ? "lies inside \(place), which Cairn or git keeps" : "holds \(place), which Cairn or git keeps"
    }

    /// True when `inner` is `outer` or lies inside it.
    public static func contains(_ outer: String, _ inner: String) -> Bool {
        // Byte-wise and without building `outer + "/"`: every output of a pipeline is checked
        // against each reserved place on every load.
        let inner = inner.utf8, outer = outer.utf8
        return inner.starts(with: outer)
            && (inner.count == outer.count || inner[inner.index(inner.startIndex, offsetBy: outer.count)] == UInt8(ascii: "/"))
    }
}
