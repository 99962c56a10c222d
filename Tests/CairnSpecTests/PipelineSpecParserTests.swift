import CairnSpec
import CairnSupport
import Foundation
import Testing

@Suite struct PipelineSpecParserTests {
    static func workspace(_ files: [String: String]) throws -> String {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-spec-\(UUID().uuidString)").path
        for (path, text) in files {
            let url = URL(fileURLWithPath: root + "/" + path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        return root
    }

    @Test func yamlNodesKeepTheirLineAndColumn() throws {
        let node = try YAMLDocument.parse(Array("a:\n  b: [1, two]\n  c: &x { d: 'q' }\n  e: *x\n".utf8), file: "f.yaml")
        let list = try #require(node.lookup(dottedKey: "a.b")?.items)
        #expect(list[1].scalarText == "two")
        #expect(list[1].location == SourceLocation(file: "f.yaml", line: 2, column: 10))
        #expect(node.lookup(dottedKey: "a.e.d")?.value == .scalar("q", quoted: true))
        #expect(node.dottedKeys == ["a", "a.b", "a.c", "a.c.d", "a.e", "a.e.d"])
        let flat = try YAMLDocument.parse(Array("train.C: 0.1\n".utf8), file: "params.yaml")
        #expect(flat.lookup(dottedKey: "train.C")?.scalarText == "0.1")
    }

    @Test func aSyntaxErrorNamesLineAndColumn() throws {
        let error = try #require(throws: CairnError.self) {
            try YAMLDocument.parse(Array("a: [1, 2\nb: 3\n".utf8), file: "f.yaml")
        }
        #expect(error.code == .yamlSyntax)
        #expect(error.location?.file == "f.yaml")
        #expect(error.location?.line == 2)
    }

    @Test func mapAndListFormsOfInputsAndOutputs() throws {
        let root = try Self.workspace([
            "params.yaml": "train:\n  C: 0.5\n",
            "pipelines/demo.yaml": """
                params: params.yaml
                stages:
                  clean:
                    uses: clean
                    inputs: [data/a.csv, ./data/b.csv]
                    with: { impute: median }
                  fit:
                    cmd: fit ${inputs.table}
                    inputs: { table: clean.table }
                    outputs: { model: artifacts/model.json }
                    params: [train.C]
                """,
        ])
        let spec = try PipelineSpecParser(workspace: root).parse(file: "pipelines/demo.yaml")
        #expect(spec.name == "demo")
        #expect(spec.params?.value("train.C")?.scalarText == "0.5")
        #expect(spec.stages.map(\.name) == ["clean", "fit"])
        #expect(spec.stages[0].inputs.map(\.name) == ["data/a.csv", "./data/b.csv"])
        #expect(spec.stages[0].inputs.map(\.target) == ["data/a.csv", "data/b.csv"])
        #expect(spec.stages[1].inputs[0].target == "clean.table")
        #expect(spec.stages[1].outputs[0].location == SourceLocation(file: "pipelines/demo.yaml", line: 10, column: 23))
        #expect(spec.stages[1].params.map(\.key) == ["train.C"])
        guard case .plugin(let kind, _, let config, _) = spec.stages[0].definition else {
            Issue.record("clean should be a plugin stage")
            return
        }
        #expect(kind == "clean")
        #expect(config["impute"]?.scalarText == "median")
    }

    @Test func aStageWithBothUsesAndCmdIsRejected() throws {
        let root = try Self.workspace(["pipelines/p.yaml": "stages:\n  s:\n    uses: x\n    cmd: y\n"])
        let error = try #require(throws: CairnError.self) {
            try PipelineSpecParser(workspace: root).parse(file: "pipelines/p.yaml")
        }
        #expect(error.message == "stage 's' has both 'uses:' and 'cmd:'")
        #expect(error.location?.line == 2)
    }
}
