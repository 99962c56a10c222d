import CairnSupport
import FoundationEssentials
import Glibc
import Learn
import Tables
import Testing
import TestSupport

/// Reference values: scikit-learn 1.9.1, printed by Fixtures/linear_reference.py (penguins with
/// complete measurements; body mass from bill length, bill depth and flipper length).
@Suite struct LinearModelTests {
    static let features = ["bill_length_mm", "bill_depth_mm", "flipper_length_mm"]
    let table: Table
    let x: Matrix
    let y: [Double]

    init() throws {
        let penguins = try CSVReader().read(TestData.penguins)
        table = penguins.filtering((0..<penguins.rowCount).map { penguins.columns[2].isPresent($0) })
        x = try Matrix(table, columns: Self.features)
        y = try table.column("body_mass_g").doubles()!
    }

    func expectClose(_ actual: [Double], _ expected: [Double], relative: Double = 1e-9, _ what: String = "") {
        #expect(actual.count == expected.count)
        for (a, e) in zip(actual, expected) { #expect(abs(a - e) <= relative * max(abs(e), 1), "\(what): \(a) vs \(e)") }
    }

    @Test func linearRegressionMatchesScikitLearn() throws {
        let model = try LinearRegression().fit(x, y)
        expectClose(model.coefficients, [4.161820470411497, 20.04953313144405, 50.26922163824041], "coef")
        expectClose([model.intercept], [-6424.764698098588], "intercept")
        let noIntercept = try LinearRegression(fitIntercept: false).fit(x, y)
        expectClose(noIntercept.coefficients, [20.452652028747465, -111.06827911855562, 25.969204503428358], "no intercept")
        #expect(noIntercept.intercept == 0)
    }

    /// All three island indicators beside the intercept make the design rank-deficient; the
    /// minimum-norm solution is scikit-learn's.
    @Test func rankDeficientDesignGivesMinimumNormSolution() throws {
        var islands: [[Double]] = [[], [], []]
        let island = try table.column("island")
        for row in 0..<table.rowCount {
            for (index, name) in ["Biscoe", "Dream", "Torgersen"].enumerated() { islands[index].append(island.text(at: row) == name ? 1 : 0) }
        }
        let design = Matrix(columns: (0..<3).map { Array(x.column($0)) } + islands)
        let model = try LinearRegression().fit(design, y)
        expectClose(model.coefficients, [15.127184863771989, 53.08765700740794, 42.21992001540235,
                                         227.93101500788154, -187.51277746932868, -40.418237538553065], relative: 1e-7, "one-hot coef")
        expectClose([model.intercept], [-5893.085323703292], relative: 1e-7, "one-hot intercept")
    }

    @Test func ridgeMatchesScikitLearn() throws {
        let model = try Ridge(alpha: 10).fit(x, y)
        expectClose(model.coefficients, [4.20478508622741, 19.75053662732285, 50.22631046472078], relative: 1e-9, "ridge coef")
        expectClose([model.intercept], [-6412.9021399795165], "ridge intercept")
        #expect(throws: CairnError.self) { try Ridge(alpha: -1).fit(x, y) }
        do { try Ridge(alpha: -1).validate() } catch { #expect("\(error)" == "error: alpha must be a number ≥ 0, found -1.0") }
    }

    /// Lasso and ElasticNet on standardized features (StandardScaler), with scikit-learn run to tol=1e-12.
    @Test func lassoAndElasticNetMatchScikitLearn() throws {
        let standardized = Matrix(columns: (0..<x.columns).map { j in
            let column = Array(x.column(j))
            let mean = column.reduce(0, +) / Double(column.count)
            let std = (column.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(column.count)).squareRoot()
            return column.map { ($0 - mean) / std }
        })
        let lasso = try Lasso(alpha: 10, tolerance: 1e-12).fit(standardized, y)
        expectClose(lasso.coefficients, [22.911742897421817, 15.455752464053827, 681.631623842278], relative: 1e-6, "lasso coef")
        expectClose([lasso.intercept], [4201.754385964913], relative: 1e-9, "lasso intercept")
        let net = try ElasticNet(alpha: 0.5, l1Ratio: 0.3, tolerance: 1e-12).fit(standardized, y)
        expectClose(net.coefficients, [136.80610548597957, -75.41291382619129, 417.54999032837725], relative: 1e-6, "elastic net coef")
        // A large penalty sets coefficients to exactly zero.
        let sparse = try Lasso(alpha: 500, tolerance: 1e-12).fit(standardized, y)
        #expect(sparse.coefficients[0] == 0 && sparse.coefficients[1] == 0)
        expectClose([sparse.coefficients[2]], [197.64202213801977], relative: 1e-6, "sparse lasso")
        do { try ElasticNet(l1Ratio: 1.5).validate() } catch { #expect("\(error)" == "error: l1_ratio must be between 0 and 1, found 1.5") }
    }

    @Test func regressionMetricsMatchScikitLearn() throws {
        let predicted = try LinearRegression().fit(x, y).predict(x)
        expectClose([RegressionMetrics.meanSquaredError(y, predicted)], [152957.1897089392], relative: 1e-9, "mse")
        expectClose([RegressionMetrics.rootMeanSquaredError(y, predicted)], [391.0974171596371], relative: 1e-9, "rmse")
        expectClose([RegressionMetrics.meanAbsoluteError(y, predicted)], [310.4577155344798], relative: 1e-9, "mae")
        expectClose([RegressionMetrics.r2(y, predicted)], [0.7614704841272493], relative: 1e-9, "r2")
        expectClose([RegressionMetrics.meanAbsolutePercentageError(y, predicted)], [0.07727107103578248], relative: 1e-9, "mape")
        #expect(RegressionMetrics.r2([3, 3], [3, 3]) == 1 && RegressionMetrics.r2([3, 3], [3, 4]) == 0)
    }

    @Test func rejectsNaNAndMismatchedRows() throws {
        var bad = x
        bad[5, 1] = .nan
        do { _ = try LinearRegression().fit(bad, y) } catch { #expect("\(error)".contains("row 6: feature 2 is nan")) }
        #expect(throws: CairnError.self) { try LinearRegression().fit(x, Array(y.dropLast())) }
        #expect(throws: CairnError.self) { try Matrix(CSVReader().read(TestData.penguins), columns: ["bill_length_mm"]) }
    }

    @Test func fittedModelRoundTripsThroughJSON() throws {
        let model = try Ridge(alpha: 2).fit(x, y)
        let data = try JSONEncoder().encode(model)
        #expect(try JSONDecoder().decode(LinearModel.self, from: data) == model)
        let spec = try ModelSpec(name: "ridge").setting(["alpha": .number(2)])
        #expect(try JSONDecoder().decode(ModelSpec.self, from: JSONEncoder().encode(spec)) == spec)
    }

    @Test func blasAndLapackBasics() throws {
        let a = Matrix(rows: 2, columns: 3, values: [1, 4, 2, 5, 3, 6])  // [[1, 2, 3], [4, 5, 6]]
        let b = Matrix(rows: 3, columns: 2, values: [7, 9, 11, 8, 10, 12])
        #expect(a.multiplied(by: b).values == [58, 139, 64, 154])
        #expect(a.multiplied(by: [1, 1, 1]) == [6, 15])
        #expect(a.multiplied(by: [1, 1], transposed: true) == [5, 7, 9])
        #expect(a.gram().values == [17, 22, 27, 22, 29, 36, 27, 36, 45])
        #expect(Vector.dot([1, 2, 3], [4, 5, 6]) == 32)
        var target = [1.0, 1, 1]
        Vector.add(2, times: [1, 2, 3], to: &target)
        #expect(target == [3, 5, 7])
        let spd = Matrix(rows: 2, columns: 2, values: [4, 2, 2, 3])
        let solution = try spd.choleskySolve([2, 1])
        #expect(abs(solution[0] - 0.5) < 1e-12 && abs(solution[1]) < 1e-12)
        let (values, vectors) = try spd.symmetricEigen()
        // Eigenvalues of [[4, 2], [2, 3]]: (7 ± √17) / 2.
        #expect(abs(values[0] - (7 - 17.0.squareRoot()) / 2) < 1e-12 && abs(values[1] - (7 + 17.0.squareRoot()) / 2) < 1e-12)
        #expect(abs(abs(vectors.column(1).reduce(0) { $0 + $1 * $1 }) - 1) < 1e-12)
        #expect(throws: CairnError.self) { try Matrix(rows: 2, columns: 2, values: [1, 2, 2, 1]).choleskySolve([1, 1]) }
    }
}

@Suite struct BLASThreadTests {
    /// Without OPENBLAS_NUM_THREADS, OpenBLAS uses every online core.
    @Test func threadCountFollowsTheCores() {
        guard getenv("OPENBLAS_NUM_THREADS") == nil else { return }
        BLASThreads.configure()
        #expect(BLASThreads.current == sysconf(Int32(_SC_NPROCESSORS_ONLN)))
    }

    /// `configure` stops OpenBLAS's idle workers; a product large enough to be split across
    /// threads starts them again and is still right, however often that happens.
    @Test func productsAreRightAfterTheWorkersAreStopped() {
        let n = 256
        let a = Matrix(rows: n, columns: n, values: (0..<n * n).map { Double(($0 * 7919) % 1000) / 1000 - 0.5 })
        let b = Matrix(rows: n, columns: n, values: (0..<n * n).map { Double(($0 * 104_729) % 997) / 997 - 0.5 })
        var expected = [Double](repeating: 0, count: n * n)
        for column in 0..<n {
            for k in 0..<n {
                let scale = b[k, column]
                for row in 0..<n { expected[column * n + row] += a[row, k] * scale }
            }
        }
        for _ in 0..<3 {
            BLASThreads.configure()
            let product = a.multiplied(by: b)
            #expect(zip(product.values, expected).allSatisfy { abs($0 - $1) < 1e-9 })
        }
    }
}
