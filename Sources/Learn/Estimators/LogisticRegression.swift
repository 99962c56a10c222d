import CairnSupport
import Glibc

/// How much each class's samples count in the loss.
public enum ClassWeight: HyperparameterValue, Equatable {
    /// n / (classes × count of the class), as scikit-learn's "balanced".
    case balanced
    /// One weight per class index.
    case given([Double])

    /// A search can try "balanced"; a list of weights is set in the pipeline file only.
    public init?(_ value: ParameterValue) {
        guard case .text("balanced") = value else { return nil }
        self = .balanced
    }

    public var parameter: ParameterValue? { self == .balanced ? .text("balanced") : nil }
    public static var expected: String { "'balanced' or a list of one weight per class" }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let weights = try? container.decode([Double].self) {
            self = .given(weights)
        } else if try container.decode(String.self) == "balanced" {
            self = .balanced
        } else {
            throw CairnError(.invalidValue, "class_weight is 'balanced' or a list of one weight per class")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .balanced: try container.encode("balanced")
        case .given(let weights): try container.encode(weights)
        }
    }
}

/// Logistic regression with an L2 penalty, fitted by L-BFGS: minimizes
/// C · Σ wᵢ · loss(xᵢ, yᵢ) + ½‖coefficients‖² (the intercept is not penalized), scikit-learn's
/// objective, which like scikit-learn it divides by C · Σ wᵢ, so that `tol` (the largest
/// gradient component at the end) means what it does there. Two classes use one coefficient vector and the sigmoid; more use one vector per
/// class and the softmax (multinomial). Targets are class indices 0, 1, ….
public struct LogisticRegression: Estimator {
    public static let hyperparameters: [Hyperparameter<Self>] = [
        .init("C", \.c), .init("fit_intercept", \.fitIntercept), .init("max_iter", \.maxIterations),
        .init("tol", \.tolerance), .init("class_weight", \.classWeight),
    ]
    public var c: Double
    public var fitIntercept: Bool
    public var maxIterations: Int
    public var tolerance: Double
    public var classWeight: ClassWeight?
    public var task: ModelTask { .classification }

    public init(c: Double = 1, fitIntercept: Bool = true, maxIterations: Int = 1000, tolerance: Double = 1e-4, classWeight: ClassWeight? = nil) {
        self.c = c
        self.fitIntercept = fitIntercept
        self.maxIterations = maxIterations
        self.tolerance = tolerance
        self.classWeight = classWeight
    }

    public func validate() throws {
        guard c > 0, c.isFinite else { throw CairnError(.invalidValue, "C must be a number > 0, found \(c)") }
        guard maxIterations >= 1 else { throw CairnError(.invalidValue, "max_iter must be at least 1, found \(maxIterations)") }
        guard tolerance > 0 else { throw CairnError(.invalidValue, "tol must be > 0, found \(tolerance)") }
    }

    public func fit(_ x: Matrix, _ y: [Double]) throws -> LogisticModel { try fit(DesignMatrix(x), y) }

    /// One-hot indicators stay sparse: each iteration's two products cost the dense columns and
    /// the indicators' true rows, not a dense matrix of every feature.
    public func fit(_ x: DesignMatrix, _ y: [Double]) throws -> LogisticModel {
        try validate()
        let labels = try TrainingData.classLabels(x, y)
        let classes = labels.max()! + 1
        let weights = try sampleWeights(labels, classes: classes)
        let outputs = classes == 2 ? 1 : classes
        let loss = LogisticLoss(x: x, labels: labels, weights: weights, outputs: outputs, fitIntercept: fitIntercept, c: c)
        let result = LBFGS(gradientTolerance: tolerance, maxIterations: maxIterations)
            .minimize(from: [Double](repeating: 0, count: loss.parameterCount), loss.evaluate)
        let (coefficients, intercepts) = loss.unpack(result.point)
        return LogisticModel(classes: classes, coefficients: coefficients, intercepts: intercepts,
                             iterations: result.iterations, converged: result.converged)
    }

    private func sampleWeights(_ labels: [Int], classes: Int) throws -> [Double] {
        switch classWeight {
        case nil: return labels.map { _ in 1 }
        case .balanced:
            var counts = [Int](repeating: 0, count: classes)
            for label in labels { counts[label] += 1 }
            return labels.map { Double(labels.count) / (Double(classes) * Double(counts[$0])) }
        case .given(let given):
            guard given.count == classes else {
                throw CairnError(.invalidValue, "class_weight has \(given.count) weights for \(classes) classes")
            }
            return labels.map { given[$0] }
        }
    }
}

/// A fitted logistic regression: coefficients (features × outputs) and intercepts.
public struct LogisticModel: Predictor, ClassProbabilities {
    public static let savedName = "logistic"
    public var classes: Int
    public var coefficients: Matrix
    public var intercepts: [Double]
    public var iterations: Int
    public var converged: Bool

