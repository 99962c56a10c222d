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
