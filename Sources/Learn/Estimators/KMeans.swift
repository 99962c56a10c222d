import CairnSupport
import Tables

/// k-means clustering, as scikit-learn's KMeans with k-means++ seeding: Lloyd iterations until
/// the centers move less than `tol` × the mean feature variance (squared), best of `n_init` runs
/// by inertia. Seeded, so the same data and seed give the same clusters.
public struct KMeans: Codable, Sendable, Equatable {
    public var clusters = 8
    public var initializations = 1
    public var maxIterations = 300
    public var tolerance = 1e-4
    public var seed = 0

    enum CodingKeys: String, CodingKey {
        case clusters = "n_clusters"
        case initializations = "n_init"
        case maxIterations = "max_iter"
        case tolerance = "tol"
        case seed = "random_state"
    }

    public init(clusters: Int = 8, initializations: Int = 1, maxIterations: Int = 300, tolerance: Double = 1e-4, seed: Int = 0) {
        self.clusters = clusters
        self.initializations = initializations
        self.maxIterations = maxIterations
        self.tolerance = tolerance
        self.seed = seed
    }

    public func validate() throws {
        guard clusters >= 1 else { throw CairnError(.invalidValue, "n_clusters must be at least 1, found \(clusters)") }
        guard initializations >= 1 else { throw CairnError(.invalidValue, "n_init must be at least 1, found \(initializations)") }
        guard maxIterations >= 1 else { throw CairnError(.invalidValue, "max_iter must be at least 1, found \(maxIterations)") }
    }

    public func fit(_ x: Matrix) throws -> KMeansModel {
        try validate()
        try TrainingData.finite(x)
        guard x.rows >= clusters else { throw CairnError(.invalidData, "\(clusters) clusters need at least \(clusters) rows, found \(x.rows)") }
        let variances = (0..<x.columns).map { Moments.variance(x.column($0), sample: false) }
        let threshold = tolerance * variances.reduce(0, +) / Double(max(x.columns, 1))
        var random = SeededRandom(seed: UInt64(bitPattern: Int64(seed)))
        var best: KMeansModel?
        for _ in 0..<initializations {
            let model = lloyd(x, centers: seedCenters(x, &random), threshold: threshold)
            if best == nil || model.inertia < best!.inertia { best = model }
        }
        return best!
    }

    /// k-means++: each next center is a row drawn with probability proportional to its squared
    /// distance to the nearest center chosen so far.
    private func seedCenters(_ x: Matrix, _ random: inout SeededRandom) -> Matrix {
        var centers = Matrix(rows: clusters, columns: x.columns)
        let first = random.below(x.rows)
        for column in 0..<x.columns { centers[0, column] = x[first, column] }
        var nearest = (0..<x.rows).map { KMeansModel.squaredDistance(x, $0, centers, 0) }
        for cluster in 1..<clusters {
            let total = nearest.reduce(0, +)
            var target = random.unit() * total, chosen = x.rows - 1
            for row in 0..<x.rows {
                target -= nearest[row]
                if target < 0 { chosen = row; break }
            }
            for column in 0..<x.columns { centers[cluster, column] = x[chosen, column] }
            for row in 0..<x.rows { nearest[row] = min(nearest[row], KMeansModel.squaredDistance(x, row, centers, cluster)) }
        }
        return centers
    }

    private func lloyd(_ x: Matrix, centers start: Matrix, threshold: Double) -> KMeansModel {
        var centers = start
        var model = KMeansModel(centers: centers, inertia: 0, iterations: 0)
        for iteration in 1...maxIterations {
            let labels = model.assign(x).labels
            var sums = Matrix(rows: clusters, columns: x.columns), counts = [Double](repeating: 0, count: clusters)
            for row in 0..<x.rows {
                counts[labels[row]] += 1
                for column in 0..<x.columns { sums[labels[row], column] += x[row, column] }
            }
            var shift = 0.0
            for cluster in 0..<clusters where counts[cluster] > 0 {
                for column in 0..<x.columns {
                    let updated = sums[cluster, column] / counts[cluster]
                    shift += (updated - centers[cluster, column]) * (updated - centers[cluster, column])
                    centers[cluster, column] = updated
                }
            }
            model = KMeansModel(centers: centers, inertia: 0, iterations: iteration)
            if shift <= threshold { break }
        }
        model.inertia = model.assign(x).inertia
        return model
    }
}

/// Cluster centers (one per row) and the fit's inertia (sum of squared distances to the nearest center).
public struct KMeansModel: Codable, Sendable, Equatable {
    public var centers: Matrix
    public var inertia: Double
    public var iterations: Int

    /// The nearest center of each row.
    public func predict(_ x: Matrix) throws -> [Int] {
        guard x.columns == centers.columns else {
            throw CairnError(.invalidData, "the model has \(centers.columns) features, the data \(x.columns)")
        }
        try TrainingData.finite(x)
        return assign(x).labels
    }

    func assign(_ x: Matrix) -> (labels: [Int], inertia: Double) {
        var inertia = 0.0
        let labels = (0..<x.rows).map { row -> Int in
            var best = 0, bestDistance = Double.infinity
            for cluster in 0..<centers.rows {
                let distance = Self.squaredDistance(x, row, centers, cluster)
                if distance < bestDistance { (best, bestDistance) = (cluster, distance) }
            }
            inertia += bestDistance
            return best
        }
        return (labels, inertia)
    }

    static func squaredDistance(_ x: Matrix, _ row: Int, _ centers: Matrix, _ cluster: Int) -> Double {
        (0..<x.columns).reduce(0) { sum, column in
            let difference = x[row, column] - centers[cluster, column]
            return sum + difference * difference
        }
    }
}
