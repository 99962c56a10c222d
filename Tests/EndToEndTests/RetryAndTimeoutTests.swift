import Foundation
import Testing

/// `retries:`, `timeout:` and `resources:` of a stage, on this machine.
@Suite struct RetryAndTimeoutTests {
    /// Fails until it has been started `succeedOn` times (counted in a file outside its outputs).
    static func flaky(retries: Int, succeedOn: Int) -> String {
        """
        stages:
          flaky:
            cmd: n=$(( $(cat attempts 2>/dev/null || echo 0) + 1 )); echo $n > attempts; [ $n -ge \(succeedOn) ] && echo ok > ${outputs.out}
            outputs: { out: out/ok.txt }
            retries: \(retries)
        """
    }

    @Test func aFailedStageIsTriedAgainAsManyTimesAsItsRetriesSay() throws {
        let workspace = try TestWorkspace(files: ["pipelines/p.yaml": Self.flaky(retries: 2, succeedOn: 3)])
        let run = try workspace.cairn("run")
        #expect(run.status == 0, "\(run.stdout)")
        #expect(run.stdout.contains("warning: p.flaky: attempt 1 of 3 failed (command failed with exit status 1); trying again"), "\(run.stdout)")
        #expect(run.stdout.contains("attempt 2 of 3 failed") && !run.stdout.contains("attempt 3 of 3"))
        #expect(try workspace.read("out/ok.txt") == "ok\n")

        let short = try TestWorkspace(files: ["pipelines/p.yaml": Self.flaky(retries: 1, succeedOn: 3)])
        let failed = try short.cairn("run")
        #expect(failed.status == 1 && failed.stdout.contains("failed   p.flaky"))
        #expect(try short.read("attempts") == "2\n")
    }

    @Test func aStageRunningPastItsTimeoutIsStoppedAndFails() throws {
        let workspace = try TestWorkspace(files: ["pipelines/p.yaml": """
            stages:
              slow:
                cmd: sleep 30 > ${outputs.out}
                outputs: { out: out/slow.txt }
                timeout: 1s
            """])
        let started = Date()
        let run = try workspace.cairn("run")
        #expect(run.status == 1)
        #expect(Date().timeIntervalSince(started) < 10)
        #expect(run.stdout.contains("stopped after its timeout of 1.00s"), "\(run.stdout)")
        #expect(!workspace.exists("out/slow.txt"))
    }

    @Test(arguments: [
        ("resources: { mem: 4X }", "'4X' is not a Slurm memory size", 6),
        ("resources: { time: \"1:2:3:4\" }", "'1:2:3:4' is not a Slurm time limit", 6),
        ("resources: { cpus: 0 }", "'cpus' must be at least 1", 6),
        ("resources: { memory: 4G }", "unknown key 'memory'", 6),
        ("retries: 500", "'retries:' takes a count from 0 to 100", 6),
        ("timeout: soon", "'soon' is not a duration", 6),
    ])
    func resourcesRetriesAndTimeoutsAreCheckedWhenThePipelineLoads(_ line: String, _ message: String, _ row: Int) throws {
        let workspace = try TestWorkspace(files: ["pipelines/p.yaml": """
            stages:
              s:
                cmd: echo > ${outputs.out}
                outputs: { out: out/s.txt }

                \(line)
            """])
        let run = try workspace.cairn("run")
        #expect(run.status == 2)
        #expect(run.stderr.contains("pipelines/p.yaml:\(row):"), "\(run.stderr)")
        #expect(run.stderr.contains(message), "\(run.stderr)")
    }

    @Test func resourcesAreNotPartOfTheFingerprint() throws {
        let pipeline = "stages:\n  s:\n    cmd: echo hi > ${outputs.out}\n    outputs: { out: out/s.txt }\n"
        let workspace = try TestWorkspace(files: ["pipelines/p.yaml": pipeline])
        #expect(try workspace.cairn("run").status == 0)
        try workspace.write("pipelines/p.yaml", pipeline + "    resources: { mem: 8G, cpus: 4, time: \"2:00:00\" }\n    retries: 3\n    timeout: 1h\n")
        let again = try workspace.cairn("run", "--json")
        #expect(again.stages(withStatus: "skipped") == ["s"])
    }
}
