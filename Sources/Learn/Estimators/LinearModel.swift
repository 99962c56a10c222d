import CairnSupport

/// y = x · coefficients + intercept: what LinearRegression, Ridge, Lasso and ElasticNet learn.
public struct LinearModel: Predictor {
    public static let savedName = "linear"
    public var coefficients: [Double]
    public var intercept: Double

    public func problem(features: Int, classes: Int) -> String? {
        coefficients.count == features ? nil : "\(coefficients.count) coefficients for \(features) features"
    }

    public func predict(_ x: Matrix) throws -> [Double] {
        guard x.columns == coefficients.count else {
            throw CairnError(.invalidData, "the model has \(coefficients.count) features, the data \(x.columns)")
        }
        try TrainingData.finite(x)
        return x.multiplied(by: coefficients).map { $0 + intercept }
    }

    /// Fits on centered data and puts the intercept back, as scikit-learn does.
    static func fitCentered(_ x: Matrix, _ y: [Double], fitIntercept: Bool,
                            solve: (Matrix, [Double]) throws -> [Double]) throws -> LinearModel {
        try TrainingData.check(x, y)
        guard fitIntercept else { return LinearModel(coefficients: try solve(x, y), intercept: 0) }
        let (means, centered) = TrainingData.centered(x)
        let yMean = y.reduce(0, +) / Double(y.count)
        let coefficients = try solve(centered, y.map { $0 - yMean })
        return LinearModel(coefficients: coefficients, intercept: yMean - Vector.dot(means, coefficients))
    }
}

/// Ordinary least squares by SVD (LAPACK's DGELSD, as scikit-learn through scipy): singular
/// values below `tol` × the largest count as zero, scikit-learn's `cond=tol`, so that with
/// collinear features — one-hot columns beside the intercept — the solution is the minimum-norm
/// one of the well-determined part.
public struct LinearRegression: Estimator {
    public static let hyperparameters: [Hyperparameter<Self>] = [.init("fit_intercept", \.fitIntercept), .init("tol", \.tolerance)]
    public var fitIntercept: Bool
    public var tolerance: Double
    public var task: ModelTask { .regression }

    public init(fitIntercept: Bool = true, tolerance: Double = 1e-6) {
        self.fitIntercept = fitIntercept
        self.tolerance = tolerance
    }

    public func validate() throws {
        guard tolerance >= 0, tolerance < 1 else { throw CairnError(.invalidValue, "tol must be in [0, 1), found \(tolerance)") }
    }

    public func fit(_ x: Matrix, _ y: [Double]) throws -> LinearModel {
        try validate()
        return try LinearModel.fitCentered(x, y, fitIntercept: fitIntercept) { x, y in try x.leastSquares(y, rcond: tolerance).solution }
    }
}

/// Least squares with an L2 penalty `alpha`·‖w‖², solved from the normal equations by
/// Cholesky (scikit-learn's Ridge with its "cholesky" solver); the intercept is not penalized.
public struct Ridge: Estimator {
    public static let hyperparameters: [Hyperparameter<Self>] = [.init("alpha", \.alpha), .init("fit_intercept", \.fitIntercept)]
    public var alpha: Double
    public var fitIntercept: Bool
    public var task: ModelTask { .regression }

    public init(alpha: Double = 1, fitIntercept: Bool = true) {
        self.alpha = alpha
        self.fitIntercept = fitIntercept
    }

    public func validate() throws {
        guard alpha >= 0, alpha.isFinite else {
            throw CairnError(.invalidValue, "alpha must be a number ≥ 0, found \(alpha)")
        }
    }

    public func fit(_ x: Matrix, _ y: [Double]) throws -> LinearModel {
        try validate()
        return try LinearModel.fitCentered(x, y, fitIntercept: fitIntercept) { x, y in
            var normal = x.gram()
            for index in 0..<x.columns { normal[index, index] += alpha }
            return try normal.choleskySolve(x.multiplied(by: y, transposed: true))
        }
    }
}
