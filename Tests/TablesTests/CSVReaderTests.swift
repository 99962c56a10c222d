import CairnSupport
import Testing
@testable import Tables

@Suite struct CSVReaderTests {
    func read(_ text: String, _ configure: (inout CSVOptions) -> Void = { _ in }) throws -> Table {
        var options = CSVOptions()
        configure(&options)
        return try CSVReader(options: options).read(text: text, source: "t.csv")
    }

    func failure(_ text: String, _ configure: (inout CSVOptions) -> Void = { _ in }) -> String {
        do {
            _ = try read(text, configure)
            return "no error"
        } catch {
            return "\(error)"
        }
    }

    @Test func infersEveryType() throws {
        let table = try read("f,i,b,c,s\n1.5,1,true,x,alpha\n2,2,False,y,beta\n-3e2,3,TRUE,x,gamma\n,4,false,x,delta\n")
        #expect(table.schema.map(\.type) == [.float64, .int64, .bool, .categorical, .string])
        #expect(try table.column("f").values == .float64([1.5, 2, -300, 0]))
        #expect(try table.column("f").missingCount == 1)
        #expect(try table.column("b").values == .bool([true, false, true, false]))
        #expect(try table.column("c").values == .categorical(codes: [0, 1, 0, 0], categories: ["x", "y"]))
        #expect(try table.column("s").values == .string(["alpha", "beta", "gamma", "delta"]))
    }

    @Test func quotingRules() throws {
        let text = "a,b\n\"x,y\",\"say \"\"hi\"\"\"\n\"two\nlines\",\"\"\n"
        let table = try read(text) { $0.maxCategories = 0 }
        #expect(try table.column("a").values == .string(["x,y", "two\nlines"]))
        // A quoted empty field is an empty string, not a missing value.
        #expect(try table.column("b").values == .string(["say \"hi\"", ""]))
        #expect(try table.column("b").missingCount == 0)
    }

    @Test func crlfAndByteOrderMark() throws {
        let table = try read("\u{FEFF}x,y\r\n1,a\r\n2,b\r\n")
        #expect(table.columnNames == ["x", "y"])
        #expect(try table.column("x").values == .int64([1, 2]))
        #expect(try table.column("y").text(at: 1) == "b")
    }

    @Test func missingTokensAndOverride() throws {
        let table = try read("x,y\nNA,1\nN/A,2\nNaN,3\nnull,4\n?,5\n,6\n7.5,7\n")
        #expect(try table.column("x").missingCount == 6)
        #expect(try table.column("x").type == .float64)
        let custom = try read("x\n-\n1\n") { $0.missingTokens = ["-"] }
        #expect(try custom.column("x").values == .int64([0, 1]))
        #expect(try custom.column("x").missingCount == 1)
    }

    @Test func columnEntirelyMissingIsFloat() throws {
        let table = try read("x,y\n,1\nNA,2\n")
        #expect(try table.column("x").type == .float64)
        #expect(try table.column("x").missingCount == 2)
    }

    @Test func headerOnlyAndEmptyFile() throws {
        let table = try read("a,b\n")
        #expect(table.rowCount == 0)
        #expect(table.columnNames == ["a", "b"])
        #expect(failure("").contains("t.csv is empty"))
    }

    @Test func intPromotesToFloatAndNumbersToText() throws {
        let table = try read("x,y\n1,1\n2.5,x\n")
        #expect(try table.column("x").values == .float64([1, 2.5]))
        #expect(try table.column("y").type == .string || table.column("y").type == .categorical)
        #expect(try table.column("y").text(at: 0) == "1")
    }

    @Test func schemaOverridesInference() throws {
        let table = try read("x,y,z\n1,a,1\n2,b,0\n") { $0.schema = ["x": .float64, "y": .categorical, "z": .bool] }
        #expect(table.schema.map(\.type) == [.float64, .categorical, .bool])
        #expect(try table.column("z").values == .bool([true, false]))
    }

    @Test func raggedRowNamesLineAndRow() {
        #expect(failure("a,b\n1,2\n3\n") == "t.csv:3:1: error: row 2: the row has 1 field, the header has 2")
        #expect(failure("a,b\n1,2\n3,4,5\n") == "t.csv:3:1: error: row 2: the row has 3 fields, the header has 2")
    }

