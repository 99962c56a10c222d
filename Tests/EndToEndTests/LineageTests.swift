import Foundation
import Testing

/// Lineage in real temporary git repositories, checked with the git command line as an
/// independent reader.
@Suite struct LineageTests {
    static let pipeline = """
        stages:
          double:
            cmd: echo $(( $(cat ${inputs.n}) * 2 )) > ${outputs.out}
            inputs: { n: data/n.txt }
            outputs: { out: out/double.txt }
          square:
            cmd: echo $(( $(cat ${inputs.x}) * $(cat ${inputs.x}) )) > ${outputs.out}
            inputs: { x: double.out }
            outputs: { out: out/square.txt }
          report:
            cmd: echo "{\\"value\\":$(cat ${inputs.x})}" > ${outputs.metrics}
            inputs: { x: square.out }
            outputs: { metrics: out/metrics.json }
            metrics: [metrics]
        """

    /// A workspace that is a git repository with one commit.
    static func repository() throws -> TestWorkspace {
        let workspace = try TestWorkspace(files: ["pipelines/p.yaml": pipeline, "data/n.txt": "3\n"])
        #expect(try workspace.cairn("init").status == 0)
        try git(workspace, "add", "-A")
        try git(workspace, "commit", "-qm", "three")
        return workspace
    }

