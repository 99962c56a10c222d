import CairnCore
import Learn
import Tables

/// Fits feature steps on the training table only and applies them to train and test, writing
/// the fitted transform (readable JSON) that batch scoring applies to new data. The test input
/// is optional (fitting on every row, to cross-validate or to score later): without it the test
/// output is a table of the transformed columns with no rows.
public struct FeaturesStage: Stage {
    public struct Config: Decodable, Sendable {
        /// Left untouched by every step.
        public var target: String?
        public var steps: [FeatureStepSpec]

        public enum CodingKeys: String, ConfigKey {
            case target
            case steps

            public var help: String {
                switch self {
                case .target: "the column to predict; passed through unchanged"
                case .steps: "a list of " + FeatureStepCatalog.names.joined(separator: ", ") + " — each {columns, …}"
                }
            }
        }
    }

    public static let kind = "features"
    public static let version = 6
    public static let summary = "fit impute/scale/encode/bin/… steps on train, apply them to train and test, save the transform"
    public static let slots = StageSlots(inputs: [.init("train"), .init("test", optional: true)],
                                         outputs: [.init("train"), .init("test"), .init("transform")])

    public typealias ConfigKeys = Config.CodingKeys

    public let config: Config

    public init(config: Config) { self.config = config }

    public func run(_ context: StageContext) throws {
        let train = try context.table("train")
        let (columnsIn, rows) = (train.columns.count, train.rowCount)
        // Handed over, not kept: the steps then change its columns in place.
        let (transform, transformedTrain) = try FeatureTransform.fit(config.steps, on: consume train, target: config.target)
        let transformedTest = if let test = try context.tableIfGiven("test") {
            try transform.apply(to: consume test)
        } else {
            transformedTrain.taking([])
        }
        try transformedTrain.save(to: context.output("train"))
        try transformedTest.save(to: context.output("test"))
        try transform.write(to: context.output("transform"))
        context.log.write("\(columnsIn) columns in, \(transformedTrain.columns.count) out; \(transform.steps.count) steps fitted on \(rows) rows")
    }
}
