import CairnSupport
import FoundationEssentials
import Glibc
import Learn
import Testing

/// Reference values: scikit-learn 1.9.1, printed by Fixtures/neighbors_bayes_reference.py on
/// the data of LogisticRegressionTests (same formulas) plus a numeric target.
@Suite struct NeighborsAndBayesTests {
    let x = LogisticRegressionTests.data.x
    let labels = LogisticRegressionTests.data.multi
    let queries = Matrix(rows: 3, columns: 3, values: [0.5, -1.5, 1.9, 0.2, 0.9, -0.7, -0.3, 0.4, 0.0])

    var target: [Double] {
        (0..<200).map { step in 3 * x[step, 0] - x[step, 1] + 0.5 * sin(5.1 * Double(step)) }
    }

    func expectClose(_ actual: Matrix, _ expected: [[Double]], _ tolerance: Double, _ what: String) {
        for (row, values) in expected.enumerated() {
            for (column, value) in values.enumerated() {
                #expect(abs(actual[row, column] - value) <= tolerance, "\(what) [\(row), \(column)]: \(actual[row, column]) vs \(value)")
            }
        }
    }

    @Test func gaussianNaiveBayesMatchesScikitLearn() throws {
        let model = try GaussianNaiveBayes().fit(x, labels)
        expectClose(model.means, [[1.4138289323155797, -0.14742170082268335, -5.046468293750712e-18],
                                  [-0.5420144647321643, 0.7924827320502074, 0.4294871794871795],
                                  [-1.2199234243724166, -0.2607215007369824, -0.15310077519379847]], 1e-12, "means")
        expectClose(model.variances, [[0.2821557239016823, 0.4776808420183878, 0.3876262646201868],
                                      [0.8896301215776103, 0.06961995124765423, 0.26319033729964436],
                                      [0.45863147219045824, 0.3727185939044267, 0.3528521442930651]], 1e-12, "variances")
        expectClose(try model.probabilities(queries), [[0.8370373516191297, 0.039367591896013604, 0.1235950564848567],
                                                        [1.989889651176491e-07, 0.765638852443997, 0.23436094856703804],
                                                        [0.9999650052536351, 3.0806355798074303e-09, 3.499166572916076e-05]], 1e-10, "probabilities")
        let round = try JSONDecoder().decode(GaussianNaiveBayesModel.self, from: JSONEncoder().encode(model))
        #expect(round == model)
    }

    @Test func nearestNeighborsMatchScikitLearn() throws {
        let uniform = try KNearestNeighbors(neighbors: 7).fit(x, labels)
        expectClose(try uniform.probabilities(queries), [[4.0 / 7, 0, 3.0 / 7], [0, 4.0 / 7, 3.0 / 7], [1, 0, 0]], 1e-12, "uniform votes")
        #expect(try uniform.predict(queries) == [0, 1, 0])
        let weighted = try KNearestNeighbors(neighbors: 7, weights: .distance).fit(x, labels)
        expectClose(try weighted.probabilities(queries), [[0.5630890971389304, 0, 0.43691090286106965],
                                                          [0, 0.5442200918848041, 0.4557799081151959], [1, 0, 0]], 1e-10, "distance votes")
        let regression = try KNearestNeighbors(neighbors: 5, task: .regression).fit(x, target)
        let values = try regression.predict(queries)
        for (value, expected) in zip(values, [1.029221105431511, -4.55552285518081, 6.1330706950830125]) {
            #expect(abs(value - expected) < 1e-10)
        }
        do { _ = try KNearestNeighbors(neighbors: 500).fit(x, labels) } catch { #expect("\(error)".contains("only 200 training rows")) }
    }
}

/// Trees against scikit-learn 1.9.1 (Fixtures/neighbors_bayes_reference.py) where the best split
/// is unique, so that scikit-learn's random feature order cannot change it. scikit-learn splits
/// float32 copies of the data, so its thresholds agree to about 1e-7, not to the last bit.
@Suite struct DecisionTreeTests {
    let x = LogisticRegressionTests.data.x
    let labels = LogisticRegressionTests.data.multi
    var target: [Double] { NeighborsAndBayesTests().target }
    let queries = NeighborsAndBayesTests().queries

    @Test func stumpMatchesScikitLearn() throws {
        let stump = try DecisionTree(maxDepth: 1).fit(x, labels)
        #expect(stump.nodes[0].feature == 0 && abs(stump.nodes[0].threshold - 0.14298562705516815) < 1e-6)
        let left = stump.nodes[stump.nodes[0].left].value, right = stump.nodes[stump.nodes[0].right].value
        for (value, expected) in zip(left + right, [0.009708737864077669, 0.17475728155339806, 0.8155339805825242,
                                                    0.8969072164948454, 0.08247422680412371, 0.020618556701030927]) {
            #expect(abs(value - expected) < 1e-12)
        }
    }