    @discardableResult
    static func git(_ workspace: TestWorkspace, _ arguments: String...) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/git")
        process.arguments = ["-c", "user.name=Test", "-c", "user.email=test@example.com"] + arguments
        process.currentDirectoryURL = workspace.root
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        #expect(process.terminationStatus == 0, "git \(arguments.joined(separator: " ")): \(text)")
        return text
    }

    /// Commits `n` as the data and runs.
    static func commitAndRun(_ workspace: TestWorkspace, _ n: Int) throws {
        try workspace.write("data/n.txt", "\(n)\n")
        try git(workspace, "commit", "-qam", "n = \(n)")
        #expect(try workspace.cairn("run").status == 0)
    }

    @Test func runsAreRecordedOnTheirOwnRefWithANoteAndValidObjects() throws {
        let workspace = try Self.repository()
        let head = try Self.git(workspace, "rev-parse", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines)
        let branch = try Self.git(workspace, "symbolic-ref", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines)
        let branchBefore = try Self.git(workspace, "rev-parse", branch, "HEAD")
        #expect(try workspace.cairn("run").status == 0)
        #expect(try workspace.cairn("run").status == 0)  // nothing changed: nothing recorded

        let log = try Self.git(workspace, "log", "--format=%H %s", "refs/cairn/lineage")
        #expect(log.split(separator: "\n").count == 1)
        let lineageCommit = String(log.prefix(40))
        #expect(log.contains("cairn run: p.double, p.square, p.report at \(head.prefix(12))"))
        #expect(try Self.git(workspace, "notes", "--ref=cairn", "show", "HEAD") == "cairn-lineage \(lineageCommit)\n")
        let run = try Self.git(workspace, "show", "refs/cairn/lineage:run.json")
        #expect(run.contains("\"commit\": \"\(head)\""))
        #expect(run.contains("\"dirty\": false"))
        let lock = try Self.git(workspace, "show", "refs/cairn/lineage:locks/p.lock")
        #expect(lock == (try workspace.read("pipelines/p.lock")))
        #expect(try Self.git(workspace, "fsck", "--strict").isEmpty)
        // The user's branch, index and work tree are untouched.
        #expect(try Self.git(workspace, "rev-parse", branch, "HEAD") == branchBefore)
        #expect(try Self.git(workspace, "diff", "--cached", "--name-only").isEmpty)
    }

    @Test func lineageOfAThreeStageChainNamesEveryUpstreamHash() throws {
        let workspace = try Self.repository()
        #expect(try workspace.cairn("run").status == 0)
        let result = try workspace.cairn("lineage", "out/metrics.json", "--json")
        #expect(result.status == 0, "\(result.stderr)")
        let lock = try JSONSerialization.jsonObject(with: Data(try workspace.read("pipelines/p.lock").utf8)) as! [String: Any]
        let stages = lock["stages"] as! [String: [String: Any]]
        for (stage, record) in stages {
            for hash in (record["outputs"] as! [String: String]).values { #expect(result.stdout.contains(hash), "\(stage) output") }
            #expect(result.stdout.contains(record["fingerprint"] as! String))
        }
        let dataHash = (stages["double"]!["inputs"] as! [String: String])["data/n.txt"]!
        #expect(result.stdout.contains(dataHash))
        let text = try workspace.cairn("lineage", "out/metrics.json").stdout
        #expect(text.contains("← p.square") && text.contains("← p.double") && text.contains("data/n.txt"))
        #expect(text.contains("\"three\""))
    }

    /// A stage many others read from is shown whole once, then named: lineage stays as long as
    /// the pipeline, not as long as its paths.
    @Test func aSharedUpstreamIsShownOnce() throws {
        var yaml = "stages:\n  base:\n    cmd: cat ${inputs.n} > ${outputs.out}\n    inputs: { n: data/n.txt }\n    outputs: { out: out/base.txt }\n"
        for index in 1...8 {
            yaml += "  s\(index):\n    cmd: cat ${inputs.in} > ${outputs.out}\n    inputs: { in: base.out }\n    outputs: { out: out/s\(index).txt }\n"
        }
        yaml += "  last:\n    cmd: cat out/s*.txt > ${outputs.out}\n    inputs: [" + (1...8).map { "out/s\($0).txt" }.joined(separator: ", ")
            + "]\n    outputs: { out: out/last.txt }\n"
        let workspace = try TestWorkspace(files: ["pipelines/p.yaml": yaml, "data/n.txt": "3\n"])
        #expect(try workspace.cairn("init").status == 0)
        try Self.git(workspace, "add", "-A")
        try Self.git(workspace, "commit", "-qm", "fan")
        #expect(try workspace.cairn("run").status == 0)
        let text = try workspace.cairn("lineage", "out/last.txt").stdout
        #expect(text.components(separatedBy: "← p.base").count - 1 == 8)
        #expect(text.components(separatedBy: "← p.base (shown above)").count - 1 == 7)
        #expect(text.components(separatedBy: "data/n.txt").count - 1 == 1)
        #expect(text.split(separator: "\n").count < 60, "\(text)")
        let json = try workspace.cairn("lineage", "out/last.txt", "--json").stdout
        #expect(json.components(separatedBy: "\"shown_above\":true").count - 1 == 7)
    }

    @Test func logShowsEveryVersionAndCheckoutBringsOneBackByteForByte() throws {
        let workspace = try Self.repository()
        #expect(try workspace.cairn("run").status == 0)
        let first = try workspace.read("out/metrics.json")
        let firstCommit = try Self.git(workspace, "rev-parse", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines)
        try Self.commitAndRun(workspace, 4)
        try Self.commitAndRun(workspace, 5)
        let log = try workspace.cairn("log", "out/metrics.json", "--json")
        #expect(log.status == 0, "\(log.stderr)")
        let values = log.events.map { ($0["metrics"] as? [String: String])?["value"] }
        #expect(values == ["100", "64", "36"])
        #expect(log.events.last?["source_commit"] as? String == firstCommit)

        let checkout = try workspace.cairn("checkout", firstCommit)
        #expect(checkout.status == 0, "\(checkout.stderr)")
        #expect(try workspace.read("out/metrics.json") == first)
        #expect(try workspace.read("out/double.txt") == "6\n")
        // With the source checked out too, everything is fresh.
        try Self.git(workspace, "checkout", "-q", firstCommit, "--", "data/n.txt")
        let status = try workspace.cairn("status", "--json")
        #expect(status.events.allSatisfy { $0["state"] as? String == "fresh" })
    }

    @Test func aDirtyTreeIsRecordedAndRequireCleanRefuses() throws {
        let workspace = try Self.repository()
        try workspace.write("data/n.txt", "7\n")
        let refused = try workspace.cairn("run", "--require-clean")
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("data/n.txt"))
        #expect(!workspace.exists("out/double.txt"))
        #expect(try workspace.cairn("run").status == 0)
        let run = try Self.git(workspace, "show", "refs/cairn/lineage:run.json")
        #expect(run.contains("\"dirty\": true"))
        #expect(run.contains("\"data/n.txt\""))
    }

    @Test func checkoutNamesWhatIsMissingFromTheStore() throws {
        let workspace = try Self.repository()
        #expect(try workspace.cairn("run").status == 0)
        try workspace.remove("artifacts/.cache")
        let result = try workspace.cairn("checkout", "HEAD", "out/square.txt")
        #expect(result.status == 1)
        #expect(result.stderr.contains("out/square.txt"))
    }

    /// A truncated object is refused: checkout fails and the good file in the workspace stays.
    @Test func checkoutRefusesATruncatedObject() throws {
        let workspace = try Self.repository()
        #expect(try workspace.cairn("run").status == 0)
        let good = try workspace.read("out/square.txt")
        try workspace.write("out/square.txt", "changed by hand\n")
        let squareObject = try HardeningTests.objectPath(ofContent: good, in: workspace)
        chmod(workspace.root.appendingPathComponent(squareObject).path, 0o644)
        try workspace.write(squareObject, String(good.prefix(1)))
        let result = try workspace.cairn("checkout", "HEAD", "out/square.txt")
        #expect(result.status == 1 && result.stderr.contains("is damaged"), "\(result.stderr)")
        #expect(try workspace.read("out/square.txt") == "changed by hand\n")
    }

    @Test func outsideARepositoryRunsWorkAndSayLineageIsOff() throws {
        let workspace = try TestWorkspace(files: ["pipelines/p.yaml": Self.pipeline, "data/n.txt": "2\n"])
        let result = try workspace.cairn("run")
        #expect(result.status == 0)
        #expect(result.stderr.components(separatedBy: "lineage is off").count == 2)
        #expect(try workspace.read("out/metrics.json") == "{\"value\":16}\n")
    }
}

