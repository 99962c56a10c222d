import CairnCore
import Learn
import Tables

/// Fits feature steps on the training table only and applies them to train and test, writing
/// the fitted transform (readable JSON) that batch scoring applies to new data.
public struct FeaturesStage: Stage {
    public struct Config: Decodable, Sendable {
        /// Left untouched by every step.
        public var target: String?
        public var steps: [FeatureStepSpec]
    }

    public static let kind = "features"
    public static let version = 2
    public static let summary = "fit impute/scale/encode/bin/… steps on train, apply them to train and test, save the transform"
    public static let slots = StageSlots(inputs: [.init("train"), .init("test")],
                                         outputs: [.init("train"), .init("test"), .init("transform")])
    public static let configKeys: [(name: String, help: String)] = [
        ("target", "the column to predict; passed through unchanged"),
        ("steps", "a list of impute, scale, one_hot, ordinal, bin, log1p, polynomial, date_parts — each {columns, …}"),
    ]

    public let config: Config

    public init(config: Config) { self.config = config }

    public func run(_ context: StageContext) throws {
        let trainPath = context.inputs["train"]!, testPath = context.inputs["test"]!
        let train = try Table.load(trainPath, displayName: context.displayPath(trainPath))
        let test = try Table.load(testPath, displayName: context.displayPath(testPath))
        let (transform, transformedTrain) = try FeatureTransform.fit(config.steps, on: train, target: config.target)
        let transformedTest = try transform.apply(to: test)
        try transformedTrain.save(to: context.outputs["train"]!)
        try transformedTest.save(to: context.outputs["test"]!)
        try transform.write(to: context.outputs["transform"]!)
        context.log.write("\(train.columns.count) columns in, \(transformedTrain.columns.count) out; \(transform.steps.count) steps fitted on \(train.rowCount) rows")
    }
}
