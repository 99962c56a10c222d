import Foundation
import Testing

/// Whether a Slurm cluster answers (`scripts/slurm-cluster.sh start` makes one on localhost and
/// prints the `SLURM_CONF` to export). Without one the Slurm tests are skipped, and say so.
enum SlurmCluster {
    static let isUp: Bool = {
        let environment = ProcessInfo.processInfo.environment
        // A node that can take jobs: idle, or busy with other jobs.
        let states = (try? SlurmCluster.output(["sinfo", "-h", "-o", "%T"]))?.split(separator: "\n").map(String.init) ?? []
        let up = environment["SLURM_CONF"] != nil && states.contains { ["idle", "mixed", "mix", "allocated", "alloc", "completing"].contains($0) }
        if !up {
            FileHandle.standardError.write(Data("""
                *** SKIPPING the Slurm tests: no Slurm cluster answers (SLURM_CONF unset or sinfo shows no node that takes jobs).
                *** Start one with: eval "$(scripts/slurm-cluster.sh start)"

                """.utf8))
        }
        return up
    }()

    /// What a program (found on PATH) prints.
    static func output(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    /// The jobs Slurm knows whose name starts with `prefix`: id → state.
    static func jobs(named prefix: String) throws -> [String: String] {
        let text = try SlurmCluster.output(["squeue", "-h", "-t", "all", "-o", "%i %j %T"])
        return Dictionary(text.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ").map(String.init)
            return fields.count == 3 && fields[1].hasPrefix(prefix) ? (fields[0], fields[2]) : nil
        }) { first, _ in first }
    }

    /// A pipeline name no other test's jobs share, so that its jobs can be picked out of `squeue`.
    static func unique(_ prefix: String) -> String { prefix + String(UInt32.random(in: 0...UInt32.max)) }

    /// A workspace whose one pipeline, `pipelines/NAME.yaml`, is `pipeline`.
    static func workspace(_ name: String, _ pipeline: String) throws -> TestWorkspace {
        try TestWorkspace(files: ["pipelines/\(name).yaml": pipeline])
    }

    /// `scontrol show job ID`'s start and end, in seconds since the epoch.
    static func times(of id: String) throws -> (start: Date, end: Date) {
        let text = try SlurmCluster.output(["scontrol", "show", "job", id])
        func field(_ name: String) -> Date {
            let value = text.components(separatedBy: name + "=").dropFirst().first?.split(separator: " ").first.map(String.init) ?? ""
            let formatter = DateFormatter()
            formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ss"
            return formatter.date(from: value) ?? .distantPast
        }
        return (field("StartTime"), field("EndTime"))
    }
}

@Suite(.serialized, .enabled(if: SlurmCluster.isUp, "needs a Slurm cluster: eval \"$(scripts/slurm-cluster.sh start)\""))
struct SlurmTests {
    /// A diamond: a → b, c → d; each stage sleeps a second so that Slurm's start and end times
    /// (whole seconds) show the order.
    static func diamond(name: String) -> String {
        """
        stages:
          a:
            cmd: sleep 1; echo \(name) > ${outputs.out}
            inputs: [data/seed.txt]
            outputs: { out: out/a.txt }
          b:
            cmd: sleep 1; cat ${inputs.a} > ${outputs.out}; echo b >> ${outputs.out}
            inputs: { a: a.out }
            outputs: { out: out/b.txt }
          c:
            cmd: sleep 1; cat ${inputs.a} > ${outputs.out}; echo c >> ${outputs.out}
            inputs: { a: a.out }
            outputs: { out: out/c.txt }
          d:
            cmd: sleep 1; cat ${inputs.b} ${inputs.c} > ${outputs.out}
            inputs: { b: b.out, c: c.out }
            outputs: { out: out/d.txt }
        """
    }

    static func slurmLogIDs(_ workspace: TestWorkspace, pipeline: String) throws -> [String: String] {
        var ids: [String: String] = [:]
        for stage in ["a", "b", "c", "d"] {
            let log = try workspace.read(".cairn/logs/\(pipeline)/\(stage).slurm.log")
            let id = log.components(separatedBy: "slurm job ").dropFirst().first?.split(separator: " ").first.map(String.init)
            ids[stage] = id
        }
        return ids
    }

