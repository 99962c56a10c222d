import CairnCore
import CairnSpec
import CairnSupport
import Testing

/// `${params.KEY}` placeholders, `-S` values and editing a params file in its text.
@Suite struct ParamsTextTests {
    static let file = """
        # tuned by hand
        train:
          C: 1.0      # regularization
          layers: [64, 32]
          name: "base"
        split: { seed: 42, test: 0.25 }
        steps:
          - one
        "dotted.key": 3

        """

    static func edit(_ replacements: [String: String]) throws -> String {
        String(decoding: try YAMLEdit.replacing(replacements, in: Array(file.utf8), file: "params.yaml"), as: UTF8.self)
    }

    @Test func valuesChangeInPlaceAndEverythingElseStays() throws {
        let edited = try Self.edit(["train.C": "0.5", "split.seed": "7", "train.layers": "[8]", "train.name": "\"wide\"", "dotted.key": "4"])
        #expect(edited == Self.file.replacingOccurrences(of: "C: 1.0 ", with: "C: 0.5 ").replacingOccurrences(of: "seed: 42", with: "seed: 7")
            .replacingOccurrences(of: "[64, 32]", with: "[8]").replacingOccurrences(of: "\"base\"", with: "\"wide\"")
            .replacingOccurrences(of: "\"dotted.key\": 3", with: "\"dotted.key\": 4"))
        let parsed = try YAMLDocument.parse(Array(edited.utf8), file: "params.yaml")
        #expect(parsed.lookup(dottedKey: "train.C")?.canonical == "0.5")
        #expect(parsed.lookup(dottedKey: "train.layers")?.canonical == "[8]")
    }

    @Test func aMissingKeyOrABlockValueIsAnError() throws {
        #expect(throws: CairnError.self) { try Self.edit(["train.D": "1"]) }
        let block = try #require(throws: CairnError.self) { try Self.edit(["steps": "[two]"]) }
        #expect(block.message.contains("block list") && block.location?.line == 8)
    }

    @Test func overridesAreReadAsYAMLAndRememberTheirAssignment() throws {
        let overrides = try ParamOverrides(["train.C=0.5", "train.layers=[1, 2]", "train.name='3'", "train.C=0.25", "x="])
        #expect(overrides.keys == ["train.layers", "train.name", "train.C", "x"])
        #expect(overrides["train.C"]?.canonical == "0.25" && overrides["train.C"]?.location.file == "-S train.C=0.25")
        #expect(overrides["train.layers"]?.canonical == "[1,2]")
        #expect(overrides["train.name"]?.canonical == "\"3\"")
        #expect(overrides["x"]?.isNull == true)
        #expect(throws: CairnError.self) { try ParamOverrides(["=1"]) }
        #expect(throws: CairnError.self) { try ParamOverrides(["train.C"]) }
    }
}
