import CairnSupport
import FoundationEssentials
import IngestStage
import Tables
import Testing
import TestSupport

@Suite struct IngestStageTests {
    let harness = StageHarness()
    static let csv = "id,kind,size\n1,a,10\n2,b,20\n3,c,\n3,a,40\n"

    func ingest(_ config: String, source: String = "data/x.csv") throws -> Table {
        let stage = IngestStage(config: try JSONDecoder().decode(IngestStage.Config.self, from: Data(config.utf8)))
        try harness.run(stage, inputs: ["source": source], outputs: ["table": "out/table", "violations": "out/violations.json"])
        return try harness.table("out/table")
    }

    func failure(_ config: String) -> String {
        do { _ = try ingest(config) } catch { return "\(error)" }
        return "no error"
    }

    init() throws { try harness.write(Self.csv, to: "data/x.csv") }

    @Test func passingContractKeepsEveryRow() throws {
        let table = try ingest(#"{"schema": {"id": {"type": "int"}, "kind": {"type": "category", "nullable": false, "categories": ["a", "b", "c"]}, "size": {"type": "float", "min": 0, "max": 100, "unique": true}}}"#)
        #expect(table.rowCount == 4)
        #expect(table.schema.map(\.type) == [.int64, .categorical, .float64])
        let report = try harness.text("out/violations.json")
        #expect(report.contains(#""passed": true"#) && report.contains(#""violations": []"#))
    }

    /// Each rule failing, with `fail`: the stage stops and says which rows.
    @Test(arguments: [
        (#"{"id": {"unique": true}}"#, "column 'id' breaks unique in 1 row (row 4)"),
        (#"{"size": {"nullable": false}}"#, "column 'size' breaks nullable in 1 row (row 3)"),
        (#"{"kind": {"categories": ["a", "b"]}}"#, "column 'kind' breaks categories in 1 row (row 3)"),
        (#"{"size": {"min": 15}}"#, "column 'size' breaks min in 1 row (row 1)"),
        (#"{"size": {"max": 30}}"#, "column 'size' breaks max in 1 row (row 4)"),
    ])
    func eachRuleFails(schema: String, message: String) {
        let text = failure(#"{"schema": \#(schema)}"#)
        #expect(text.contains("the data breaks its contract:\n  \(message)"), "\(text)")
    }

    @Test func typeViolationIsAReadError() {
        #expect(failure(#"{"schema": {"kind": "int"}}"#) == "data/x.csv:2:3: error: row 1, column 'kind': 'a' is not a whole number")
    }

    @Test func dropAndWarnPerColumn() throws {
        let table = try ingest(#"{"on_violation": "drop", "schema": {"id": {"unique": true}, "size": {"max": 30, "on_violation": "warn"}}}"#)
        #expect(try table.column("id").values == .int64([1, 2, 3]))
        let report = try harness.text("out/violations.json")
        #expect(report.contains(#""rows_dropped": 1"#))
        #expect(report.contains(#""action": "warn""#) && report.contains(#""value": "40""#))
    }

    @Test func directoryOfShardsInSortedOrder() throws {
        try harness.write("id,size\n3,1.5\n", to: "shards/b.csv")
        try harness.write("id,size\n1,2\n2,3\n", to: "shards/a.csv")
        try harness.write("not csv", to: "shards/notes.txt")
        let table = try ingest(#"{"schema": {"id": {"unique": true}}}"#, source: "shards")
        #expect(try table.column("id").values == .int64([1, 2, 3]))
        // Whole numbers in one shard and fractions in another make one float column.
        #expect(try table.column("size").values == .float64([2, 3, 1.5]))
        try harness.write("id,size\n1,9\n", to: "shards/c.csv")
        let text: String
        do { _ = try ingest(#"{"schema": {"id": {"unique": true}}}"#, source: "shards"); text = "no error" } catch { text = "\(error)" }
        #expect(text.contains("breaks unique in 1 row (c.csv row 1)"))
    }

    /// A CSV file larger than a piece (32 MiB) is read, checked and written a piece at a time,
    /// into the table file and report a reading of the whole gives (a folder of that one file is
    /// read whole): a duplicate id and new categories in the second piece, a dropped row, a warning.
    @Test func aLargeFileIsIngestedInPiecesAsIfWhole() throws {
        var random = SeededRandom(seed: 4)
        let filler = String(repeating: "x", count: 90)
        var text = "id,kind,size,label\n"
        for row in 0..<340_000 {
            let kind = row > 330_000 && row % 2 == 0 ? "late" : ["a", "b", "c"][random.below(3)]
            let size = random.below(50) == 0 ? "" : String(Double(random.below(100_000)) / 100)
            text += "\(row == 339_000 ? 17 : row),\(kind),\(size),\(filler)\(row % 3)\n"
        }
        #expect(text.utf8.count > 32 << 20)
        try harness.write(text, to: "data/big.csv")
        try harness.write(text, to: "whole/big.csv")
        let config = #"{"on_violation": "drop", "schema": {"id": {"unique": true}, "size": {"max": 990, "on_violation": "warn"}, "kind": "category"}}"#
        let stage = IngestStage(config: try JSONDecoder().decode(IngestStage.Config.self, from: Data(config.utf8)))
        try harness.run(stage, inputs: ["source": "data/big.csv"], outputs: ["table": "pieces/table", "violations": "pieces/violations.json"])
        try harness.run(stage, inputs: ["source": "whole"], outputs: ["table": "whole/table", "violations": "whole/violations.json"])
        var options = CSVOptions()
        options.schema = ["kind": .categorical]
        var count = 0
        #expect(try CSVStream(options: options).forEachPiece(harness.path("data/big.csv")) { _ in count += 1 } && count == 2,
                "the file is read in two pieces, not whole")
        let table = try harness.table("pieces/table")
        #expect(table.rowCount == 339_999)
        guard case .categorical(_, let categories) = try table.column("kind").values else { Issue.record("kind is not categorical"); return }
        #expect(Set(categories) == ["a", "b", "c", "late"] && categories.last == "late", "\(categories)")
        #expect(try FileSystem.readAll(harness.path("pieces/table")) == FileSystem.readAll(harness.path("whole/table")))
        let pieces = try harness.text("pieces/violations.json"), whole = try harness.text("whole/violations.json")
        #expect(pieces.contains(#""rows_dropped": 1"#) && pieces.contains(#""rule": "max""#))
        let wholeWithoutShardNames = whole.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.contains(#""file": "big.csv""#) }
            .joined(separator: "\n").replacing(#""source": "whole""#, with: #""source": "data/big.csv""#)
        #expect(pieces == wholeWithoutShardNames, "the same report, but for the shard's name")
    }

    /// An output named `.csv` is CSV (the stage then reads its source whole).
    @Test func anOutputNamedCSVIsCSV() throws {
        let stage = IngestStage(config: try JSONDecoder().decode(IngestStage.Config.self, from: Data("{}".utf8)))
        try harness.run(stage, inputs: ["source": "data/x.csv"], outputs: ["table": "out/table.csv", "violations": "out/violations.json"])
        #expect(try harness.text("out/table.csv") == "id,kind,size\n1,a,10\n2,b,20\n3,c,\n3,a,40\n")
    }

    @Test func unknownSchemaColumnSuggests() {
        #expect(failure(#"{"schema": {"sise": "float"}}"#).contains("did you mean 'size'?"))
    }
}
