import Foundation
import Testing

/// The data stages through the built binary: the example pipeline, `cairn show`, and bad data
/// failing a stage with a message naming file, line and column while earlier outputs stay.
@Suite struct DataPlaneTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// A workspace holding a copy of the repository's example.
    func exampleWorkspace() throws -> TestWorkspace {
        let workspace = try TestWorkspace()
        for name in ["data", "pipelines/penguins.yaml", "params.yaml"] {
            try FileManager.default.copyItem(at: Self.repository.appendingPathComponent(name), to: workspace.root.appendingPathComponent(name))
        }
        return workspace
    }

    @Test func examplePipelineRunsThenIsANullRun() throws {
        let workspace = try exampleWorkspace()
        let first = try workspace.cairn("run", "--json")
        #expect(first.status == 0, "\(first.stderr)")
        #expect(Set(first.stages(withStatus: "ran")) == ["ingest", "clean", "split", "features", "train", "evaluate", "monitor"])
        let metrics = try JSONSerialization.jsonObject(with: Data(workspace.read("artifacts/penguins/metrics.json").utf8)) as! [String: Any]
        #expect((metrics["accuracy"] as! Double) > 0.95)
        #expect((metrics["roc_auc_ovr"] as! Double) > 0.98)
        let transform = try workspace.read("artifacts/penguins/features/transform")
        #expect(transform.contains("\"one_hot\"") && transform.contains("\"island=Biscoe\""))
        // The shipped batch (mostly Gentoo, bills 3 mm longer) has drifted; the model still scores it.
        let drift = try JSONSerialization.jsonObject(with: Data(workspace.read("artifacts/penguins/drift.json").utf8)) as! [String: Any]
        #expect((drift["verdict"] as! [String: Any])["drift"] as? Bool == true)
        #expect(((drift["columns"] as! [String: Any])["bill_length_mm"] as! [String: Any])["drifted"] as? Bool == true)
        #expect((((drift["performance"] as! [String: Any])["accuracy"] as! [String: Any])["batch"] as! Double) > 0.9)
        let again = try workspace.cairn("run", "--json")
        #expect(again.stages(withStatus: "skipped").count == 7)
    }

    /// `cairn predict` scores raw rows through the saved transform and model.
    @Test func predictScoresRawRows() throws {
        let workspace = try exampleWorkspace()
        _ = try workspace.cairn("run")
        try workspace.write("new.csv", """
            island,bill_length_mm,bill_depth_mm,flipper_length_mm,body_mass_g,sex,year
            Torgersen,39.1,18.7,181,3750,male,2007
            Biscoe,47.5,14.2,209,4600,female,2008
            Dream,49.0,19.5,210,3950,,2009
            Atlantis,NA,17.0,200,NA,male,2009
            """)
        let result = try workspace.cairn("predict", "--model", "artifacts/penguins/model.json", "--input", "new.csv", "--output", "out/predictions.csv")
        #expect(result.status == 0, "\(result.stderr)")
        let lines = try workspace.read("out/predictions.csv").split(separator: "\n")
        #expect(lines.first == "prediction,probability=Adelie,probability=Chinstrap,probability=Gentoo")
        #expect(lines.count == 5)
        #expect(lines[1].hasPrefix("Adelie,") && lines[2].hasPrefix("Gentoo,") && lines[3].hasPrefix("Chinstrap,"))
        let missing = try workspace.cairn("predict", "--model", "artifacts/penguins/model.json", "--input", "data/none.csv", "--output", "x.csv")
        #expect(missing.status == 2)
        try workspace.write("bad.csv", "island,bill_length_mm\nBiscoe,40\n")
        let short = try workspace.cairn("predict", "--model", "artifacts/penguins/model.json", "--input", "bad.csv", "--output", "x.csv")
        #expect(short.status == 1)
        #expect(short.stderr.contains("no column 'bill_depth_mm'"))
    }

    @Test func showPrintsSchemaHeadAndSummary() throws {
        let workspace = try exampleWorkspace()
        _ = try workspace.cairn("run")
        let table = try workspace.cairn("show", "artifacts/penguins/split/train", "--rows", "2", "--describe")
        #expect(table.status == 0)
        #expect(table.stdout.hasPrefix("artifacts/penguins/split/train: table file, 256 rows × 7 columns\n  species            categorical  3 categories\n"))
        #expect(table.stdout.contains("… 254 more rows"))
        #expect(table.stdout.contains("column             count  missing  mean"))
        let csv = try workspace.cairn("show", "data/penguins.csv", "--rows", "0", "--json")
        let schema = try #require(csv.events.first)
        #expect(schema["rows"] as? Int == 344)
        #expect((schema["columns"] as? [[String: Any]])?.count == 8)
        let missing = try workspace.cairn("show", "nothing.csv")
        #expect(missing.status == 2)
        // A file that cannot be read is a failure of the data (1), not of the command line (2).
        try workspace.write("bad.table", "ARROW1\0\0xxxxxxxxxxARROW1")
        let damaged = try workspace.cairn("show", "bad.table")
        #expect(damaged.status == 1 && damaged.stderr.contains("bad.table is not a readable table file"))
        try workspace.write("ragged.csv", "a,b\n1\n")
        #expect(try workspace.cairn("show", "ragged.csv").status == 1)
    }

    /// `--json` keeps every digit and every type: numbers as numbers, booleans as booleans.
    @Test func showJSONKeepsTypesAndDigits() throws {
        let workspace = try TestWorkspace(files: ["t.csv": "x,n,flag,name\n0.123456789012,7,true,a\n0.1,,false,b\n"])
        let shown = try workspace.cairn("show", "t.csv", "--json", "--describe")
        #expect(shown.stdout.contains(#""values":{"x":0.123456789012,"n":7,"flag":true,"name":"a"}"#), "\(shown.stdout)")
        #expect(shown.stdout.contains(#""values":{"x":0.1,"n":null,"flag":false,"name":"b"}"#))
        let described = try #require(shown.events.first { $0["event"] as? String == "describe" && $0["column"] as? String == "x" })
        #expect(described["mean"] as? Double == (0.123456789012 + 0.1) / 2)
    }

    /// A rule the contract lets pass with a warning is said on the run's output, once per rule.
    @Test func contractWarningsReachTheTerminal() throws {
        let workspace = try TestWorkspace(files: [
            "data/in.csv": "x,y\n1,a\n20,b\n30,\n",
            "pipelines/p.yaml": """
                stages:
                  ingest:
                    uses: ingest
                    inputs: { source: data/in.csv }
                    with:
                      on_violation: warn
                      schema: { x: { type: int, max: 10 }, y: { type: category, nullable: false } }
                """,
        ])
        let result = try workspace.cairn("run")
        #expect(result.status == 0)
        let warnings = result.stdout.split(separator: "\n").filter { $0.hasPrefix("warning: p.ingest: ") }
        #expect(warnings.count == 2, "\(result.stdout)")
        let json = try workspace.cairn("run", "--force", "--json")
        #expect(json.events.filter { $0["event"] as? String == "warning" }.count == 2)
    }

    @Test func badDataFailsTheStageAndKeepsEarlierOutputs() throws {
        let workspace = try TestWorkspace(files: [
            "data/in.csv": "x,y\n1,a\n2,b\n3,a\n4,b\n",
            "pipelines/p.yaml": """
                stages:
                  ingest:
                    uses: ingest
                    inputs: { source: data/in.csv }
                    with: { schema: { x: int } }
                  features:
                    uses: features
                    inputs: { train: ingest.table, test: ingest.table }
                    with: { steps: [ { scale: { columns: [x] } } ] }
                """,
        ])
        #expect(try workspace.cairn("run").status == 0)
        let built = try workspace.bytes("artifacts/p/ingest/table")
        let transform = try workspace.read("artifacts/p/features/transform")

        try workspace.write("data/in.csv", "x,y\n1,a\n2\n3,a\n")
        let ragged = try workspace.cairn("run")
        #expect(ragged.status == 1)
        #expect(ragged.stderr.contains("data/in.csv:3:1: error: row 2: the row has 1 field, the header has 2"), "\(ragged.stderr)")
        #expect(try workspace.bytes("artifacts/p/ingest/table") == built)
        // The log the failure points to holds the diagnostic; --json keeps its place in the data.
        #expect(try workspace.read(".cairn/logs/p/ingest.log").contains("data/in.csv:3:1: error: row 2: the row has 1 field"))
        let json = try workspace.cairn("run", "--json")
        let error = try #require(json.events.first { $0["event"] as? String == "error" })
        #expect(error["stage"] as? String == "ingest" && error["location"] as? String == "data/in.csv:3:1")

        try workspace.write("data/in.csv", "x,y\n1,a\n2.5,b\n")
        let notInt = try workspace.cairn("run")
        #expect(notInt.status == 1)
        #expect(notInt.stderr.contains("data/in.csv:3:1: error: row 2, column 'x': '2.5' is not a whole number"))

        try workspace.write("data/in.csv", "x,y\n1,a\n2,b\n")
        try workspace.write("pipelines/p.yaml", try workspace.read("pipelines/p.yaml").replacingOccurrences(of: "columns: [x]", with: "columns: [z]"))
        let unknown = try workspace.cairn("run")
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("no column 'z'"))
        #expect(try workspace.read("artifacts/p/features/transform") == transform)
    }
}
