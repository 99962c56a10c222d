import Foundation
import Testing

/// Params in every stage, `-S` overrides and experiments, through the `cairn` binary in real
/// git repositories; git's command line checks what is shared.
@Suite struct ExperimentTests {
    /// `prepare` and `count` use no param; `score` = a × 10 + b, and fails for b = 13.
    static let pipeline = """
        params: params.yaml
        stages:
          prepare:
            cmd: sort ${inputs.data} > ${outputs.out}
            inputs: { data: data/rows.txt }
            outputs: { out: out/sorted.txt }
          count:
            cmd: wc -l < ${inputs.rows} > ${outputs.out}
            inputs: { rows: prepare.out }
            outputs: { out: out/count.txt }
          score:
            cmd: >-
              a=${params.train.a}; b=${params.train.b}; [ $b -ne 13 ] &&
              echo "{\\"score\\": $((a * 10 + b)), \\"rows\\": $(cat ${inputs.n})}" > ${outputs.metrics}
            inputs: { n: count.out }
            outputs: { metrics: out/metrics.json }
            metrics: [metrics]
        """

    static let params = """
        # what score is made of
        train:
          a: 1   # tens
          b: 0
        """

    static func repository() throws -> TestWorkspace {
        let workspace = try TestWorkspace(files: ["pipelines/p.yaml": pipeline, "params.yaml": params, "data/rows.txt": "c\na\nb\n"])
        #expect(try workspace.cairn("init").status == 0)
        try workspace.write(".gitignore", try workspace.read(".gitignore") + "out/\n")
        try LineageTests.commitAll(workspace, "start")
        return workspace
    }

    /// `cairn exp show --json`, by name.
    static func shown(_ workspace: TestWorkspace) throws -> [String: [String: Any]] {
        let show = try workspace.cairn("exp", "show", "--json")
        #expect(show.status == 0, "\(show.stderr)")
        let rows = try JSONSerialization.jsonObject(with: Data(show.stdout.utf8)) as? [[String: Any]] ?? []
        return Dictionary(uniqueKeysWithValues: rows.map { ($0["name"] as! String, $0) })
    }

    static func score(_ row: [String: Any]?) -> Double? { (row?["metrics"] as? [String: Any])?["out/metrics.json:score"] as? Double }

    @Test func aSweepRunsTheStagesEveryVariantSharesOnce() throws {
        let workspace = try Self.repository()
        let sweep = try workspace.cairn("exp", "run", "-S", "train.a=1,2,3", "-S", "train.b=range(1,3)", "-j", "4", "--json")
        #expect(sweep.status == 0, "\(sweep.stderr)")
        let stages = sweep.events.filter { $0["event"] as? String == "stage" }
        func count(_ stage: String, _ status: String) -> Int { stages.filter { $0["stage"] as? String == stage && $0["status"] as? String == status }.count }
        #expect(count("prepare", "ran") == 1 && count("prepare", "restored") == 5)
        #expect(count("count", "ran") == 1 && count("count", "restored") == 5)
        #expect(count("score", "ran") == 6)
        let rows = try Self.shown(workspace)
        #expect(rows.count == 6)
        var seen: Set<String> = []
        for row in rows.values {
            let params = try #require(row["params"] as? [String: Any])
            let a = try #require(params["train.a"] as? Double), b = try #require(params["train.b"] as? Double)
            seen.insert("\(Int(a)),\(Int(b))")
            #expect(row["status"] as? String == "succeeded")
            #expect(Self.score(row) == a * 10 + b)
            #expect((row["metrics"] as? [String: Any])?["out/metrics.json:rows"] as? Double == 3)
        }
        #expect(seen == ["1,1", "1,2", "2,1", "2,2", "3,1", "3,2"])
        // The workspace itself is untouched: nothing ran in it, its params file is as it was.
        #expect(!workspace.exists("out/metrics.json") && !workspace.exists("pipelines/p.lock"))
        #expect(try workspace.read("params.yaml") == Self.params)
        // Sorted and filtered as asked; CSV has a header and a line per experiment.
        let best = try workspace.cairn("exp", "show", "--sort-by", "score", "--descending", "--filter", "train.b=1")
        let lines = best.stdout.split(separator: "\n")
        #expect(lines.count == 4 && lines[1].contains("  3  ") && lines[3].contains("  1  "), "\(best.stdout)")
        let csv = try workspace.cairn("exp", "show", "--csv")
        #expect(csv.stdout.split(separator: "\n").count == 7)
        #expect(csv.stdout.hasPrefix("name,created,commit,status,train.a,train.b,out/metrics.json:rows,out/metrics.json:score\n"))
        // The report shows the table and, for two swept params, parallel coordinates: a line each.
        #expect(try workspace.cairn("report").status == 0)
        let page = try workspace.read("artifacts/p/report.html")
        #expect(page.components(separatedBy: "<tr class=\"succeeded\">").count == 7)
        #expect(page.components(separatedBy: "<polyline class=\"experiment\"").count == 7)
        #expect(page.contains("through train.a, train.b and score"))
        // Every combination again: every stage comes from the run cache.
        let again = try workspace.cairn("exp", "run", "-S", "train.a=1,2,3", "-S", "train.b=range(1,3)", "--json")
        #expect(again.events.filter { $0["event"] as? String == "stage" && $0["status"] as? String == "ran" }.isEmpty)
        #expect(try Self.shown(workspace).count == 6)
    }

