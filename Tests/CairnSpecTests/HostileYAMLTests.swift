import CairnSpec
import CairnSupport
import Foundation
import Testing

/// Files built to hurt the reader get a message with a place, fast, and no crash.
@Suite struct HostileYAMLTests {
    func error(_ text: String) throws -> CairnError {
        try #require(throws: CairnError.self) { try YAMLDocument.parse(Array(text.utf8), file: "p.yaml") }
    }

    @Test func deepNestingStopsAtTheLimit() throws {
        let clock = ContinuousClock(), started = clock.now
        let error = try error("a: " + String(repeating: "[", count: 60_000))
        #expect(error.code == .yamlSyntax && error.message.contains("nest more than 200 levels"), "\(error)")
        #expect(error.location?.line == 1)
        #expect(clock.now - started < .seconds(2))
        // As deep as a real config is fine.
        _ = try YAMLDocument.parse(Array(("a: " + String(repeating: "[", count: 50) + String(repeating: "]", count: 50)).utf8), file: "p.yaml")
    }

    @Test func anAliasBombIsRefused() throws {
        var text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for level in 1...9 {
            text += "a\(level): &a\(level) [" + [String](repeating: "*a\(level - 1)", count: 10).joined(separator: ", ") + "]\n"
        }
        let clock = ContinuousClock(), started = clock.now
        let error = try error(text)
        #expect(error.message.contains("expand to more than 1000000 nodes"), "\(error)")
        #expect(clock.now - started < .seconds(2))
    }

    /// The alias limit counts what aliases stand for, not what is written: a generated pipeline
    /// of 100,000 stages has millions of nodes.
    @Test func millionsOfWrittenNodesAreNoBomb() throws {
        let text = "items:\n" + (0..<600_000).map { "  k\($0): v\n" }.joined()
        let root = try YAMLDocument.parse(Array(text.utf8), file: "p.yaml")
        #expect(root["items"]?.entries?.count == 600_000)
    }

    @Test func aNulByteInAPathIsASpecError() throws {
        let root = try PipelineSpecParserTests.workspace([
            "pipelines/p.yaml": "stages:\n  s:\n    cmd: touch ${outputs.o}\n    outputs: { o: \"out/a\\0b\" }\n",
        ])
        let error = try #require(throws: CairnError.self) { try PipelineSpecParser(workspace: root).parse(file: "pipelines/p.yaml") }
        #expect(error.message.contains("has a NUL byte") && error.location?.line == 4, "\(error)")
    }
}
