import CairnSupport
import Foundation
import Testing
import TestSupport
@testable import Tables

/// Cairn's table files opened by pyarrow, polars and DuckDB (Fixtures/arrow_readers.py, run by
/// the Python of `CAIRN_TEST_PYTHON`, which `make test` sets up), and Arrow files pyarrow writes
/// read by Cairn.
@Suite(.enabled(if: ArrowReaders.python != nil, "needs CAIRN_TEST_PYTHON with pyarrow, polars and duckdb (make test sets it)"))
struct ArrowReadersTests {
    let directory = TestData.temporaryDirectory()

    static let awkward = try! Table(columns: [
        Column(name: "text, with comma", values: .string(["NA", "", "say \"hi\"", "two\nlines", "é ✓"]), validity: Validity(count: 5, missing: [1])),
        Column(name: "x", values: .float64([0.1, -0.0, .infinity, 1e-300, 123456.789]), validity: Validity(count: 5, missing: [4])),
        Column(name: "n", values: .int64([Int64.min + 1, -1, 0, 1, Int64.max])),
        Column(name: "b", values: .bool([true, false, true, true, false]), validity: Validity(count: 5, missing: [0])),
        Column(name: "c", values: .categorical(codes: [0, 1, -1, 0, 1], categories: ["p", "q", "unused"]), validity: Validity(count: 5, missing: [2])),
        Column(name: "nan", values: .float64([.nan, 1, 2, 3, -.infinity])),
    ])

