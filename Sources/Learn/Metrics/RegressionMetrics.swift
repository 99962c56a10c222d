import Tables

/// Regression scores, defined as scikit-learn defines them.
public enum RegressionMetrics {
    public static func meanSquaredError(_ truth: [Double], _ predicted: [Double]) -> Double {
        Moments.mean(zip(truth, predicted).map { ($0 - $1) * ($0 - $1) })
    }

    public static func rootMeanSquaredError(_ truth: [Double], _ predicted: [Double]) -> Double {
        meanSquaredError(truth, predicted).squareRoot()
    }

    public static func meanAbsoluteError(_ truth: [Double], _ predicted: [Double]) -> Double {
        Moments.mean(zip(truth, predicted).map { abs($0 - $1) })
    }

    /// 1 − residual sum of squares / total sum of squares; 1 for a perfect fit of a constant
    /// target, 0 for an imperfect one (scikit-learn's convention).
    public static func r2(_ truth: [Double], _ predicted: [Double]) -> Double {
        let center = Moments.mean(truth)
        let residual = zip(truth, predicted).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
        let total = truth.reduce(0) { $0 + ($1 - center) * ($1 - center) }
        guard total != 0 else { return residual == 0 ? 1 : 0 }
        return 1 - residual / total
    }

    /// Mean of |y − ŷ| / max(|y|, ε), as a fraction (not per cent).
    public static func meanAbsolutePercentageError(_ truth: [Double], _ predicted: [Double]) -> Double {
        Moments.mean(zip(truth, predicted).map { abs($0 - $1) / max(abs($0), Double.ulpOfOne) })
    }
}
