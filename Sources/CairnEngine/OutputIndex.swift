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
        var found: ArtifactRef?
        Self.forEachAncestor(of: path) { ancestor in
            found = byPath[ancestor]
            return found == nil
        }
        return found
    }

    /// An output that `path` would collide with: the same path, one containing it, or one inside it.
    func overlap(with path: String) -> ArtifactRef? {
        producer(of: path) ?? below[path]
    }

    mutating func insert(_ ref: ArtifactRef) {
        byPath[ref.path] = ref
        Self.forEachAncestor(of: ref.path) { ancestor in
            if below[ancestor] == nil { below[ancestor] = ref }
            return true
        }
    }

    /// `a/b/c` → `a`, then `a/b`, while `body` says go on. No array: every output of a
    /// pipeline is inserted and checked once per load.
    private static func forEachAncestor(of path: String, _ body: (String) -> Bool) {
        let utf8 = path.utf8
        var index = utf8.startIndex
        while let slash = utf8[index...].firstIndex(of: UInt8(ascii: "/")) {
            guard body(String(path[..<slash])) else { return }
            index = utf8.index(after: slash)
        }
    }
}
