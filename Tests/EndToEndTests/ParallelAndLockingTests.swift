import Foundation
import Testing

/// Independent stages run at once; a second run waits for the first; an interrupted run
/// leaves nothing that looks fresh.
@Suite struct ParallelAndLockingTests {
    @Test func twoIndependentStagesRunAtOnceWithTwoJobs() throws {
        let workspace = try TestWorkspace(files: ["pipelines/p.yaml": """
            stages:
              left:
                cmd: sleep 1 && echo left > ${outputs.out}
                outputs: { out: out/left.txt }
              right:
                cmd: sleep 1 && echo right > ${outputs.out}
                outputs: { out: out/right.txt }
            """])
        let started = Date()
        let result = try workspace.cairn("run", "-j", "2", "--json")
        let elapsed = Date().timeIntervalSince(started)
        #expect(result.status == 0)
        #expect(result.stages(withStatus: "ran") == ["left", "right"])
        #expect(elapsed < 1.7, "took \(elapsed) s")
    }

    /// `slow` waits until the test creates `release`.
    static let slowPipeline = """
        stages:
          slow:
            cmd: touch started && while [ ! -f release ]; do sleep 0.02; done && echo done > ${outputs.out}
            inputs: { seed: data/seed.txt }
            outputs: { out: out/slow.txt }
          quick:
            cmd: cat ${inputs.in} > ${outputs.out}
            inputs: { in: slow.out }
            outputs: { out: out/quick.txt }
        """

    @Test func aSecondRunWaitsForTheFirstAndTheLockFileStaysWhole() throws {
        let workspace = try TestWorkspace(files: ["pipelines/p.yaml": Self.slowPipeline, "data/seed.txt": "1"])
        let first = try workspace.start(["run", "--json"])
        #expect(TestWorkspace.waitFor(seconds: 10) { workspace.exists("started") })
        let refused = try workspace.cairn("run", "--no-wait")
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("pid \(first.0.processIdentifier)"))
        let second = try workspace.start(["run", "--json"])
        usleep(300_000)
        try workspace.write("release", "")
        let firstResult = TestWorkspace.finish(first)
        let secondResult = TestWorkspace.finish(second)
        #expect(firstResult.status == 0 && secondResult.status == 0)
        #expect(firstResult.stages(withStatus: "ran") == ["slow", "quick"])
        #expect(secondResult.stages(withStatus: "skipped") == ["slow", "quick"])
        #expect(secondResult.stderr.contains("waiting for another cairn run"))
        let lock = try JSONSerialization.jsonObject(with: Data(try workspace.read("pipelines/p.lock").utf8)) as? [String: Any]
        #expect((lock?["stages"] as? [String: Any])?.count == 2)
    }

    @Test func anInterruptedRunLeavesNoPartialOutputAndTheNextRunFinishes() throws {
        let workspace = try TestWorkspace(files: [
            "pipelines/p.yaml": Self.slowPipeline.replacingOccurrences(
                of: "touch started && while", with: "echo half > ${outputs.out} && touch started && while"),
            "data/seed.txt": "1",
        ])
        let run = try workspace.start(["run"])
        #expect(TestWorkspace.waitFor(seconds: 10) { workspace.exists("started") })
        kill(run.0.processIdentifier, SIGINT)
        let interrupted = TestWorkspace.finish(run)
        #expect(interrupted.status == 130)
        #expect(!workspace.exists("out/slow.txt"))
        let lock = workspace.exists("pipelines/p.lock") ? try workspace.read("pipelines/p.lock") : ""
        #expect(!lock.contains("slow"))
        let holder = workspace.exists(".cairn/lock") ? try workspace.read(".cairn/lock") : ""
        #expect(holder.isEmpty)

        try workspace.write("release", "")
        let rerun = try workspace.cairn("run", "--json")
        #expect(rerun.status == 0)
        #expect(rerun.stages(withStatus: "ran") == ["slow", "quick"])
        #expect(try workspace.read("out/quick.txt") == "done\n")
    }
}
