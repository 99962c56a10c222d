import Foundation
import Testing

/// `cairn.yaml` (committed) with `.cairn/config` (this machine's) over it, and `cairn remote`.
@Suite struct ProjectConfigTests {
    static let pipeline = "stages:\n  copy:\n    cmd: cp ${inputs.x} ${outputs.y}\n    inputs: { x: data/x.txt }\n    outputs: { y: out/y.txt }\n"

    static func folder() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("cairn-remote-\(UUID().uuidString)")
    }

    @Test func namedRemotesAreCommittedAndAFreshCloneUsesThem() throws {
        let workspace = try TestWorkspace(files: ["pipelines/p.yaml": Self.pipeline, "data/x.txt": "x\n"])
        let shared = Self.folder(), mine = Self.folder()
        defer { try? FileManager.default.removeItem(at: shared); try? FileManager.default.removeItem(at: mine) }
        #expect(try workspace.cairn("init").status == 0)
        try workspace.write(".gitignore", try workspace.read(".gitignore") + "out/\n")
        #expect(try workspace.cairn("remote", "add", "shared", shared.path, "--default").status == 0)
        #expect(try workspace.cairn("remote", "add", "mine", "file://" + mine.path, "--local").status == 0)
        #expect(try workspace.read("cairn.yaml").contains("default_remote: \"shared\""))
        let list = try workspace.cairn("remote", "list")
        #expect(list.stdout == "  mine  file://\(mine.path)\n* shared  \(shared.path)\n", "\(list.stdout)")
        #expect(try workspace.cairn("run").status == 0)
        #expect(try workspace.cairn("push").status == 0)
        #expect(FileManager.default.fileExists(atPath: shared.appendingPathComponent("objects").path))
        #expect(!FileManager.default.fileExists(atPath: mine.path))
        // By name through the environment; the local file is not committed.
        #expect(try workspace.cairn("push", environment: ["CAIRN_REMOTE": "mine"]).status == 0)
        #expect(FileManager.default.fileExists(atPath: mine.appendingPathComponent("objects").path))
        try LineageTests.commitAll(workspace, "with remotes")
        #expect(try LineageTests.git(workspace, "ls-files").contains("cairn.yaml"))

        let clone = TestWorkspace(existing: Self.folder())
        try LineageTests.git(workspace, "clone", "-q", workspace.root.path, clone.root.path)
        #expect(try clone.cairn("remote", "list").stdout == "* shared  \(shared.path)\n")
        #expect(try clone.cairn("pull").status == 0)
        let checkout = try clone.cairn("checkout", "HEAD")
        #expect(checkout.status == 0, "\(checkout.stderr)")
        #expect(try clone.read("out/y.txt") == "x\n")

        #expect(try workspace.cairn("remote", "remove", "shared").status == 0)
        #expect(try workspace.cairn("remote", "list").stdout == "* mine  file://\(mine.path)\n")
        #expect(try workspace.cairn("remote", "remove", "shared").status == 2)
    }

    @Test func anUnknownSchemeIsAnErrorAndMakesNothing() throws {
        let workspace = try TestWorkspace(files: ["pipelines/p.yaml": Self.pipeline, "data/x.txt": "x\n"])
        #expect(try workspace.cairn("run").status == 0)
        let push = try workspace.cairn("push", environment: ["CAIRN_REMOTE": "gs://my-bucket/cairn"])
        #expect(push.status == 2)
        #expect(push.stderr.contains("unknown remote URL scheme 'gs://'") && push.stderr.contains("Cairn knows remotes given as a path, file://PATH"))
        #expect(!workspace.exists("gs:"))
        let home = try TestWorkspace()
        let unsigned = try workspace.cairn("push", environment: ["CAIRN_REMOTE": "s3://my-bucket/cairn", "HOME": home.root.path,
                                                                 "AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": "", "AWS_PROFILE": ""])
        #expect(unsigned.status == 1 && unsigned.stderr.contains("no AWS credentials") && !workspace.exists("s3:"), "\(unsigned.stderr)")
        let add = try workspace.cairn("remote", "add", "cloud", "ftp://host/path")
        #expect(add.status == 2 && !workspace.exists("cairn.yaml"))
        try workspace.write("cairn.yaml", "remotes:\n  cloud: gs://b/p\n")
        let load = try workspace.cairn("push")
        #expect(load.status == 2 && load.stderr.contains("cairn.yaml:2:10:"), "\(load.stderr)")
    }

    @Test func theSettingsAreCheckedWithTheirPlaceAndTheLocalFileWins() throws {
        let workspace = try TestWorkspace(files: ["pipelines/p.yaml": Self.pipeline, "data/x.txt": "x\n"])
        try workspace.write("cairn.yaml", "remots: {}\n")
        let typo = try workspace.cairn("push")
        #expect(typo.status == 2 && typo.stderr.contains("cairn.yaml:1:1: error: unknown key 'remots'") && typo.stderr.contains("did you mean 'remotes'?"))
        try workspace.write("cairn.yaml", "remotes: { a: /tmp/a }\ndefault_remote: b\n")
        #expect(try workspace.cairn("remote", "list").stderr.contains("default_remote 'b' is not one of the remotes"))
        try workspace.write("cairn.yaml", "executor: nope\n")
        let run = try workspace.cairn("run")
        #expect(run.status == 2 && run.stderr.contains("no executor named 'nope'"))
        try workspace.write(".cairn/config", "executor: local\n")
        #expect(try workspace.cairn("run").status == 0)
    }
}

