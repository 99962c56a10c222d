import CairnSupport
import Foundation
import Glibc
import Testing
import TestSupport
@testable import Tables

@Suite struct TableFileTests {
    let directory = TestData.temporaryDirectory()

    @Test func roundTripCSVBinaryCSV() throws {
        let original = try CSVReader().read(TestData.penguins)
        try TableFile.write(original, to: directory + "/t.ctbl")
        let binary = try TableFile.read(directory + "/t.ctbl")
        #expect(binary == original)
        try CSVWriter().write(binary, to: directory + "/t.csv")
        let again = try CSVReader().read(directory + "/t.csv")
        #expect(again == original)
    }

    @Test func roundTripAwkwardValues() throws {
        let table = try Table(columns: [
            Column(name: "text, with comma", values: .string(["NA", "", "say \"hi\"", "two\nlines", "é ✓"]), validity: Validity(count: 5, missing: [1])),
            Column(name: "x", values: .float64([0.1, -0.0, .infinity, 1e-300, 123456.789]), validity: Validity(count: 5, missing: [4])),
            Column(name: "n", values: .int64([Int64.min + 1, -1, 0, 1, Int64.max])),
            Column(name: "b", values: .bool([true, false, true, true, false]), validity: Validity(count: 5, missing: [0])),
            Column(name: "c", values: .categorical(codes: [0, 1, -1, 0, 1], categories: ["p", "q"]), validity: Validity(count: 5, missing: [2])),
        ])
        try TableFile.write(table, to: directory + "/a.ctbl")
        #expect(try TableFile.read(directory + "/a.ctbl") == table)
        try CSVWriter().write(table, to: directory + "/a.csv")
        var options = CSVOptions()
        options.schema = ["text, with comma": .string, "c": .categorical]
        #expect(try CSVReader(options: options).read(directory + "/a.csv") == table)
    }

    @Test func identicalTablesGiveIdenticalBytes() throws {
        let table = try CSVReader().read(TestData.penguins)
        try TableFile.write(table, to: directory + "/1.ctbl")
        try TableFile.write(table, to: directory + "/2.ctbl")
        #expect(try FileSystem.readAll(directory + "/1.ctbl") == FileSystem.readAll(directory + "/2.ctbl"))
    }

    /// A file cut short or with a broken footer is refused with its name. (Damage to the values
    /// themselves is the store's to find: a table file is covered by its content hash.)
    @Test func damagedStructureIsRefused() throws {
        let table = try CSVReader().read(TestData.penguins)
        try TableFile.write(table, to: directory + "/d.ctbl")
        let bytes = try FileSystem.readAll(directory + "/d.ctbl")
        try FileSystem.writeAtomically(Array(bytes.prefix(bytes.count / 2)), to: directory + "/d.ctbl")
        let cut = try #require(throws: CairnError.self) { try TableFile.read(directory + "/d.ctbl", displayName: "d.ctbl") }
        #expect("\(cut)" == "error: d.ctbl is not a readable table file: it does not start and end with ARROW1")
        var footer = bytes
        footer[footer.count - 10] ^= 0x40  // the footer's length
        try FileSystem.writeAtomically(footer, to: directory + "/d.ctbl")
        let broken = try #require(throws: CairnError.self) { try TableFile.read(directory + "/d.ctbl", displayName: "d.ctbl") }
        #expect(broken.message.hasPrefix("d.ctbl is not a readable table file: "), "\(broken)")
    }

    @Test func aTableFileOfAnEarlierCairnSaysToRerun() throws {
        try FileSystem.writeAtomically(Array("CAIRNTBL\u{1}\0\0\0".utf8) + [UInt8](repeating: 0, count: 64), to: directory + "/old.table")
        #expect(TableFile.isTableFile(directory + "/old.table"))
        let error = try #require(throws: CairnError.self) { try TableFile.read(directory + "/old.table", displayName: "old.table") }
        #expect(error.message == "old.table is a table file of an earlier version of Cairn, which this one no longer reads" && error.hint?.contains("cairn run --force") == true)
    }

    @Test func loadTellsFormatsApart() throws {
        let table = try CSVReader().read(TestData.penguins)
        try TableFile.write(table, to: directory + "/x")
        #expect(TableFile.isTableFile(directory + "/x"))
        #expect(!TableFile.isTableFile(TestData.penguins))
        #expect(try Table.load(directory + "/x") == Table.load(TestData.penguins))
    }

