import CairnSupport
import FoundationEssentials
import Learn
import Tables
import Testing
import TestSupport

/// Reference values: scikit-learn 1.9.1 on data/penguins.csv, printed by Fixtures/feature_reference.py.
@Suite struct FeatureStepTests {
    let penguins = try! CSVReader().read(TestData.penguins)
    static let numeric = ["bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"]

    func steps(_ json: String) throws -> [FeatureStepSpec] {
        try JSONDecoder().decode([FeatureStepSpec].self, from: Data(json.utf8))
    }

    func fit(_ json: String, on table: Table? = nil, target: String? = "species") throws -> (FeatureTransform, Table) {
        try FeatureTransform.fit(steps(json), on: table ?? penguins, target: target)
    }

    func close(_ a: Double, _ b: Double, _ tolerance: Double = 1e-12) -> Bool { abs(a - b) <= tolerance * max(1, abs(b)) }

    /// The start of a float64 column's storage, to tell a column changed in place from a copy.
    static func storage(_ table: Table, _ name: String) throws -> UInt? {
        guard case .float64(let numbers) = try table.column(name).values else { return nil }
        return numbers.withUnsafeBufferPointer { $0.baseAddress.map { UInt(bitPattern: $0) } }
    }

    @Test func imputeAndScaleChangeATableNothingElseHoldsInPlace() throws {
        let table = try Table(columns: [Column(name: "x", values: .float64([1, 0, 3, 4]), validity: Validity(count: 4, missing: [1])),
                                        Column(name: "y", values: .float64([2, 4, 6, 8]))])
        let before = try [Self.storage(table, "x"), Self.storage(table, "y")]
        let (transform, result) = try FeatureTransform.fit(steps(#"[{"impute": {"columns": "numeric", "strategy": "median"}}, {"scale": {"columns": "numeric"}}]"#),
                                                           on: consume table, target: nil)
        #expect(try [Self.storage(result, "x"), Self.storage(result, "y")] == before, "a column was copied")
        // Applying the fitted transform to another table handed over: in place too.
        let other = try Table(columns: [Column(name: "x", values: .float64([2, 5])), Column(name: "y", values: .float64([1, 0]), validity: Validity(count: 2, missing: [1]))])
        let otherBefore = try [Self.storage(other, "x"), Self.storage(other, "y")]
        let applied = try transform.apply(to: consume other)
        #expect(try [Self.storage(applied, "x"), Self.storage(applied, "y")] == otherBefore, "a column was copied")
        // y: median 5 fills the missing row; mean 5, population sd √5.
        #expect(try zip(applied.column("y").doubles()!, [(1 - 5) / 5.0.squareRoot(), 0]).allSatisfy { close($0, $1) })
        // x imputed with its median 3 ([1, 3, 3, 4]: mean 2.75, population sd 1.0897…), then scaled.
        let x = try result.column("x").doubles()!
        #expect(zip(x, [1, 3, 3, 4].map { ($0 - 2.75) / 1.0897247358851685 }).allSatisfy { close($0, $1) })
        #expect(try result.column("x").missingCount == 0)
    }

    @Test func imputeMedianMeanMostFrequent() throws {
        let (median, table) = try fit(#"[{"impute": {"columns": "numeric", "strategy": "median"}}]"#)
        guard let imputer = median.steps[0].step as? Imputer else { Issue.record("not an imputer"); return }
        let expected: [Double] = [44.45, 17.3, 197.0, 4050.0]
        for (name, value) in zip(Self.numeric, expected) { #expect(imputer.values[name] == .number(value)) }
        // Row 4 (index 3) has no measurements; it now holds the medians, as float64.
        #expect(try table.column("flipper_length_mm").number(at: 3) == 197)
        #expect(try table.column("flipper_length_mm").type == .float64)
        #expect(try table.column("bill_length_mm").missingCount == 0)
        // year is numeric too, and never missing: it is fitted but unchanged.
        #expect(imputer.values["year"] != nil)

        let (mean, _) = try fit(#"[{"impute": {"columns": ["bill_length_mm", "body_mass_g"], "strategy": "mean"}}]"#)
        guard let means = mean.steps[0].step as? Imputer, case .number(let bill)? = means.values["bill_length_mm"],
              case .number(let mass)? = means.values["body_mass_g"] else { Issue.record("no means"); return }
        #expect(close(bill, 43.9219298245614) && close(mass, 4201.754385964912))

        let (frequent, filled) = try fit(#"[{"impute": {"columns": ["sex"], "strategy": "most_frequent"}}]"#)
        guard let modes = frequent.steps[0].step as? Imputer else { return }
        #expect(modes.values["sex"] == .text("male"))
        #expect(try filled.column("sex").missingCount == 0 && filled.column("sex").text(at: 3) == "male")
    }

    @Test func scalersMatchScikitLearn() throws {
        let (standard, table) = try fit(#"[{"scale": {"columns": ["bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"]}}]"#)
        guard let scaler = standard.steps[0].step as? Scaler else { return }
        let means = [43.9219298245614, 17.151169590643274, 200.91520467836258, 4201.754385964912]
        let scales = [5.4515960231618195, 1.9719039187562524, 14.041140568589102, 800.781229238452]
        let row0 = [-0.8844987420334891, 0.7854492273303183, -1.418346649339451, -0.5641420770995512]
        for (index, name) in Self.numeric.enumerated() {
            #expect(close(scaler.centers[name]!, means[index]))
            #expect(close(scaler.scales[name]!, scales[index]))
            #expect(close(try table.column(name).number(at: 0)!, row0[index], 1e-12))
            #expect(try table.column(name).missingCount == 2)  // missing stays missing
        }
        let (minmax, _) = try fit(#"[{"scale": {"columns": "numeric", "method": "minmax"}}]"#)
        guard let minmaxScaler = minmax.steps[0].step as? Scaler else { return }
        #expect(minmaxScaler.centers["bill_length_mm"] == 32.1 && close(minmaxScaler.scales["bill_length_mm"]!, 27.5))
        #expect(minmaxScaler.centers["body_mass_g"] == 2700 && minmaxScaler.scales["body_mass_g"] == 3600)
        let (robust, _) = try fit(#"[{"scale": {"columns": "numeric", "method": "robust"}}]"#)
        guard let robustScaler = robust.steps[0].step as? Scaler else { return }
        #expect(robustScaler.centers["bill_length_mm"] == 44.45 && close(robustScaler.scales["bill_length_mm"]!, 9.274999999999999))
        #expect(robustScaler.scales["body_mass_g"] == 1200 && robustScaler.scales["flipper_length_mm"] == 23)
    }

    @Test func oneHotSortsGroupsRareAndIgnoresUnseen() throws {
        let (transform, table) = try fit(#"[{"one_hot": {"columns": ["island"]}}]"#)
        #expect(table.columnNames.prefix(4) == ["species", "island=Biscoe", "island=Dream", "island=Torgersen"])
        let unseen = try Table(columns: [Column(name: "island", values: .categorical(codes: [0, 1, -1], categories: ["Biscoe", "Atlantis"]),
                                                validity: Validity(count: 3, missing: [2]))])
        let encoded = try transform.steps[0].apply(to: unseen)
        // scikit-learn (handle_unknown="ignore"): Biscoe → [1, 0, 0], Atlantis → [0, 0, 0]; a missing value is all zeros too.
        #expect(try encoded.column("island=Biscoe").doubles() == [1, 0, 0])
        #expect(try encoded.column("island=Dream").doubles() == [0, 0, 0])

        let (rare, _) = try fit(#"[{"one_hot": {"columns": ["island"], "min_frequency": 60}}]"#)
        guard let encoder = rare.steps[0].step as? OneHotEncoder else { return }
        // scikit-learn: island_Biscoe, island_Dream, island_infrequent_sklearn.
        #expect(encoder.encodings["island"] == OneHotEncoder.Encoding(categories: ["Biscoe", "Dream"], other: true))
        let strict = try fit(#"[{"one_hot": {"columns": ["island"], "unknown": "error"}}]"#).0
        #expect(throws: CairnError.self) { try strict.apply(to: unseen) }
    }

    @Test func ordinalAndBins() throws {
        let (ordinal, table) = try fit(#"[{"ordinal": {"columns": ["island"]}}]"#)
        guard let encoder = ordinal.steps[0].step as? OrdinalEncoder else { return }
        #expect(encoder.categories["island"] == ["Biscoe", "Dream", "Torgersen"])
        #expect(try table.column("island").number(at: 0) == 2)  // Torgersen

        let (quantile, _) = try fit(#"[{"bin": {"columns": ["bill_length_mm"], "bins": 4}}]"#)
        guard let binner = quantile.steps[0].step as? Binner else { return }
        #expect(binner.edges["bill_length_mm"] == [32.1, 39.225, 44.45, 48.5, 59.6])
        let probe = try Table(columns: [Column(name: "bill_length_mm", values: .float64([35, 44.45, 60]))])
        #expect(try binner.apply(to: probe).column("bill_length_mm").doubles() == [0, 2, 3])
        let (uniform, _) = try fit(#"[{"bin": {"columns": ["bill_length_mm"], "bins": 4, "strategy": "uniform"}}]"#)
        guard let uniformBinner = uniform.steps[0].step as? Binner else { return }
        let edges = uniformBinner.edges["bill_length_mm"]!
        for (edge, expected) in zip(edges, [32.1, 38.975, 45.85, 52.725, 59.6]) { #expect(close(edge, expected)) }
    }

    @Test func log1pPolynomialAndDateParts() throws {
        let numbers = try Table(columns: [Column(name: "a", values: .float64([0, 1, 1e-10, 1000])),
                                          Column(name: "b", values: .float64([1, 2, 3, 4])),
                                          Column(name: "c", values: .float64([2, 2, 2, 2]), validity: Validity(count: 4, missing: [1]))])
        let (_, logged) = try fit(#"[{"log1p": {"columns": ["a"]}}]"#, on: numbers, target: nil)
        #expect(try logged.column("a").doubles() == [0.0, 0.6931471805599453, 9.999999999500001e-11, 6.90875477931522])
        let (_, squared) = try fit(#"[{"polynomial": {"columns": ["a", "b", "c"]}}]"#, on: numbers, target: nil)
        // scikit-learn: a, b, c, a^2, a b, a c, b^2, b c, c^2.
        #expect(squared.columnNames == ["a", "b", "c", "a^2", "a*b", "a*c", "b^2", "b*c", "c^2"])
        #expect(try squared.column("b*c").doubles()!.enumerated().filter { $0.offset != 1 }.map(\.element) == [2, 6, 8])
        #expect(try squared.column("b*c").missingCount == 1)
        let (_, interactions) = try fit(#"[{"polynomial": {"columns": ["a", "b", "c"], "degree": 3, "interaction_only": true}}]"#,
                                        on: numbers, target: nil)
        #expect(interactions.columnNames.suffix(4) == ["a*b", "a*c", "b*c", "a*b*c"])

        let dates = try Table(columns: [Column(name: "when", values: .string(["2024-02-29", "2024-12-31T23:15:00", "1970-01-01"]))])
        let (_, parts) = try fit(#"[{"date_parts": {"columns": ["when"], "parts": ["year", "weekday", "dayofyear", "hour"]}}]"#, on: dates, target: nil)
        // pandas: 2024-02-29 is a Thursday (weekday 3); 2024-12-31 is day 366.
        #expect(parts.columnNames == ["when_year", "when_weekday", "when_dayofyear", "when_hour"])
        #expect(try parts.column("when_weekday").doubles() == [3, 1, 3])
        #expect(try parts.column("when_dayofyear").doubles() == [60, 366, 1])
        #expect(try parts.column("when_hour").doubles() == [0, 23, 0])
        let bad = try Table(columns: [Column(name: "when", values: .string(["2024-02-30"]))])
        #expect(throws: CairnError.self) { try fit(#"[{"date_parts": {"columns": ["when"]}}]"#, on: bad, target: nil) }
    }

    @Test func errorsNameColumnsAndSteps() throws {
        func message(_ json: String) -> String {
            do { _ = try fit(json) } catch { return "\(error)" }
            return "no error"
        }
        #expect(message(#"[{"scale": {"columns": ["bill_lenght_mm"]}}]"#).contains("did you mean 'bill_length_mm'?"))
        #expect(message(#"[{"scale": {"columns": ["island"]}}]"#) == "error: step 1: scale needs numeric columns; 'island' is categorical")
        #expect(message(#"[{"impute": {"columns": ["species"]}}]"#).contains("'species' is the target"))
        do { _ = try fit("[]", target: "specie") } catch let error as CairnError { #expect(error.hint == "did you mean 'species'?") }
    }

    /// The transform read back from its file gives the same numbers as the one just fitted.
    @Test func transformFileRoundTrip() throws {
        let (transform, _) = try fit("""
            [{"impute": {"columns": "numeric", "strategy": "median"}}, {"impute": {"columns": "categorical", "strategy": "most_frequent"}},
             {"scale": {"columns": "numeric"}}, {"one_hot": {"columns": ["island", "sex"]}}, {"bin": {"columns": ["year"], "bins": 3}}]
            """)
        let path = TestData.temporaryDirectory() + "/transform.json"
        try transform.write(to: path)
        let read = try FeatureTransform.read(path)
        #expect(read == transform)
        let scoring = try penguins.dropping(["species"])
        #expect(try read.apply(to: scoring) == transform.apply(to: scoring))
    }
}
