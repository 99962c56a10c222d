import CairnCore
import CairnSupport
import Learn
import Tables

/// Fits a model on the features stage's training table and saves it with that stage's
/// transform, so that scoring later applies the very same steps.
public struct TrainStage: Stage {
    public struct Config: Decodable, Sendable {
        public var model: ModelSpec
        public var target: String
        /// Cross-validation on the `raw` training rows; none when nil.
        public var cv: FoldPlan?
        /// Hyperparameters to search (on the `raw` rows, by cross-validation) before the final fit.
        public var search: HyperparameterSearch?

        public enum CodingKeys: String, ConfigKey {
            case model, target, params, cv, search

            public var help: String {
                switch self {
                case .model: ModelCatalog.names.joined(separator: " | ")
                case .target: "the column to predict; every other column is a feature"
                case .params: "the model's hyperparameters, e.g. {C: 1.0} or {alpha: 0.5}"
                case .cv: "cross-validation on the `raw` input (the training split before the features stage): " + FoldPlan.forms
                    + "; K folds are shuffled with seed 0 and stratified for classifiers"
                case .search: "{strategy: " + HyperparameterSearch.Strategy.allCases.map(\.rawValue).joined(separator: " | ")
                    + ", space: {NAME: [values] | {low, high, log}}, trials, metric, cv (as above), seed}"
                }
            }
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            target = try container.decode(String.self, forKey: .target)
            model = try ModelSpec(name: container.decode(String.self, forKey: .model),
                                  parameters: container.contains(.params) ? container.superDecoder(forKey: .params) : nil)
            cv = try container.decodeIfPresent(FoldPlan.self, forKey: .cv)
            search = try container.decodeIfPresent(HyperparameterSearch.self, forKey: .search)
            if let metric = search?.metric, metric.task != model.task {
                let fitting = MetricName.allCases.filter { $0.task == model.task }.map(\.rawValue)
                throw CairnError(.invalidValue, "\(model.name) cannot be ranked by \(metric.rawValue)",
                                 hint: "its metrics: " + fitting.joined(separator: ", "))
            }
        }
    }

    public static let kind = "train"
    public static let version = 5
    public static let summary = "fit a model on the training table; save it with its transform"
    public static let slots = StageSlots(inputs: [.init("train"), .init("transform", optional: true), .init("raw", optional: true)],
                                         outputs: [.init("model"), .init("trials")])

    public typealias ConfigKeys = Config.CodingKeys

    public let config: Config

    public init(config: Config) { self.config = config }

    public func run(_ context: StageContext) throws {
        let table = try context.table("train")
        let transform = try context.readingIfGiven("transform", FeatureTransform.read)
        let hash = try context.inputHash("train").hex
        let raw = try context.tableIfGiven("raw")
        func needRaw(_ what: String) throws -> Table {
            guard let raw else {
                throw CairnError(.invalidData, "\(what) needs the training rows before the feature steps",
                                 hint: "add the split's train output as input 'raw'")
            }
            return raw
        }
        // Long fits say how far they have got (trial, fold, iteration, tree) on the run's terminal.
        let artifact = try FitProgress.reporting(to: context.progress) { () throws -> ModelArtifact in
            var model = config.model
            // The trial table: one row per candidate, or just its header when nothing is searched.
            var trials = try Table(columns: [Column(name: "trial", values: .int64([]))])
            if let search = config.search {
                guard let transform else { throw CairnError(.invalidData, "search needs the features stage's transform as input 'transform'") }
                let result = try search.run(model, steps: transform.specs, target: config.target, table: needRaw("search"))
                model = result.best
                trials = try HyperparameterSearch.table(result.trials, metric: result.metric)
                context.log.write("search: \(result.trials.count) trials by \(result.metric.rawValue); best "
                    + model.parameters.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", "))
            }
            var artifact = try ModelArtifact.train(model, on: table, target: config.target, transform: transform, dataHash: hash)
            if let plan = config.cv { try artifact.crossValidate(raw: needRaw("cv"), plan: plan) }
            try CSVWriter().write(trials, to: context.output("trials"))
            return artifact
        }
        try artifact.write(to: context.output("model"))
        context.log.write("\(config.model.name) on \(table.rowCount) rows × \(artifact.features.count) features; "
            + artifact.training.metrics.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
    }
}
