import Foundation
import Testing

/// The store shared between workspaces, and the reporting commands.
@Suite struct StoreAndCommandsTests {
    static let pipeline = """
        stages:
          shout:
            cmd: tr a-z A-Z < ${inputs.text} > ${outputs.loud}; echo "$CAIRN_TEST_MARK ran" >&2
            inputs: { text: data/text.txt }
            outputs: { loud: out/loud.txt }
          count:
            cmd: wc -c < ${inputs.loud} | tr -d ' ' > ${outputs.n}
            inputs: { loud: shout.loud }
            outputs: { n: out/n.txt }
        """

    @Test func aSharedStoreLetsASecondWorkspaceRestoreInsteadOfRunning() throws {
        let shared = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-shared-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: shared) }
        let files = ["pipelines/p.yaml": Self.pipeline, "data/text.txt": "quiet\n"]
        let first = try TestWorkspace(files: files)
        #expect(try first.cairn("run", environment: ["CAIRN_STORE": shared]).status == 0)

        let second = try TestWorkspace(files: files.merging([".cairn/config": "store: \(shared)\n"]) { $1 })
        let result = try second.cairn("run", "--json")
        #expect(result.statuses == ["shout": "restored", "count": "restored"])
        #expect(try second.read("out/loud.txt") == "QUIET\n")
        #expect(!second.exists("artifacts/.cache"))
    }

    /// Raw inputs — a file or a folder — go into the store by their content hash when a stage
    /// is built from them, except what `store_inputs:` leaves out by pattern or size.
    @Test func rawInputsAreStoredAsThePipelineSays() throws {
        let pipeline = """
            store_inputs: { exclude: ["data/skip*"], max_size: 10 B }
            stages:
              all:
                cmd: cat data/n.txt data/folder/* data/skipped.txt data/large.txt > ${outputs.out}
                inputs: [data/n.txt, data/folder, data/skipped.txt, data/large.txt]
                outputs: { out: out/all.txt }
            """
        let workspace = try TestWorkspace(files: ["pipelines/p.yaml": pipeline, "data/n.txt": "3\n", "data/folder/a.txt": "a\n",
                                                  "data/folder/b.txt": "b\n", "data/skipped.txt": "x\n", "data/large.txt": "more than ten bytes\n"])
        #expect(try workspace.cairn("run").status == 0)
        func stored(_ content: String) throws -> Bool { workspace.exists(try HardeningTests.objectPath(ofContent: content, in: workspace)) }
        #expect(try stored("3\n") && stored("a\n") && stored("b\n"))
        let lock = try JSONSerialization.jsonObject(with: try workspace.bytes("pipelines/p.lock")) as! [String: Any]
        let inputs = ((lock["stages"] as! [String: Any])["all"] as! [String: Any])["inputs"] as! [String: String]
        let folder = try #require(inputs["data/folder"])
        #expect(workspace.exists("artifacts/.cache/objects/\(folder.prefix(2))/\(folder.dropFirst(2)).dir"), "the folder's manifest")
        #expect(try !stored("x\n"), "excluded by pattern")
        #expect(try !stored("more than ten bytes\n"), "over max_size")
        #expect(inputs.count == 4, "every input is hashed and recorded all the same")

        try workspace.write("pipelines/p.yaml", pipeline.replacingOccurrences(of: "10 B", with: "lots"))
        let bad = try workspace.cairn("run")
        #expect(bad.status != 0 && bad.stderr.contains("pipelines/p.yaml:1:") && bad.stderr.contains("'lots' is no size"), "\(bad.stderr)")
    }

    @Test func verboseShowsTheLogAndTheEnvironmentReachesCommands() throws {
        let workspace = try TestWorkspace(files: ["pipelines/p.yaml": Self.pipeline, "data/text.txt": "hi\n"])
        let result = try workspace.cairn("run", "-v", environment: ["CAIRN_TEST_MARK": "marker-42"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("marker-42 ran"))
        #expect(result.stdout.contains("$ tr a-z A-Z < data/text.txt > .cairn/tmp/"))
        let quiet = try workspace.cairn("run", "--force")
        #expect(!quiet.stdout.contains("marker-42"))
    }

    @Test func dagRendersAsciiDotAndMermaid() throws {
        let workspace = try TestWorkspace(files: ["pipelines/p.yaml": Self.pipeline, "data/text.txt": "hi\n"])
        #expect(try workspace.cairn("dag").stdout == "p (pipelines/p.yaml)\n  shout  (cmd)\n  count  (cmd)   ← shout\n")
        #expect(try workspace.cairn("dag", "--format", "dot").stdout.contains("\"shout\" -> \"count\";"))
        #expect(try workspace.cairn("dag", "--format", "mermaid", "p").stdout.contains("shout --> count"))
    }

    @Test func stagesListsTheKindsAndTheirConfigKeys() throws {
        let workspace = try TestWorkspace()
        let result = try workspace.cairn("stages", "--json")
        let kinds = result.events.compactMap { $0["kind"] as? String }
        #expect(kinds.contains("cmd"))
        #expect(result.stdout.contains("\"cmd\":\"the command line"))
        // The train stage lists every search strategy and every form of cv.
        let train = try #require(result.events.first { $0["kind"] as? String == "train" }?["config"] as? [String: String])
        #expect(train["search"]!.contains("grid | random | bayesian"))
        for form in ["shuffle: true | false", "seed: N", "groups: COLUMN", "order_by: COLUMN"] { #expect(train["cv"]!.contains(form), "\(form)") }
    }
}