    @Test func aDiamondRunsAsJobsInTheOrderOfItsEdgesAndEqualsALocalRun() throws {
        let name = SlurmCluster.unique("diamond")
        let files = ["pipelines/\(name).yaml": Self.diamond(name: name), "data/seed.txt": "1\n"]
        let cluster = try TestWorkspace(files: files), local = try TestWorkspace(files: files)
        let run = try cluster.cairn("run", "--executor", "slurm", "--json")
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(run.stages(withStatus: "ran") == ["a", "b", "c", "d"])
        #expect(try local.cairn("run").status == 0)
        for path in ["out/a.txt", "out/b.txt", "out/c.txt", "out/d.txt", "pipelines/\(name).lock"] {
            #expect(try cluster.bytes(path) == local.bytes(path), "\(path)")
        }
        // Each job's log names it; Slurm ran b and c after a ended, and d after both.
        let ids = try Self.slurmLogIDs(cluster, pipeline: name)
        #expect(Set(try SlurmCluster.jobs(named: "cairn:\(name).").keys) == Set(ids.values))
        let times = try ids.mapValues(SlurmCluster.times(of:))
        #expect(times["a"]!.end <= times["b"]!.start && times["a"]!.end <= times["c"]!.start)
        #expect(times["b"]!.end <= times["d"]!.start && times["c"]!.end <= times["d"]!.start)
        let jobFolders = (try? FileManager.default.contentsOfDirectory(atPath: cluster.root.appendingPathComponent(".cairn/jobs").path)) ?? []
        #expect(jobFolders.isEmpty, "job folders are removed once the head has read them")

        // Fresh stages and run-cache hits submit nothing.
        let again = try cluster.cairn("run", "--executor", "slurm", "--json")
        #expect(again.stages(withStatus: "skipped") == ["a", "b", "c", "d"])
        try cluster.remove("out")
        let restored = try cluster.cairn("run", "--executor", "slurm", "--json")
        #expect(restored.stages(withStatus: "restored") == ["a", "b", "c", "d"])
        #expect(try SlurmCluster.jobs(named: "cairn:\(name).").count == 4)
    }

    @Test func aFailingJobBlocksWhatReadsFromItAndShowsItsLog() throws {
        let name = SlurmCluster.unique("failing")
        let pipeline = Self.diamond(name: name).replacingOccurrences(of: "cmd: sleep 1; cat ${inputs.a} > ${outputs.out}; echo b",
                                                                     with: "cmd: echo broken on purpose; exit 3; echo b")
        let workspace = try TestWorkspace(files: ["pipelines/\(name).yaml": pipeline, "data/seed.txt": "1\n"])
        let run = try workspace.cairn("run", "--executor", "slurm")
        #expect(run.status == 1)
        #expect(run.stdout.contains("failed   \(name).b"), "\(run.stdout)")
        #expect(run.stdout.contains("exit status 3") && run.stdout.contains("(slurm job "), "\(run.stdout)")
        #expect(run.stdout.contains("│ broken on purpose"), "\(run.stdout)")
        #expect(run.stdout.contains("blocked  \(name).d"))
        #expect(try workspace.read("out/c.txt") == "\(name)\nc\n")
        #expect(!workspace.exists("out/b.txt"))
    }

    @Test func anInterruptCancelsTheJobsItSubmitted() throws {
        let name = SlurmCluster.unique("interrupt")
        // Three stages that each want the node to themselves: one runs, two wait in the queue.
        let pipeline = "stages:\n" + ["long", "longer", "longest"].map { stage in
            "  \(stage):\n    cmd: sleep 60 > ${outputs.out}\n    outputs: { out: out/\(stage).txt }\n    resources: { extra: [--exclusive] }\n"
        }.joined()
        let workspace = try SlurmCluster.workspace(name, pipeline)
        let started = try workspace.start(["run", "--executor", "slurm", "-j", "3"])
        #expect(TestWorkspace.waitFor(seconds: 30) {
            let states = ((try? SlurmCluster.jobs(named: "cairn:\(name).")) ?? [:]).values.sorted()
            return states == ["PENDING", "PENDING", "RUNNING"]
        })
        kill(started.0.processIdentifier, SIGINT)
        let result = TestWorkspace.finish(started)
        #expect(result.status == 130, "\(result.stdout)\(result.stderr)")
        #expect(TestWorkspace.waitFor(seconds: 30) {
            ((try? SlurmCluster.jobs(named: "cairn:\(name).")) ?? [:]).values.allSatisfy { !["RUNNING", "PENDING"].contains($0) }
        })
        #expect(!workspace.exists("out/long.txt") && !workspace.exists("pipelines/\(name).lock"))
    }
}

