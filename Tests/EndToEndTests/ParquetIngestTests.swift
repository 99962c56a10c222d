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
        try workspace.write("pipelines/pq.yaml", """
            stages:
              csv:
                uses: ingest
                inputs: { source: data/penguins.csv }
                outputs: { table: out/csv.table }
                with:
                  \(Self.schema)
              parquet:
                uses: ingest
                inputs: { source: data/penguins.parquet }
                outputs: { table: out/parquet.table }
                with:
                  \(Self.schema)
              shards:
                uses: ingest
                inputs: { source: data/shards }
                outputs: { table: out/shards.table }
                with:
                  \(Self.schema)
            """)
        let run = try workspace.cairn("run", "pq")
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        let fromCSV = try workspace.cairn("show", "out/csv.table", "--rows", "400", "--json").stdout
        #expect(fromCSV.contains("\"rows\":344"))
        #expect(try workspace.cairn("show", "out/parquet.table", "--rows", "400", "--json").stdout == fromCSV.replacingOccurrences(of: "out/csv.table", with: "out/parquet.table"))
        #expect(try workspace.cairn("show", "out/shards.table", "--rows", "400", "--json").stdout == fromCSV.replacingOccurrences(of: "out/csv.table", with: "out/shards.table"))
        let shown = try workspace.cairn("show", "data/penguins.parquet", "--rows", "0")
        #expect(shown.status == 0 && shown.stdout.hasPrefix("data/penguins.parquet: Parquet, 344 rows × 8 columns"), "\(shown.stdout)")
    }
}
