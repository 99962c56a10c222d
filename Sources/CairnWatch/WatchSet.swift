import CairnEngine
import CairnSupport

/// What `cairn watch` looks at: the external inputs of the pipelines (files, and folders with
/// everything below them), their params files, and the pipeline files themselves.
public struct WatchSet: Equatable, Sendable {
    /// Workspace-relative files whose change matters.
    public var files: Set<String> = []
    /// Workspace-relative folders whose whole content matters.
    public var trees: Set<String> = []

    public init(graphs: [PipelineGraph], pipelineFiles: [String]) {
        files.formUnion(pipelineFiles)
        for graph in graphs {
            files.insert(graph.file)
            graph.paramsFile.map { _ = files.insert($0) }
            for node in graph.nodes {
                for input in node.inputs where input.producer == nil { files.insert(input.path) }
            }
        }
    }

    /// Moves inputs that are folders on disk from `files` to `trees`.
    func classified(root: String) -> WatchSet {
        var result = self
        for path in files where FileSystem.status(root + "/" + path)?.kind == .directory {
            result.files.remove(path)
            result.trees.insert(path)
        }
        return result
    }

    /// Whether a change at `path` can make something stale.
    public func matters(_ path: String) -> Bool {
        if files.contains(path) || path.hasPrefix("pipelines/") && (path.hasSuffix(".yaml") || path.hasSuffix(".yml")) {
            return true
        }
        return trees.contains { WorkspacePath.contains($0, path) }
            || files.contains { WorkspacePath.contains(path, $0) }  // a folder above an input came or went
    }

    /// The folders to put watches on: each file's folder (or its nearest existing ancestor), every
    /// folder of every tree, and `pipelines/`.
    func directories(root: String) -> Set<String> {
        var result: Set<String> = ["pipelines"]
        for file in files { result.insert(Self.nearestExisting(FileSystem.parent(of: file), root: root)) }
        for tree in trees {
            result.insert(tree)
            result.formUnion(Self.subdirectories(of: tree, root: root))
        }
        return result
    }

    private static func nearestExisting(_ directory: String, root: String) -> String {
        var current = directory
        while !current.isEmpty && FileSystem.status(root + "/" + current)?.kind != .directory {
            current = FileSystem.parent(of: current)
        }
        return current
    }

    private static func subdirectories(of directory: String, root: String) -> [String] {
        guard let names = try? FileSystem.list(root + "/" + directory) else { return [] }
        return names.flatMap { name -> [String] in
            let path = directory + "/" + name
            guard FileSystem.status(root + "/" + path)?.kind == .directory else { return [] }
            return [path] + subdirectories(of: path, root: root)
        }
    }
}