    @Test func aFailingVariantIsShownFailedAndTheOthersFinish() throws {
        let workspace = try Self.repository()
        let sweep = try workspace.cairn("exp", "run", "-S", "train.b=1,13,2", "-n", "try", "-j", "1")
        #expect(sweep.status == 1)
        #expect(sweep.stdout.contains("failed   try-2"), "\(sweep.stdout)")
        let rows = try Self.shown(workspace)
        #expect(rows["try-1"]?["status"] as? String == "succeeded" && Self.score(rows["try-1"]) == 11)
        #expect(rows["try-3"]?["status"] as? String == "succeeded" && Self.score(rows["try-3"]) == 12)
        #expect(rows["try-2"]?["status"] as? String == "failed")
        #expect((rows["try-2"]?["error"] as? String)?.contains("p.score") == true)
        // One swept param: the metric against it, a point per experiment that succeeded.
        #expect(try workspace.cairn("report").status == 0)
        let page = try workspace.read("artifacts/p/report.html")
        #expect(page.contains("score against train.b") && page.components(separatedBy: "<circle class=\"experiment\"").count == 3)
        #expect(page.contains("<tr class=\"failed\">"))
        let table = try workspace.cairn("exp", "show", "--filter", "status=failed")
        #expect(table.stdout.split(separator: "\n").count == 2 && table.stdout.contains("try-2"))
    }

    @Test func applyThenCommitPinsTheExperiment() throws {
        let workspace = try Self.repository()
        #expect(try workspace.cairn("run").status == 0)
        try LineageTests.commitAll(workspace, "baseline")
        #expect(try workspace.cairn("exp", "run", "-S", "train.a=4", "-S", "train.b=2", "-n", "big").status == 0)
        let diff = try workspace.cairn("exp", "diff", "big", "big", "--json")
        #expect(diff.status == 0 && diff.events.isEmpty)
        let apply = try workspace.cairn("exp", "apply", "big")
        #expect(apply.status == 0, "\(apply.stderr)")
        // Only the values changed in the params file's text; its comments stay.
        #expect(try workspace.read("params.yaml") == Self.params.replacingOccurrences(of: "a: 1", with: "a: 4").replacingOccurrences(of: "b: 0", with: "b: 2"))
        #expect(try workspace.read("out/metrics.json").contains("\"score\": 42"))
        let status = try workspace.cairn("status", "--json")
        #expect(status.events.allSatisfy { $0["state"] as? String == "fresh" }, "\(status.stdout)")
        try LineageTests.commitAll(workspace, "apply big")
        let metrics = try workspace.cairn("metrics", "diff", "HEAD~1", "HEAD", "--json")
        let score = metrics.events.first { $0["key"] as? String == "out/metrics.json:score" }
        #expect(score?["old"] as? Double == 10 && score?["new"] as? Double == 42)
        let params = try workspace.cairn("params", "diff", "HEAD~1", "HEAD", "--json")
        #expect(params.events.contains { $0["key"] as? String == "p:train.a" && $0["new"] as? Double == 4 })
        // A fresh clone checks the applied experiment out: outputs came from the store.
        #expect(try workspace.cairn("checkout", "HEAD").status == 0)
    }