    @Test func everyColumnTypeReadsTheSameInEachReader() throws {
        try TableFile.write(Self.awkward, to: directory + "/awkward.arrow")
        let read = try ArrowReaders.run("read", directory + "/awkward.arrow")
        let types = try #require(read["types"] as? [String: String])
        #expect(types == ["text, with comma": "string", "x": "double", "n": "int64", "b": "bool",
                          "c": "dictionary<values=string, indices=int32, ordered=0>", "nan": "double"])
        for reader in ["pyarrow", "polars", "duckdb"] {
            let columns = try #require(read[reader] as? [String: [Any]], "\(reader)")
            for column in Self.awkward.columns {
                #expect(ArrowReaders.same(columns[column.name] ?? [], column), "\(reader): \(column.name): \(columns[column.name] ?? [])")
            }
        }
        let back = try TableFile.read(directory + "/awkward.arrow")
        #expect(Array(back.columns.dropLast()) == Array(Self.awkward.columns.dropLast()))
        if case .float64(let read) = back.columns.last!.values, case .float64(let written) = Self.awkward.columns.last!.values {
            #expect(read.map(\.bitPattern) == written.map(\.bitPattern), "NaN is not equal to itself: compared bit for bit")
        }
    }

    /// An output ending in `.parquet` is Parquet that pyarrow, polars and DuckDB read, and Cairn
    /// reads back (categoricals as text: Parquet keeps the values, not the category list).
    @Test func parquetOutputReadsTheSameInEachReader() throws {
        try Self.awkward.save(to: directory + "/awkward.parquet")
        let read = try ArrowReaders.run("parquet", directory + "/awkward.parquet")
        let types = try #require(read["types"] as? [String: String])
        #expect(types == ["text, with comma": "string", "x": "double", "n": "int64", "b": "bool", "c": "string", "nan": "double"])
        for reader in ["pyarrow", "polars", "duckdb"] {
            let columns = try #require(read[reader] as? [String: [Any]], "\(reader)")
            for column in Self.awkward.columns {
                #expect(ArrowReaders.same(columns[column.name] ?? [], column), "\(reader): \(column.name): \(columns[column.name] ?? [])")
            }
        }
        let back = try Table.load(directory + "/awkward.parquet")
        for (column, written) in zip(back.columns, Self.awkward.columns) {
            #expect(ArrowReaders.same(try #require(ArrowReaders.values(of: column)), written), "\(column.name)")
        }
    }

    @Test func anEmptyTableKeepsItsColumns() throws {
        let empty = try Table(columns: Self.awkward.columns.map { column in
            switch column.values {
            case .float64: Column(name: column.name, values: .float64([]))
            case .int64: Column(name: column.name, values: .int64([]))
            case .bool: Column(name: column.name, values: .bool([]))
            case .string: Column(name: column.name, values: .string([]))
            case .categorical(_, let categories): Column(name: column.name, values: .categorical(codes: [], categories: categories))
            }
        })
        try TableFile.write(empty, to: directory + "/empty.arrow")
        let read = try ArrowReaders.run("read", directory + "/empty.arrow")
        for reader in ["pyarrow", "polars", "duckdb"] {
            let columns = try #require(read[reader] as? [String: [Any]], "\(reader)")
            #expect(Set(columns.keys) == Set(empty.columns.map(\.name)) && columns.values.allSatisfy(\.isEmpty), "\(reader)")
        }
        #expect(try TableFile.read(directory + "/empty.arrow") == empty)
        try empty.save(to: directory + "/empty.parquet")
        let parquet = try ArrowReaders.run("parquet", directory + "/empty.parquet")
        for reader in ["pyarrow", "polars", "duckdb"] {
            let columns = try #require(parquet[reader] as? [String: [Any]], "\(reader)")
            #expect(Set(columns.keys) == Set(empty.columns.map(\.name)) && columns.values.allSatisfy(\.isEmpty), "Parquet, \(reader)")
        }
        #expect(try Table.load(directory + "/empty.parquet").rowCount == 0)
    }

    @Test func aMillionRowsAddUpTheSame() throws {
        let rows = 1_000_000
        let table = try Table(columns: [
            Column(name: "i", values: .int64((0..<rows).map { Int64($0) }), validity: Validity(count: rows, missing: stride(from: 0, to: rows, by: 7))),
            Column(name: "f", values: .float64((0..<rows).map { Double($0) * 0.5 })),
            Column(name: "s", values: .string((0..<rows).map { "row \($0)" })),
            Column(name: "c", values: .categorical(codes: (0..<rows).map { Int32($0 % 3) }, categories: ["a", "b", "c"])),
        ])
        try TableFile.write(table, to: directory + "/million.arrow")
        let summary = try ArrowReaders.run("summary", directory + "/million.arrow")
        let missing = (rows + 6) / 7
        let sumOfPresent = Double((0..<rows).filter { $0 % 7 != 0 }.reduce(0, +))
        #expect(summary["batches"] as? Int == (rows + TableFileWriter.batchRows - 1) / TableFileWriter.batchRows)
        for reader in ["pyarrow", "polars"] {
            let result = try #require(summary[reader] as? [String: Any])
            let columns = try #require(result["columns"] as? [String: [String: Any]])
            #expect(result["rows"] as? Int == rows, "\(reader)")
            #expect(columns["i"]?["nulls"] as? Int == missing && columns["i"]?["sum"] as? Double == sumOfPresent, "\(reader): \(columns["i"] ?? [:])")
            #expect(columns["f"]?["sum"] as? Double == Double(rows) * Double(rows - 1) / 4, "\(reader)")
            #expect(columns["s"]?["first"] as? String == "row 0" && columns["s"]?["last"] as? String == "row 999999", "\(reader)")
            #expect(columns["c"]?["first"] as? String == "a" && columns["c"]?["last"] as? String == "a", "\(reader)")
        }
        #expect(try TableFile.read(directory + "/million.arrow") == table)
    }

    /// A batch whose text would pass the 2 GiB that int32 offsets reach is cut in two: a full
    /// batch of 8,200-byte values (2.15 GB) is written as two, still utf8.
    @Test func aBatchWhoseTextPassesTwoGibibytesIsCutShort() throws {
        let rows = TableFileWriter.batchRows
        let filler = String(repeating: "x", count: 8_199)
        let table = try Table(columns: [
            Column(name: "text", values: .string((0..<rows).map { $0 == rows - 1 ? "last row ✓" : filler + String($0 % 10) })),
            Column(name: "n", values: .int64((0..<rows).map { Int64($0) })),
        ])
        try TableFile.write(table, to: directory + "/large.arrow")
        let read = try ArrowReaders.run("large", directory + "/large.arrow")
        #expect(read["types"] as? [String: String] == ["text": "string", "n": "int64"])
        #expect(read["batches"] as? Int == 2)
        for reader in ["pyarrow", "polars"] {
            let result = try #require(read[reader] as? [String: Any])
            #expect(result["rows"] as? Int == rows, "\(reader)")
            let last = try #require(result["last"] as? [String: Any])
            #expect(last["text"] as? String == "last row ✓" && last["n"] as? Int == rows - 1, "\(reader): \(last)")
        }
        let back = try TableFile.read(directory + "/large.arrow")
        guard case .string(let text) = back.columns[0].values else { Issue.record("text is not text"); return }
        #expect(text.count == rows && text[rows - 2] == filler + String((rows - 2) % 10) && text[rows - 1] == "last row ✓")
        try FileManager.default.removeItem(atPath: directory + "/large.arrow")
    }

    /// Categories learned while the file is written (its dictionary comes after the batches
    /// that use it) read the same in each reader.
    @Test func categoriesLearnedWhileWritingReadTheSameInEachReader() throws {
        let table = try Table(columns: [Column(name: "c", values: .categorical(codes: [0, 1, -1, 2, 0, 3], categories: ["p", "q", "r", "s"]),
                                               validity: Validity(count: 6, missing: [2]))])
        let path = directory + "/grown.arrow"
        var writer: TableFileWriter?
        for (rows, known) in [(0..<2, 2), (2..<4, 3), (4..<6, 4)] {
            var piece = table.taking(Array(rows))
            guard case .categorical(let codes, let categories) = piece.columns[0].values else { return }
            try piece.replace(Column(name: "c", values: .categorical(codes: codes, categories: Array(categories.prefix(known))), validity: piece.columns[0].validity))
            if writer == nil { writer = try TableFileWriter(path, columnsOf: piece) }
            try writer!.append(piece)
        }
        try writer!.finish()
        let read = try ArrowReaders.run("read", path)
        for reader in ["pyarrow", "polars", "duckdb"] {
            let columns = try #require(read[reader] as? [String: [Any]], "\(reader)")
            #expect(ArrowReaders.same(columns["c"] ?? [], table.columns[0]), "\(reader): \(columns["c"] ?? [])")
        }
        #expect(try TableFile.read(path) == table)
    }

    @Test func whatPyarrowWritesIsRead() throws {
        _ = try ArrowReaders.run("write", directory, json: false)
        let batches = try TableFile.read(directory + "/batches.arrow")
        #expect(batches.rowCount == 9)
        let expected = try Table(columns: [
            Column(name: "i8", values: .int64(Array([1, 0, -3].repeated(3))), validity: Validity(count: 9, missing: [1, 4, 7])),
            Column(name: "u32", values: .int64(Array([4_000_000_000, 0, 0].repeated(3))), validity: Validity(count: 9, missing: [2, 5, 8])),
            Column(name: "f32", values: .float64(Array([0.5, 0, -2.25].repeated(3))), validity: Validity(count: 9, missing: [1, 4, 7])),
            Column(name: "big_text", values: .string(Array(["a", "", "ü"].repeated(3))), validity: Validity(count: 9, missing: [1, 4, 7])),
            Column(name: "flag", values: .bool(Array([true, false, false].repeated(3))), validity: Validity(count: 9, missing: [1, 4, 7])),
        ])
        #expect(Array(batches.columns.prefix(5)) == expected.columns)
        guard case .categorical(let codes, let categories) = batches.columns[5].values else { Issue.record("level is not categorical"); return }
        #expect(codes.enumerated().allSatisfy { row, code in row % 3 == 2 ? code == -1 : categories[Int(code)] == ["lo", "hi"][row % 3] },
                "each batch's dictionary is the same; \(categories)")
        for codec in ["lz4", "zstd"] {
            #expect(try TableFile.read(directory + "/\(codec).arrow") == batches, "buffers compressed with \(codec)")
        }
        let pandas = try TableFile.read(directory + "/pandas.feather")
        #expect(pandas == (try Table(columns: [
            Column(name: "species", values: .categorical(codes: [1, 0, -1, 1], categories: ["a", "b", "unused"]), validity: Validity(count: 4, missing: [2])),
            Column(name: "mass", values: .float64([1.5, 0, 3, 4]), validity: Validity(count: 4, missing: [1])),
        ])), "pandas's int8 category codes and its unused level; pyarrow writes pandas's NaN as missing")
    }
}

