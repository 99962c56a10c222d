import CairnSupport
import CleanStage
import FoundationEssentials
import Tables
import Testing
import TestSupport

@Suite struct CleanStageTests {
    let table = try! CSVReader().read(text: """
        name,score,group,note
        b,2.5,x,  Hello
        a,,y,World
        c,1.0,x,hello
        d,9.0,z,
        b,2.5,x,  Hello
        """, source: "t.csv")

    func clean(_ json: String) throws -> Table {
        try CleanStage(config: JSONDecoder().decode(CleanStage.Config.self, from: Data(json.utf8))).clean(table)
    }

    func names(_ json: String) throws -> [String?] { try clean(json).column("name").strings() }

    @Test func dropsDuplicatesAndMissingTargets() throws {
        #expect(try names(#"{"drop_duplicates": true}"#) == ["b", "a", "c", "d"])
        #expect(try names(#"{"drop_missing": ["score"]}"#) == ["b", "c", "d", "b"])
    }

    @Test(arguments: [
        ("score > 2", ["b", "d", "b"]),
        ("score <= 2.5", ["b", "c", "b"]),
        ("score != 9", ["b", "c", "b"]),
        ("group in [x, z]", ["b", "c", "d", "b"]),
        ("group not in ['x']", ["a", "d"]),
        ("score is null", ["a"]),
        ("score is not null", ["b", "c", "d", "b"]),
        ("name == c", ["c"]),
    ])
    func filters(condition: String, expected: [String]) throws {
        #expect(try names(#"{"filter": ["\#(condition)"]}"#) == expected.map(Optional.some))
    }

    @Test func castTrimLowercaseClipDropRename() throws {
        let cleaned = try clean(#"{"cast": {"score": "string"}, "trim": ["note"], "lowercase": ["note"], "drop": ["group"], "rename": {"name": "who"}}"#)
        #expect(cleaned.columnNames == ["who", "score", "note"])
        #expect(try cleaned.column("score").type == .string)
        #expect(try cleaned.column("note").strings() == ["hello", "world", "hello", nil, "hello"])
        let clipped = try clean(#"{"clip": {"score": [2, 5]}}"#)
        #expect(try clipped.column("score").doubles()!.map { $0.isNaN ? -1 : $0 } == [2.5, -1, 2, 5, 2.5])
    }

    @Test func errors() throws {
        #expect(throws: CairnError.self) { try clean(#"{"filter": ["score >"]}"#) }
        do { _ = try clean(#"{"drop": ["scor"]}"#) } catch let error as CairnError { #expect(error.hint == "did you mean 'score'?") }
        do { _ = try clean(#"{"clip": {"group": [0, 1]}}"#) } catch { #expect("\(error)" == "error: clip needs a numeric column; 'group' is string") }
        do { _ = try clean(#"{"filter": ["score > high"]}"#) } catch {
            #expect("\(error)" == "error: condition 'score > high': column 'score' is float64 and 'high' is not a number")
        }
    }

    /// A table file is cleaned a record batch at a time into what cleaning the whole table gives;
    /// an error in a later batch names the row of the table, not of the batch.
    @Test func aTableFileIsCleanedBatchByBatch() throws {
        let harness = StageHarness()
        let rows = TableFileWriter.batchRows * 2 + 77
        let big = try Table(columns: [
            Column(name: "score", values: .float64((0..<rows).map { Double($0 % 100) }), validity: Validity(count: rows, missing: stride(from: 2, to: rows, by: 13))),
            Column(name: "group", values: .categorical(codes: (0..<rows).map { Int32($0 % 3) }, categories: [" X", "y ", "Z"])),
            Column(name: "text", values: .string((0..<rows).map { $0 == rows - 5 ? "oops" : String($0 % 7) })),
            Column(name: "spare", values: .bool((0..<rows).map { $0 % 2 == 0 })),
        ])
        try FileSystem.makeDirectories(harness.path("in"))
        try TableFile.write(big, to: harness.path("in/table.arrow"))
        let json = #"{"trim": ["group"], "lowercase": ["group"], "drop_missing": ["score"], "filter": ["score < 90"], "clip": {"score": [5, 50]}, "drop": ["spare"], "rename": {"score": "s"}}"#
        let stage = try CleanStage(config: JSONDecoder().decode(CleanStage.Config.self, from: Data(json.utf8)))
        #expect(stage.isRowWise)
        try harness.run(stage, inputs: ["table": "in/table.arrow"], outputs: ["table": "out/clean"])
        let cleaned = try harness.table("out/clean")
        #expect(cleaned == (try stage.clean(big)))
        #expect(cleaned.rowCount < rows && cleaned.rowCount > TableFileWriter.batchRows)

        let cast = try CleanStage(config: JSONDecoder().decode(CleanStage.Config.self, from: Data(#"{"cast": {"text": "int"}}"#.utf8)))
        #expect {
            try harness.run(cast, inputs: ["table": "in/table.arrow"], outputs: ["table": "out/cast"])
        } throws: { ($0 as? CairnError)?.message == "column 'text', row \(rows - 4): 'oops' cannot be converted to int64" }
        let category = try CleanStage(config: JSONDecoder().decode(CleanStage.Config.self, from: Data(#"{"cast": {"text": "category"}}"#.utf8)))
        #expect(!category.isRowWise)
    }
}
