import CairnSupport
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
}