/// Comparing recorded runs, collecting garbage, and sharing the store through a remote.
@Suite struct LineageStoreTests {
    @Test func metricsAndParamsDiffCompareRuns() throws {
        let workspace = try LineageTests.repository()
        try workspace.write("pipelines/p.yaml", LineageTests.pipeline.replacingOccurrences(
            of: "echo $(( $(cat ${inputs.n}) * 2 ))", with: "echo $(( $(cat ${inputs.n}) * ${params.scale} ))")
            .replacingOccurrences(of: "stages:", with: "params: params.yaml\nstages:"))
        try workspace.write("params.yaml", "scale: 2\n")
        try LineageTests.git(workspace, "add", "-A")
        try LineageTests.git(workspace, "commit", "-qm", "scaled")
        #expect(try workspace.cairn("run").status == 0)
        let before = try LineageTests.git(workspace, "rev-parse", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines)
        try workspace.write("params.yaml", "scale: 3\n")
        try LineageTests.git(workspace, "commit", "-qam", "scale 3")
        #expect(try workspace.cairn("run").status == 0)

        let metrics = try workspace.cairn("metrics", "diff", before, "HEAD", "--json")
        #expect(metrics.status == 0, "\(metrics.stderr)")
        let row = try #require(metrics.events.first { $0["key"] as? String == "out/metrics.json:value" })
        #expect(row["old"] as? Double == 36 && row["new"] as? Double == 81 && row["delta"] as? Double == 45)
        let params = try workspace.cairn("params", "diff", before, "--json")
        let scale = try #require(params.events.first { $0["key"] as? String == "p:scale" })
        #expect(scale["old"] as? Double == 2 && scale["new"] as? Double == 3)
        #expect(try workspace.cairn("metrics", "diff").stdout.contains("out/metrics.json:value"))
    }

    @Test func gcKeepsWhatIsReferencedAndFreesTheRest() throws {
        let workspace = try LineageTests.repository()
        #expect(try workspace.cairn("run").status == 0)
        let first = try LineageTests.git(workspace, "rev-parse", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines)
        try LineageTests.commitAndRun(workspace, 4)
        try LineageTests.commitAndRun(workspace, 5)
        let dryRun = try workspace.cairn("gc", "--keep-last", "1", "--dry-run")
        #expect(dryRun.stdout.contains("would free 6 object(s)"), "\(dryRun.stdout)")
        #expect(try workspace.cairn("checkout", first).status == 0)  // nothing was removed
        #expect(try workspace.cairn("checkout", "HEAD").status == 0)

        let gc = try workspace.cairn("gc", "--keep-last", "1")
        #expect(gc.stdout.contains("freed 6 object(s)"), "\(gc.stdout)")
        let old = try workspace.cairn("checkout", first)
        #expect(old.status == 1)
        #expect(old.stderr.contains("not in the store"))
        try workspace.remove("out")
        #expect(try workspace.cairn("checkout", "HEAD").status == 0)
        #expect(try workspace.read("out/metrics.json") == "{\"value\":100}\n")
        #expect(try workspace.cairn("gc").stdout.contains("freed 0 object(s)"))
    }

    @Test func pushThenPullIntoASecondCloneRestoresWithoutRunning() throws {
        let remote = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-remote-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: remote) }
        let origin = try LineageTests.repository()
        try origin.write(".cairn/config", "remote: \(remote)\n")
        #expect(try origin.cairn("run").status == 0)
        let pushed = try origin.cairn("push")
        #expect(pushed.status == 0 && pushed.stdout.contains("pushed 3 object(s)"), "\(pushed.stdout)\(pushed.stderr)")

        let clone = try TestWorkspace()
        try FileManager.default.removeItem(at: clone.root)
        try LineageTests.git(origin, "clone", "-q", origin.root.path, clone.root.path)
        try LineageTests.git(clone, "fetch", "-q", "origin", "refs/cairn/*:refs/cairn/*", "refs/notes/*:refs/notes/*")
        try clone.write(".cairn/config", "remote: \(remote)\n")
        #expect(try clone.cairn("pull").stdout.contains("pulled 3 object(s)"))
        #expect(try clone.cairn("checkout", "HEAD").status == 0)
        #expect(try clone.read("out/metrics.json") == (try origin.read("out/metrics.json")))
        let run = try clone.cairn("run", "--json")
        #expect(run.stages(withStatus: "skipped") == ["double", "square", "report"])
    }
}
