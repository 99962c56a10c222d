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

    @Test func unknownSchemaColumnSuggests() {
        #expect(failure(#"{"schema": {"sise": "float"}}"#).contains("did you mean 'size'?"))
    }
}