    @Test func experimentsAreSharedThroughGitAndForgottenByRemoveAndGC() throws {
        let workspace = try Self.repository()
        #expect(try workspace.cairn("exp", "run", "-S", "train.a=5,6").status == 0)
        let remote = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-remote-\(UUID().uuidString).git")
        defer { try? FileManager.default.removeItem(at: remote) }
        try LineageTests.git(workspace, "init", "-q", "--bare", remote.path)
        try LineageTests.git(workspace, "push", "-q", remote.path, "HEAD:refs/heads/main", "refs/cairn/exps/*:refs/cairn/exps/*")
        let copy = TestWorkspace(existing: FileManager.default.temporaryDirectory.appendingPathComponent("cairn-clone-\(UUID().uuidString)"))
        try LineageTests.git(workspace, "clone", "-q", "-b", "main", remote.path, copy.root.path)
        try LineageTests.git(copy, "fetch", "-q", "origin", "refs/cairn/exps/*:refs/cairn/exps/*")
        let rows = try Self.shown(copy)
        #expect(Set(rows.values.compactMap(Self.score)) == [50, 60])

        let before = try workspace.cairn("gc", "--dry-run")
        #expect(before.status == 0)
        let names = try Self.shown(workspace).keys.sorted()
        #expect(try workspace.cairn("exp", "remove", names[0]).status == 0)
        #expect(try Self.shown(workspace).count == 1)
        #expect(try workspace.cairn("exp", "remove", "--all").status == 0)
        #expect(try Self.shown(workspace).isEmpty)
        let gc = try workspace.cairn("gc")
        #expect(gc.status == 0 && !gc.stdout.contains("freed 0 "), "\(gc.stdout)")
    }

    @Test func queuedVariantsRunLaterAndRandomDrawsAreSeeded() throws {
        let workspace = try Self.repository()
        try workspace.write("sweep.yaml", "sweep:\n  train.a: [1, 2, 3, 4]\n  train.b: range(0,5)\nrandom: 3\nseed: 7\n")
        let queued = try workspace.cairn("exp", "run", "--sweep", "sweep.yaml", "--queue", "--json")
        #expect(queued.status == 0, "\(queued.stderr)")
        #expect(queued.events.count == 3)
        #expect(try Self.shown(workspace).values.allSatisfy { $0["status"] as? String == "queued" })
        // The same draw again names the same experiments; another seed draws others.
        let redraw = try workspace.cairn("exp", "run", "--sweep", "sweep.yaml", "--queue", "--json")
        #expect(Set(redraw.events.compactMap { $0["experiment"] as? String }) == Set(queued.events.compactMap { $0["experiment"] as? String }))
        let ran = try workspace.cairn("exp", "run", "--run-queue", "--json")
        #expect(ran.status == 0, "\(ran.stderr)")
        let rows = try Self.shown(workspace)
        #expect(rows.count == 3 && rows.values.allSatisfy { $0["status"] as? String == "succeeded" })
        #expect(try workspace.cairn("exp", "run", "--run-queue").stderr.contains("the queue is empty"))
        let unknown = try workspace.cairn("exp", "run", "-S", "train.c=1,2")
        #expect(unknown.status == 2 && unknown.stderr.contains("did you mean 'train.a'"), "\(unknown.stderr)")
    }

