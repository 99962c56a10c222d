import CairnCore


/// The statistic that decides whether a column drifted, and the default threshold of each.
public enum DriftTest: String, ConfigEnum {
    case ks, psi, wasserstein
    case chiSquared = "chi_squared"
    case jensenShannon = "jensen_shannon"

    public var isNumeric: Bool { [.ks, .psi, .wasserstein].contains(self) }

    /// The `thresholds:` key; p-value tests drift below it, the others at or above it.
    public var thresholdKey: String {
        switch self {
        case .ks: "ks_pvalue"
        case .chiSquared: "chi_squared_pvalue"
        case .psi, .wasserstein, .jensenShannon: rawValue
        }
    }

    /// Above this many reference rows the default tests are distances, not p-values.
    public static let largeReferenceRows = 1000

    /// The test a column gets when the pipeline names none. With thousands of rows a p-value
    /// flags shifts too small to matter, so past `largeReferenceRows` the default measures how far
    /// the distributions moved instead (as Evidently chooses): Wasserstein distance in the
    /// reference's standard deviations, or Jensen–Shannon distance.
    public static func defaultTest(numeric: Bool, referenceRows: Int) -> DriftTest {
        referenceRows <= largeReferenceRows ? (numeric ? .ks : .chiSquared) : (numeric ? .wasserstein : .jensenShannon)
    }

    public static let defaultThresholds: [String: Double] = [
        "ks_pvalue": 0.01, "psi": 0.2, "wasserstein": 0.1, "chi_squared_pvalue": 0.01, "jensen_shannon": 0.1, "share": 0.3,
    ]

    /// The deciding value and whether it crosses `threshold`. Wasserstein is divided by the
    /// reference's standard deviation, so that one threshold serves columns of any scale.
    public func decide(numeric drift: NumericDrift, referenceSpread: Double, threshold: Double) -> (value: Double, drifted: Bool) {
        switch self {
        case .ks: return (drift.ksPValue, drift.ksPValue < threshold)
        case .psi: return (drift.psi, drift.psi >= threshold)
        default:
            let normed = Self.effectSize(numeric: drift, referenceSpread: referenceSpread)
            return (normed, normed >= threshold)
        }
    }

    /// How far a numeric column moved, whatever decided: the Wasserstein distance in the
    /// reference's standard deviations.
    public static func effectSize(numeric drift: NumericDrift, referenceSpread: Double) -> Double {
        referenceSpread > 0 ? drift.wasserstein / referenceSpread : (drift.wasserstein > 0 ? .infinity : 0)
    }

    public func decide(categorical drift: CategoricalDrift, threshold: Double) -> (value: Double, drifted: Bool) {
        switch self {
        case .chiSquared: return (drift.chiSquaredPValue, drift.chiSquaredPValue < threshold)
        default: return (drift.jensenShannon, drift.jensenShannon >= threshold)
        }
    }
}