    @Test func deeperTreesAndRegression() throws {
        let entropy = try DecisionTree(criterion: .entropy, maxDepth: 3).fit(x, labels)
        #expect(ClassificationMetrics.accuracy(labels.map { Int($0) }, try entropy.predict(x).map { Int($0) }) == 0.91)
        #expect(entropy.nodes.count == 13)
        let full = try DecisionTree().fit(x, labels)
        #expect(ClassificationMetrics.accuracy(labels.map { Int($0) }, try full.predict(x).map { Int($0) }) == 1)
        let regression = try DecisionTree(criterion: .squaredError, maxDepth: 2).fit(x, target)
        #expect(regression.nodes[0].feature == 0 && abs(regression.nodes[0].threshold - 0.04769804887473583) < 1e-6)
        for (value, expected) in zip(try regression.predict(queries), [1.8430592104248025, -5.151273181381036, 5.303500290428431]) {
            #expect(abs(value - expected) < 1e-9)
        }
        let leafy = try DecisionTree(minSamplesLeaf: 30).fit(x, labels)
        #expect(leafy.nodes.filter { $0.feature < 0 }.count <= 200 / 30)
    }
}

/// A forest against scikit-learn's in 5-fold cross-validation (the same folds): scikit-learn 1.9.1
/// RandomForestClassifier(n_estimators=50) scores 0.9175, 0.921, 0.9205, 0.921, 0.9165 for
/// random_state 0…4 on 2,000 rows of the formulas of LogisticRegressionTests (mean 0.9193).
@Suite struct RandomForestTests {
    static let data: (x: Matrix, labels: [Double]) = {
        var columns: [[Double]] = [[], [], []], labels: [Double] = []
        for step in 0..<2000 {
            let i = Double(step)
            let x1 = 2 * sin(0.37 * i), x2 = cos(0.11 * i + 1), x3 = Double((step * 7) % 13) / 6 - 1
            columns[0].append(x1); columns[1].append(x2); columns[2].append(x3)
            let scores = [x1, x2 + 0.5 * x3, 0.3 - 0.5 * x1 + 0.4 * sin(1.9 * i)]
            labels.append(Double(scores.firstIndex(of: scores.max()!)!))
        }
        return (Matrix(columns: columns), labels)
    }()

    func rows(_ x: Matrix, _ indices: [Int]) -> Matrix {
        Matrix(columns: (0..<x.columns).map { column in indices.map { x[$0, column] } })
    }

    @Test func crossValidatedAccuracyWithinOnePointOfScikitLearn() throws {
        let (x, labels) = Self.data
        let folds = try KFold(splits: 5).stratifiedFolds(labels: labels.map { Int($0) })
        let accuracies = try folds.map { fold -> Double in
            let model = try RandomForest(trees: 50, seed: 0).fit(rows(x, fold.train), fold.train.map { labels[$0] })
            let predicted = try model.predict(rows(x, fold.test)).map { Int($0) }
            return ClassificationMetrics.accuracy(fold.test.map { Int(labels[$0]) }, predicted)
        }
        let mean = accuracies.reduce(0, +) / 5
        #expect(abs(mean - 0.9193) <= 0.01, "cross-validated accuracy \(mean)")
    }

    @Test func seededForestIsDeterministic() throws {
        let (x, labels) = Self.data
        let first = try RandomForest(trees: 5, seed: 3).fit(x, labels)
        #expect(try RandomForest(trees: 5, seed: 3).fit(x, labels) == first)
        #expect(try RandomForest(trees: 5, seed: 4).fit(x, labels) != first)
        let regression = try RandomForest(trees: 10, tree: DecisionTree(criterion: .squaredError, maxDepth: 6)).fit(x, x.column(0).map { $0 * 2 })
        let predicted = try regression.predict(x)
        #expect(RegressionMetrics.r2(x.column(0).map { $0 * 2 }, predicted) > 0.95)
    }
}

/// k-means on three separated blobs against scikit-learn 1.9.1 KMeans(n_clusters=3, n_init=10)
/// (Fixtures/neighbors_bayes_reference.py): the same centers, in some order, and inertia.
@Suite struct KMeansTests {
    static let blobs: Matrix = {
        var xs: [Double] = [], ys: [Double] = []
        for (j, center) in [(0.0, 0.0), (5.0, 5.0), (0.0, 6.0)].enumerated() {
            for i in 0..<50 {
                xs.append(center.0 + 0.3 * sin(7.1 * Double(i) + Double(j)))
                ys.append(center.1 + 0.3 * cos(3.3 * Double(i) + 2 * Double(j)))
            }
        }
        return Matrix(columns: [xs, ys])
    }()

    @Test func matchesScikitLearn() throws {
        let model = try KMeans(clusters: 3, initializations: 10).fit(Self.blobs)
        let centers = (0..<3).map { [model.centers[$0, 0], model.centers[$0, 1]] }.sorted { $0.lexicographicallyPrecedes($1) }
        let expected = [[-0.0003143899193807087, 5.99560672065966], [0.013865260886136044, 0.002961426165112524],
                        [5.01254008248677, 5.00172037013078]]
        for (center, reference) in zip(centers, expected) {
            #expect(abs(center[0] - reference[0]) < 1e-9 && abs(center[1] - reference[1]) < 1e-9, "\(center)")
        }
        #expect(abs(model.inertia - 13.420307277457983) < 1e-9)
        let labels = try model.predict(Self.blobs)
        #expect(Set(labels[0..<50]).count == 1 && Set(labels[50..<100]).count == 1 && Set(labels).count == 3)
        #expect(try KMeans(clusters: 3, seed: 5).fit(Self.blobs) == KMeans(clusters: 3, seed: 5).fit(Self.blobs))
        #expect(throws: CairnError.self) { try KMeans(clusters: 200).fit(Self.blobs) }
    }
}
