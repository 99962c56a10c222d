import Foundation
import Testing

/// `cairn push` and `cairn pull` against a real sshd and a real S3 server (see `RemoteServer`):
/// each test runs once per server that is up.
@Suite struct RemoteStoreTests {
    /// A git workspace (LineageTests' three-stage pipeline) whose default remote is `url`, in
    /// cairn.yaml, run and committed with n = 3: four objects, three run-cache entries.
    static func repository(remote url: String) throws -> TestWorkspace {
        let workspace = try LineageTests.repository()
        let added = try workspace.cairn("remote", "add", "shared", url, "--default")
        #expect(added.status == 0, "\(added.stderr)")
        try LineageTests.commitAll(workspace, "the shared remote")
        try LineageTests.runAndCommit(workspace, n: 3)
        return workspace
    }

    /// A clone of `origin` with its lineage refs and its cairn.yaml, but no store.
    static func clone(_ origin: TestWorkspace) throws -> TestWorkspace {
        let clone = try TestWorkspace()
        try FileManager.default.removeItem(at: clone.root)
        try LineageTests.git(origin, "clone", "-q", origin.root.path, clone.root.path)
        try LineageTests.git(clone, "fetch", "-q", "origin", "refs/cairn/*:refs/cairn/*")
        return clone
    }

    @Test(arguments: RemoteServer.available)
    func aFreshClonePullsAndChecksOutWithoutRunningAStage(server: RemoteServer) throws {
        let url = server.freshURL()
        defer { server.removeAll(url) }
        let origin = try Self.repository(remote: url)
        let pushed = try origin.cairn("push", environment: server.environment)
        #expect(pushed.status == 0 && pushed.stdout.contains("pushed 4 object(s)") && pushed.stdout.contains("3 run-cache entries to \(url)"),
                "data and three outputs, and the three stages' entries: \(pushed.stdout)\(pushed.stderr)")
        #expect(try server.keys(url, under: "objects").count == 4)
        #expect(try server.keys(url, under: "runs").count == 3)
        #expect(try origin.cairn("push", environment: server.environment).stdout.contains("pushed 0 object(s)"), "the remote lacks nothing")

