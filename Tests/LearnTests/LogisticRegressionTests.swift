import CairnSupport
import FoundationEssentials
import Glibc
import Learn
import Testing

/// Reference values: scikit-learn 1.9.1 (lbfgs, tol=1e-10, max_iter=10000), printed by
/// Fixtures/logistic_reference.py on data from the same formulas as `data` here.
@Suite struct LogisticRegressionTests {
    static let data: (x: Matrix, binary: [Double], multi: [Double]) = {
        var rows: [[Double]] = [[], [], []]
        var binary: [Double] = [], multi: [Double] = []
        for step in 0..<200 {
            let i = Double(step)
            let x1 = 2 * sin(0.37 * i), x2 = cos(0.11 * i + 1), x3 = Double((step * 7) % 13) / 6 - 1
            rows[0].append(x1); rows[1].append(x2); rows[2].append(x3)
            binary.append(x1 + 0.8 * x2 - 0.5 * x3 + 0.3 * sin(2.3 * i) > 0 ? 1 : 0)
            let scores = [x1, x2 + 0.5 * x3, 0.3 - 0.5 * x1 + 0.4 * sin(1.9 * i)]
            multi.append(Double(scores.firstIndex(of: scores.max()!)!))
        }
        return (Matrix(columns: rows), binary, multi)
    }()

    func expectClose(_ actual: [Double], _ expected: [Double], _ what: String) {
        #expect(actual.count == expected.count, "\(what)")
        for (a, e) in zip(actual, expected) { #expect(abs(a - e) <= 1e-4 * max(abs(e), 1e-2), "\(what): \(a) vs \(e)") }
    }

    @Test func binaryMatchesScikitLearn() throws {
        let model = try LogisticRegression(c: 1, tolerance: 1e-9).fit(Self.data.x, Self.data.binary)
        #expect(model.converged)
        expectClose(model.coefficients.values, [3.3277875706151736, 2.1955470705780535, -1.4928562057608048], "coef")
        expectClose(model.intercepts, [-0.13605476666155797], "intercept")
        let first = try model.probabilities(Matrix(rows: 1, columns: 3, values: [0, 1 * cos(1.0), -1]))
        expectClose([first[0, 0], first[0, 1]], [0.07289406699325207, 0.9271059330067479], "probabilities of row 0")
    }

    @Test func balancedClassWeightsAndSmallerC() throws {
        let model = try LogisticRegression(c: 0.1, tolerance: 1e-9, classWeight: .balanced).fit(Self.data.x, Self.data.binary)
        expectClose(model.coefficients.values, [1.6467953758741132, 0.6671635994368958, -0.40400089799195277], "coef")
        expectClose(model.intercepts, [-0.0705446348026525], "intercept")
    }

    @Test func multinomialMatchesScikitLearn() throws {
        let model = try LogisticRegression(c: 1, tolerance: 1e-9).fit(Self.data.x, Self.data.multi)
        #expect(model.converged)
        // scikit-learn's coef_ is classes × features; ours is features × classes.
        let expected: [[Double]] = [[2.6281549927132266, -1.2099636405347332, -0.3026594577495402],
                                    [-0.6101720218404005, 2.2755599377539704, 1.2075661216040448],
                                    [-2.017982970872827, -1.0655962972192359, -0.9049066638545048]]
        for label in 0..<3 { expectClose(Array(model.coefficients.column(label)), expected[label], "coef of class \(label)") }
        expectClose(model.intercepts, [-0.1481002996785113, -0.626118754378632, 0.7742190540571433], "intercepts")
        let probabilities = try model.probabilities(Matrix(rows: 1, columns: 3, values: [0, cos(1.0), -1]))
        expectClose((0..<3).map { probabilities[0, $0] }, [0.1456433277455391, 0.13112526197504876, 0.7232314102794121], "row 0")
        let predicted = try model.predict(Self.data.x)
        #expect(ClassificationMetrics.accuracy(Self.data.multi.map { Int($0) }, predicted.map { Int($0) }) > 0.85)
    }

    @Test func conformance() throws {
        let estimator = LogisticRegression(c: 1, tolerance: 1e-9)
        let first = try estimator.fit(Self.data.x, Self.data.binary)
        #expect(try estimator.fit(Self.data.x, Self.data.binary) == first)  // fit is idempotent and deterministic
        let encoded = try JSONEncoder().encode(first)
        #expect(try JSONDecoder().decode(LogisticModel.self, from: encoded) == first)
        let config = try JSONDecoder().decode(ModelSpec.self, from: Data(#"{"logistic_regression": {"C": 0.5, "fit_intercept": true, "max_iter": 50, "tol": 1e-6, "class_weight": "balanced"}}"#.utf8))
        #expect(config == (try ModelSpec(name: "logistic_regression").setting(
            ["C": .number(0.5), "max_iter": .integer(50), "tol": .number(1e-6), "class_weight": .text("balanced")])))
        do { _ = try LogisticRegression(c: 0).fit(Self.data.x, Self.data.binary) } catch { #expect("\(error)" == "error: C must be a number > 0, found 0.0") }
        do { _ = try estimator.fit(Self.data.x, Self.data.binary.map { _ in 1 }) } catch { #expect("\(error)".contains("at least two")) }
        var withNaN = Self.data.x
        withNaN[3, 0] = .nan
        #expect(throws: CairnError.self) { try estimator.fit(withNaN, Self.data.binary) }
        // A constant column gets a zero coefficient and changes nothing else.
        let constant = Matrix(columns: (0..<3).map { Array(Self.data.x.column($0)) } + [[Double](repeating: 5, count: 200)])
        let withConstant = try estimator.fit(constant, Self.data.binary)
        #expect(abs(withConstant.coefficients.values[3]) < 1e-6)
    }
}
