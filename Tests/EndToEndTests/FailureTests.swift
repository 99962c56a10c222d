import Foundation
import Testing

/// A failing stage leaves nothing half-written, keeps what was built, and stops only what
/// depends on it.
@Suite struct FailureTests {
    static let pipeline = """
        stages:
          good:
            cmd: echo good > ${outputs.out}
            outputs: { out: out/good.txt }
          bad:
            cmd: echo partial > ${outputs.out}; echo "something broke" >&2; exit $(cat ${inputs.code})
            inputs: { code: data/code.txt }
            outputs: { out: out/bad.txt }
          after_bad:
            cmd: cat ${inputs.in} > ${outputs.out}
            inputs: { in: bad.out }
            outputs: { out: out/after.txt }
          after_good:
            cmd: cat ${inputs.in} > ${outputs.out}
            inputs: { in: good.out }
            outputs: { out: out/after_good.txt }
        """

    @Test func aFailingStageLeavesNoPartialOutputAndBlocksOnlyItsDependents() throws {
        let workspace = try TestWorkspace(files: ["pipelines/p.yaml": Self.pipeline.replacingOccurrences(
            of: "exit $(cat ${inputs.code})", with: "exit 3"), "data/code.txt": "3"])
        let result = try workspace.cairn("run", "--keep-going", "-j", "1", "--json")
        #expect(result.status == 1)
        #expect(result.statuses == ["good": "ran", "bad": "failed", "after_bad": "blocked", "after_good": "ran"])
        #expect(!workspace.exists("out/bad.txt"))
        #expect(try workspace.read("out/good.txt") == "good\n")
        let lock = try workspace.read("pipelines/p.lock")
        #expect(lock.contains("\"good\""))
        #expect(!lock.contains("\"bad\""))
        #expect(try workspace.cairn("run", "--keep-going", "--json").statuses["good"] == "skipped")
    }

    /// Without --keep-going the run stops, yet every stage still gets one event: the failure's
    /// dependents are blocked, stages it never reached are not run, and the counts add up.
    @Test func aStoppedRunAccountsForEveryStage() throws {
        let chain = (1...6).map { "  next\($0):\n    cmd: cat ${inputs.in} > ${outputs.out}\n    inputs: { in: \($0 == 1 ? "bad" : "next\($0 - 1)").out }\n    outputs: { out: out/next\($0).txt }\n" }
        let pipeline = Self.pipeline.replacingOccurrences(of: "exit $(cat ${inputs.code})", with: "exit 3") + "\n" + chain.joined()
        let workspace = try TestWorkspace(files: ["pipelines/p.yaml": pipeline, "data/code.txt": "3"])
        let result = try workspace.cairn("run", "-j", "1", "--json")
        #expect(result.status == 1)
        let statuses = result.statuses
        #expect(statuses.count == 10)
        #expect(statuses["good"] == "ran" && statuses["bad"] == "failed")
        #expect(Set(statuses.filter { $0.value == "blocked" }.keys) == Set(["after_bad"] + (1...6).map { "next\($0)" }))
        #expect(statuses["after_good"] == "not_run")
        let summary = try #require(result.events.first { $0["event"] as? String == "summary" })
        let counted = ["ran", "restored", "skipped", "failed", "blocked", "not_run"].reduce(0) { $0 + (summary[$1] as? Int ?? 0) }
        #expect(counted == 10 && summary["blocked"] as? Int == 7)
        let plain = try workspace.cairn("run", "-j", "1")
        #expect(plain.stdout.contains("p: 1 skipped, 1 failed, 7 blocked, 1 not run in"))
    }

    @Test func aFailureKeepsThePreviousOutputAndShowsTheLog() throws {
        let workspace = try TestWorkspace(files: ["pipelines/p.yaml": Self.pipeline, "data/code.txt": "0"])
        #expect(try workspace.cairn("run").status == 0)
        #expect(try workspace.read("out/bad.txt") == "partial\n")
        try workspace.write("data/code.txt", "4")
        let result = try workspace.cairn("run")
        #expect(result.status == 1)
        #expect(result.stdout.contains("command failed with exit status 4"))
        #expect(result.stdout.contains("something broke"))
        #expect(try workspace.read("out/bad.txt") == "partial\n")
        #expect(try workspace.read(".cairn/logs/p/bad.log").contains("something broke"))
    }

    @Test func anOutputTheCommandNeverWroteFailsTheStage() throws {
        let workspace = try TestWorkspace(files: ["pipelines/p.yaml": """
            stages:
              lazy:
                cmd: "true"
                outputs: { out: out/never.txt }
            """])
        let result = try workspace.cairn("run", "--json")
        #expect(result.status == 1)
        #expect(result.stdout.contains("did not write its output 'out'"))
    }
}