        let clone = try Self.clone(origin)
        let pulled = try clone.cairn("pull", environment: server.environment)
        #expect(pulled.status == 0 && pulled.stdout.contains("pulled 4 object(s)"), "\(pulled.stdout)\(pulled.stderr)")
        #expect(try clone.cairn("checkout", "HEAD").status == 0)
        for path in ["data/n.txt", "out/double.txt", "out/square.txt", "out/metrics.json"] {
            #expect(try clone.bytes(path) == (try origin.bytes(path)), "\(path)")
        }
        let run = try clone.cairn("run", "--json", environment: server.environment)
        #expect(run.stages(withStatus: "skipped") == ["double", "square", "report"])
        let checked = try clone.cairn("fsck").stdout
        #expect(checked.contains("checked 4 object(s): 0 damaged"), "\(checked)")
    }

    @Test(arguments: RemoteServer.available)
    func aRevisionMovesOnlyWhatItsCommitPins(server: RemoteServer) throws {
        let url = server.freshURL()
        defer { server.removeAll(url) }
        let origin = try Self.repository(remote: url)
        try LineageTests.runAndCommit(origin, n: 5)
        let pushed = try origin.cairn("push", "--rev", "HEAD~1", environment: server.environment)
        #expect(pushed.status == 0 && pushed.stdout.contains("pushed 4 object(s)"), "n = 3 only: \(pushed.stdout)\(pushed.stderr)")
        #expect(try server.keys(url, under: "objects").count == 4)

        let clone = try Self.clone(origin)
        #expect(try clone.cairn("pull", "--rev", "HEAD~1", environment: server.environment).stdout.contains("pulled 4 object(s)"))
        #expect(try clone.cairn("checkout", "HEAD~1").status == 0)
        #expect(try clone.read("out/metrics.json") == "{\"value\":36}\n")
        let later = try clone.cairn("pull", "--rev", "HEAD", environment: server.environment)
        #expect(later.status == 1 && later.stderr.contains("4 object(s) asked for are not in the store they would come from"),
                "n = 5's objects were never pushed: \(later.stdout)\(later.stderr)")
    }

    /// More objects than one page of a listing holds (S3 answers 1,000 keys at a time) all arrive.
    @Test(arguments: RemoteServer.available)
    func aListingOfManyPagesMissesNothing(server: RemoteServer) throws {
        let url = server.freshURL()
        defer { server.removeAll(url) }
        let files = [
            "pipelines/many.yaml": """
                stages:
                  make:
                    cmd: mkdir -p ${outputs.parts} && for i in $(seq 1500); do echo $i > ${outputs.parts}/$i.txt; done
                    outputs: { parts: out/parts }
                """,
            "cairn.yaml": "remotes: { shared: \"\(url)\" }\ndefault_remote: shared\n",
        ]
        let workspace = try TestWorkspace(files: files)
        #expect(try workspace.cairn("run").status == 0)
        let pushed = try workspace.cairn("push", environment: server.environment)
        #expect(pushed.status == 0 && pushed.stdout.contains("pushed 1501 object(s)"), "1,500 files and their manifest: \(pushed.stdout)\(pushed.stderr)")
        let reader = try TestWorkspace(files: files)
        let pulled = try reader.cairn("pull", environment: server.environment)
        #expect(pulled.status == 0 && pulled.stdout.contains("pulled 1501 object(s)"), "\(pulled.stdout)\(pulled.stderr)")
        #expect(try workspace.cairn("push", environment: server.environment).stdout.contains("pushed 0 object(s)"), "the listing found every one")
    }

    /// A push killed while an object is on its way leaves only whole objects on the remote; the
    /// next push sends the rest.
    @Test(arguments: RemoteServer.available)
    func anInterruptedPushLeavesOnlyWholeObjectsAndResumes(server: RemoteServer) throws {
        let url = server.freshURL()
        defer { server.removeAll(url) }
        let files = [
            "pipelines/big.yaml": """
                stages:
                  make:
                    cmd: for f in ${outputs.a} ${outputs.b} ${outputs.c}; do head -c 50331648 /dev/urandom > $f; done
                    outputs: { a: out/a.bin, b: out/b.bin, c: out/c.bin }
                """,
            "cairn.yaml": "remotes: { shared: \"\(url)\" }\ndefault_remote: shared\n",
        ]
        let workspace = try TestWorkspace(files: files)
        #expect(try workspace.cairn("run").status == 0)
        let push = try workspace.start(["push", "-j", "1"], environment: server.environment)
        let started = TestWorkspace.waitFor(seconds: 60) { ((try? server.keys(url, under: "objects")) ?? []).count >= 1 }
        kill(push.0.processIdentifier, SIGKILL)
        _ = TestWorkspace.finish(push)
        let before = try server.keys(url, under: "objects")
        #expect(started && before.count < 3, "killed after the first of three 48 MiB objects, while the next was on its way: \(before)")

        let reader = try TestWorkspace(files: files)
        let early = try reader.cairn("pull", environment: server.environment)
        #expect(early.status == 0 && early.stdout.contains("pulled \(before.count) object(s)"), "whole objects only: \(early.stdout)\(early.stderr)")

        let resumed = try workspace.cairn("push", environment: server.environment)
        #expect(resumed.status == 0 && resumed.stdout.contains("pushed \(3 - before.count) object(s)"), "\(resumed.stdout)\(resumed.stderr)")
        let rest = try reader.cairn("pull", environment: server.environment)
        #expect(rest.stdout.contains("pulled \(3 - before.count) object(s)") && rest.stdout.contains("1 run-cache entry"), "\(rest.stdout)\(rest.stderr)")
        let checked = try reader.cairn("fsck").stdout
        #expect(checked.contains("checked 3 object(s): 0 damaged"), "\(checked)")
    }

    @Test(arguments: RemoteServer.available)
    func aDamagedRemoteObjectIsNamedAndNotCopied(server: RemoteServer) throws {
        let url = server.freshURL()
        defer { server.removeAll(url) }
        let origin = try Self.repository(remote: url)
        #expect(try origin.cairn("push", environment: server.environment).status == 0)
        let victim = try #require(try server.keys(url, under: "objects").first { !$0.hasSuffix(".dir") })
        try server.overwrite(url, key: victim, with: Data("not what was pushed\n".utf8))

        let clone = try Self.clone(origin)
        let pulled = try clone.cairn("pull", environment: server.environment)
        #expect(pulled.status == 1 && pulled.stdout.contains("pulled 3 object(s)") && pulled.stderr.contains("skipped: ")
                && pulled.stderr.contains("damaged"), "\(pulled.stdout)\(pulled.stderr)")
        let checked = try clone.cairn("fsck").stdout
        #expect(checked.contains("checked 3 object(s): 0 damaged"), "the damaged bytes were not kept: \(checked)")
    }

    @Test(arguments: RemoteServer.available)
    func refusedCredentialsAreNamedAndNothingIsWritten(server: RemoteServer) throws {
        let url = server.freshURL()
        defer { server.removeAll(url) }
        let origin = try Self.repository(remote: url)
        let home = try TestWorkspace()
        let (environment, named) = try server.wrongCredentials(home: home.root)
        let pushed = try origin.cairn("push", environment: environment)
        #expect(pushed.status == 1 && pushed.stderr.contains(named), "\(pushed.stderr)")
        #expect(!pushed.stderr.contains("tried 5 times"), "a refusal is not retried")
        #expect(try server.keys(url, under: "objects").isEmpty)
    }

    /// A host missing from known_hosts, or with another key there, is refused before any key is offered.
    @Test(arguments: RemoteServer.available.filter { $0.kind == .ssh })
    func anUnknownOrChangedHostKeyIsRefused(server: RemoteServer) throws {
        let url = server.freshURL()
        defer { server.removeAll(url) }
        let origin = try Self.repository(remote: url)
        let home = try TestWorkspace()
        try home.write(".ssh/id_ed25519", try String(contentsOfFile: server.environment["HOME"]! + "/.ssh/id_ed25519", encoding: .utf8))
        try home.write(".ssh/known_hosts", "")
        let unknown = try origin.cairn("push", environment: ["HOME": home.root.path, "SSH_AUTH_SOCK": ""])
        #expect(unknown.status == 1 && unknown.stderr.contains("known_hosts has no host key for [127.0.0.1]:"), "\(unknown.stderr)")

        let entry = server.knownHostsLine.split(separator: " ").first!
        let otherKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAbtfxxbmWgEcf0Ld1NNpD3Lfmb6hk4hkTdhYfOn5WWT"
        try home.write(".ssh/known_hosts", "\(entry) \(otherKey)\n")
        let changed = try origin.cairn("push", environment: ["HOME": home.root.path, "SSH_AUTH_SOCK": ""])
        #expect(changed.status == 1 && changed.stderr.contains("the server's host key is not the one"), "\(changed.stderr)")
        #expect(try server.keys(url, under: "objects").isEmpty)
    }

    /// With no key file in ~/.ssh, the keys of a running ssh-agent are offered.
    @Test(arguments: RemoteServer.available.filter { $0.kind == .ssh })
    func theAgentsKeyIsOffered(server: RemoteServer) throws {
        let url = server.freshURL()
        defer { server.removeAll(url) }
        let origin = try Self.repository(remote: url)
        let home = try TestWorkspace()
        try home.write(".ssh/known_hosts", server.knownHostsLine)
        let socket = home.root.path + "/agent.sock"
        let agent = Process()
        agent.executableURL = URL(fileURLWithPath: "/usr/bin/ssh-agent")
        agent.arguments = ["-D", "-a", socket]
        agent.standardOutput = FileHandle.nullDevice
        try agent.run()
        defer { kill(agent.processIdentifier, SIGKILL); agent.waitUntilExit() }  // under the test runner, ssh-agent -D did not end on SIGTERM
        #expect(TestWorkspace.waitFor(seconds: 10) { FileManager.default.fileExists(atPath: socket) })
        let add = Process()
        add.executableURL = URL(fileURLWithPath: "/usr/bin/ssh-add")
        add.arguments = ["-q", server.environment["HOME"]! + "/.ssh/id_ed25519"]
        add.environment = ["SSH_AUTH_SOCK": socket]
        add.standardError = FileHandle.nullDevice
        try add.run()
        add.waitUntilExit()
        #expect(add.terminationStatus == 0)
        let pushed = try origin.cairn("push", environment: ["HOME": home.root.path, "SSH_AUTH_SOCK": socket])
        #expect(pushed.status == 0 && pushed.stdout.contains("pushed 4 object(s)"), "\(pushed.stdout)\(pushed.stderr)")
        let refused = try origin.cairn("push", environment: ["HOME": home.root.path, "SSH_AUTH_SOCK": ""])
        #expect(refused.status == 1 && refused.stderr.contains("none (no agent, no ~/.ssh/id_ed25519, id_ecdsa or id_rsa"), "\(refused.stderr)")
    }

    /// The key can come from a profile of ~/.aws/credentials that the remote's settings name,
    /// with the server's endpoint a setting too.
    @Test(arguments: RemoteServer.available.filter { $0.kind == .s3 })
    func theKeyComesFromTheProfileTheRemoteNames(server: RemoteServer) throws {
        let url = server.freshURL()
        let (endpoint, keyID, secret) = server.s3Settings
        let workspace = try TestWorkspace(files: [
            "pipelines/p.yaml": LineageTests.pipeline, "data/n.txt": "3\n",
            "cairn.yaml": "remotes:\n  team: { url: \"\(url)\", endpoint_url: \"\(endpoint)\", profile: team }\ndefault_remote: team\n",
        ])
        #expect(try workspace.cairn("run").status == 0)
        let home = try TestWorkspace(files: [".aws/credentials": """
            [default]
            aws_access_key_id = not-this-one
            aws_secret_access_key = nor-this

            # the team's bucket
            [team]
            aws_access_key_id = \(keyID)
            aws_secret_access_key = \(secret)
            """])
        let environment = ["HOME": home.root.path, "AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": "", "AWS_ENDPOINT_URL": "", "AWS_PROFILE": ""]
        let pushed = try workspace.cairn("push", environment: environment)
        #expect(pushed.status == 0 && pushed.stdout.contains("pushed 4 object(s)"), "\(pushed.stdout)\(pushed.stderr)")
        try home.write(".aws/credentials", "[default]\naws_access_key_id = \(keyID)\naws_secret_access_key = \(secret)\n")
        let missing = try workspace.cairn("push", environment: environment)
        #expect(missing.status == 1 && missing.stderr.contains("has no profile [team] with aws_access_key_id and aws_secret_access_key"),
                "\(missing.stderr)")
    }

    /// A server that does not answer is tried again with pauses, then named with what was being done.
    @Test func anUnreachableServerIsTriedAgainThenNamed() throws {
        let workspace = try TestWorkspace(files: ["pipelines/p.yaml": LineageTests.pipeline, "data/n.txt": "3\n"])
        #expect(try workspace.cairn("run").status == 0)
        let start = Date()
        let pushed = try workspace.cairn("push", environment: ["CAIRN_REMOTE": "ssh://root@127.0.0.1:1/srv/cairn", "CAIRN_REMOTE_RETRIES": "2"])
        #expect(pushed.status == 1 && pushed.stderr.contains("ssh://root@127.0.0.1:1/srv/cairn: cannot ") && pushed.stderr.contains("(tried 3 times)")
                && pushed.stderr.contains("cannot connect: Connection refused"), "\(pushed.stderr)")
        #expect(Date().timeIntervalSince(start) >= 0.35, "two pauses of at least 0.125 s and 0.25 s")
    }

    /// On a terminal, push and pull redraw one line counting objects and bytes; in a pipe they do not.
    @Test func aTerminalShowsTheTransferAsItGoes() throws {
        let remote = try TestWorkspace()
        let workspace = try TestWorkspace(files: ["pipelines/p.yaml": LineageTests.pipeline, "data/n.txt": "3\n",
                                                  "cairn.yaml": "remotes: { here: \"\(remote.root.path)/store\" }\ndefault_remote: here\n"])
        #expect(try workspace.cairn("run").status == 0)
        let terminal = try RemoteServer.run("/usr/bin/script", ["-qec", "\(TestWorkspace.binary) push -j 2", "/dev/null"], in: workspace.root)
        #expect(terminal.contains("\r\u{1B}[Kpushing: 7/7 objects and run-cache entries, ") && terminal.contains("pushed 4 object(s)"), "\(terminal.debugDescription)")
        let piped = try workspace.cairn("push")
        #expect(!piped.stderr.contains("pushing") && piped.stdout == "pushed 0 object(s), 0 KiB, and 0 run-cache entries to \(remote.root.path)/store\n",
                "\(piped.stdout)\(piped.stderr)")
    }
}
