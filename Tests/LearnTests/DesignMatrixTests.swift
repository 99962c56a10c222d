import CairnSupport
import Glibc
import Learn
import Tables
import Testing

/// Sparse indicators must give the dense matrix's answers: the same products, the same model.
@Suite struct DesignMatrixTests {
    /// 300 rows: a float, a one-hot group of three bools, an int, a lone bool, in mixed order.
    static let table: Table = {
        let rows = 0..<300
        let level = rows.map { ($0 * 7) % 3 }
        return try! Table(columns: [
            Column(name: "a=x", values: .bool(level.map { $0 == 0 })),
            Column(name: "size", values: .float64(rows.map { sin(Double($0) * 0.3) * 2 })),
            Column(name: "a=y", values: .bool(level.map { $0 == 1 })),
            Column(name: "count", values: .int64(rows.map { Int64($0 % 11) - 5 })),
            Column(name: "a=z", values: .bool(level.map { $0 == 2 })),
            Column(name: "flag", values: .bool(rows.map { $0 % 5 == 0 })),
        ])
    }()
    static let labels = (0..<300).map { row -> Double in
        let score = sin(Double(row) * 0.3) * 2 + Double(row % 11 - 5) * 0.3 + (row % 5 == 0 ? 1 : 0) - Double((row * 7) % 3) * 0.7
        return score + 0.8 * sin(Double(row) * 1.7) > 0 ? 1 : 0
    }

    func design() throws -> DesignMatrix { try DesignMatrix(Self.table, columns: Self.table.columnNames) }

    @Test func keepsNumbersDenseAndBoolsAsTrueRows() throws {
        let x = try design()
        #expect(x.dense.columns == 2 && x.denseFeatures == [1, 3])
        #expect(x.indicatorFeatures == [0, 2, 4, 5])
        #expect(x.indicators[3] == Array(stride(from: 0, to: 300, by: 5)))
        let dense = x.materialized()
        #expect(dense.columns == 6 && dense.rows == 300)
        #expect(dense[0, 0] == 1 && dense[1, 0] == 0 && dense[5, 5] == 1 && dense[6, 5] == 0)
        #expect(dense[3, 3] == -2 && dense[3, 1] == sin(Double(3) * 0.3) * 2)
    }

    @Test func productsMatchTheDenseMatrix() throws {
        let x = try design(), dense = x.materialized()
        for outputs in [1, 3] {
            let coefficients = Matrix(rows: 6, columns: outputs, values: (0..<(6 * outputs)).map { Double($0) * 0.25 - 1 })
            let residuals = Matrix(rows: 300, columns: outputs, values: (0..<(300 * outputs)).map { cos(Double($0)) })
            for (got, want) in [(x.multiplied(by: coefficients), dense.multiplied(by: coefficients)),
                                (x.transposedMultiplied(by: residuals), dense.transposedMultiplied(by: residuals))] {
                #expect(got.rows == want.rows && got.columns == want.columns)
                for (a, b) in zip(got.values, want.values) { #expect(abs(a - b) <= 1e-12 * max(1, abs(b)), "\(outputs) outputs: \(a) vs \(b)") }
            }
        }
    }

    @Test func logisticRegressionFitsTheSameModelEitherWay() throws {
        let x = try design()
        let sparse = try LogisticRegression(tolerance: 1e-10).fit(x, Self.labels)
        let dense = try LogisticRegression(tolerance: 1e-10).fit(x.materialized(), Self.labels)
        #expect(sparse.converged && dense.converged)
        for (a, b) in zip(sparse.coefficients.values + sparse.intercepts, dense.coefficients.values + dense.intercepts) {
            #expect(abs(a - b) <= 1e-6, "\(a) vs \(b)")
        }
        #expect(try sparse.predict(x) == dense.predict(x.materialized()))
    }

    @Test func aMissingOrTextValueIsAnError() throws {
        let missing = try Table(columns: [Column(name: "f", values: .bool([true, false]), validity: Validity(count: 2, missing: [1]))])
        #expect(throws: CairnError.self) { try DesignMatrix(missing, columns: ["f"]) }
        let text = try Table(columns: [Column(name: "t", values: .string(["a", "b"]))])
        #expect(throws: CairnError.self) { try DesignMatrix(text, columns: ["t"]) }
    }
}
