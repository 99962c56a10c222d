import CairnCore

/// The outputs of a pipeline by path, answering "which output is this path, or lies it
/// inside?" in time proportional to the path's depth rather than the number of outputs.
struct OutputIndex {
    private var byPath: [String: ArtifactRef] = [:]
    /// Every proper ancestor folder of an output → one output below it.
    private var below: [String: ArtifactRef] = [:]

    /// The output that `path` is or lies inside.
    func producer(of path: String) -> ArtifactRef? {
        if let exact = byPath[path] { return exact }
        return Self.ancestors(of: path).lazy.compactMap { byPath[$0] }.first
    }

    /// An output that `path` would collide with: the same path, one containing it, or one inside it.
    func overlap(with path: String) -> ArtifactRef? {
        producer(of: path) ?? below[path]
    }

    mutating func insert(_ ref: ArtifactRef) {
        byPath[ref.path] = ref
        for ancestor in Self.ancestors(of: ref.path) where below[ancestor] == nil { below[ancestor] = ref }
    }

    /// `a/b/c` → `a`, `a/b`.
    private static func ancestors(of path: String) -> [String] {
        path.utf8.indices.filter { path.utf8[$0] == UInt8(ascii: "/") }.map { String(path[..<$0]) }
    }
}
