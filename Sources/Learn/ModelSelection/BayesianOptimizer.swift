import CairnSupport
import Glibc
import Tables

/// Bayesian optimization in the unit cube: a Gaussian process (RBF kernel, length scale 0.3, on
/// standardized scores) models the score seen so far, and the next point is the one of 1,000
/// random candidates with the largest expected improvement over the best. The first few points
/// are random. Maximizes.
public struct BayesianOptimizer {
    let dimensions: Int
    var random: SeededRandom
    var points: [[Double]] = []
    var scores: [Double] = []
    static let initialPoints = 4
    static let lengthScale = 0.3

    public init(dimensions: Int, seed: UInt64) {
        self.dimensions = dimensions
        random = SeededRandom(seed: seed)
    }

    public mutating func observe(_ point: [Double], _ score: Double) {
        points.append(point)
        scores.append(score)
    }

    public mutating func next() throws -> [Double] {
        guard points.count >= Self.initialPoints else { return Self.uniform(dimensions, &random) }
        let mean = Moments.mean(scores), spread = max(Moments.standardDeviation(scores, sample: false), 1e-12)
        let targets = scores.map { ($0 - mean) / spread }
        var kernel = Matrix(rows: points.count, columns: points.count)
        for i in points.indices { for j in points.indices { kernel[i, j] = Self.similarity(points[i], points[j]) + (i == j ? 1e-6 : 0) } }
        let weights = try kernel.choleskySolve(targets)
        let best = targets.max()!
        var chosen = Self.uniform(dimensions, &random), bestImprovement = -Double.infinity
        for _ in 0..<1000 {
            let point = Self.uniform(dimensions, &random)
            let similarities = points.map { Self.similarity($0, point) }
            let predicted = Vector.dot(similarities, weights)
            let variance = max(1 - Vector.dot(similarities, try kernel.choleskySolve(similarities)), 1e-12)
            let deviation = variance.squareRoot(), z = (predicted - best) / deviation
            // Expected improvement: (μ − best)·Φ(z) + σ·φ(z).
            let improvement = (predicted - best) * 0.5 * erfc(-z / 2.0.squareRoot()) + deviation * exp(-z * z / 2) / (2 * Double.pi).squareRoot()
            if improvement > bestImprovement { (chosen, bestImprovement) = (point, improvement) }
        }
        return chosen
    }

    static func uniform(_ dimensions: Int, _ random: inout SeededRandom) -> [Double] { (0..<dimensions).map { _ in random.unit() } }

    static func similarity(_ a: [Double], _ b: [Double]) -> Double {
        exp(-zip(a, b).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } / (2 * lengthScale * lengthScale))
    }
}
