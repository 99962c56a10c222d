import CairnSupport
import Foundation
import Testing
import TestSupport
@testable import Tables

/// Parquet files that pyarrow, polars and DuckDB write (Fixtures/parquet_files.py), read by
/// Cairn and compared with what pyarrow reads from them.
@Suite(.enabled(if: ArrowReaders.python != nil, "needs CAIRN_TEST_PYTHON with pyarrow, polars and duckdb (make test sets it)"))
struct ParquetReadingTests {
    static let folder: String = TestData.temporaryDirectory()
    /// What the fixture printed: file → column → values, as pyarrow reads them (dates and times as ISO text).
    static let written: Data = {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ArrowReaders.python!)
        process.arguments = [TestData.repository + "/Tests/TablesTests/Fixtures/parquet_files.py", folder]
        let out = Pipe()
        process.standardOutput = out
        try? process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return data
    }()

    static var expected: [String: [String: [Any]]] {
        (try? JSONSerialization.jsonObject(with: written) as? [String: [String: [Any]]]) ?? [:]
    }

    @Test(arguments: ["pyarrow.parquet", "pyarrow-v2-zstd.parquet", "pyarrow-gzip-plain.parquet", "pyarrow-uncompressed.parquet",
                      "polars.parquet", "duckdb.parquet"])
    func whatOthersWriteIsReadAsTheyReadIt(_ file: String) throws {
        let expected = try #require(Self.expected[file], "the fixture wrote \(file)")
        let table = try Table.load(Self.folder + "/" + file)
        #expect(table.rowCount == 5000)
        #expect(Set(table.columnNames) == Set(expected.keys))
        for column in table.columns {
            #expect(ArrowReaders.same(expected[column.name] ?? [], column), "\(file): \(column.name): \(column.type)")
        }
        #expect(try table.column("day").type == .string && table.column("at").type == .string, "dates and times are read as ISO text")
    }

    @Test func aNestedColumnIsNamed() throws {
        _ = Self.written
        let error = try #require(throws: CairnError.self) { try Table.load(Self.folder + "/nested.parquet", displayName: "nested.parquet") }
        #expect(error.message == "nested.parquet: column 'tags' is nested (a list, map or struct), which Cairn's tables cannot hold")
    }

    @Test func damagedFilesAreErrorsNotCrashes() throws {
        _ = Self.written
        let bytes = try FileSystem.readAll(Self.folder + "/pyarrow.parquet")
        var generator = SystemRandomNumberGenerator()
        for trial in 0..<200 {
            var mutant = bytes
            if trial % 2 == 0 {
                for _ in 0..<4 { mutant[Int.random(in: 0..<mutant.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator) }
            } else {
                // Damage the footer, where the offsets are.
                let footer = mutant.count - 8 - Int.random(in: 1..<600, using: &generator)
                mutant[footer] = UInt8.random(in: 0...255, using: &generator)
            }
            try FileSystem.writeAtomically(mutant, to: Self.folder + "/mutant.parquet")
            do { _ = try Table.load(Self.folder + "/mutant.parquet") } catch is CairnError {}
        }
    }

    @Test func isoDatesAndInstants() {
        #expect(ISODate.day(0) == "1970-01-01" && ISODate.day(-1) == "1969-12-31" && ISODate.day(19_782) == "2024-02-29")
        #expect(ISODate.instant(1_709_251_199_500_000, perSecond: 1_000_000) == "2024-02-29T23:59:59.5Z")
        #expect(ISODate.instant(-1, perSecond: 1000) == "1969-12-31T23:59:59.999Z")
        #expect(ISODate.instant(0, perSecond: 1_000_000_000) == "1970-01-01T00:00:00Z")
    }
}
