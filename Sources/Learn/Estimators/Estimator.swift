import CairnSupport

/// A learning algorithm with its hyperparameters, checked by `validate` with messages that give
/// the allowed range. `fit` returns a new fitted model and changes nothing, so one estimator
/// can be fitted many times (cross-validation, search). Its `hyperparameters` say how it is
/// read from a pipeline file and written into a model file.
public protocol Estimator: Sendable {
    associatedtype Model: Predictor
    static var hyperparameters: [Hyperparameter<Self>] { get }
    /// What these settings learn: a tree with a regression criterion is a regressor.
    var task: ModelTask { get }
    func validate() throws
    /// `x`: one row per sample, one column per feature; `y`: one target per row.
    func fit(_ x: Matrix, _ y: [Double]) throws -> Model
    /// The same from features that keep their indicator columns sparse; estimators without a
    /// use for that fit on the dense matrix.
    func fit(_ x: DesignMatrix, _ y: [Double]) throws -> Model
}

extension Estimator {
    public func fit(_ x: DesignMatrix, _ y: [Double]) throws -> Model { try fit(x.materialized(), y) }
}

/// A fitted model: everything it learned, Codable, so that it is saved and scores later.
public protocol Predictor: Codable, Sendable, Equatable {
    /// The key a model file stores this kind of fitted state under (`{"linear": {…}}`).
    static var savedName: String { get }
    func predict(_ x: Matrix) throws -> [Double]
    /// Class probabilities (rows × classes) for classifiers, nil for regressors.
    func classProbabilities(_ x: Matrix) throws -> Matrix?
    /// The same two from features that keep their indicator columns sparse.
    func predict(_ x: DesignMatrix) throws -> [Double]
    func classProbabilities(_ x: DesignMatrix) throws -> Matrix?
    /// What in a model file does not fit `features` inputs and `classes` classes (0 for
    /// regression), or nil: a file may be edited or damaged.
    func problem(features: Int, classes: Int) -> String?
}

extension Predictor {
    public func classProbabilities(_ x: Matrix) throws -> Matrix? { nil }
    public func predict(_ x: DesignMatrix) throws -> [Double] { try predict(x.materialized()) }
    public func classProbabilities(_ x: DesignMatrix) throws -> Matrix? { try classProbabilities(x.materialized()) }
}

/// A classifier's probability of every class for every row (rows × classes).
public protocol ClassProbabilities {
    func probabilities(_ x: Matrix) throws -> Matrix
}

extension ClassProbabilities {
    /// The most probable class of each row (the first of ties).
    public func predict(_ x: Matrix) throws -> [Double] { try probabilities(x).rowMaxima().map(Double.init) }
}

extension Predictor where Self: ClassProbabilities {
    public func classProbabilities(_ x: Matrix) throws -> Matrix? { try probabilities(x) }
}

/// Checks shared by every estimator's `fit`.
enum TrainingData {
    /// Rows match, there is something to learn from, and no value is NaN or infinite.
    static func check(_ x: Matrix, _ y: [Double]) throws { try check(DesignMatrix(x), y) }

    static func check(_ x: DesignMatrix, _ y: [Double]) throws {
        guard x.rows == y.count else {
            throw CairnError(.invalidData, "\(x.rows) rows of features but \(y.count) targets")
        }
        guard x.rows > 0 else { throw CairnError(.invalidData, "no rows to learn from") }
        try finite(x)
        if let row = y.firstIndex(where: { !$0.isFinite }) {
            throw CairnError(.invalidData, "target of row \(row + 1) is \(y[row])", hint: "drop rows whose target is missing (clean: drop_missing)")
        }
    }

    /// The targets of a classifier as class indices, with at least two classes among them.
    static func classLabels(_ x: Matrix, _ y: [Double]) throws -> [Int] { try classLabels(DesignMatrix(x), y) }

    static func classLabels(_ x: DesignMatrix, _ y: [Double]) throws -> [Int] {
        try check(x, y)
        let labels = y.map { Int(exactly: $0) ?? -1 }
        guard labels.allSatisfy({ $0 >= 0 }) else {
            throw CairnError(.invalidData, "classes must be given as indices 0, 1, …")
        }
        guard Set(labels).count >= 2 else {
            throw CairnError(.invalidData, "every training row has the same class; a classifier needs at least two")
        }
        return labels
    }

    static func finite(_ x: Matrix) throws { try finite(DesignMatrix(x)) }

    /// Indicators are 0 or 1; only the dense columns can hold NaN or infinity.
    static func finite(_ x: DesignMatrix) throws {
        let values = x.dense.values
        if let index = values.firstIndex(where: { !$0.isFinite }) {
            throw CairnError(.invalidData, "feature \(x.denseFeatures[index / max(x.rows, 1)] + 1) is \(values[index])", row: index % max(x.rows, 1),
                             hint: "impute missing values in the features stage")
        }
    }

    /// Each column's mean, and the matrix with them subtracted (what scikit-learn fits linear
    /// models on), written in one pass.
    static func centered(_ x: Matrix) -> (means: [Double], centered: Matrix) {
        let ones = [Double](repeating: 1 / Double(x.rows), count: x.rows)
        let means = x.multiplied(by: ones, transposed: true)
        let values = [Double](unsafeUninitializedCapacity: x.values.count) { target, initialized in
            x.values.withUnsafeBufferPointer { source in
                for column in 0..<x.columns {
                    let mean = means[column], offset = column * x.rows
                    for row in 0..<x.rows { target[offset + row] = source[offset + row] - mean }
                }
            }
            initialized = x.values.count
        }
        return (means, Matrix(rows: x.rows, columns: x.columns, values: values))
    }
}
