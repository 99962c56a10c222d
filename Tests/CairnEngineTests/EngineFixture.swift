import CairnCore
import CairnEngine
import CairnSpec
import CairnSupport
import Foundation

/// A plugin with fixed slots, to exercise the registry, default outputs and config decoding
/// the way built-in stages use them.
struct ScaleStage: Stage {
    struct Config: Decodable, Sendable {
        var factor: Double

        enum CodingKeys: String, ConfigKey {
            case factor
            var help: String { "what to multiply by" }
        }
    }
    typealias ConfigKeys = Config.CodingKeys

    static let kind = "scale"
    static let version = 1
    static let summary = "multiplies a number"
    static let slots = StageSlots(inputs: [.init("number")], outputs: [.init("scaled"), .init("note", optional: true)])

    let config: Config
    init(config: Config) { self.config = config }

    func run(_ context: StageContext) throws {
        let text = try FileSystem.readText(context.inputs["number"]!)
        let value = (Double(text.trimmingCharacters(in: .whitespacesAndNewlines)) ?? .nan) * config.factor
        try FileSystem.writeAtomically(Array("\(value)\n".utf8), to: context.outputs["scaled"]!)
        try FileSystem.writeAtomically(Array("scaled by \(config.factor)\n".utf8), to: context.outputs["note"]!)
    }
}

/// A temporary folder with files, and helpers to build graphs in it.
struct EngineFixture {
    let root: String

    init(_ files: [String: String]) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-engine-\(UUID().uuidString)").path
        for (path, text) in files { try write(path, text) }
    }

    func write(_ path: String, _ text: String) throws {
        let url = URL(fileURLWithPath: root + "/" + path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    static let kinds: [String: StageKind] = ["scale": StageKind(ScaleStage.self)]

    func graph(_ yaml: String) throws -> PipelineGraph {
        try write("pipelines/p.yaml", yaml)
        return try Workspace(root: root).loadPipeline(file: "pipelines/p.yaml", kinds: Self.kinds)
    }
}
