import FoundationEssentials
import Learn
import Tables
import Testing
import TestSupport

/// What every registered feature step must do, checked on each of them: fitting is deterministic,
/// the fitted step and its configuration read back from JSON as they were, and the read-back
/// step transforms unseen rows exactly as the fitted one.
@Suite struct FeatureStepConformanceTests {
    /// One configuration per registered step, on the penguins' columns (after imputing, for the
    /// steps that refuse missing values).
    static let examples: [String: String] = [
        "impute": #"{"columns": "numeric", "strategy": "median"}"#,
        "scale": #"{"columns": "numeric"}"#,
        "one_hot": #"{"columns": ["island"]}"#,
        "ordinal": #"{"columns": ["island"]}"#,
        "bin": #"{"columns": ["year"], "bins": 3}"#,
        "log1p": #"{"columns": ["body_mass_g"]}"#,
        "polynomial": #"{"columns": ["bill_length_mm", "bill_depth_mm"]}"#,
        "date_parts": #"{"columns": ["day"], "parts": ["year", "weekday"]}"#,
    ]

    static let table: Table = {
        let penguins = try! CSVReader().read(TestData.penguins)
        let days = (0..<penguins.rowCount).map { "20\(10 + $0 % 10)-0\(1 + $0 % 9)-1\($0 % 10)" }
        return try! Table(columns: penguins.columns + [Column(name: "day", values: .string(days))])
    }()

    @Test func everyStepNameIsCovered() {
        #expect(Set(Self.examples.keys) == Set(FeatureStepCatalog.names))
        #expect(Set(FeatureStepCatalog.names).count == FeatureStepCatalog.kinds.count, "a name is registered once")
    }

    @Test(arguments: FeatureStepCatalog.names)
    func fitsDeterministicallyAndReadsBack(_ name: String) throws {
        let json = #"[{"impute": {"columns": "numeric", "strategy": "median"}}, {"\#(name)": \#(Self.examples[name] ?? "{}")}]"#
        let specs = try JSONDecoder().decode([FeatureStepSpec].self, from: Data(json.utf8))
        #expect(specs[1].name == name)
        #expect(try JSONDecoder().decode([FeatureStepSpec].self, from: JSONEncoder().encode(specs)) == specs, "\(name): config round-trips")
        let train = Self.table.taking(Array(0..<250)), unseen = Self.table.taking(Array(250..<Self.table.rowCount))
        let (transform, transformed) = try FeatureTransform.fit(specs, on: train, target: "species")
        #expect(try FeatureTransform.fit(specs, on: train, target: "species").0 == transform, "\(name): fitting twice gives the same step")
        #expect(transform.steps[1].name == name)
        let path = TestData.temporaryDirectory() + "/transform.json"
        try transform.write(to: path)
        let read = try FeatureTransform.read(path)
        #expect(read == transform, "\(name): the fitted step round-trips through its file")
        #expect(try read.apply(to: unseen) == transform.apply(to: unseen))
        #expect(try read.apply(to: train) == transformed)
    }
}