    @Test func badNumberUnderSchemaNamesColumn() {
        #expect(failure("a,b\n1,2\n3,x4\n") { $0.schema = ["b": .int64] }
            == "t.csv:3:3: error: row 2, column 'b': 'x4' is not a whole number")
        #expect(failure("a\n1.5\n") { $0.schema = ["a": .int64] }.contains("'1.5' is not a whole number"))
    }

    @Test func invalidUTF8NamesRow() throws {
        var bytes = Array("a\nok\n".utf8) + [0xC3, 0x28] + Array("\n".utf8)
        let message: String
        do {
            _ = try bytes.withUnsafeMutableBytes { try CSVReader().read(bytes: UnsafeRawBufferPointer($0), source: "u.csv") }
            message = "no error"
        } catch {
            message = "\(error)"
        }
        #expect(message == "error: u.csv: row 2, column 'a': the value is not valid UTF-8")
    }

    @Test func malformedQuotes() {
        #expect(failure("a\n\"open\n").contains("not closed"))
        #expect(failure("a\n\"x\"y\n").contains("after the closing quote"))
        #expect(failure("a\nx\"y\n").contains("quote inside an unquoted field"))
    }

    @Test func unknownSchemaColumnSuggests() {
        #expect(failure("species,mass\nx,1\n") { $0.schema = ["specis": .categorical] }.contains("did you mean 'species'?"))
    }

    @Test func numbersParseExactly() throws {
        let texts = ["0.1", "-0.0", "1e-5", "123456789012345678", "3.141592653589793238", "1.7976931348623157e308",
                     "4.9e-324", "2.2250738585072014e-308", "inf", "-inf", "9007199254740993", ".5", "5.", "+7"]
        let table = try read("x\n" + texts.joined(separator: "\n") + "\n")
        let values = try table.column("x").doubles()!
        for (text, value) in zip(texts, values) {
            let expected = Double(text) ?? (text == "inf" ? .infinity : -.infinity)
            #expect(value == expected, "\(text)")
        }
    }

    /// Quoted newlines fall across chunk borders; the parallel read must match a single-threaded one.
    @Test func parallelChunksMatchSequentialRead() throws {
        var generator = SeededRandom(seed: 7)
        var text = "id,note,value,flag\n"
        for row in 0..<60_000 {
            let note = generator.next() % 5 == 0 ? "\"line\nbreak, \"\"quoted\"\" \(row)\"" : "plain\(row % 37)"
            let value = generator.next() % 50 == 0 ? "" : String(Double(generator.next() % 100_000) / 7)
            text += "\(row),\(note),\(value),\(generator.next() % 2 == 0)\n"
        }
        let parallel = try read(text) { $0.threads = 4 }
        let sequential = try read(text) { $0.threads = 1 }
        #expect(parallel == sequential)
        #expect(parallel.rowCount == 60_000)
        #expect(try parallel.column("id").values == .int64((0..<60_000).map(Int64.init)))
    }
}

@Suite struct NumberParserTests {
    /// Random decimal texts of every length, against Swift's own correctly rounded parser.
    @Test func agreesWithSwiftOnRandomDecimals() {
        var generator = SeededRandom(seed: 11)
        for _ in 0..<20_000 {
            let integerDigits = Int(generator.next() % 12)
            let fractionDigits = Int(generator.next() % 12)
            var text = generator.next() % 3 == 0 ? "-" : ""
            text += String((0..<max(integerDigits, 1)).map { _ in Character(String(generator.next() % 10)) })
            if fractionDigits > 0 { text += "." + String((0..<fractionDigits).map { _ in Character(String(generator.next() % 10)) }) }
            if generator.next() % 4 == 0 { text += "e\(Int(generator.next() % 40) - 20)" }
            let parsed = text.utf8CString.withUnsafeBufferPointer { buffer in
                buffer.withMemoryRebound(to: UInt8.self) { NumberParser.double($0.baseAddress!, text.utf8.count) }
            }
            #expect(parsed == Double(text), "\(text)")
            // Inside a longer line, as in a CSV file, where eight bytes at a time can be read.
            let line = text + ",1234567890123456789"
            let inLine = line.utf8CString.withUnsafeBufferPointer { buffer in
                buffer.withMemoryRebound(to: UInt8.self) { NumberParser.doublePrefix($0.baseAddress!, limit: line.utf8.count) }
            }
            #expect(inLine?.value == Double(text) && inLine?.length == text.utf8.count, "\(text) in a line")
            if !text.contains(".") && !text.contains("e") && text.count < 19 {
                let integer = text.utf8CString.withUnsafeBufferPointer { buffer in
                    buffer.withMemoryRebound(to: UInt8.self) { NumberParser.int64($0.baseAddress!, text.utf8.count) }
                }
                #expect(integer == Int64(text), "\(text)")
            }
        }
    }
}
