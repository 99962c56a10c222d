import CairnSupport
import Glibc
import Tables

/// Gaussian naive Bayes, as scikit-learn's GaussianNB: per class, each feature's mean and
/// variance (plus `var_smoothing` × the largest variance of any feature, for stability) and the
/// class's share of the rows as its prior. Targets are class indices 0, 1, ….
public struct GaussianNaiveBayes: Estimator {
    public static let hyperparameters: [Hyperparameter<Self>] = [.init("var_smoothing", \.varianceSmoothing)]
    public var varianceSmoothing: Double
    public var task: ModelTask { .classification }

    public init(varianceSmoothing: Double = 1e-9) { self.varianceSmoothing = varianceSmoothing }

    public func validate() throws {
        guard varianceSmoothing >= 0 else { throw CairnError(.invalidValue, "var_smoothing must be ≥ 0, found \(varianceSmoothing)") }
    }

    public func fit(_ x: Matrix, _ y: [Double]) throws -> GaussianNaiveBayesModel {
        try validate()
        let labels = try TrainingData.classLabels(x, y)
        let classes = labels.max()! + 1
        let smoothing = varianceSmoothing * (0..<x.columns).map { Moments.variance(x.column($0), sample: false) }.max()!
        var means = Matrix(rows: classes, columns: x.columns), variances = Matrix(rows: classes, columns: x.columns)
        var priors = [Double](repeating: 0, count: classes)
        for label in 0..<classes {
            let rows = labels.indices.filter { labels[$0] == label }
            priors[label] = Double(rows.count) / Double(labels.count)
            guard !rows.isEmpty else { continue }
            for feature in 0..<x.columns {
                let values = rows.map { x[$0, feature] }
                means[label, feature] = Moments.mean(values)
                variances[label, feature] = Moments.variance(values, sample: false) + smoothing
            }
        }
        return GaussianNaiveBayesModel(means: means, variances: variances, priors: priors)
    }
}

/// Per class (rows) and feature (columns): means and variances; and the class priors.
public struct GaussianNaiveBayesModel: Predictor, ClassProbabilities {
    public static let savedName = "gaussian_nb"
    public var means: Matrix
    public var variances: Matrix
    public var priors: [Double]

    public var classes: Int { priors.count }

    public func problem(features: Int, classes: Int) -> String? {
        guard priors.count == classes, means.rows == classes, means.columns == features,
              variances.rows == classes, variances.columns == features else {
            return "means, variances and priors do not fit \(features) features and \(classes) classes"
        }
        return nil
    }

    public func probabilities(_ x: Matrix) throws -> Matrix {
        guard x.columns == means.columns else {
            throw CairnError(.invalidData, "the model has \(means.columns) features, the data \(x.columns)")
        }
        try TrainingData.finite(x)
        var result = Matrix(rows: x.rows, columns: classes)
        for row in 0..<x.rows {
            let logLikelihoods = (0..<classes).map { label -> Double in
                guard priors[label] > 0 else { return -.infinity }
                var sum = log(priors[label])
                for feature in 0..<x.columns {
                    let variance = variances[label, feature], difference = x[row, feature] - means[label, feature]
                    sum -= 0.5 * log(2 * Double.pi * variance) + 0.5 * difference * difference / variance
                }
                return sum
            }
            let top = logLikelihoods.max()!
            let total = logLikelihoods.reduce(0) { $0 + exp($1 - top) }
            for label in 0..<classes { result[row, label] = exp(logLikelihoods[label] - top) / total }
        }
        return result
    }
}
