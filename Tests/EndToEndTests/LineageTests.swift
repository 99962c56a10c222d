import Foundation
import Testing

/// Lineage in real temporary git repositories, as a user with DVC habits works — run, commit,
/// change, compare, go back — checked with the git command line as an independent reader.
@Suite struct LineageTests {
    /// value = (2n)², from the data file data/n.txt.
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

    /// A workspace that is a git repository with one commit (no run yet); outputs are ignored.
    static func repository() throws -> TestWorkspace {
        let workspace = try TestWorkspace(files: ["pipelines/p.yaml": pipeline, "data/n.txt": "3\n"])
        #expect(try workspace.cairn("init").status == 0)
        try workspace.write(".gitignore", try workspace.read(".gitignore") + "out/\n")
        try commitAll(workspace, "three")
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

    static func commitAll(_ workspace: TestWorkspace, _ message: String) throws {
        try git(workspace, "add", "-A")
        try git(workspace, "commit", "-qm", message)
    }

    static func head(_ workspace: TestWorkspace, _ revision: String = "HEAD") throws -> String {
        try git(workspace, "rev-parse", revision).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Writes the data, runs, and commits data and lock file together, as `dvc.lock` is committed.
    static func runAndCommit(_ workspace: TestWorkspace, n: Int) throws {
        try workspace.write("data/n.txt", "\(n)\n")
        let run = try workspace.cairn("run")
        #expect(run.status == 0, "\(run.stderr)")
        try commitAll(workspace, "n = \(n)")
    }

    static func metricsRow(_ result: TestWorkspace.Result) -> (old: Double?, new: Double?) {
        let row = result.events.first { $0["key"] as? String == "out/metrics.json:value" }
        return (row?["old"] as? Double, row?["new"] as? Double)
    }

    @Test func runsAreRecordedOnTheirOwnRefAndTheBranchIsUntouched() throws {
        let workspace = try Self.repository()
        let head = try Self.head(workspace)
        let branch = try Self.git(workspace, "symbolic-ref", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines)
        let branchBefore = try Self.git(workspace, "rev-parse", branch, "HEAD")
        #expect(try workspace.cairn("run").status == 0)
        #expect(try workspace.cairn("run").status == 0)  // nothing changed: nothing recorded

        let log = try Self.git(workspace, "log", "--format=%H %s", "refs/cairn/lineage")
        #expect(log.split(separator: "\n").count == 1)
        #expect(log.contains("cairn run: p.double, p.square, p.report at \(head.prefix(12))"))
        let run = try Self.git(workspace, "show", "refs/cairn/lineage:run.json")
        #expect(run.contains("\"commit\": \"\(head)\"") && run.contains("\"dirty\": false"))
        #expect(try Self.git(workspace, "show", "refs/cairn/lineage:locks/p.lock") == (try workspace.read("pipelines/p.lock")))
        #expect(try Self.git(workspace, "fsck", "--strict").isEmpty)
        #expect(try Self.git(workspace, "rev-parse", branch, "HEAD") == branchBefore)
        #expect(try Self.git(workspace, "diff", "--cached", "--name-only").isEmpty)
        #expect(try Self.git(workspace, "notes", "list").isEmpty, "nothing is attached to the user's commits")
    }

    @Test func metricsDiffShowsTheRealDeltaAgainstHEAD() throws {
        let workspace = try Self.repository()
        try Self.runAndCommit(workspace, n: 3)
        try workspace.write("data/n.txt", "4\n")
        #expect(try workspace.cairn("run").status == 0)
        let diff = try workspace.cairn("metrics", "diff", "--json")
        #expect(diff.status == 0, "\(diff.stderr)")
        #expect(Self.metricsRow(diff) == (36, 64))
        #expect(diff.events.first?["delta"] as? Double == 28)
        let text = try workspace.cairn("metrics", "diff").stdout
        #expect(text.contains("HEAD") && text.contains("workspace") && text.contains("+28"), "\(text)")
    }

    /// An experiment run in a dirty tree changes nothing a commit means; `log --all` lists it.
    @Test func anExperimentInADirtyTreeLeavesCommitsAlone() throws {
        let workspace = try Self.repository()
        try Self.runAndCommit(workspace, n: 3)
        try Self.runAndCommit(workspace, n: 4)
        let before = try workspace.cairn("metrics", "diff", "HEAD~1", "HEAD", "--json")
        #expect(Self.metricsRow(before) == (36, 64), "\(before.stdout)\(before.stderr)")

        try workspace.write("data/n.txt", "5\n")
        #expect(try workspace.cairn("run").status == 0)
        let after = try workspace.cairn("metrics", "diff", "HEAD~1", "HEAD", "--json")
        #expect(after.stdout == before.stdout)
        #expect(Self.metricsRow(try workspace.cairn("metrics", "diff", "--json")) == (64, 100))
        #expect(try workspace.cairn("params", "diff", "HEAD~1", "HEAD").status == 0)

        let log = try workspace.cairn("log", "out/metrics.json", "--json")
        #expect(log.events.map { ($0["metrics"] as? [String: String])?["value"] } == ["64", "36"], "\(log.stdout)\(log.stderr)")
        #expect(log.events.map { $0["commit"] as? String } == [try Self.head(workspace), try Self.head(workspace, "HEAD~1")])
        #expect(log.events.first?["subject"] as? String == "n = 4")
        let all = try workspace.cairn("log", "out/metrics.json", "--all", "--json")
        let dirty = try #require(all.events.first { $0["dirty"] as? Bool == true })
        #expect((dirty["metrics"] as? [String: String])?["value"] == "100")
        #expect(dirty["modified"] as? [String] == ["data/n.txt"])
        #expect(all.events.count == 4, "two commits and two dirty runs (n=3 ran before its commit, n=5)")
        #expect(try workspace.cairn("log", "out/metrics.json", "--all").stdout.contains("(dirty: data/n.txt)"))
    }

    /// The raw data comes back too, byte for byte, and afterwards everything is fresh.
    @Test func checkoutOfAnEarlierCommitGivesItsDataAndOutputsBack() throws {
        let workspace = try Self.repository()
        try Self.runAndCommit(workspace, n: 3)
        let files = ["data/n.txt", "out/double.txt", "out/square.txt", "out/metrics.json", "pipelines/p.lock"]
        let first = try files.map { try workspace.bytes($0) }
        try Self.runAndCommit(workspace, n: 4)

        let checkout = try workspace.cairn("checkout", "HEAD~1")
        #expect(checkout.status == 0, "\(checkout.stderr)")
        #expect(try files.map { try workspace.bytes($0) } == first)
        #expect(try Self.git(workspace, "diff", "--name-only", "HEAD~1") == "", "the work tree is as HEAD~1 has it")
        let status = try workspace.cairn("status", "--json")
        #expect(status.events.count == 3 && status.events.allSatisfy { $0["state"] as? String == "fresh" }, "\(status.stdout)")

        try workspace.write("data/n.txt", "9\n")
        let refused = try workspace.cairn("checkout", "HEAD")
        #expect(refused.status == 2 && refused.stderr.contains("data/n.txt") && refused.stderr.contains("--force"), "\(refused.stderr)")
        #expect(try workspace.read("data/n.txt") == "9\n" && (try workspace.read("out/double.txt")) == "6\n", "nothing was touched")
        let forced = try workspace.cairn("checkout", "HEAD", "--force")
        #expect(forced.status == 0)
        #expect(try workspace.read("data/n.txt") == "4\n")
        #expect(try workspace.read("out/metrics.json") == "{\"value\":64}\n")
        #expect(try Self.git(workspace, "status", "--porcelain") == "")
        #expect(try workspace.cairn("run", "--json").stages(withStatus: "skipped").count == 3)
    }

    /// What the committed lock file pins is found however runs and commits were ordered.
    @Test func aCommitMadeAfterANoOpRunStillResolves() throws {
        let workspace = try Self.repository()
        #expect(try workspace.cairn("run").status == 0)
        let lineage = try workspace.cairn("lineage", "out/metrics.json", "--rev", "HEAD")
        #expect(lineage.status == 2 && lineage.stderr.contains("holds no lock files"), "a commit without a lock file pins nothing")

        #expect(try workspace.cairn("run").status == 0)  // a no-op run: nothing recorded
        try Self.commitAll(workspace, "the run")
        try workspace.write("README", "notes\n")
        try Self.commitAll(workspace, "unrelated")
        let resolved = try workspace.cairn("lineage", "out/metrics.json", "--rev", "HEAD", "--json")
        #expect(resolved.status == 0, "\(resolved.stderr)")
        let run = try Self.git(workspace, "rev-parse", "refs/cairn/lineage").trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(resolved.stdout.contains("\"built_in\":\"\(run)\""), "the run made before both commits built it")
        #expect(Self.metricsRow(try workspace.cairn("metrics", "diff", "HEAD~1", "HEAD", "--json")) == (36, 36))
        let text = try workspace.cairn("lineage", "out/metrics.json", "--rev", "HEAD~1").stdout
        #expect(text.contains("← p.square") && text.contains("← p.double") && text.contains("data/n.txt") && text.contains("(external)"))
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
        #expect(try workspace.cairn("lineage", "out/metrics.json").stdout.contains("\"three\""))
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
        try Self.commitAll(workspace, "fan")
        #expect(try workspace.cairn("run").status == 0)
        let text = try workspace.cairn("lineage", "out/last.txt").stdout
        #expect(text.components(separatedBy: "← p.base").count - 1 == 8)
        #expect(text.components(separatedBy: "← p.base (shown above)").count - 1 == 7)
        #expect(text.components(separatedBy: "data/n.txt").count - 1 == 1)
        #expect(text.split(separator: "\n").count < 60, "\(text)")
        let json = try workspace.cairn("lineage", "out/last.txt", "--json").stdout
        #expect(json.components(separatedBy: "\"shown_above\":true").count - 1 == 7)
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

    @Test func checkoutNamesWhatIsMissingAndWhereToPullItFrom() throws {
        let workspace = try Self.repository()
        try Self.runAndCommit(workspace, n: 3)
        try workspace.remove("artifacts/.cache")
        try workspace.remove("out/square.txt")
        let result = try workspace.cairn("checkout", "HEAD", "out/square.txt")
        #expect(result.status == 1)
        #expect(result.stderr.contains("out/square.txt") && result.stderr.contains("no remote store is set"), "\(result.stderr)")
    }

    /// A truncated object is refused: checkout fails and the file in the workspace stays.
    @Test func checkoutRefusesATruncatedObject() throws {
        let workspace = try Self.repository()
        try Self.runAndCommit(workspace, n: 3)
        let good = try workspace.read("out/square.txt")
        // A new file, as an editor saves one: the old one is the store's object, read-only.
        try workspace.remove("out/square.txt")
        try workspace.write("out/square.txt", "changed by hand\n")
        let squareObject = try HardeningTests.objectPath(ofContent: good, in: workspace)
        chmod(workspace.root.appendingPathComponent(squareObject).path, 0o644)
        try workspace.write(squareObject, String(good.prefix(1)))
        let result = try workspace.cairn("checkout", "HEAD", "out/square.txt", "--force")
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

/// Params diffs, garbage collection and sharing through a remote store, by commit.
@Suite struct LineageStoreTests {
    @Test func paramsDiffComparesCommittedParamsWithTheWorkspace() throws {
        let workspace = try LineageTests.repository()
        try workspace.write("pipelines/p.yaml", LineageTests.pipeline.replacingOccurrences(
            of: "echo $(( $(cat ${inputs.n}) * 2 ))", with: "echo $(( $(cat ${inputs.n}) * ${params.scale} ))")
            .replacingOccurrences(of: "stages:", with: "params: params.yaml\nstages:"))
        try workspace.write("params.yaml", "scale: 2\n")
        try LineageTests.runAndCommit(workspace, n: 3)
        try workspace.write("params.yaml", "scale: 3\n")
        let pending = try workspace.cairn("params", "diff", "--json")
        let scale = try #require(pending.events.first { $0["key"] as? String == "p:scale" })
        #expect(scale["old"] as? Double == 2 && scale["new"] as? Double == 3, "before any run, against HEAD")
        try LineageTests.runAndCommit(workspace, n: 3)
        #expect(LineageTests.metricsRow(try workspace.cairn("metrics", "diff", "HEAD~1", "HEAD", "--json")) == (36, 81))
        let committed = try workspace.cairn("params", "diff", "HEAD~1", "HEAD", "--json")
        #expect(committed.events.first { $0["key"] as? String == "p:scale" }?["new"] as? Double == 3)
        #expect(try workspace.cairn("params", "diff", "--json").events.allSatisfy { $0["old"] as? Double == $0["new"] as? Double })
    }

    /// What any commit of a branch names stays; what only a dropped experiment named goes.
    @Test func gcKeepsWhatAnyCommitsLockFilesName() throws {
        let workspace = try LineageTests.repository()
        try LineageTests.runAndCommit(workspace, n: 3)
        try LineageTests.runAndCommit(workspace, n: 4)
        for n in [5, 7] {  // two experiments; the workspace keeps the last
            try workspace.write("data/n.txt", "\(n)\n")
            #expect(try workspace.cairn("run").status == 0)
        }
        #expect(try workspace.cairn("gc", "--dry-run").stdout.contains("would free 0 object(s)"), "every recorded run is kept")
        let gc = try workspace.cairn("gc", "--keep-last", "0")
        #expect(gc.stdout.contains("freed 4 object(s)"), "n=5: its data, double, square and metrics: \(gc.stdout)")
        #expect(try workspace.cairn("checkout", "HEAD~1").status == 0)
        #expect(try workspace.read("out/metrics.json") == "{\"value\":36}\n")
        #expect(try workspace.read("data/n.txt") == "3\n")
        #expect(try workspace.cairn("checkout", "HEAD").status == 0)
        #expect(try workspace.read("out/metrics.json") == "{\"value\":64}\n")
        #expect(try workspace.cairn("gc", "--keep-last", "0").stdout.contains("freed 4 object(s)"),
                "n=7, which the workspace named until the checkout")
        #expect(try workspace.cairn("gc", "--keep-last", "0").stdout.contains("freed 0 object(s)"))
    }

    /// A fresh clone with the lineage refs and the remote store has every file of a commit
    /// without running a stage.
    @Test func aFreshCloneChecksOutEveryFileWithoutRunning() throws {
        let remote = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-remote-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: remote) }
        let origin = try LineageTests.repository()
        try origin.write(".cairn/config", "remote: \(remote)\n")
        try LineageTests.runAndCommit(origin, n: 3)
        let pushed = try origin.cairn("push")
        #expect(pushed.status == 0 && pushed.stdout.contains("pushed 4 object(s)"), "data and three outputs: \(pushed.stdout)\(pushed.stderr)")

        let clone = try TestWorkspace()
        try FileManager.default.removeItem(at: clone.root)
        try LineageTests.git(origin, "clone", "-q", origin.root.path, clone.root.path)
        try LineageTests.git(clone, "fetch", "-q", "origin", "refs/cairn/*:refs/cairn/*")
        try clone.write(".cairn/config", "remote: \(remote)\n")
        let early = try clone.cairn("checkout", "HEAD")
        #expect(early.status == 1 && early.stderr.contains("`cairn pull` fetches them from the remote store \(remote)"), "\(early.stderr)")
        #expect(try clone.cairn("pull").stdout.contains("pulled 4 object(s)"))
        #expect(try clone.cairn("checkout", "HEAD").status == 0)
        for path in ["data/n.txt", "out/double.txt", "out/square.txt", "out/metrics.json"] {
            #expect(try clone.bytes(path) == (try origin.bytes(path)), "\(path)")
        }
        let run = try clone.cairn("run", "--json")
        #expect(run.stages(withStatus: "skipped") == ["double", "square", "report"])
        #expect(try clone.cairn("lineage", "out/metrics.json").stdout.contains("\"three\""), "the run record came with the refs")
    }
}