extension ProjectConfigTests {
    @Test func pushAndPullMoveOnlyWhatARevisionOrAPathNeeds() throws {
        let workspace = try TestWorkspace(files: ["pipelines/p.yaml": Self.pipeline, "data/x.txt": "one\n"])
        let remote = Self.folder()
        defer { try? FileManager.default.removeItem(at: remote) }
        #expect(try workspace.cairn("init").status == 0)
        try workspace.write(".gitignore", try workspace.read(".gitignore") + "out/\n")
        #expect(try workspace.cairn("remote", "add", "team", remote.path).status == 0)
        #expect(try workspace.cairn("run").status == 0)
        try LineageTests.commitAll(workspace, "one")
        try workspace.write("data/x.txt", "two\n")
        #expect(try workspace.cairn("run").status == 0)
        try LineageTests.commitAll(workspace, "two")
        func stored(_ text: String) throws -> Bool {
            // The object's path in a store, as the workspace's default store would hold it.
            let object = try HardeningTests.objectPath(ofContent: text, in: workspace).dropFirst("artifacts/.cache/".count)
            return FileManager.default.fileExists(atPath: remote.appendingPathComponent(String(object)).path)
        }
        // The raw input and the output hold the same bytes: one object, and the stage's run-cache entry.
        let old = try workspace.cairn("push", "--rev", "HEAD~1")
        #expect(old.status == 0 && old.stdout.hasPrefix("pushed 1 object(s), 0 KiB, and 1 run-cache entry"), "\(old.stdout)")
        #expect(try stored("one\n"))
        #expect(try !stored("two\n"))
        let output = try workspace.cairn("push", "out/y.txt")
        #expect(output.status == 0 && output.stdout.hasPrefix("pushed 1 object(s)"), "\(output.stdout)")
        #expect(try stored("two\n"))
        let unknown = try workspace.cairn("push", "--rev", "HEAD", "out/nothing.txt")
        #expect(unknown.status == 2 && unknown.stderr.contains("produces or reads out/nothing.txt"))
        // A clone pulls one commit's output alone, and checks it out.
        let clone = TestWorkspace(existing: Self.folder())
        try LineageTests.git(workspace, "clone", "-q", workspace.root.path, clone.root.path)
        let pull = try clone.cairn("pull", "--rev", "HEAD~1", "out/y.txt")
        #expect(pull.status == 0 && pull.stdout.hasPrefix("pulled 1 object(s)"), "\(pull.stdout)")
        #expect(try clone.cairn("checkout", "HEAD~1", "out/y.txt").status == 0)
        #expect(try clone.read("out/y.txt") == "one\n")
    }
}

extension ProjectConfigTests {
    @Test func runPullRestoresWhatTheRemoteHasInsteadOfRunning() throws {
        let remote = Self.folder()
        defer { try? FileManager.default.removeItem(at: remote) }
        let files = ["pipelines/p.yaml": Self.pipeline, "data/x.txt": "x\n", "cairn.yaml": "remotes: { team: \(remote.path) }\n"]
        let first = try TestWorkspace(files: files), second = try TestWorkspace(files: files), third = try TestWorkspace(files: files)
        #expect(try first.cairn("run").status == 0)
        #expect(try first.cairn("push").status == 0)
        let pulled = try second.cairn("run", "--pull", "--json")
        #expect(pulled.stages(withStatus: "restored") == ["copy"], "\(pulled.stdout)\(pulled.stderr)")
        #expect(try second.read("out/y.txt") == "x\n")
        #expect(!second.exists(".cairn/logs/p/copy.log"), "the stage did not run")
        // Without --pull, the stage runs.
        #expect(try third.cairn("run", "--json").stages(withStatus: "ran") == ["copy"])
    }
}
