import Foundation
import Testing

/// `ingest` and `cairn show` on Parquet that pyarrow writes from the example's CSV: the same
/// typed table as from the CSV, from one file or a folder of shards.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["CAIRN_TEST_PYTHON"] != nil, "needs CAIRN_TEST_PYTHON with pyarrow (make test sets it)"))
struct ParquetIngestTests {
    static let schema = """
        schema:
                species: { type: category, nullable: false, categories: [Adelie, Chinstrap, Gentoo] }
                island: { type: category }
                bill_length_mm: float
                bill_depth_mm: float
                flipper_length_mm: float
                body_mass_g: float
                sex: { type: category }
                year: int
        """

    @Test func parquetIngestsToTheSameTableAsItsCSV() throws {
        let workspace = try TestWorkspace(files: ["data/penguins.csv": try String(contentsOf: DataPlaneTests.repository.appendingPathComponent("data/penguins.csv"), encoding: .utf8)])
        let python = ProcessInfo.processInfo.environment["CAIRN_TEST_PYTHON"]!
        let script = """
            import pyarrow.csv, pyarrow.parquet, os
            # As Cairn reads the CSV: "NA" is missing in text columns too.
            table = pyarrow.csv.read_csv('data/penguins.csv', convert_options=pyarrow.csv.ConvertOptions(strings_can_be_null=True))
            pyarrow.parquet.write_table(table, 'data/penguins.parquet')
            os.makedirs('data/shards', exist_ok=True)
            pyarrow.parquet.write_table(table.slice(0, 200), 'data/shards/part-0.parquet', compression='zstd')
            pyarrow.parquet.write_table(table.slice(200), 'data/shards/part-1.parquet', compression='gzip')
            """
        _ = try RemoteServer.run(python, ["-c", script], in: workspace.root)
        let sources = [("csv", "data/penguins.csv"), ("parquet", "data/penguins.parquet"), ("shards", "data/shards")]
        try workspace.write("pipelines/pq.yaml", "stages:\n" + sources.map { name, source in """
              \(name):
                uses: ingest
                inputs: { source: \(source) }
                outputs: { table: out/\(name).table }
                with:
                  \(Self.schema)

            """ }.joined())
        let run = try workspace.cairn("run", "pq")
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        let fromCSV = try workspace.cairn("show", "out/csv.table", "--rows", "400", "--json").stdout
        #expect(fromCSV.contains("\"rows\":344"))
        #expect(try workspace.cairn("show", "out/parquet.table", "--rows", "400", "--json").stdout == fromCSV.replacingOccurrences(of: "out/csv.table", with: "out/parquet.table"))
        #expect(try workspace.cairn("show", "out/shards.table", "--rows", "400", "--json").stdout == fromCSV.replacingOccurrences(of: "out/csv.table", with: "out/shards.table"))
        let shown = try workspace.cairn("show", "data/penguins.parquet", "--rows", "0")
        #expect(shown.status == 0 && shown.stdout.hasPrefix("data/penguins.parquet: Parquet, 344 rows × 8 columns"), "\(shown.stdout)")
    }

    /// `cairn predict` scores rows from a Parquet file and writes Parquet, the same as from CSV.
    @Test func predictReadsAndWritesParquet() throws {
        let workspace = try DataPlaneTests().exampleWorkspace()
        #expect(try workspace.cairn("run").status == 0)
        try workspace.write("new.csv", """
            island,bill_length_mm,bill_depth_mm,flipper_length_mm,body_mass_g,sex,year
            Torgersen,39.1,18.7,181,3750,male,2007
            Biscoe,47.5,14.2,209,4600,female,2008
            Dream,49.0,19.5,210,3950,NA,2009
            """)
        let script = """
            import pyarrow.csv, pyarrow.parquet
            options = pyarrow.csv.ConvertOptions(strings_can_be_null=True)
            pyarrow.parquet.write_table(pyarrow.csv.read_csv('new.csv', convert_options=options), 'new.parquet')
            """
        _ = try RemoteServer.run(ProcessInfo.processInfo.environment["CAIRN_TEST_PYTHON"]!, ["-c", script], in: workspace.root)
        let model = "artifacts/penguins/model.json"
        #expect(try workspace.cairn("predict", "--model", model, "--input", "new.csv", "--output", "out/from-csv.csv").status == 0)
        let parquet = try workspace.cairn("predict", "--model", model, "--input", "new.parquet", "--output", "out/from-parquet.parquet")
        #expect(parquet.status == 0, "\(parquet.stderr)")
        #expect(try workspace.bytes("out/from-parquet.parquet").prefix(4) == Data("PAR1".utf8), "the output is Parquet, not CSV")
        let fromCSV = try workspace.cairn("show", "out/from-csv.csv", "--json").events.dropFirst().map { $0["values"] as? [String: Any] ?? [:] }
        let fromParquet = try workspace.cairn("show", "out/from-parquet.parquet", "--json").events.dropFirst().map { $0["values"] as? [String: Any] ?? [:] }
        #expect(fromParquet.count == 3 && fromParquet.map { $0["prediction"] as? String } == ["Adelie", "Gentoo", "Chinstrap"])
        #expect(fromParquet.map { $0.keys.sorted() } == fromCSV.map { $0.keys.sorted() })
        for (a, b) in zip(fromCSV, fromParquet) {
            for key in a.keys where key.hasPrefix("probability") {
                #expect(abs((a[key] as? Double ?? 0) - (b[key] as? Double ?? 1)) < 1e-12, "\(key)")
            }
        }
    }
}