    @Test func overridesRunWithoutEditingFilesAndAreRecordedAsSuch() throws {
        let workspace = try Self.repository()
        #expect(try workspace.cairn("run").status == 0)
        try LineageTests.commitAll(workspace, "baseline")
        let run = try workspace.cairn("run", "-S", "train.a=7", "--json")
        #expect(run.status == 0)
        #expect(run.stages(withStatus: "ran") == ["score"] && run.reason("score") == "param train.a 1 → 7")
        #expect(try workspace.read("params.yaml") == Self.params)
        #expect(try workspace.read("out/metrics.json").contains("\"score\": 70"))
        #expect(try workspace.read("pipelines/p.lock").contains("\"overridden\": [\n        \"train.a\"\n      ]"))
        let params = try workspace.cairn("params", "diff", "--json")
        let row = params.events.first { $0["key"] as? String == "p:train.a" }
        #expect(row?["new"] as? Double == 7 && row?["new_override"] as? Bool == true)
        #expect(try workspace.cairn("params", "diff").stdout.contains("7 (-S)"))
        let record = try LineageTests.git(workspace, "show", "refs/cairn/lineage:run.json")
        #expect(record.contains("\"overrides\": {\n    \"p\": {\n      \"train.a\": \"7\""), "\(record)")
        #expect(try workspace.cairn("lineage", "out/metrics.json").stdout.contains("train.a=7 (-S override)"))
        // Without the override the file's value is back, and only score reruns (restored).
        let back = try workspace.cairn("run", "--json")
        #expect(back.stages(withStatus: "restored") == ["score"])
        #expect(!(try workspace.read("pipelines/p.lock").contains("overridden")))
        let unknown = try workspace.cairn("run", "-S", "train.z=1")
        #expect(unknown.status == 2 && unknown.stderr.contains("-S train.z: no such key in params.yaml"))
    }

    /// The example pipeline, with its seed and C as `${params…}` in built-in stages' `with:`.
    static func example() throws -> TestWorkspace {
        try DataPlaneTests().exampleWorkspace()
    }

    @Test func paramsInWithMakeExactlyTheStagesThatUseThemStale() throws {
        let workspace = try Self.example()
        #expect(try workspace.read("pipelines/penguins.yaml").contains("seed: \"${params.split.seed}\""))
        #expect(try workspace.cairn("run").status == 0)
        try workspace.write("params.yaml", try workspace.read("params.yaml").replacingOccurrences(of: "C: 1.0", with: "C: 0.5"))
        let status = try workspace.cairn("status", "--json")
        let states = Dictionary(uniqueKeysWithValues: status.events.map { ($0["stage"] as! String, $0["state"] as! String) })
        #expect(states.filter { $0.value == "stale" }.keys.sorted() == ["evaluate", "monitor", "train"], "\(states)")
        let reasons = status.events.first { $0["stage"] as? String == "train" }?["reasons"] as? [String]
        #expect(reasons == ["param train.C 1.0 → 0.5"])
        let lock = try workspace.read("pipelines/penguins.lock")
        #expect(lock.contains("\"train.C\": \"1.0\"") && lock.contains("\"split.seed\": \"42\""))
        // A value of the wrong type is reported where the param is used, with its value and origin.
        let wrong = try workspace.cairn("run", "-S", "split.seed=abc")
        #expect(wrong.status == 2)
        #expect(wrong.stderr.contains("pipelines/penguins.yaml:"), "\(wrong.stderr)")
        #expect(wrong.stderr.contains("(${params.split.seed} is \"abc\", from -S split.seed=abc)"), "\(wrong.stderr)")
    }
}
