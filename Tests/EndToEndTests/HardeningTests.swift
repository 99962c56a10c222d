import Foundation
import Testing

/// What a damaged store, a reserved output, a stage writing its own input or a concurrent gc
/// does to a real run of the built binary.
@Suite struct HardeningTests {
    static let pipeline = """
        stages:
          make:
            cmd: cat ${inputs.n} ${inputs.n} > ${outputs.out}
            inputs: { n: data/n.txt }
            outputs: { out: out/model.txt }
          use:
            cmd: wc -c < ${inputs.model} > ${outputs.out}
            inputs: { model: make.out }
            outputs: { out: out/size.txt }
        """

    static func object(_ workspace: TestWorkspace, of path: String) throws -> String {
        try objectPath(ofFile: workspace.root.appendingPathComponent(path).path)
    }

    /// The store path of an object holding `content`.
    static func objectPath(ofContent content: String, in workspace: TestWorkspace) throws -> String {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-content-\(UUID().uuidString)").path
        try Data(content.utf8).write(to: URL(fileURLWithPath: file))
        return try objectPath(ofFile: file)
    }

    static func objectPath(ofFile file: String) throws -> String {
        let sum = Process()
        sum.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        sum.arguments = [file]
        let out = Pipe()
        sum.standardOutput = out
        try sum.run()
        let hex = String(String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).prefix(64))
        sum.waitUntilExit()
        return "artifacts/.cache/objects/\(hex.prefix(2))/\(hex.dropFirst(2))"
    }

    /// Flips one byte of a stored object, keeping its size.
    static func damage(_ workspace: TestWorkspace, _ object: String) throws {
        let url = workspace.root.appendingPathComponent(object)
        chmod(url.path, 0o644)
        var bytes = try Data(contentsOf: url)
        bytes[0] ^= 0x20
        try bytes.write(to: url)
    }

    @Test func aDamagedObjectIsNeverRestoredTheStageRunsInstead() throws {
        let workspace = try TestWorkspace(files: ["pipelines/p.yaml": Self.pipeline, "data/n.txt": "12345\n"])
        #expect(try workspace.cairn("run").status == 0)
        let good = try workspace.bytes("out/model.txt")
        try Self.damage(workspace, try Self.object(workspace, of: "out/model.txt"))
        try workspace.remove("out/model.txt")
        let rerun = try workspace.cairn("run", "--json")
        #expect(rerun.status == 0)
        #expect(rerun.statuses["make"] == "ran", "\(rerun.stdout)")
        #expect(rerun.events.contains { $0["event"] as? String == "warning" && ($0["message"] as? String)?.contains("is damaged") == true })
        #expect(try workspace.bytes("out/model.txt") == good)
        // The store holds the good bytes again: deleting the output now restores it.
        try workspace.remove("out/model.txt")
        #expect(try workspace.cairn("run", "--json").statuses["make"] == "restored")
        #expect(try workspace.bytes("out/model.txt") == good)
    }

    /// `--force` replaces a damaged object of the same size instead of keeping it because one exists.
    @Test func forceReplacesADamagedObject() throws {
        let workspace = try TestWorkspace(files: ["pipelines/p.yaml": Self.pipeline, "data/n.txt": "12345\n"])
        #expect(try workspace.cairn("run").status == 0)
        let object = try Self.object(workspace, of: "out/model.txt")
        try Self.damage(workspace, object)
        #expect(try workspace.cairn("run", "--force").status == 0)
        #expect(try workspace.bytes(object) == (try workspace.bytes("out/model.txt")))
    }

    @Test func aStageThatWritesItsInputFails() throws {
        let workspace = try TestWorkspace(files: [
            "data/n.txt": "7\n",
            "pipelines/p.yaml": """
                stages:
                  sneaky:
                    cmd: cp ${inputs.n} keep; echo 8 > ${inputs.n}; cat ${inputs.n} > ${outputs.out}; cp keep ${inputs.n}
                    inputs: { n: data/n.txt }
                    outputs: { out: out/x.txt }
                """,
        ])
        let result = try workspace.cairn("run")
        #expect(result.status == 1)
        #expect(result.stdout.contains("input data/n.txt changed while the stage ran"), "\(result.stdout)")
        #expect(!workspace.exists("out/x.txt") && !workspace.exists("pipelines/p.lock"))
    }

    @Test(arguments: [".git", "pipelines", ".cairn/state", "artifacts"])
    func reservedOutputsAreSpecErrors(_ output: String) throws {
        let workspace = try TestWorkspace(files: ["pipelines/p.yaml": "stages:\n  s:\n    cmd: touch ${outputs.o}\n    outputs: { o: \(output) }\n"])
        let result = try workspace.cairn("run")
        #expect(result.status == 2)
        #expect(result.stderr.contains("pipelines/p.yaml:4:19: error: output '\(output)' of stage 's'"), "\(result.stderr)")
        #expect(result.stderr.contains("which Cairn or git keeps"))
        #expect(workspace.exists("pipelines/p.yaml"))
    }

    /// gc waits for a run that holds the workspace, so it cannot delete what that run just stored.
    @Test func gcWaitsForARunningRun() throws {
        let workspace = try TestWorkspace(files: [
            "pipelines/p.yaml": "stages:\n  slow:\n    cmd: sleep 1.5; echo done > ${outputs.o}\n    outputs: { o: out/slow.txt }\n",
        ])
        let run = try workspace.start(["run"])
        #expect(TestWorkspace.waitFor(seconds: 5) { workspace.exists(".cairn/lock") })
        usleep(300_000)
        #expect(try workspace.cairn("gc").status == 0)
        #expect(TestWorkspace.finish(run).status == 0)
        try workspace.remove("out/slow.txt")
        #expect(try workspace.cairn("run", "--json").statuses["slow"] == "restored")
    }

    /// fsck finds a damaged object; push copies the others and names it; with --repair the object
    /// is removed and fetched again from a remote that holds it intact.
    @Test func fsckFindsAndRepairsAndPushSkipsDamage() throws {
        let workspace = try TestWorkspace(files: ["pipelines/p.yaml": Self.pipeline, "data/n.txt": "12345\n"])
        let remote = workspace.root.appendingPathComponent("remote").path
        let environment = ["CAIRN_REMOTE": remote]
        #expect(try workspace.cairn("run").status == 0)
        #expect(try workspace.cairn("fsck").stdout.contains("checked 3 object(s): 0 damaged"), "the raw data and two outputs")
        let object = try Self.object(workspace, of: "out/model.txt")
        try Self.damage(workspace, object)
        let found = try workspace.cairn("fsck")
        #expect(found.status == 1 && found.stdout.contains("damaged ") && found.stdout.contains("1 damaged"), "\(found.stdout)")
        let pushed = try workspace.cairn("push", environment: environment)
        #expect(pushed.status == 1 && pushed.stdout.contains("pushed 2 object(s)") && pushed.stderr.contains("skipped: ") && pushed.stderr.contains("is damaged"),
                "\(pushed.stdout)\(pushed.stderr)")

        try Self.damage(workspace, object)  // undo: the flip is its own inverse
        #expect(try workspace.cairn("push", environment: environment).status == 0)
        try Self.damage(workspace, object)
        let repaired = try workspace.cairn("fsck", "--repair", environment: environment)
        #expect(repaired.status == 0 && repaired.stdout.contains("1 damaged, removed, 1 fetched again"), "\(repaired.stdout)")
        #expect(try workspace.cairn("fsck").stdout.contains("0 damaged"))
    }

    /// A killed cairn leaves its stage's processes and temporary files: the next run (holding
    /// the workspace) stops the processes and removes the files; gc removes partial store copies
    /// whose writer is gone.
    @Test func leftoversOfAKilledRunAreCleaned() throws {
        let slow = "stages:\n  s:\n    cmd: (sleep 60) & echo $! > child.pid; sleep 60; echo x > ${outputs.o}\n    outputs: { o: out/s.txt }\n"
        let workspace = try TestWorkspace(files: ["pipelines/p.yaml": slow])
        // Output to /dev/null: the stage's processes must not hold a pipe this test would wait on.
        let run = Process()
        run.executableURL = URL(fileURLWithPath: TestWorkspace.binary)
        run.arguments = ["run"]
        run.currentDirectoryURL = workspace.root
        run.standardOutput = FileHandle.nullDevice
        run.standardError = FileHandle.nullDevice
        try run.run()
        #expect(TestWorkspace.waitFor(seconds: 10) { (try? workspace.read("child.pid")) != nil })
        usleep(200_000)
        let pid = run.processIdentifier
        kill(pid, SIGKILL)
        // Dead once it is a zombie or gone (Foundation reaps it in its own time).
        #expect(TestWorkspace.waitFor(seconds: 5) {
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return true }
            return stat.split(separator: ")").last?.split(separator: " ").first == "Z"
        })
        let child = try #require(Int32(try workspace.read("child.pid").trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(kill(child, 0) == 0, "the stage's processes outlive a killed cairn")
        #expect(!(try FileManager.default.contentsOfDirectory(atPath: workspace.root.appendingPathComponent(".cairn/tmp").path)).isEmpty)

        try workspace.write("pipelines/p.yaml", "stages:\n  s:\n    cmd: echo x > ${outputs.o}\n    outputs: { o: out/s.txt }\n")
        let next = try workspace.cairn("run")
        #expect(next.status == 0 && next.stdout.contains("cleaned up after a cairn that was killed"), "\(next.stdout)")
        #expect(TestWorkspace.waitFor(seconds: 5) { kill(child, 0) != 0 }, "the leftover group was stopped")
        #expect(try FileManager.default.contentsOfDirectory(atPath: workspace.root.appendingPathComponent(".cairn/tmp").path).isEmpty)
        #expect(try workspace.cairn("run").stdout.contains("cleaned up") == false)

        let incoming = "artifacts/.cache/objects/ab/cdef.incoming-999999-1"
        try workspace.write(incoming, "partial")
        #expect(try workspace.cairn("gc").status == 0)
        #expect(!workspace.exists(incoming))
    }

    /// Past `FolderLinks.listAfter` (1,024) outputs in one folder, whether each is a link is read
    /// from the folder's listing rather than asked one by one: a link out among them (the last
    /// stage's, asked about after the listing on any number of cores) is still refused.
    @Test func aLinkOutAmongManyOutputsOfOneFolderIsRefused() throws {
        let outside = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-outside-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
        let stages = (0..<3000).map { "  s\($0):\n    cmd: echo x > ${outputs.o}\n    outputs: { o: out/s\($0).txt }\n" }.joined()
        let workspace = try TestWorkspace(files: ["pipelines/p.yaml": "stages:\n" + stages, "out/s1.txt": "x\n", "out/s70.txt": "x\n"])
        try FileManager.default.createSymbolicLink(at: workspace.root.appendingPathComponent("out/s2999.txt"),
                                                   withDestinationURL: outside.appendingPathComponent("secret.txt"))
        let result = try workspace.cairn("run")
        #expect(result.status == 2 && result.stderr.contains("output 'out/s2999.txt' of stage 's2999' leads outside the workspace through a symbolic link"),
                "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: outside.appendingPathComponent("secret.txt").path))
        // A link that stays inside the workspace is an output like any other.
        try FileManager.default.removeItem(at: workspace.root.appendingPathComponent("out/s2999.txt"))
        try FileManager.default.createSymbolicLink(atPath: workspace.root.appendingPathComponent("out/s2999.txt").path, withDestinationPath: "s70.txt")
        let status = try workspace.cairn("status")
        #expect(status.status == 0 && status.stdout.contains("3000 stages stale"), "\(status.stdout)\(status.stderr)")
    }

    /// A folder linked out of the workspace is outside it, whatever the path reads like.
    @Test func symbolicLinksOutOfTheWorkspaceAreRefused() throws {
        let outside = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-outside-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
        try Data("secret\n".utf8).write(to: outside.appendingPathComponent("data.csv"))
        let workspace = try TestWorkspace(files: ["pipelines/p.yaml": "stages:\n  s:\n    cmd: echo x > ${outputs.o}\n    outputs: { o: out/x.txt }\n"])
        try FileManager.default.createSymbolicLink(at: workspace.root.appendingPathComponent("out"), withDestinationURL: outside)
        let result = try workspace.cairn("run")
        #expect(result.status == 2 && result.stderr.contains("output 'out/x.txt' of stage 's' leads outside the workspace through a symbolic link"),
                "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: outside.appendingPathComponent("x.txt").path))

        try workspace.write("pipelines/p.yaml", "stages:\n  s:\n    cmd: cat ${inputs.d} > ${outputs.o}\n    inputs: { d: out/data.csv }\n    outputs: { o: result.txt }\n")
        let input = try workspace.cairn("run")
        #expect(input.status == 2 && input.stderr.contains("input 'out/data.csv' leads outside the workspace"), "\(input.stderr)")

        // The output itself a link out: replacing it must not reach what it points at.
        try workspace.write("pipelines/p.yaml", "stages:\n  s:\n    cmd: mkdir -p ${outputs.o}; echo x > ${outputs.o}/f\n    outputs: { o: out }\n")
        let itself = try workspace.cairn("run")
        #expect(itself.status == 2 && itself.stderr.contains("output 'out' of stage 's' leads outside the workspace"), "\(itself.stderr)")
        #expect(FileManager.default.fileExists(atPath: outside.appendingPathComponent("data.csv").path))
    }

    /// Mounts a tmpfs of `size` at `root` (mounting needs root, which the machines that run
    /// these tests are; without it the test fails and says why). Returns what unmounts it.
    static func mountTmpfs(at root: String, size: String) -> (() -> Void)? {
        try? FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let mount = Process()
        mount.executableURL = URL(fileURLWithPath: "/bin/mount")
        mount.arguments = ["-t", "tmpfs", "-o", "size=\(size)", "tmpfs", root]
        guard (try? mount.run()) != nil else {
            Issue.record("could not start /bin/mount: this test needs it")
            return nil
        }
        mount.waitUntilExit()
        guard mount.terminationStatus == 0 else {
            Issue.record("could not mount a \(size) tmpfs at \(root) (exit \(mount.terminationStatus)): this test needs root")
            return nil
        }
        return {
            let umount = Process()
            umount.executableURL = URL(fileURLWithPath: "/bin/umount")
            umount.arguments = [root]
            try? umount.run()
            umount.waitUntilExit()
        }
    }

    /// A store on another file system cannot be linked to: outputs are copied in and out,
    /// checked as they go, and runs and restores work as with links.
    @Test func aStoreOnAnotherFileSystemIsCopiedTo() throws {
        let workspace = try TestWorkspace()
        let store = workspace.root.appendingPathComponent("elsewhere").path
        guard let unmount = Self.mountTmpfs(at: store, size: "8m") else { return }
        defer { unmount() }
        try workspace.write(".cairn/config", "store: \(store)\n")
        try workspace.write("pipelines/p.yaml", "stages:\n  s:\n    cmd: echo built > ${outputs.o}\n    outputs: { o: out/o.txt }\n")
        #expect(try workspace.cairn("run").status == 0)
        let output = workspace.root.appendingPathComponent("out/o.txt").path
        let objects = try FileManager.default.subpathsOfDirectory(atPath: store + "/objects").filter { $0.count > 40 }
        #expect(objects.count == 1, "\(objects)")
        let object = store + "/objects/" + (objects.first ?? "")
        func inode(_ path: String) -> UInt64 {
            var info = stat()
            return stat(path, &info) == 0 ? UInt64(info.st_ino) : 0
        }
        #expect(inode(output) != 0 && inode(output) != inode(object), "a copy, not a link")
        #expect(try String(contentsOfFile: object, encoding: .utf8) == "built\n")
        try workspace.remove("out/o.txt")
        let restored = try workspace.cairn("run", "--json")
        #expect(restored.statuses["s"] == "restored")
        #expect(try workspace.read("out/o.txt") == "built\n")
        #expect(inode(output) != 0 && inode(output) != inode(object))
    }

    /// On a full disk a run fails with the previous output as it was and no partial store copy
    /// left, and `status` still reports. The workspace is a 2 MiB tmpfs (mounting needs root,
    /// which the machines that run these tests are; without it the test fails and says why).
    /// Outputs are linked into the store, not copied: it is the new output that does not fit.
    @Test func aFullDiskKeepsThePreviousOutput() throws {
        let workspace = try TestWorkspace()
        guard let unmount = Self.mountTmpfs(at: workspace.root.path, size: "2m") else { return }
        defer { unmount() }
        try workspace.write("pipelines/p.yaml", "stages:\n  s:\n    cmd: head -c $(cat ${inputs.n}) /dev/zero > ${outputs.o}\n    inputs: { n: data/n.txt }\n    outputs: { o: out/big.bin }\n")
        try workspace.write("data/n.txt", "600000\n")
        #expect(try workspace.cairn("run").status == 0)
        let before = try workspace.bytes("out/big.bin"), lock = try workspace.read("pipelines/p.lock")
        try workspace.write("data/n.txt", "1500000\n")
        let full = try workspace.cairn("run")
        #expect(full.status == 1, "\(full.stdout)\(full.stderr)")
        #expect(try workspace.bytes("out/big.bin") == before)
        #expect(try workspace.read("pipelines/p.lock") == lock)
        let objects = workspace.root.appendingPathComponent("artifacts/.cache/objects").path
        let leftovers = (FileManager.default.enumerator(atPath: objects)?.allObjects as? [String] ?? []).filter { $0.contains(".incoming-") }
        #expect(leftovers.isEmpty, "\(leftovers)")
        let status = try workspace.cairn("status")
        #expect(status.status == 0 && status.stdout.contains("stale"), "\(status.stdout)\(status.stderr)")
    }

    /// A store configured inside the workspace is reserved like the default one.
    @Test func anOutputOverAConfiguredStoreIsRefused() throws {
        let workspace = try TestWorkspace(files: [
            "pipelines/p.yaml": "stages:\n  s:\n    cmd: mkdir -p ${outputs.o}; echo x > ${outputs.o}/f\n    outputs: { o: shared }\n",
        ])
        let result = try workspace.cairn("run", environment: ["CAIRN_STORE": workspace.root.appendingPathComponent("shared/store").path])
        #expect(result.status == 1 && result.stdout.contains("holds the store"), "\(result.stdout)")
        #expect(!workspace.exists("shared/f"))
    }
}