/// The tables a real run writes, opened by pyarrow, polars and DuckDB (the script of the tables'
/// tests), hold what `cairn show --json` prints; and `monitor` reads its batch from Parquet.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["CAIRN_TEST_PYTHON"] != nil, "needs CAIRN_TEST_PYTHON with pyarrow, polars and duckdb (make test sets it)"))
struct PipelineTablesInOtherReadersTests {
    let python = ProcessInfo.processInfo.environment["CAIRN_TEST_PYTHON"] ?? ""

    @Test func everyTableOfARunReadsAsCairnShowsIt() throws {
        let workspace = try DataPlaneTests().exampleWorkspace()
        let pipeline = try workspace.read("pipelines/penguins.yaml")
        try workspace.write("pipelines/penguins.yaml", pipeline.replacingOccurrences(of: "artifacts/penguins/train.csv", with: "artifacts/penguins/train.parquet")
                                                             .replacingOccurrences(of: "artifacts/penguins/test.csv", with: "artifacts/penguins/test.parquet"))
        let run = try workspace.cairn("run")
        #expect(run.status == 0, "\(run.stderr)")
        let tables = [("read", "artifacts/penguins/ingest/table"), ("read", "artifacts/penguins/clean/table"), ("read", "artifacts/penguins/split/train"),
                      ("read", "artifacts/penguins/split/test"), ("parquet", "artifacts/penguins/train.parquet"), ("parquet", "artifacts/penguins/test.parquet")]
        for (action, path) in tables {
            let shown = try workspace.cairn("show", path, "--rows", "1000", "--json").events
            let names = try #require((shown.first?["columns"] as? [[String: Any]])?.compactMap { $0["name"] as? String })
            let rows = shown.dropFirst().map { $0["values"] as? [String: Any] ?? [:] }
            #expect(rows.count == shown.first?["rows"] as? Int && rows.count > 50, "\(path)")
            let output = try RemoteServer.run(python, [DataPlaneTests.repository.path + "/Tests/TablesTests/Fixtures/arrow_readers.py", action, path], in: workspace.root)
            let readers = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
            for reader in ["pyarrow", "polars", "duckdb"] {
                let columns = try #require(readers[reader] as? [String: [Any]], "\(reader)")
                #expect(columns.keys.sorted() == names.sorted(), "\(path): \(reader)")
                for name in names {
                    let theirs = (columns[name] ?? []).map(Self.plain), ours = rows.map { Self.plain($0[name] ?? NSNull()) }
                    #expect(theirs == ours, "\(path): \(reader) reads column \(name) differently")
                }
            }
        }
    }

    @Test func monitorReadsItsBatchFromParquet() throws {
        let workspace = try DataPlaneTests().exampleWorkspace()
        #expect(try workspace.cairn("run").status == 0)
        let fromCSV = try workspace.read("artifacts/penguins/drift.json")
        let script = """
            import pyarrow.csv, pyarrow.parquet
            options = pyarrow.csv.ConvertOptions(strings_can_be_null=True)
            pyarrow.parquet.write_table(pyarrow.csv.read_csv('data/penguins-batch.csv', convert_options=options), 'data/penguins-batch.parquet')
            """
        _ = try RemoteServer.run(python, ["-c", script], in: workspace.root)
        try workspace.write("pipelines/penguins.yaml", try workspace.read("pipelines/penguins.yaml").replacingOccurrences(of: "data/penguins-batch.csv", with: "data/penguins-batch.parquet"))
        let run = try workspace.cairn("run", "--json")
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stages(withStatus: "ran") == ["monitor"])
        #expect(try workspace.read("artifacts/penguins/drift.json") == fromCSV, "the same drift report from the batch as Parquet")
    }

    /// A value as text that compares across JSON writers: numbers by value, missing as null.
    static func plain(_ value: Any) -> String {
        switch value {
        case is NSNull: "null"
        case let text as String: "text:" + text
        case let number as NSNumber: "number:\(number.doubleValue)"
        default: "\(value)"
        }
    }
}
