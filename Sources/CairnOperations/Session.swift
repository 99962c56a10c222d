import CairnEngine
import CairnGit
import CairnSpec
import CairnSupport
import Glibc
import StageCatalog

/// The workspace an operation works in and the pipelines it was asked about.
public struct Session: Sendable {
    public let workspace: Workspace
    /// The pipelines named on the command line; nil: every pipeline file, looked up when asked.
    private let namedFiles: [String]?
    public let hasher: ContentHasher
    /// `-S` values the pipelines are loaded with, in place of their params files'.
    public let overrides: ParamOverrides
    /// The pipelines' lock files, read ahead while `loadGraphs` parses the pipelines.
    public let lockFileCache = LockFileCache()

    /// `files`: workspace-relative pipeline files; nil for every one in `pipelines/`.
    public init(workspace: Workspace, files: [String]? = nil, overrides: ParamOverrides = .none,
                hasher: ContentHasher? = nil) {
        self.workspace = workspace
        namedFiles = files
        self.overrides = overrides
        self.hasher = hasher ?? ContentHasher(statCache: StatCache(file: workspace.statCacheFile))
    }

    /// The workspace around the current folder. Changes the working directory to its root:
    /// stage commands run there.
    /// - Parameter pipelines: names (`churn`) or paths (`pipelines/churn.yaml`); empty for all.
    public init(pipelines: [String], overrides: ParamOverrides = .none) throws {
        self.overrides = overrides
        let directory = FileSystem.currentDirectory()
        guard let workspace = Workspace.find(from: directory) else {
            throw CairnError(.usage, "no workspace here: no 'pipelines/' folder in \(directory) or above it",
                             hint: "run cairn in a folder that holds pipelines/NAME.yaml")
        }
        self.workspace = workspace
        let available = try workspace.pipelineFiles()
        namedFiles = try pipelines.isEmpty ? nil : pipelines.map {
            try Self.resolve($0, from: directory, in: workspace, available: available)
        }
        guard chdir(workspace.root) == 0 else { throw FileSystem.ioError("enter", workspace.root) }
        hasher = ContentHasher(statCache: StatCache(file: workspace.statCacheFile))
    }

    /// Workspace-relative pipeline files, as named or as they are now in `pipelines/`.
    public var files: [String] { namedFiles ?? (try? workspace.pipelineFiles()) ?? [] }

    /// Parses and checks the pipelines; the first spec error is thrown, and so is an override
    /// whose key no pipeline's params file has.
    public func loadGraphs() throws -> [PipelineGraph] {
        lockFileCache.readAhead(files.map { workspace.lockFilePath(pipeline: PipelineSpecParser.pipelineName(of: $0)) })
        let graphs = try files.map { try workspace.loadPipeline(file: $0, kinds: StageCatalog.kinds, overrides: overrides) }
        for key in overrides.keys where !graphs.contains(where: { $0.overrides[key] != nil }) {
            let files = graphs.compactMap(\.paramsFile)
            throw CairnError(.unknownParam, "-S \(key): " + (files.isEmpty ? "the pipelines have no params file"
                                                                               : "no such key in " + files.joined(separator: ", ")),
                             hint: "-S changes a value the params file has; add the key there first")
        }
        return graphs
    }

    private static func resolve(_ argument: String, from directory: String, in workspace: Workspace,
                                available: [String]) throws -> String {
        if argument.contains("/") || argument.hasSuffix(".yaml") || argument.hasSuffix(".yml") {
            let absolute = argument.hasPrefix("/") ? argument : directory + "/" + argument
            guard let relative = WorkspacePath.normalize(absolute, root: workspace.root),
                  FileSystem.exists(workspace.absolute(relative)) else {
                throw CairnError(.usage, "no pipeline file \(argument) in the workspace \(workspace.root)")
            }
            return relative
        }
        let file = "pipelines/\(argument).yaml"
        guard available.contains(file) else {
            let names = available.map { String($0.dropFirst("pipelines/".count).split(separator: ".")[0]) }
            throw CairnError(.usage, "no pipeline named '\(argument)' (pipelines/\(argument).yaml)",
                             hint: Suggestion.hint(for: argument, in: names, noun: "pipelines"))
        }
        return file
    }

    /// Pipeline name → its lock file in the workspace now (empty for a pipeline not run yet).
    public func lockFiles() throws -> [String: LockFile] {
        var locks: [String: LockFile] = [:]
        for file in files {
            let name = PipelineSpecParser.pipelineName(of: file)
            locks[name] = try lockFileCache.load(workspace.lockFilePath(pipeline: name))
        }
        return locks
    }

    /// The lineage of the git repository the workspace is in; nil when it is in none.
    public func lineage() -> Lineage? {
        GitRepository.discover(workspace.root).map { Lineage(repository: $0, workspaceRoot: workspace.root) }
    }

    public func makeStore() throws -> Store {
        Store(root: try workspace.storeRoot(environment: Environment.variables), hasher: hasher)
    }

    /// Current hash of every input and output path of `graph` (absent paths are left out).
    public func currentHashes(_ graph: PipelineGraph) throws -> [String: ContentHash] {
        try hasher.currentHashes(of: graph.nodes.flatMap(\.paths), in: workspace)
    }
}
