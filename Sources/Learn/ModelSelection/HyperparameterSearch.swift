import CairnCore
import CairnSupport
import FoundationEssentials
import Tables

/// Grid, random or Bayesian search over hyperparameters, each candidate scored by cross-validation with
/// the feature steps fitted again in every fold. Every trial is kept, for the trial table.
public struct HyperparameterSearch: Codable, Sendable, Equatable {
    public enum Strategy: String, ConfigEnum { case grid, random, bayesian }

    public var strategy = Strategy.grid
    public var space: [String: ParameterRange]
    /// Candidates drawn by a random search.
    public var trials = 10
    /// The metric to rank by (the evaluate stage's names); accuracy or r2 by default.
    public var metric: MetricName?
    /// How each candidate is cross-validated: the same forms as the train stage's `cv`.
    public var cv = FoldPlan()
    /// Seeds random and Bayesian draws of candidates.
    public var seed = 0

    enum CodingKeys: String, CodingKey { case strategy, space, trials, metric, cv, seed }

    public init(strategy: Strategy = .grid, space: [String: ParameterRange], trials: Int = 10, metric: MetricName? = nil,
                cv: FoldPlan = FoldPlan(), seed: Int = 0) {
        self.strategy = strategy
        self.space = space
        self.trials = trials
        self.metric = metric
        self.cv = cv
        self.seed = seed
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        strategy = try container.decodeIfPresent(Strategy.self, forKey: .strategy) ?? .grid
        space = try container.decode([String: ParameterRange].self, forKey: .space)
        trials = try container.decodeIfPresent(Int.self, forKey: .trials) ?? 10
        metric = try container.decodeIfPresent(MetricName.self, forKey: .metric)
        cv = try container.decodeIfPresent(FoldPlan.self, forKey: .cv) ?? FoldPlan()
        seed = try container.decodeIfPresent(Int.self, forKey: .seed) ?? 0
        guard !space.isEmpty else { throw CairnError(.invalidValue, "the search space names no hyperparameter") }
        guard trials >= 1 else { throw CairnError(.invalidValue, "a search needs trials ≥ 1") }
    }

    public struct Trial: Sendable, Equatable {
        public var parameters: [String: ParameterValue]
        public var mean: Double
        public var std: Double
    }

    /// Every candidate's cross-validated score, in the order tried; `model`'s other hyperparameters stay as they are.
    public func run(_ model: ModelSpec, steps: [FeatureStepSpec], target: String,
                    table: Table) throws -> (trials: [Trial], best: ModelSpec, metric: MetricName) {
        let classifier = model.task == .classification
        let metric = self.metric ?? (classifier ? .accuracy : .r2)
        let partition = try cv.folds(of: table, target: target, stratified: classifier)
        var results: [Trial] = []
        let listed = strategy == .bayesian ? [] : candidates()
        let total = strategy == .bayesian ? trials : listed.count
        func score(_ parameters: [String: ParameterValue]) throws -> Trial {
            try FitProgress.within("trial \(results.count + 1)/\(total)") { try scoreTrial(parameters) }
        }
        func scoreTrial(_ parameters: [String: ParameterValue]) throws -> Trial {
            let spec = try model.setting(parameters)
            let summary = CrossValidation.summary(try CrossValidation.evaluate(spec, steps: steps, target: target, table: table, folds: partition))
            guard let score = summary[metric.rawValue] else {
                throw CairnError(.invalidValue, "no metric '\(metric.rawValue)' for this model in every fold",
                                 hint: Suggestion.hint(for: metric.rawValue, in: Array(summary.keys), noun: "metrics"))
            }
            return Trial(parameters: parameters, mean: score.mean, std: score.std)
        }
        let lowerIsBetter = metric.isLoss
        if strategy == .bayesian {
            var optimizer = BayesianOptimizer(dimensions: space.count, seed: UInt64(bitPattern: Int64(seed)))
            let names = space.keys.sorted()
            for _ in 0..<trials {
                let point = try optimizer.next()
                let trial = try score(Dictionary(uniqueKeysWithValues: zip(names, point).map { ($0, space[$0]!.value(at: $1)) }))
                optimizer.observe(point, lowerIsBetter ? -trial.mean : trial.mean)
                results.append(trial)
            }
        } else {
            for parameters in listed { results.append(try score(parameters)) }
        }
        let best = results.indices.min { a, b in
            lowerIsBetter ? results[a].mean < results[b].mean : results[a].mean > results[b].mean
        }!
        return (results, try model.setting(results[best].parameters), metric)
    }

    /// Every combination of the grid, keys in sorted order; or `trials` random draws.
    func candidates() -> [[String: ParameterValue]] {
        let names = space.keys.sorted()
        switch strategy {
        case .grid, .bayesian:
            return names.reduce([[:]]) { partial, name in
                partial.flatMap { combination in space[name]!.grid().map { combination.merging([name: $0]) { $1 } } }
            }
        case .random:
            var random = SeededRandom(seed: UInt64(bitPattern: Int64(seed)))
            return (0..<trials).map { _ in Dictionary(uniqueKeysWithValues: names.map { ($0, space[$0]!.sample(&random)) }) }
        }
    }

    /// One row per trial: its hyperparameters, the mean and spread of the score, and its rank.
    public static func table(_ trials: [Trial], metric: MetricName) throws -> Table {
        let names = Set(trials.flatMap { $0.parameters.keys }).sorted()
        let lowerIsBetter = metric.isLoss
        let order = trials.indices.sorted { lowerIsBetter ? trials[$0].mean < trials[$1].mean : trials[$0].mean > trials[$1].mean }
        var rank = [Int](repeating: 0, count: trials.count)
        for (position, index) in order.enumerated() { rank[index] = position + 1 }
        return try Table(columns: [Column(name: "trial", values: .int64(trials.indices.map { Int64($0 + 1) }))]
            + names.map { name in Column(name: name, values: .string(trials.map { $0.parameters[name]?.description ?? "" })) }
            + [Column(name: "mean_" + metric.rawValue, values: .float64(trials.map(\.mean))),
               Column(name: "std_" + metric.rawValue, values: .float64(trials.map(\.std))),
               Column(name: "rank", values: .int64(rank.map(Int64.init)))])
    }
}
