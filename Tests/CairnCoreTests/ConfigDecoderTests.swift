import CairnCore
import CairnSupport
import Testing

@Suite struct ConfigDecoderTests {
    struct Impute: Decodable, Sendable, Equatable {
        var numeric: String
        var fill: Double?
    }

    struct Config: Decodable, Sendable, Equatable {
        var target: String
        var folds: Int
        var shuffle: Bool
        var impute: Impute
        var columns: [String]
    }

    static let file = "pipelines/p.yaml"

    static func scalar(_ text: String, line: Int, column: Int, quoted: Bool = false) -> ConfigNode {
        ConfigNode(.scalar(text, quoted: quoted), at: SourceLocation(file: file, line: line, column: column))
    }

    static func mapping(_ pairs: [(String, ConfigNode)], line: Int) -> ConfigNode {
        ConfigNode(.mapping(pairs.map { ConfigNode.Entry(key: scalar($0.0, line: $0.1.location.line, column: 1), value: $0.1) }),
                   at: SourceLocation(file: file, line: line, column: 1))
    }

    static func config(folds: String = "5", extra: (String, ConfigNode)? = nil) -> ConfigNode {
        var pairs: [(String, ConfigNode)] = [
            ("target", scalar("species", line: 2, column: 9)),
            ("folds", scalar(folds, line: 3, column: 8)),
            ("shuffle", scalar("true", line: 4, column: 10)),
            ("impute", mapping([("numeric", scalar("median", line: 6, column: 14))], line: 5)),
            ("columns", ConfigNode(.sequence([scalar("a", line: 7, column: 12), scalar("b", line: 7, column: 15)]),
                                   at: SourceLocation(file: file, line: 7, column: 11))),
        ]
        if let extra { pairs.append(extra) }
        return mapping(pairs, line: 1)
    }

    @Test func decodesNestedValues() throws {
        let decoded = try ConfigDecoder().decode(Config.self, from: Self.config())
        #expect(decoded == Config(target: "species", folds: 5, shuffle: true,
                                  impute: Impute(numeric: "median", fill: nil), columns: ["a", "b"]))
    }

    @Test func aWrongTypeNamesTheKeyAndItsPosition() throws {
        let error = try #require(throws: CairnError.self) {
            try ConfigDecoder().decode(Config.self, from: Self.config(folds: "many"))
        }
        #expect(error.code == .invalidValue)
        #expect(error.location == SourceLocation(file: Self.file, line: 3, column: 8))
        #expect(error.message == "expected a whole number for 'folds', found 'many'")
    }

    @Test func anUnknownKeyIsRejectedWithASuggestion() throws {
        let error = try #require(throws: CairnError.self) {
            try ConfigDecoder().decode(Config.self, from: Self.config(extra: ("shufle", Self.scalar("x", line: 8, column: 9))))
        }
        #expect(error.code == .unknownKey)
        #expect(error.location?.line == 8)
        #expect(error.hint == "did you mean 'shuffle'?")
    }

    @Test func canonicalTextIgnoresKeyOrderAndSpelling() {
        let a = ConfigNode(.mapping([
            .init(key: Self.scalar("b", line: 1, column: 1), value: Self.scalar("True", line: 1, column: 4)),
            .init(key: Self.scalar("a", line: 2, column: 1), value: Self.scalar("0.10", line: 2, column: 4)),
        ]), at: SourceLocation(file: Self.file, line: 1, column: 1))
        let b = ConfigNode(.mapping([
            .init(key: Self.scalar("a", line: 5, column: 1), value: Self.scalar("0.1", line: 5, column: 4)),
            .init(key: Self.scalar("b", line: 6, column: 1), value: Self.scalar("true", line: 6, column: 4)),
        ]), at: SourceLocation(file: Self.file, line: 5, column: 1))
        #expect(a.canonical == b.canonical)
        #expect(a.canonical == #"{"a":0.1,"b":true}"#)
        // A quoted "1" is text, a plain 1 a number: they differ.
        #expect(Self.scalar("1", line: 1, column: 1, quoted: true).canonical != Self.scalar("1", line: 1, column: 1).canonical)
    }
}
