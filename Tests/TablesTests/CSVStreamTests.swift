import CairnSupport
import Foundation
import Testing
import TestSupport
@testable import Tables

/// A CSV file read in pieces gives the table a whole reading gives, written to the same bytes,
/// or says it must be read whole.
@Suite struct CSVStreamTests {
    let directory = TestData.temporaryDirectory()

    /// 20,000 rows (fixed seed) of every kind the reader infers: floats, whole numbers, bools,
    /// categories, unique strings, missing values, quoted fields holding commas, quotes and line
    /// breaks, CRLF line ends, a byte order mark and blank lines.
    static let mixed: String = {
        var random = SeededRandom(seed: 20)
        var text = "\u{FEFF}x,n,flag,kind,id,note\r\n"
        let kinds = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta"]
        for row in 0..<20_000 {
            let x = random.below(10) == 0 ? "" : String(Double(random.below(2_000_000)) / 1000 - 1000)
            let n = random.below(12) == 0 ? "NA" : String(random.below(1_000_000) - 500_000)
            let flag = ["true", "false", ""][random.below(3)]
            // A category first met late in the file, so that later pieces bring new ones.
            let kind = row > 15_000 && row % 7 == 0 ? "late" : kinds[random.below(kinds.count)]
            let note = ["plain", "\"with, comma\"", "\"say \"\"hi\"\"\"", "\"two\nlines\"", ""][random.below(5)]
            text += "\(x),\(n),\(flag),\(kind),id-\(row),\(note)\r\n"
            if row % 4_999 == 0 { text += "\r\n" }
        }
        return text
    }()

    func pieces(_ text: String, pieceBytes: Int, options: CSVOptions = CSVOptions()) throws -> (complete: Bool, pieces: [Table]) {
        let path = directory + "/stream.csv"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        var pieces: [Table] = []
        let complete = try CSVStream(options: options, pieceBytes: pieceBytes).forEachPiece(path) { pieces.append($0) }
        return (complete, pieces)
    }

    @Test(arguments: [1 << 12, 1 << 16, 1 << 26])
    func piecesMakeTheWholeTable(pieceBytes: Int) throws {
        let whole = try CSVReader().read(text: Self.mixed)
        #expect(whole.schema.map(\.type) == [.float64, .int64, .bool, .categorical, .string, .categorical])
        let (complete, pieces) = try pieces(Self.mixed, pieceBytes: pieceBytes)
        #expect(complete)
        #expect(pieceBytes == 1 << 26 ? pieces.count == 1 : pieces.count >= Self.mixed.utf8.count / pieceBytes)
        #expect(try Table.concatenating(pieces) == whole)
        // The pieces through one writer are the bytes of the whole table written at once.
        let writer = try TableFileWriter(directory + "/pieces.arrow", columnsOf: pieces[0])
        for piece in pieces { try writer.append(piece) }
        try writer.finish()
        try TableFile.write(whole, to: directory + "/whole.arrow")
        #expect(FileManager.default.contents(atPath: directory + "/pieces.arrow") == FileManager.default.contents(atPath: directory + "/whole.arrow"))
    }

    /// A record longer than a piece grows the piece rather than cutting the record.
    @Test func aRecordLongerThanAPieceIsReadWhole() throws {
        let long = String(repeating: "word ", count: 3_000)
        let text = "a,b\n1,\"\(long)\"\n2,short\n3,\"\(long)\nand more\"\n"
        let (complete, pieces) = try pieces(text, pieceBytes: 1_024)
        #expect(complete)
        #expect(try Table.concatenating(pieces) == (try CSVReader().read(text: text)))
    }

    /// Later rows that would make a reading of the whole file decide otherwise: the stream stops
    /// and says the file is to be read whole.
    @Test(arguments: [
        ("numbers, then text", "v\n" + String(repeating: "1\n", count: 3_000) + "word\n"),
        ("whole numbers, then a fraction", "v\n" + String(repeating: "1\n", count: 3_000) + "1.5\n"),
        ("bools, then numbers", "v\n" + String(repeating: "true\n", count: 3_000) + "7\n"),
        ("missing, then numbers", "v\n" + String(repeating: "NA\n", count: 3_000) + "7\n"),
        ("categories, then too many", "v\n" + (0..<3_000).map { "c\($0 % 3)\n" }.joined() + (0..<1_200).map { "new\($0)\n" }.joined()),
        ("distinct text, then repeats", "v\n" + (0..<600).map { "s\($0)\n" }.joined() + String(repeating: "s1\n", count: 3_000)),
        ("a malformed row", "a,b\n" + String(repeating: "1,2\n", count: 3_000) + "1,2,3\n"),
    ])
    func laterRowsThatChangeADecisionStopTheStream(what: String, text: String) throws {
        let (complete, pieces) = try pieces(text, pieceBytes: 1_024)
        #expect(!complete, "\(what)")
        #expect(pieces.count >= 1, "\(what): the first pieces were read before")
    }

    /// Later rows the first piece's decisions hold: whole numbers in a float column, missing
    /// values in any column, categories a declared category column has past `maxCategories`.
    @Test func laterRowsThatKeepTheDecisionsAreRead() throws {
        var options = CSVOptions()
        options.schema = ["c": .categorical]
        options.maxCategories = 10
        let text = "f,i,c\n" + (0..<3_000).map { "\($0).5,\($0),k\($0 % 3)\n" }.joined() + (0..<300).map { "\($0),,k\($0)\n" }.joined()
        let (complete, pieces) = try pieces(text, pieceBytes: 1_024, options: options)
        #expect(complete && pieces.count > 10)
        #expect(try Table.concatenating(pieces) == (try CSVReader(options: options).read(text: text)))
    }

    /// A whole number beyond 64 bits met among whole numbers is noted once, with its row in the
    /// file (not in its piece).
    @Test func aNoteNamesTheRowOfTheFile() throws {
        let notes = NoteBox()
        var options = CSVOptions()
        options.note = { notes.add($0) }
        let text = "v\n" + String(repeating: "1.5\n", count: 3_000) + String(repeating: "1\n", count: 500) + "123456789012345678901234567890\n"
            + String(repeating: "1\n99999999999999999999999\n", count: 800)
        let (complete, _) = try pieces(text, pieceBytes: 1_024, options: options)
        #expect(complete)
        #expect(notes.all.count == 1 && notes.all[0].contains("row 3501 holds 123456789012345678901234567890"), "\(notes.all)")
    }
}

final class NoteBox: @unchecked Sendable {
    private let lock = NSLock()
    private var notes: [String] = []
    func add(_ note: String) { lock.withLock { notes.append(note) } }
    var all: [String] { lock.withLock { notes } }
}
