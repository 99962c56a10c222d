import CairnCore
import Testing

@Suite struct JSONValueTests {
    /// JSON numbers are the shortest text that reads back to the same double, never rounded.
    @Test func jsonNumbersKeepEveryDigit() {
        for value in [0.1, 0.123456789012345, 1e-7, 123456789.5, -2.5e300, 5e-324, 1] as [Double] {
            #expect(Double(JSONValue.number(value).compact) == value)
        }
        #expect(JSONValue.number(0.0004).compact == "0.0004")
        #expect(JSONValue.number(.nan).compact == "null")
    }
}

/// Cairn's JSON files are read strictly: what another writer would write reads back the same,
/// and anything that is not JSON is an error naming line and column.
@Suite struct JSONReadingTests {
    func read(_ text: String) throws -> JSONValue { try JSONValue.parse(Array(text.utf8), file: "f.json") }

    func failure(_ text: String) -> String {
        do { _ = try JSONValue.parse(Array(text.utf8), file: "f.json"); return "no error" } catch { return "\(error)" }
    }

    @Test func everyKindOfValueReadsBack() throws {
        let value = JSONValue.object([
            ("a", .array([.integer(-3), .number(0.25), .number(-1.5e300), .bool(true), .bool(false), .null, .array([]), .object([])])),
            ("b", .string("tab\tquote\" backslash\\ newline\n é 😀 \u{1}")),
            ("c", .integer(Int.max)),
        ])
        #expect(try read(value.pretty()) == value)
        #expect(try read(value.compact) == value)
    }

    @Test func escapesAndNumbersAsRFC8259Writes() throws {
        #expect(try read(#""\u00e9\ud83d\ude00\/\b\f\r""#) == .string("é😀/\u{8}\u{c}\r"))
        #expect(try read("  1e2 ") == .number(100))
        #expect(try read("-0") == .integer(0))
        #expect(try read("12345678901234567890") == .number(12345678901234567890), "past Int: a double")
        #expect(try read(#"{"b": 1, "a": 2}"#) == .object([("a", .integer(2)), ("b", .integer(1))]), "members sorted by key")
    }

    @Test func whatIsNotJSONIsRefusedWithItsPlace() {
        #expect(failure("{\"a\": 1,\n  \"b\": }").contains("line 2, column 8: expected a value"))
        #expect(failure(#"{"a": 1, "a": 2}"#).contains(#"the key "a" is given twice"#))
        #expect(failure(#"{"a": 1,}"#).contains("expected a key in quotes"))
        #expect(failure("[1, 2] x").contains("unexpected text after the value"))
        #expect(failure("[01]").contains("expected ',' or ']'"))
        #expect(failure("NaN").contains("expected a value"))
        #expect(failure("1e999").contains("too large"))
        #expect(failure(#""\ud800""#).contains("lone surrogate"))
        #expect(failure(#""\x""#).contains("unknown escape"))
        #expect(failure("\"a\tb\"").contains("control character"))
        #expect(failure("\"abc").contains("ends inside a string"))
        #expect(failure("").contains("ends where a value should be"))
        #expect(failure("tru").contains("expected true"))
        var invalid = Array("\"".utf8) + [0xC3, 0x28] + Array("\"".utf8)
        #expect((try? JSONValue.parse(invalid, file: "f.json")) == nil, "invalid UTF-8")
        invalid = Array(String(repeating: "[", count: 100_000).utf8)
        #expect(failure(String(decoding: invalid, as: UTF8.self)).contains("nested more than 256 deep"))
    }
}
