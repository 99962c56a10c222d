import CairnCore

/// y = x · coefficients + intercept: what LinearRegression, Ridge, Lasso and ElasticNet learn.
public struct LinearModel: Predictor, Equatable {
    public var coefficients: [Double]
    public var intercept: Double

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
public struct LinearRegression: Estimator, Equatable {
    public var fitIntercept = true
    public var tolerance = 1e-6

    enum CodingKeys: String, CodingKey {
        case fitIntercept = "fit_intercept"
        case tolerance = "tol"
    }

    public init(fitIntercept: Bool = true, tolerance: Double = 1e-6) {
        self.fitIntercept = fitIntercept
        self.tolerance = tolerance
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        fitIntercept = try container.decodeIfPresent(Bool.self, forKey: .fitIntercept) ?? true
        tolerance = try container.decodeIfPresent(Double.self, forKey: .tolerance) ?? 1e-6
        try validate()
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
public struct Ridge: Estimator, Equatable {
    public var alpha = 1.0
    public var fitIntercept = true

    enum CodingKeys: String, CodingKey {
        case alpha
        case fitIntercept = "fit_intercept"
    }

    public init(alpha: Double = 1, fitIntercept: Bool = true) {
        self.alpha = alpha
        self.fitIntercept = fitIntercept
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        alpha = try container.decodeIfPresent(Double.self, forKey: .alpha) ?? 1
        fitIntercept = try container.decodeIfPresent(Bool.self, forKey: .fitIntercept) ?? true
        try validate()
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
