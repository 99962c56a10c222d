import CairnSupport
import FoundationEssentials
import SplitStage
import Tables
import Testing
import TestSupport

@Suite struct SplitStageTests {
    let harness = StageHarness()

    func split(_ json: String, input: String = TestData.penguins) throws -> (train: Table, test: Table, validation: Table) {
        let stage = SplitStage(config: try JSONDecoder().decode(SplitStage.Config.self, from: Data(json.utf8)))
        try harness.run(stage, inputs: ["table": input], outputs: ["train": "s/train", "test": "s/test", "validation": "s/validation"])
        return (try harness.table("s/train"), try harness.table("s/test"), try harness.table("s/validation"))
    }

    func counts(_ table: Table, _ column: String) throws -> [String: Int] {
        try table.column(column).strings().reduce(into: [:]) { $0[$1 ?? "", default: 0] += 1 }
    }

    @Test func stratifiedKeepsEveryClassShare() throws {
        let (train, test, validation) = try split(#"{"test": 0.2, "validation": 0.1, "stratify": "species", "seed": 7}"#)
        // 152 Adelie, 68 Chinstrap, 124 Gentoo: 20% and 10% of each, rounded.
        #expect(try counts(test, "species") == ["Adelie": 30, "Chinstrap": 14, "Gentoo": 25])
        #expect(try counts(validation, "species") == ["Adelie": 15, "Chinstrap": 7, "Gentoo": 12])
        #expect(train.rowCount + test.rowCount + validation.rowCount == 344)
    }

    @Test func sameSeedSameBytesOtherSeedOtherRows() throws {
        _ = try split(#"{"seed": 3}"#)
        let first = try FileSystem.readAll(harness.path("s/test"))
        _ = try split(#"{"seed": 3}"#)
        #expect(try FileSystem.readAll(harness.path("s/test")) == first)
        _ = try split(#"{"seed": 4}"#)
        #expect(try FileSystem.readAll(harness.path("s/test")) != first)
        #expect(try harness.table("s/validation").rowCount == 0)
    }

    @Test func plainSplitSizes() throws {
        let (train, test, _) = try split(#"{"test": 0.25}"#)
        #expect(test.rowCount == 86 && train.rowCount == 258)
        // Rows keep their input order: train is a subsequence of the input.
        let input = try CSVReader().read(TestData.penguins)
        func row(_ table: Table, _ index: Int) -> [String?] { table.columns.map { $0.text(at: index) } }
        var next = 0
        for index in 0..<input.rowCount where next < train.rowCount && row(input, index) == row(train, next) { next += 1 }
        #expect(next == train.rowCount)
    }

    @Test func timeCutOff() throws {
        let (train, test, validation) = try split(#"{"time": {"column": "year", "test_from": "2009", "validation_from": "2008"}}"#)
        #expect(Set(try train.column("year").doubles()!) == [2007])
        #expect(Set(try validation.column("year").doubles()!) == [2008])
        #expect(Set(try test.column("year").doubles()!) == [2009])
        #expect(throws: CairnError.self) { try split(#"{"stratify": "sex"}"#) }  // sex has missing values
    }

    /// A table file is split a record batch at a time: the same rows in each part as splitting
    /// the whole table, across batch boundaries, plain, stratified and by time.
    @Test func aTableFileIsSplitBatchByBatchIntoTheSameParts() throws {
        let rows = TableFileWriter.batchRows * 2 + 1_001
        let table = try Table(columns: [
            Column(name: "x", values: .float64((0..<rows).map { Double($0) }), validity: Validity(count: rows, missing: stride(from: 3, to: rows, by: 11))),
            Column(name: "day", values: .int64((0..<rows).map { Int64($0 % 30) })),
            Column(name: "kind", values: .categorical(codes: (0..<rows).map { Int32($0 % 3 == 0 ? 0 : 1) }, categories: ["rare", "common", "unused"])),
            Column(name: "flag", values: .bool((0..<rows).map { $0 % 5 == 0 })),
        ])
        try FileSystem.makeDirectories(harness.path("in"))
        try TableFile.write(table, to: harness.path("in/table.arrow"))
        for json in [#"{"test": 0.2, "validation": 0.1}"#, #"{"test": 0.3, "stratify": "kind", "seed": 5}"#,
                     #"{"time": {"column": "day", "test_from": "20", "validation_from": "10"}}"#] {
            let config = try JSONDecoder().decode(SplitStage.Config.self, from: Data(json.utf8))
            let parts = try SplitStage(config: config).assign(table)
            let (train, test, validation) = try split(json, input: harness.path("in/table.arrow"))
            #expect(train == table.filtering(parts.map { $0 == .train }), "\(json)")
            #expect(test == table.filtering(parts.map { $0 == .test }), "\(json)")
            #expect(validation == table.filtering(parts.map { $0 == .validation }), "\(json)")
            #expect(train.rowCount + test.rowCount + validation.rowCount == rows && test.rowCount > 0)
        }
    }
}
