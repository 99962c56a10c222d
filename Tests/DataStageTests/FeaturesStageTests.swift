import FeaturesStage
import FoundationEssentials
import Learn
import SplitStage
import Tables
import Testing
import TestSupport

@Suite struct FeaturesStageTests {
    let harness = StageHarness()
    static let config = """
        {"target": "species", "steps": [
          {"impute": {"columns": "numeric", "strategy": "median"}},
          {"impute": {"columns": "categorical", "strategy": "most_frequent"}},
          {"scale": {"columns": "numeric"}},
          {"one_hot": {"columns": ["island", "sex"]}}]}
        """

    init() throws {
        try Self.splitAndEncode(in: harness, train: "f/train.csv")
    }

    /// The penguins split by species into `s/train`, `s/test`, `s/validation`, then `config`'s
    /// features fitted on the training rows into `train`, `f/test`, `f/transform.json`: the
    /// set-up the model and monitor tests start from too.
    static func splitAndEncode(in harness: StageHarness, train: String = "f/train") throws {
        let split = SplitStage(config: try JSONDecoder().decode(SplitStage.Config.self, from: Data(#"{"stratify": "species"}"#.utf8)))
        try harness.run(split, inputs: ["table": TestData.penguins], outputs: ["train": "s/train", "test": "s/test", "validation": "s/validation"])
        let features = FeaturesStage(config: try JSONDecoder().decode(FeaturesStage.Config.self, from: Data(config.utf8)))
        try harness.run(features, inputs: ["train": "s/train", "test": "s/test"],
                        outputs: ["train": train, "test": "f/test", "transform": "f/transform.json"])
    }

    @Test func fittedOnTrainOnly() throws {
        let train = try harness.table("f/train.csv")
        // Standard scaling fitted on train: its numeric columns have mean 0 there, not on test.
        let mass = try train.column("body_mass_g").doubles()!
        #expect(abs(mass.reduce(0, +) / Double(mass.count)) < 1e-12)
        let testMass = try harness.table("f/test").column("body_mass_g").doubles()!
        #expect(abs(testMass.reduce(0, +) / Double(testMass.count)) > 1e-6)
        #expect(train.columnNames == ["species", "island=Biscoe", "island=Dream", "island=Torgersen", "bill_length_mm", "bill_depth_mm",
                                      "flipper_length_mm", "body_mass_g", "sex=female", "sex=male", "year"])
    }

    /// Batch scoring reads the transform file and applies it to raw rows: the same numbers as the stage's test output.
    @Test func batchScoringAppliesTheSameTransform() throws {
        let transform = try FeatureTransform.read(harness.path("f/transform.json"))
        let rawTest = try harness.table("s/test").dropping(["species"])
        let scored = try transform.apply(to: rawTest)
        let staged = try harness.table("f/test").dropping(["species"])
        #expect(scored == staged)
    }

    @Test func missingColumnAtScoringIsClear() throws {
        let transform = try FeatureTransform.read(harness.path("f/transform.json"))
        let rawTest = try harness.table("s/test").dropping(["island"])
        do { _ = try transform.apply(to: rawTest) } catch { #expect("\(error)".contains("no column 'island'")) }
    }
}
