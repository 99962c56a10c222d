import CairnSupport
import COpenBLAS

/// Least squares with L1 and L2 penalties by cyclic coordinate descent, scikit-learn's
/// objective: 1/(2n)·‖y − Xw − b‖² + alpha·l1_ratio·‖w‖₁ + ½·alpha·(1 − l1_ratio)·‖w‖².
/// Stops when a full pass changes no coefficient by more than `tol` × the largest one.
public struct ElasticNet: Estimator {
    public static let hyperparameters: [Hyperparameter<Self>] = [
        .init("alpha", \.alpha), .init("l1_ratio", \.l1Ratio), .init("fit_intercept", \.fitIntercept),
        .init("max_iter", \.maxIterations), .init("tol", \.tolerance),
    ]
    public var alpha: Double
    public var l1Ratio: Double
    public var fitIntercept: Bool
    public var maxIterations: Int
    public var tolerance: Double
    public var task: ModelTask { .regression }

    public init(alpha: Double = 1, l1Ratio: Double = 0.5, fitIntercept: Bool = true, maxIterations: Int = 1000, tolerance: Double = 1e-4) {
        self.alpha = alpha
        self.l1Ratio = l1Ratio
        self.fitIntercept = fitIntercept
        self.maxIterations = maxIterations
        self.tolerance = tolerance
    }

    public func validate() throws {
        guard alpha >= 0, alpha.isFinite else { throw CairnError(.invalidValue, "alpha must be a number ≥ 0, found \(alpha)") }
        guard (0...1).contains(l1Ratio) else { throw CairnError(.invalidValue, "l1_ratio must be between 0 and 1, found \(l1Ratio)") }
        guard maxIterations >= 1 else { throw CairnError(.invalidValue, "max_iter must be at least 1, found \(maxIterations)") }
        guard tolerance > 0 else { throw CairnError(.invalidValue, "tol must be > 0, found \(tolerance)") }
    }

    public func fit(_ x: Matrix, _ y: [Double]) throws -> LinearModel {
        try validate()
        return try LinearModel.fitCentered(x, y, fitIntercept: fitIntercept) { x, y in coordinateDescent(x, y) }
    }

    private func coordinateDescent(_ x: Matrix, _ y: [Double]) -> [Double] {
        let n = Double(x.rows)
        let l1 = alpha * l1Ratio * n, l2 = alpha * (1 - l1Ratio) * n
        var weights = [Double](repeating: 0, count: x.columns)
        var residual = y
        let norms = (0..<x.columns).map { j in x.values.withUnsafeBufferPointer { cblas_ddot(Int32(x.rows), $0.baseAddress! + j * x.rows, 1, $0.baseAddress! + j * x.rows, 1) } }
        x.values.withUnsafeBufferPointer { values in
            residual.withUnsafeMutableBufferPointer { r in
                for sweep in 0..<maxIterations {
                    FitProgress.report(sweep + 1, of: maxIterations, "iteration")
                    var largestChange = 0.0, largestWeight = 0.0
                    for j in 0..<x.columns where norms[j] > 0 {
                        let column = values.baseAddress! + j * x.rows
                        let old = weights[j]
                        // The correlation of column j with the residual that leaves j out.
                        let correlation = cblas_ddot(Int32(x.rows), column, 1, r.baseAddress, 1) + norms[j] * old
                        let shrunk = max(abs(correlation) - l1, 0)
                        let new = shrunk == 0 ? 0 : (correlation < 0 ? -shrunk : shrunk) / (norms[j] + l2)
                        if new != old { cblas_daxpy(Int32(x.rows), old - new, column, 1, r.baseAddress, 1) }
                        weights[j] = new
                        largestChange = max(largestChange, abs(new - old))
                        largestWeight = max(largestWeight, abs(new))
                    }
                    if largestWeight == 0 || largestChange <= tolerance * largestWeight { break }
                }
            }
        }
        return weights
    }
}

/// ElasticNet with l1_ratio 1: an L1 penalty only, which sets some coefficients to exactly zero.
/// ElasticNet's hyperparameters but `l1_ratio`.
public struct Lasso: Estimator {
    public static let hyperparameters: [Hyperparameter<Self>] =
        ElasticNet.hyperparameters.filter { $0.name != "l1_ratio" }.map { $0.through(\.elasticNet) }
    var elasticNet: ElasticNet
    public var task: ModelTask { .regression }

    public init(alpha: Double = 1, fitIntercept: Bool = true, maxIterations: Int = 1000, tolerance: Double = 1e-4) {
        elasticNet = ElasticNet(alpha: alpha, l1Ratio: 1, fitIntercept: fitIntercept, maxIterations: maxIterations, tolerance: tolerance)
    }

    public func validate() throws { try elasticNet.validate() }

    public func fit(_ x: Matrix, _ y: [Double]) throws -> LinearModel { try elasticNet.fit(x, y) }
}