    /// Rows past `batchRows` go into further record batches; read whole or a batch at a time
    /// (some columns, or none for the row counts), they are the table written.
    @Test func largeTablesAreWrittenAndReadInBatches() throws {
        let rows = TableFileWriter.batchRows * 2 + 13
        let table = try Table(columns: [
            Column(name: "f", values: .float64((0..<rows).map { Double($0) / 4 }), validity: Validity(count: rows, missing: stride(from: 5, to: rows, by: 9))),
            Column(name: "s", values: .string((0..<rows).map { "r\($0)" })),
            Column(name: "c", values: .categorical(codes: (0..<rows).map { $0 % 7 == 0 ? -1 : Int32($0 % 2) }, categories: ["a", "b"]),
                   validity: Validity(count: rows, missing: stride(from: 0, to: rows, by: 7))),
            Column(name: "b", values: .bool((0..<rows).map { $0 % 3 == 0 })),
        ])
        let path = directory + "/batches.arrow"
        try TableFile.write(table, to: path)
        #expect(try TableFile.read(path) == table)
        var batches: [Table] = []
        try TableFile.forEachBatch(path, columns: ["c", "f"]) { batches.append($0) }
        #expect(batches.map(\.rowCount) == [TableFileWriter.batchRows, TableFileWriter.batchRows, 13])
        #expect(batches.allSatisfy { $0.columnNames == ["f", "c"] })
        #expect(try Table.concatenating(batches) == (try table.dropping(["s", "b"])))
        var counts: [Int] = []
        try TableFile.forEachBatch(path, columns: []) { counts.append($0.rowCount) }
        #expect(counts == batches.map(\.rowCount))
        #expect(throws: CairnError.self) { try TableFile.forEachBatch(path, columns: ["nope"]) { _ in } }
    }

    /// A writer fed piece by piece — pieces that end inside a batch, categories that grow from
    /// one piece to the next — writes the bytes the whole table makes, and refuses rows of other
    /// columns or categories.
    @Test func aWriterAppendsPiecesAndRefusesOtherColumns() throws {
        let rows = TableFileWriter.batchRows + 70_001
        let categories = ["x", "y", "z", "w"]
        // Row r holds one of the first 1 + r / 100,000 categories: a piece knows only those.
        let codes = (0..<rows).map { Int32($0 % (1 + $0 / 100_000)) }
        let table = try Table(columns: [
            Column(name: "n", values: .int64((0..<rows).map { Int64($0) }), validity: Validity(count: rows, missing: stride(from: 3, to: rows, by: 11))),
            Column(name: "c", values: .categorical(codes: codes, categories: categories)),
        ])
        let whole = directory + "/whole.arrow", pieces = directory + "/pieces.arrow"
        try TableFile.write(table, to: whole)
        let writer = try TableFileWriter(pieces, columnsOf: try Table(columns: [
            Column(name: "n", values: .int64([])), Column(name: "c", values: .categorical(codes: [], categories: ["x"]))]))
        for start in stride(from: 0, to: rows, by: 100_000) {
            let end = min(rows, start + 100_000)
            var piece = table.taking(Array(start..<end))
            try piece.replace(Column(name: "c", values: .categorical(codes: Array(codes[start..<end]), categories: Array(categories.prefix(1 + start / 100_000)))))
            try writer.append(piece)
        }
        #expect(throws: CairnError.self) { try writer.append(try table.dropping(["c"])) }
        #expect(throws: CairnError.self) {
            try writer.append(try Table(columns: [table.columns[0], Column(name: "c", values: .categorical(codes: Array(repeating: 0, count: rows), categories: ["z"]))]))
        }
        try writer.finish()
        #expect(try TableFile.read(pieces) == table)
        #expect(FileManager.default.contents(atPath: pieces) == FileManager.default.contents(atPath: whole), "the same bytes as the table written whole")
        var batches: [Int] = []
        try TableFile.forEachBatch(pieces, columns: []) { batches.append($0.rowCount) }
        #expect(batches == [TableFileWriter.batchRows, 70_001])
    }

    @Test func missingCountsOfRowRanges() {
        let validity = Validity(count: 200, missing: [0, 63, 64, 65, 127, 128, 199])
        for range in [0..<200, 0..<1, 1..<63, 63..<65, 60..<130, 64..<128, 128..<200, 199..<200, 100..<100] {
            #expect(validity.missingCount(in: range) == range.filter { !validity[$0] }.count, "\(range)")
        }
    }
}
