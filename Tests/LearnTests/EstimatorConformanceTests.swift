import CairnSupport
import FoundationEssentials
import Learn
import Testing

/// What every estimator the train stage offers must do, checked on each of them.
@Suite struct EstimatorConformanceTests {
    /// Settings that keep the slower models quick on the test data.
    static let quick: [String: [String: ParameterValue]] = [
        "ridge": ["alpha": .number(0.5)], "lasso": ["alpha": .number(0.01)], "elastic_net": ["alpha": .number(0.01)],
        "knn_classifier": ["n_neighbors": .integer(3)], "knn_regressor": ["n_neighbors": .integer(3)],
        "decision_tree_classifier": ["max_depth": .integer(4)], "decision_tree_regressor": ["max_depth": .integer(4)],
        "random_forest_classifier": ["n_estimators": .integer(5), "random_state": .integer(1)],
        "random_forest_regressor": ["n_estimators": .integer(5), "random_state": .integer(1)],
        "hist_gradient_boosting_classifier": ["max_iter": .integer(5)], "hist_gradient_boosting_regressor": ["max_iter": .integer(5)],
    ]
    /// Every registered model: a new one is in the suite by its registration alone.
    static let specs: [ModelSpec] = ModelCatalog.names.map { try! ModelSpec(name: $0).setting(quick[$0] ?? [:]) }

    var x: Matrix { LogisticRegressionTests.data.x }

    func targets(_ spec: ModelSpec) -> [Double] {
        spec.task == .classification ? LogisticRegressionTests.data.multi : (0..<x.rows).map { 2 * x[$0, 0] - x[$0, 2] }
    }

    @Test func everyModelNameIsCovered() {
        #expect(Set(Self.specs.map(\.name)) == Set(ModelCatalog.names))
        #expect(Set(Self.quick.keys).isSubset(of: ModelCatalog.names), "quick settings name only registered models")
        #expect(Set(ModelCatalog.names).count == ModelCatalog.kinds.count, "a name is registered once")
    }

    @Test(arguments: specs)
    func hyperparametersAreReadAndSetByName(_ spec: ModelSpec) throws {
        let parameters = spec.parameters
        #expect(Set(parameters.keys).isSubset(of: spec.kind.hyperparameterNames), "\(spec.name): \(parameters.keys.sorted())")
        #expect(try spec.setting(parameters) == spec, "\(spec.name): setting its own values changes nothing")
        for (name, value) in parameters {
            guard case .integer(let whole) = value else { continue }
            let changed = try? spec.setting([name: .integer(whole + 1)])
            if let changed { #expect(changed.parameters[name] == .integer(whole + 1) && changed != spec, "\(spec.name).\(name)") }
        }
        #expect(throws: CairnError.self) { try spec.setting(["no_such_parameter": .integer(1)]) }
    }

    @Test(arguments: specs)
    func deterministicIdempotentAndCodable(_ spec: ModelSpec) throws {
        let y = targets(spec)
        let first = try spec.fit(x, y)
        #expect(try spec.fit(x, y) == first, "\(spec.name): fitting twice gives the same model")
        let data = try JSONEncoder().encode(first)
        let decoded = try JSONDecoder().decode(FittedModel.self, from: data)
        #expect(decoded == first, "\(spec.name): the fitted model round-trips through JSON")
        #expect(try decoded.predict(x) == first.predict(x))
        let specData = try JSONEncoder().encode(spec)
        #expect(try JSONDecoder().decode(ModelSpec.self, from: specData) == spec, "\(spec.name): hyperparameters round-trip")
    }

    @Test(arguments: specs)
    func rejectsNaNWithAClearError(_ spec: ModelSpec) throws {
        var bad = x
        bad[7, 2] = .nan
        do {
            _ = try spec.fit(bad, targets(spec))
            Issue.record("\(spec.name) accepted NaN")
        } catch let error as CairnError {
            #expect(error.row == 7 && "\(error)".contains("row 8: feature 3 is nan"), "\(spec.name): \(error)")
        }
    }

    @Test(arguments: specs)
    func handlesAConstantColumnAndASingleClass(_ spec: ModelSpec) throws {
        let constant = Matrix(columns: (0..<3).map { Array(x.column($0)) } + [[Double](repeating: 4, count: x.rows)])
        let model = try spec.fit(constant, targets(spec))
        #expect(try model.predict(constant).count == x.rows)
        guard spec.task == .classification else { return }
        do {
            _ = try spec.fit(x, [Double](repeating: 1, count: x.rows))
            Issue.record("\(spec.name) fitted a single class")
        } catch let error as CairnError {
            #expect(error.message.contains("at least two"), "\(spec.name): \(error.message)")
        }
    }
}

extension ModelSpec: CustomTestStringConvertible {
    public var testDescription: String { name }
}
