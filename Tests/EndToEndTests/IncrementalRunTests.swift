import Foundation
import Testing

/// Make-style behaviour by content: what runs the first time, after each kind of change, and
/// that the run after that does nothing.
@Suite struct IncrementalRunTests {
    static let pipeline = """
        params: params.yaml
        stages:
          upper:
            cmd: tr a-z A-Z < ${inputs.raw} > ${outputs.text}; echo upper >> runs.log
            inputs: { raw: data/words.txt }
            outputs: { text: out/upper.txt }
          count:
            cmd: wc -l < ${inputs.text} | tr -d ' ' > ${outputs.count}; echo count >> runs.log
            inputs: { text: upper.text }
            outputs: { count: out/count.txt }
          scaled:
            cmd: echo ${params.model.scale} > ${outputs.value}; echo scaled >> runs.log
            outputs: { value: out/scaled.txt }
          notes:
            cmd: cat ${inputs.data/notes.txt} > ${outputs.copy}; echo notes >> runs.log
            inputs: [data/notes.txt]
            outputs: { copy: out/notes.txt }
            params: [model.name]
        """

    static func makeWorkspace() throws -> TestWorkspace {
        try TestWorkspace(files: [
            "pipelines/demo.yaml": pipeline,
            "params.yaml": "model:\n  scale: 0.1\n  name: first\n",
            "data/words.txt": "alpha\nbeta\n",
            "data/notes.txt": "remember\n",
        ])
    }

    @Test func firstRunRunsEverythingAndTheNextRunNothing() throws {
        let workspace = try Self.makeWorkspace()
        let first = try workspace.cairn("run", "--json")
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stages(withStatus: "ran") == ["upper", "count", "scaled", "notes"])
        #expect(first.reason("upper") == "never ran")
        #expect(try workspace.read("out/upper.txt") == "ALPHA\nBETA\n")
        #expect(try workspace.read("out/count.txt") == "2\n")
        #expect(try workspace.read("out/scaled.txt") == "0.1\n")
        #expect(workspace.exists("pipelines/demo.lock"))

