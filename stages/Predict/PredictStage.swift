import CairnCore
import Learn
import Tables

/// Batch scoring inside a pipeline: new raw rows through the model's own transform and model,
/// as `cairn predict` does.
public struct PredictStage: Stage {
    public struct Config: Decodable, Sendable {
        public init() {}
    }

    public static let kind = "predict"
    public static let version = 4
    public static let summary = "score new data with a trained model (its transform, then the model)"
    public static let slots = StageSlots(inputs: [.init("model"), .init("table")], outputs: [.init("predictions")])

    public init(config: Config) {}

    public func run(_ context: StageContext) throws {
        let model = try context.reading("model", ModelArtifact.read)
        try model.score(context.table("table")).table().save(to: context.output("predictions"))
    }
}