extension SlurmTests {
    @Test func aJobKilledForMemoryIsRetriedWithMore() throws {
        let name = SlurmCluster.unique("memory")
        let pipeline = """
            stages:
              hungry:
                cmd: '[ "$SLURM_MEM_PER_NODE" -ge 400 ] || kill -9 $$; echo "$SLURM_MEM_PER_NODE" > ${outputs.out}'
                outputs: { out: out/mem.txt }
                resources: { mem: 100M, time: "10:00" }
                retries: 2
            """
        let workspace = try SlurmCluster.workspace(name, pipeline)
        let run = try workspace.cairn("run", "--executor", "slurm")
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.contains("attempt 1 of 3 failed (command failed with signal 9"), "\(run.stdout)")
        #expect(run.stdout.contains("attempt 2 of 3 failed"))
        #expect(try workspace.read("out/mem.txt") == "400\n")
        let memories = try SlurmCluster.output(["squeue", "-h", "-t", "all", "-o", "%j %m"]).split(separator: "\n")
            .filter { $0.hasPrefix("cairn:\(name).") }.map { $0.split(separator: " ")[1] }
        #expect(memories.sorted() == ["100M", "200M", "400M"], "\(memories)")
    }

    @Test func aStageTimeoutStopsTheJob() throws {
        let name = SlurmCluster.unique("timeout")
        let pipeline = """
            stages:
              slow:
                cmd: sleep 60 > ${outputs.out}
                outputs: { out: out/slow.txt }
                timeout: 2s
            """
        let workspace = try SlurmCluster.workspace(name, pipeline)
        let started = Date()
        let run = try workspace.cairn("run", "--executor", "slurm")
        #expect(run.status == 1)
        #expect(Date().timeIntervalSince(started) < 20)
        #expect(run.stdout.contains("stopped after its timeout of 2.00s (slurm job "), "\(run.stdout)")
        #expect(!workspace.exists("out/slow.txt"))
    }
}

extension SlurmTests {
    @Test func theVariantsOfASweepRunAsJobs() throws {
        let name = SlurmCluster.unique("sweep")
        let pipeline = ExperimentTests.pipeline
        let workspace = try TestWorkspace(files: ["pipelines/\(name).yaml": pipeline, "params.yaml": ExperimentTests.params, "data/rows.txt": "c\na\nb\n"])
        #expect(try workspace.cairn("init").status == 0)
        try LineageTests.commitAll(workspace, "start")
        let sweep = try workspace.cairn("exp", "run", "-S", "train.a=1,2,3", "--executor", "slurm", "-j", "3")
        #expect(sweep.status == 0, "\(sweep.stdout)\(sweep.stderr)")
        let rows = try ExperimentTests.shown(workspace)
        #expect(Set(rows.values.compactMap(ExperimentTests.score)) == [10, 20, 30])
        // The shared stages ran once, as one job each; score once per variant.
        let jobs = try SlurmCluster.output(["squeue", "-h", "-t", "all", "-o", "%j"]).split(separator: "\n").filter { $0.hasPrefix("cairn:\(name).") }
        #expect(jobs.sorted() == ["cairn:\(name).count", "cairn:\(name).prepare", "cairn:\(name).score", "cairn:\(name).score", "cairn:\(name).score"])
    }
}

extension SlurmTests {
    /// `cairn stage-exec` killed before it writes its result: after the grace period the job
    /// counts as failed, with the state Slurm last gave it.
    @Test func aJobThatEndsWithoutAResultFailsAfterTheGracePeriod() throws {
        let name = SlurmCluster.unique("vanish")
        let pipeline = """
            stages:
              gone:
                cmd: kill -9 $PPID; sleep 5
                outputs: { out: out/gone.txt }
            """
        let workspace = try SlurmCluster.workspace(name, pipeline)
        let run = try workspace.cairn("run", "--executor", "slurm", environment: ["CAIRN_SLURM_GRACE_SECONDS": "1"])
        #expect(run.status == 1)
        #expect(run.stdout.contains("without a result"), "\(run.stdout)")
        #expect(run.stdout.contains("(FAILED)") || run.stdout.contains("(no longer known to Slurm)"), "\(run.stdout)")
    }
}
