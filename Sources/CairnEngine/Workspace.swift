import CairnCore
import CairnSpec
import CairnSupport

/// A folder holding `pipelines/`: where specs, lock files, logs and (by default) the store live.
public struct Workspace: Sendable {
    /// Absolute path of the root.
    public let root: String

    public init(root: String) { self.root = root }

    /// The nearest ancestor of `directory` (itself included) that holds `pipelines/`.
    public static func find(from directory: String) -> Workspace? {
        var current = directory
        while true {
            if FileSystem.status(current + "/pipelines")?.kind == .directory {
                return Workspace(root: current)
            }
            if current == "/" || current.isEmpty { return nil }
            current = FileSystem.parent(of: current)
            if current.isEmpty { current = "/" }
        }
    }

    public func absolute(_ relative: String) -> String { root + "/" + relative }

    public var stateDirectory: String { absolute(".cairn") }
    public var statCacheFile: String { stateDirectory + "/statcache" }
    public var lockPath: String { stateDirectory + "/lock" }
    public var temporaryDirectory: String { stateDirectory + "/tmp" }

    public func logPath(pipeline: String, stage: String) -> String {
        "\(stateDirectory)/logs/\(pipeline)/\(stage).log"
    }

    public func lockFilePath(pipeline: String) -> String { absolute("pipelines/\(pipeline).lock") }

    /// Workspace-relative paths of every `pipelines/*.yaml`, sorted.
    public func pipelineFiles() throws -> [String] {
        try FileSystem.list(absolute("pipelines"))
            .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }
            .map { "pipelines/" + $0 }
    }

    /// The store directory: `$CAIRN_STORE`, else `store:` of the config (`ProjectConfig`), else
    /// `artifacts/.cache`. A relative setting is relative to the workspace root.
    public func storeRoot(environment: [String: String]) throws -> String {
        let fromEnvironment = environment["CAIRN_STORE"].flatMap { $0.isEmpty ? nil : $0 }
        let setting = try fromEnvironment ?? config().store
        guard let setting else { return absolute("artifacts/.cache") }
        return setting.hasPrefix("/") ? setting : absolute(setting)
    }

    /// The remote store `cairn push` and `pull` use: `$CAIRN_REMOTE` (a remote's name or a URL),
    /// else the config's default remote.
    public func remote(environment: [String: String]) throws -> RemoteURL? {
        try config().remote(environment: environment, workspace: self)
    }

    /// `cairn.yaml` with `.cairn/config` over it.
    public func config() throws -> ProjectConfig { try ProjectConfig.load(workspace: self) }

    /// Parses and resolves one pipeline file against the stage registry. A stage that another
    /// asked to rerun also reads the evidence it was given.
    /// `overrides`: `-S` values in place of the params file's.
    public func loadPipeline(file: String, kinds: [String: StageKind], overrides: ParamOverrides = .none) throws -> PipelineGraph {
        let spec = try PipelineSpecParser(workspace: root, overrides: overrides).parse(file: file)
        let graph = try PipelineGraph(spec: spec, kinds: kinds, workspace: root)
        // One listing of the pipeline's evidence folder, not a look per stage.
        let evidence = Set((try? FileSystem.list(absolute(rerunEvidenceFolder(pipeline: graph.pipeline)))) ?? [])
        if evidence.isEmpty { return graph }
        return graph.readingRerunEvidence { stage in
            evidence.contains(Self.evidenceFile(stage: stage)) ? rerunEvidencePath(pipeline: graph.pipeline, stage: stage) : nil
        }
    }

    /// Where a stage marked to rerun finds the evidence it was marked with (a monitor's drift
    /// report): an input of the stage from then on, so that it reruns once, and again only when
    /// new evidence comes.
    public func rerunEvidencePath(pipeline: String, stage: String) -> String {
        rerunEvidenceFolder(pipeline: pipeline) + "/" + Self.evidenceFile(stage: stage)
    }

    func rerunEvidenceFolder(pipeline: String) -> String { ".cairn/rerun/\(pipeline)" }

    static func evidenceFile(stage: String) -> String { "\(stage).evidence" }
}
