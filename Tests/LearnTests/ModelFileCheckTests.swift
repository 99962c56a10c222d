import FoundationEssentials
import Learn
import Tables
import Testing
import TestSupport

/// A model file is checked when it is read: every model Cairn trains reads back, and an edited
/// one — a class removed, a coefficient missing, a category twice — is an error that says what.
@Suite struct ModelFileCheckTests {
    static func table(_ spec: ModelSpec) throws -> Table {
        let x = LogisticRegressionTests.data.x
        let y = spec.task == .classification ? LogisticRegressionTests.data.multi.map { "c\(Int($0))" } : (0..<x.rows).map { "\(2 * x[$0, 0] - x[$0, 2])" }
        return try Table(columns: (0..<x.columns).map { column in Column(name: "x\(column)", values: .float64((0..<x.rows).map { x[$0, column] })) }
            + [spec.task == .classification ? Column(name: "y", values: .string(y)) : Column(name: "y", values: .float64(y.map { Double($0)! }))])
    }

    func written(_ spec: ModelSpec) throws -> String {
        let path = TestData.temporaryDirectory() + "/model.json"
        try ModelArtifact.train(spec, on: Self.table(spec), target: "y", transform: nil, dataHash: "").write(to: path)
        return path
    }

    @Test(arguments: EstimatorConformanceTests.specs)
    func everyTrainedModelReadsBack(_ spec: ModelSpec) throws {
        _ = try ModelArtifact.read(try written(spec))
    }

    /// Changes the model in `path` and returns the error reading it back gives.
    func error(editing path: String, _ edit: (inout ModelArtifact) -> Void) throws -> String {
        var model = try ModelArtifact.read(path)
        edit(&model)
        try model.write(to: path)
        do { _ = try ModelArtifact.read(path) } catch { return "\(error)" }
        return "no error"
    }

    @Test func aRemovedClassIsNamed() throws {
        let path = try written(ModelSpec(name: "logistic_regression"))
        let message = try error(editing: path) { $0.classes!.removeFirst() }
        #expect(message.contains("is not a usable model: the model has 3 classes, the file lists 2"), "\(message)")
    }

    @Test func aMissingCoefficientIsNamed() throws {
        let path = try written(ModelSpec(name: "linear_regression"))
        let message = try error(editing: path) { model in
            guard var linear = model.fitted.model as? LinearModel else { return }
            linear.coefficients.removeLast()
            model.fitted = FittedModel(linear)
        }
        #expect(message.contains("2 coefficients for 3 features"), "\(message)")
    }

    @Test func aCategoryTwiceIsNamed() throws {
        let penguins = try CSVReader().read(TestData.penguins).dropping(["sex"])
        let complete = penguins.filtering((0..<penguins.rowCount).map { row in penguins.columns.allSatisfy { $0.isPresent(row) } })
        let steps = try JSONDecoder().decode([FeatureStepSpec].self, from: Data(#"[{"one_hot": {"columns": ["island"]}}]"#.utf8))
        let (transform, encoded) = try FeatureTransform.fit(steps, on: complete, target: "species")
        let path = TestData.temporaryDirectory() + "/model.json"
        try ModelArtifact.train(ModelSpec(name: "gaussian_nb"), on: encoded, target: "species", transform: transform, dataHash: "")
            .write(to: path)
        let message = try error(editing: path) { model in
            guard var encoder = model.transform!.steps[0].step as? OneHotEncoder else { return }
            encoder.encodings["island"]!.categories[1] = encoder.encodings["island"]!.categories[0]
            model.transform!.steps[0].step = encoder
        }
        #expect(message.contains("the one_hot step lists a category of 'island' twice"), "\(message)")
    }
}