    public func problem(features: Int, classes: Int) -> String? {
        let columns = classes == 2 ? 1 : classes
        guard self.classes == classes else { return "the model has \(self.classes) classes, the file lists \(classes)" }
        guard coefficients.rows == features, coefficients.columns == columns, intercepts.count == columns else {
            return "coefficients of \(coefficients.rows) × \(coefficients.columns) and \(intercepts.count) intercepts "
                + "for \(features) features and \(classes) classes"
        }
        return nil
    }

    /// One row per sample, one probability per class.
    public func probabilities(_ x: Matrix) throws -> Matrix { try probabilities(DesignMatrix(x)) }

    public func predict(_ x: DesignMatrix) throws -> [Double] { try probabilities(x).rowMaxima().map(Double.init) }
    public func classProbabilities(_ x: DesignMatrix) throws -> Matrix? { try probabilities(x) }

    public func probabilities(_ x: DesignMatrix) throws -> Matrix {
        guard x.columns == coefficients.rows else {
            throw CairnError(.invalidData, "the model has \(coefficients.rows) features, the data \(x.columns)")
        }
        try TrainingData.finite(x)
        let scores = LogisticLoss.scores(x, coefficients, intercepts)
        var result = Matrix(rows: x.rows, columns: classes)
        for row in 0..<x.rows {
            if classes == 2 {
                let positive = LogisticLoss.sigmoid(scores[row, 0])
                result[row, 0] = 1 - positive
                result[row, 1] = positive
            } else {
                let logits = (0..<classes).map { scores[row, $0] }
                let top = logits.max()!
                let exponentials = logits.map { exp($0 - top) }
                let total = exponentials.reduce(0, +)
                for label in 0..<classes { result[row, label] = exponentials[label] / total }
            }
        }
        return result
    }
}

/// The penalized log-loss and its gradient, in the parameter layout L-BFGS works on: each
/// output's coefficients, then the intercepts. Divided by C · Σ wᵢ, which leaves the minimum in place.
struct LogisticLoss {
    let x: DesignMatrix
    let labels: [Int]
    let weights: [Double]
    let outputs: Int
    let fitIntercept: Bool
    let c: Double

    var parameterCount: Int { x.columns * outputs + (fitIntercept ? outputs : 0) }

    func unpack(_ parameters: [Double]) -> (Matrix, [Double]) {
        let coefficients = Matrix(rows: x.columns, columns: outputs, values: Array(parameters.prefix(x.columns * outputs)))
        let intercepts = fitIntercept ? Array(parameters.suffix(outputs)) : [Double](repeating: 0, count: outputs)
        return (coefficients, intercepts)
    }

    static func scores(_ x: DesignMatrix, _ coefficients: Matrix, _ intercepts: [Double]) -> Matrix {
        var scores = x.multiplied(by: coefficients)
        for output in 0..<coefficients.columns {
            for row in 0..<x.rows { scores[row, output] += intercepts[output] }
        }
        return scores
    }

    static func sigmoid(_ z: Double) -> Double { z >= 0 ? 1 / (1 + exp(-z)) : exp(z) / (1 + exp(z)) }

    func evaluate(_ parameters: [Double]) -> (value: Double, gradient: [Double]) {
        let (coefficients, intercepts) = unpack(parameters)
        let scores = Self.scores(x, coefficients, intercepts)
        var residuals = Matrix(rows: x.rows, columns: outputs)
        var loss = 0.0
        for row in 0..<x.rows {
            let weight = weights[row]
            if outputs == 1 {
                let z = scores[row, 0], target = labels[row] == 1 ? 1.0 : 0.0
                // log(1 + e^z) − y·z, computed without overflow.
                loss += weight * (max(z, 0) + log1p(exp(-abs(z))) - target * z)
                residuals[row, 0] = weight * (Self.sigmoid(z) - target)
            } else {
                let z = (0..<outputs).map { scores[row, $0] }
                let top = z.max()!
                let exponentials = z.map { exp($0 - top) }
                let total = exponentials.reduce(0, +)
                loss += weight * (top + log(total) - z[labels[row]])
                for output in 0..<outputs {
                    residuals[row, output] = weight * (exponentials[output] / total - (labels[row] == output ? 1 : 0))
                }
            }
        }
        let scale = 1 / weights.reduce(0, +)
        let penalty = scale / c
        var gradient = x.transposedMultiplied(by: residuals).values
        for index in gradient.indices { gradient[index] = scale * gradient[index] + penalty * coefficients.values[index] }
        let value = scale * loss + 0.5 * penalty * Vector.dot(coefficients.values, coefficients.values)
        if fitIntercept {
            gradient += (0..<outputs).map { output in scale * residuals.column(output).reduce(0, +) }
        }
        return (value, gradient)
    }
}