        let lockBefore = try workspace.read("pipelines/demo.lock")
        let second = try workspace.cairn("run", "--json")
        #expect(second.status == 0)
        #expect(second.stages(withStatus: "skipped") == ["upper", "count", "scaled", "notes"])
        #expect(workspace.lines("runs.log").count == 4)
        #expect(try workspace.read("pipelines/demo.lock") == lockBefore)
    }

    @Test func touchingAnInputWithoutChangingItRunsNothing() throws {
        let workspace = try Self.makeWorkspace()
        try workspace.cairn("run")
        usleep(20_000)
        let path = workspace.root.appendingPathComponent("data/words.txt").path
        try FileManager.default.setAttributes([.modificationDate: Date()], ofItemAtPath: path)
        let result = try workspace.cairn("run", "--json")
        #expect(result.stages(withStatus: "skipped").count == 4)
        #expect(workspace.lines("runs.log").count == 4)
    }

    @Test func aContentChangeRerunsThatStageAndItsDependentsOnly() throws {
        let workspace = try Self.makeWorkspace()
        try workspace.cairn("run")
        try workspace.write("data/words.txt", "alpha\nbeta\ngamma\n")
        let result = try workspace.cairn("run", "--json")
        #expect(result.stages(withStatus: "ran") == ["upper", "count"])
        #expect(result.stages(withStatus: "skipped") == ["scaled", "notes"])
        #expect(result.reason("upper") == "input data/words.txt changed")
        #expect(result.reason("count") == "input out/upper.txt changed")
        #expect(try workspace.read("out/count.txt") == "3\n")
        #expect(try workspace.cairn("run", "--json").stages(withStatus: "skipped").count == 4)
    }

    /// A stage that was fresh before the run is decided again once the stage it reads from has
    /// rerun: skipped when that wrote the same bytes, run when it wrote others.
    @Test func aStageAfterARerunIsDecidedOnWhatTheRerunWrote() throws {
        let workspace = try Self.makeWorkspace()
        try workspace.cairn("run")
        try workspace.write("data/words.txt", "ALPHA\nBETA\n")  // upper writes the same text
        let same = try workspace.cairn("run", "--json")
        #expect(same.stages(withStatus: "ran") == ["upper"])
        #expect(same.stages(withStatus: "skipped") == ["count", "scaled", "notes"])
        try workspace.write("data/words.txt", "ALPHA\n")
        let other = try workspace.cairn("run", "--json")
        #expect(other.stages(withStatus: "ran") == ["upper", "count"])
        #expect(try workspace.read("out/count.txt") == "1\n")
    }

    @Test func aCommandChangeRerunsThatStage() throws {
        let workspace = try Self.makeWorkspace()
        try workspace.cairn("run")
        try workspace.write("pipelines/demo.yaml", Self.pipeline.replacingOccurrences(of: "cat ${inputs.data/notes.txt}",
                                                                                      with: "sort ${inputs.data/notes.txt}"))
        let result = try workspace.cairn("run", "--json")
        #expect(result.stages(withStatus: "ran") == ["notes"])
        #expect(result.reason("notes") == "cmd changed")
    }

    @Test func aParamChangeRerunsOnlyTheStagesNamingIt() throws {
        let workspace = try Self.makeWorkspace()
        try workspace.cairn("run")
        try workspace.write("params.yaml", "model:\n  scale: 1\n  name: first\n")
        let result = try workspace.cairn("run", "--json")
        #expect(result.stages(withStatus: "ran") == ["scaled"])
        #expect(result.reason("scaled") == "param model.scale 0.1 → 1")
        #expect(try workspace.read("out/scaled.txt") == "1\n")

        // Reformatting the params file without changing a value changes nothing.
        try workspace.write("params.yaml", "# tuned\nmodel: { name: first, scale: 1 }\n")
        #expect(try workspace.cairn("run", "--json").stages(withStatus: "skipped").count == 4)
    }

    @Test func aDeletedOutputIsRestoredFromTheStoreWithoutRunning() throws {
        let workspace = try Self.makeWorkspace()
        try workspace.cairn("run")
        try workspace.remove("out/upper.txt")
        let result = try workspace.cairn("run", "--json")
        #expect(result.statuses["upper"] == "restored")
        #expect(result.reason("upper") == "output out/upper.txt missing")
        #expect(result.statuses["count"] == "skipped")
        #expect(workspace.lines("runs.log").count == 4)
        #expect(try workspace.read("out/upper.txt") == "ALPHA\nBETA\n")

        // The restored output is the store's object, linked and read-only. Root may still edit it
        // in place: the next run finds the output changed and the object damaged, drops the
        // object and runs the stage, which makes both anew.
        let path = workspace.root.appendingPathComponent("out/upper.txt").path
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o444)
        try "edited\n".write(toFile: path, atomically: false, encoding: .utf8)
        let edited = try workspace.cairn("run", "--json")
        #expect(edited.statuses["upper"] == "ran")
        #expect(edited.reason("upper") == "output out/upper.txt changed")
        #expect(edited.events.contains { ($0["message"] as? String)?.contains("is damaged") == true }, "\(edited.events)")
        #expect(try workspace.read("out/upper.txt") == "ALPHA\nBETA\n")
        try workspace.remove("out/upper.txt")
        #expect(try workspace.cairn("run", "--json").statuses["upper"] == "restored", "the object made anew restores")
    }

    @Test func revertingAParamRestoresFromTheRunCache() throws {
        let workspace = try Self.makeWorkspace()
        try workspace.cairn("run")
        try workspace.write("params.yaml", "model:\n  scale: 2\n  name: first\n")
        #expect(try workspace.cairn("run", "--json").statuses["scaled"] == "ran")
        try workspace.write("params.yaml", "model:\n  scale: 0.1\n  name: first\n")
        let reverted = try workspace.cairn("run", "--json")
        #expect(reverted.statuses["scaled"] == "restored")
        #expect(reverted.reason("scaled") == "param model.scale 2 → 0.1")
        #expect(try workspace.read("out/scaled.txt") == "0.1\n")
        #expect(workspace.lines("runs.log").filter { $0 == "scaled" }.count == 2)
    }

    @Test func forceRerunsEvenFreshStages() throws {
        let workspace = try Self.makeWorkspace()
        try workspace.cairn("run")
        let result = try workspace.cairn("run", "--force", "-s", "count", "--json")
        #expect(result.stages(withStatus: "ran") == ["upper", "count"])
        #expect(result.reason("count") == "forced")
        #expect(result.statuses["scaled"] == nil)
    }

    /// `--single` runs only the named stage, and only on fresh upstream; `--downstream` runs what
    /// reads from it; `-s PIPELINE.STAGE` names a stage as runs print it.
    @Test func singleAndDownstreamSelections() throws {
        let workspace = try Self.makeWorkspace()
        #expect(try workspace.cairn("run").status == 0)
        let single = try workspace.cairn("run", "--force", "--single", "-s", "demo.count", "--json")
        #expect(single.status == 0 && single.statuses == ["count": "ran"], "\(single.stderr)")
        let downstream = try workspace.cairn("run", "--force", "--downstream", "-s", "upper", "--json")
        #expect(downstream.statuses == ["upper": "ran", "count": "ran"])

        try workspace.write("data/words.txt", "alpha\nbeta\ngamma\n")
        let stale = try workspace.cairn("run", "--single", "-s", "count")
        #expect(stale.status == 2)
        #expect(stale.stderr.contains("stage 'upper' is stale (input data/words.txt changed) and the selected stages read from it"), "\(stale.stderr)")
        #expect(try workspace.read("out/count.txt") == "2\n")
        let unknown = try workspace.cairn("run", "-s", "demo.cuont")
        #expect(unknown.status == 2 && unknown.stderr.contains("did you mean 'demo.count'?"))
    }

    @Test func statusAndDryRunSayWhatIsStaleAndChangeNothing() throws {
        let workspace = try Self.makeWorkspace()
        try workspace.cairn("run")
        try workspace.write("data/notes.txt", "changed\n")
        let status = try workspace.cairn("status", "--json")
        let states = Dictionary(uniqueKeysWithValues: status.events.map { ($0["stage"] as! String, $0["state"] as! String) })
        #expect(states == ["upper": "fresh", "count": "fresh", "scaled": "fresh", "notes": "stale"])
        let dryRun = try workspace.cairn("run", "--dry-run")
        #expect(dryRun.stdout.contains("would run     demo.notes"))
        #expect(dryRun.stdout.contains("input data/notes.txt changed"))
        #expect(try workspace.read("out/notes.txt") == "remember\n")
    }
}