/// The Python with the independent readers, and what its script prints.
enum ArrowReaders {
    static let python: String? = {
        guard let path = ProcessInfo.processInfo.environment["CAIRN_TEST_PYTHON"], FileManager.default.isExecutableFile(atPath: path) else {
            FileHandle.standardError.write(Data("*** SKIPPING the pyarrow/polars/DuckDB table tests: CAIRN_TEST_PYTHON is not set (make test sets it)\n".utf8))
            return nil
        }
        return path
    }()

    static func run(_ action: String, _ path: String, json: Bool = true) throws -> [String: Any] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python!)
        process.arguments = [TestData.repository + "/Tests/TablesTests/Fixtures/arrow_readers.py", action, path]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errors = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw CairnError(.io, "arrow_readers.py \(action) failed", cause: errors) }
        return json ? try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any]) : [:]
    }

    /// A column's values as a reader's JSON would give them.
    static func values(of column: Column) -> [Any]? {
        (0..<column.count).map { row -> Any in
            if column.validity.map({ !$0[row] }) ?? false { return NSNull() }
            switch column.values {
            case .float64(let v): return v[row].isFinite ? NSNumber(value: v[row]) : (v[row].isNaN ? "nan" : v[row] > 0 ? "inf" : "-inf")
            case .int64(let v): return NSNumber(value: v[row])
            case .bool(let v): return v[row]
            case .string(let v): return v[row]
            case .categorical(let codes, let categories): return categories[Int(codes[row])]
            }
        }
    }

    /// Whether a reader's values (JSON: null, numbers, "nan"/"inf"/"-inf", text) are the column's.
    static func same(_ values: [Any], _ column: Column) -> Bool {
        guard values.count == column.count else { return false }
        return values.enumerated().allSatisfy { row, value in
            if column.validity.map({ !$0[row] }) ?? false { return value is NSNull }
            switch column.values {
            case .float64(let v):
                if let text = value as? String { return text == (v[row].isNaN ? "nan" : v[row] > 0 ? "inf" : "-inf") }
                return (value as? NSNumber)?.doubleValue == v[row]
            case .int64(let v): return (value as? NSNumber)?.int64Value == v[row]
            case .bool(let v): return (value as? Bool) == v[row]
            case .string(let v): return value as? String == v[row]
            case .categorical(let codes, let categories): return value as? String == categories[Int(codes[row])]
            }
        }
    }
}

private extension Array {
    func repeated(_ times: Int) -> [Element] { (0..<times).flatMap { _ in self } }
}
