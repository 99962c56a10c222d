import CairnSupport
import FoundationEssentials
import Learn
import Tables
import Testing
import TestSupport

/// Fold plans: the defaults (shuffled), groups and forward chaining, with references from
/// scikit-learn 1.9.1 printed by Fixtures/folds_reference.py.
@Suite struct FoldPlanTests {
    static let rows = 40
    static let table = try! Table(columns: [
        Column(name: "x", values: .float64((0..<rows).map(Double.init))),
        Column(name: "firm", values: .string((0..<rows).map { "f\(String(format2: ($0 * 7) % 11))" })),
        Column(name: "label", values: .string((0..<rows).map { ["a", "b", "c"][$0 < 30 ? ($0 / 3 + $0) % 3 : 2] })),
    ])

    func plan(_ json: String) throws -> FoldPlan { try JSONDecoder().decode(FoldPlan.self, from: Data(json.utf8)) }

    @Test func aNumberMeansShuffledFoldsWithSeedZero() throws {
        #expect(try plan("5") == FoldPlan(folds: 5, shuffle: true, seed: 0))
        let shuffled = try plan("4").folds(of: Self.table, target: "x", stratified: false)
        let ordered = try plan(#"{"folds": 4, "shuffle": false}"#).folds(of: Self.table, target: "x", stratified: false)
        #expect(ordered.map(\.test) == (0..<4).map { Array(($0 * 10)..<($0 * 10 + 10)) })
        #expect(shuffled != ordered && Set(shuffled.flatMap(\.test)) == Set(0..<Self.rows))
        let reseeded = try plan(#"{"folds": 4, "seed": 7}"#).folds(of: Self.table, target: "x", stratified: false)
        #expect(reseeded != shuffled)
    }

    @Test func groupFoldsMatchScikitLearnUnshuffled() throws {
        let folds = try plan(#"{"folds": 4, "groups": "firm", "shuffle": false}"#).folds(of: Self.table, target: "x", stratified: false)
        #expect(folds.map(\.test) == [[2, 3, 10, 13, 14, 21, 24, 25, 32, 35, 36], [5, 6, 8, 16, 17, 19, 27, 28, 30, 38, 39],
                                      [0, 1, 11, 12, 22, 23, 33, 34], [4, 7, 9, 15, 18, 20, 26, 29, 31, 37]])
    }

    @Test func stratifiedGroupFoldsMatchScikitLearnUnshuffled() throws {
        let folds = try plan(#"{"folds": 3, "groups": "firm", "shuffle": false}"#).folds(of: Self.table, target: "label", stratified: true)
        #expect(folds.map(\.test) == [[1, 2, 7, 8, 12, 13, 18, 19, 23, 24, 29, 30, 34, 35],
                                      [0, 3, 6, 9, 11, 14, 17, 20, 22, 25, 28, 31, 33, 36, 39],
                                      [4, 5, 10, 15, 16, 21, 26, 27, 32, 37, 38]])
    }

    /// Shuffled or not, no group is ever cut between a fold's training and test rows.
    @Test func shuffledGroupsStayWhole() throws {
        let firms = try Self.table.column("firm").strings()
        for stratified in [false, true] {
            let folds = try plan(#"{"folds": 3, "groups": "firm"}"#).folds(of: Self.table, target: "label", stratified: stratified)
            #expect(Set(folds.flatMap(\.test)) == Set(0..<Self.rows))
            for fold in folds { #expect(Set(fold.test.map { firms[$0] }).isDisjoint(with: fold.train.map { firms[$0] })) }
        }
    }

    @Test func orderByChainsForwardAsTimeSeriesSplit() throws {
        // Rows stored newest first: ordering by the column puts row 9 first.
        let days = try Table(columns: [Column(name: "day", values: .int64((0..<10).reversed().map(Int64.init)))])
        let folds = try plan(#"{"folds": 3, "order_by": "day"}"#).folds(of: days, target: "day", stratified: false)
        let byDay = { (rows: [Int]) in rows.map { 9 - $0 }.sorted() }
        #expect(folds.map { byDay($0.train) } == [[0, 1, 2, 3], [0, 1, 2, 3, 4, 5], [0, 1, 2, 3, 4, 5, 6, 7]])
        #expect(folds.map { byDay($0.test) } == [[4, 5], [6, 7], [8, 9]])
        #expect(throws: CairnError.self) { try plan(#"{"folds": 3, "order_by": "day", "shuffle": true}"#) }
        #expect(throws: CairnError.self) { try plan(#"{"folds": 3, "order_by": "day", "groups": "firm"}"#) }
        #expect(throws: CairnError.self) { try plan("1") }
    }

    /// Rows sorted by x, y = x²: folds in input order make every test block an extrapolation,
    /// which a linear model gets badly wrong; shuffled folds measure what the model really does.
    @Test func shuffledFoldsScoreSortedRowsHonestly() throws {
        let x = (0..<200).map { Double($0) / 200 }
        let table = try Table(columns: [Column(name: "x", values: .float64(x)), Column(name: "y", values: .float64(x.map { $0 * $0 }))])
        func r2(_ json: String) throws -> Double {
            let folds = try plan(json).folds(of: table, target: "y", stratified: false)
            let results = try CrossValidation.evaluate(try ModelSpec(name: "linear_regression"), steps: [], target: "y", table: table, folds: folds)
            return CrossValidation.summary(results)["r2"]!.mean
        }
        let ordered = try r2(#"{"folds": 5, "shuffle": false}"#), shuffled = try r2("5")
        #expect(ordered < 0.5 && shuffled > 0.9, "ordered \(ordered), shuffled \(shuffled)")
    }

    /// numpy.std of the fold scores, as scikit-learn users report it: divided by n, not n − 1.
    @Test func spreadDividesByTheNumberOfFolds() {
        let summary = CrossValidation.summary([["accuracy": 0.8], ["accuracy": 0.9], ["accuracy": 1.0], ["accuracy": 0.9]])
        #expect(abs(summary["accuracy"]!.std - 0.07071067811865474) < 1e-12)
    }
}

extension String {
    fileprivate init(format2 value: Int) { self = value < 10 ? "0\(value)" : "\(value)" }
}
