/// Mean, variance and standard deviation, computed in two passes, in the one place every module asks.
/// Inlinable, so that other modules get them specialized for their arrays: unspecialized, the
/// scaler's fit over 1M rows spent 2 s in generic collection calls.
public enum Moments {
    @inlinable public static func mean(_ values: some Collection<Double>) -> Double { values.reduce(0, +) / Double(values.count) }

    /// `sample`: divided by n − 1, as pandas' `std` (0 for fewer than two values); otherwise by n,
    /// as numpy's, scikit-learn's scaler and its Gaussian naive Bayes.
    @inlinable public static func variance(_ values: some Collection<Double>, sample: Bool) -> Double {
        let divisor = Double(values.count - (sample ? 1 : 0))
        guard divisor > 0 else { return 0 }
        let center = mean(values)
        return values.reduce(0) { $0 + ($1 - center) * ($1 - center) } / divisor
    }

    @inlinable public static func standardDeviation(_ values: some Collection<Double>, sample: Bool) -> Double {
        variance(values, sample: sample).squareRoot()
    }
}
