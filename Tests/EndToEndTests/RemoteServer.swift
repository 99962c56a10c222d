import Foundation
import Testing

/// A remote store server the tests reach: the sshd and the S3 server that
/// `scripts/remote-servers.sh start` runs on localhost, found through the variables it prints.
/// A server that is not running is named on standard error, and its tests do not run.
struct RemoteServer: Sendable, CustomTestStringConvertible {
    enum Kind: String, Sendable { case ssh, s3 }

    let kind: Kind
    private let variables: [String: String]

    var testDescription: String { kind.rawValue }

    static let available: [RemoteServer] = {
        let environment = ProcessInfo.processInfo.environment
        let needed: [(Kind, [String])] = [
            (.ssh, ["CAIRN_TEST_SSH", "CAIRN_TEST_SSH_HOME"]),
            (.s3, ["CAIRN_TEST_S3_ENDPOINT", "CAIRN_TEST_S3_BUCKET", "CAIRN_TEST_S3_KEY_ID", "CAIRN_TEST_S3_SECRET"]),
        ]
        return needed.compactMap { kind, names in
            guard names.allSatisfy({ environment[$0] != nil }) else {
                FileHandle.standardError.write(Data("""
                    *** SKIPPING the \(kind.rawValue) remote tests: \(names.joined(separator: ", ")) are not set.
                    *** Start the servers with: eval "$(scripts/remote-servers.sh start)"

                    """.utf8))
                return nil
            }
            return RemoteServer(kind: kind, variables: environment.filter { names.contains($0.key) })
        }
    }()

    /// A remote URL of a folder or prefix no other test uses.
    func freshURL() -> String {
        let name = "cairn-remote-tests/" + UUID().uuidString.lowercased()
        switch kind {
        case .ssh: return "ssh://\(variables["CAIRN_TEST_SSH"]!)/tmp/\(name)"
        case .s3: return "s3://\(variables["CAIRN_TEST_S3_BUCKET"]!)/\(name)"
        }
    }

    /// What `cairn` needs in its environment to reach the server with credentials it accepts.
    var environment: [String: String] {
        switch kind {
        case .ssh:
            return ["HOME": variables["CAIRN_TEST_SSH_HOME"]!, "SSH_AUTH_SOCK": ""]
        case .s3:
            return ["AWS_ACCESS_KEY_ID": variables["CAIRN_TEST_S3_KEY_ID"]!, "AWS_SECRET_ACCESS_KEY": variables["CAIRN_TEST_S3_SECRET"]!,
                    "AWS_ENDPOINT_URL": variables["CAIRN_TEST_S3_ENDPOINT"]!, "AWS_REGION": "us-east-1", "AWS_PROFILE": ""]
        }
    }

    /// An environment with credentials the server refuses, and the text the error must contain
    /// to say which credential was tried. `home`: a folder of the caller's for a wrong key.
    func wrongCredentials(home: URL) throws -> (environment: [String: String], named: String) {
        switch kind {
        case .ssh:
            let ssh = home.appendingPathComponent(".ssh")
            try FileManager.default.createDirectory(at: ssh, withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: variables["CAIRN_TEST_SSH_HOME"]! + "/.ssh/known_hosts", toPath: ssh.path + "/known_hosts")
            let key = ssh.appendingPathComponent("id_ed25519").path
            try Self.run("/usr/bin/ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", key])
            return (["HOME": home.path, "SSH_AUTH_SOCK": ""], "accepted none of the keys tried for user 'root': \(key)")
        case .s3:
            return (environment.merging(["AWS_SECRET_ACCESS_KEY": "not-the-secret"]) { $1 },
                    "the key tried was \(variables["CAIRN_TEST_S3_KEY_ID"]!), from AWS_ACCESS_KEY_ID in the environment")
        }
    }

    /// For S3: the server's endpoint, key and secret, for a credentials file or a config of a test's own.
    var s3Settings: (endpoint: String, keyID: String, secret: String) {
        (variables["CAIRN_TEST_S3_ENDPOINT"]!, variables["CAIRN_TEST_S3_KEY_ID"]!, variables["CAIRN_TEST_S3_SECRET"]!)
    }

    /// For SSH: the `known_hosts` line the tests' home has for the server.
    var knownHostsLine: String {
        (try? String(contentsOfFile: variables["CAIRN_TEST_SSH_HOME"]! + "/.ssh/known_hosts", encoding: .utf8)) ?? ""
    }

    /// The keys under `folder` (`objects`, `runs`) of the remote at `url`, read without Cairn.
    func keys(_ url: String, under folder: String) throws -> [String] {
        switch kind {
        case .ssh:
            let root = localPath(url) + "/" + folder
            let files = FileManager.default
            return ((try? files.contentsOfDirectory(atPath: root)) ?? []).flatMap { group in
                ((try? files.contentsOfDirectory(atPath: root + "/" + group)) ?? []).filter { !$0.contains(".incoming-") }.map { "\(folder)/\(group)/\($0)" }
            }.sorted()
        case .s3:
            let prefix = s3Prefix(url) + folder + "/"
            let listing = try s3Request("GET", bucketURL + "?list-type=2&prefix=" + prefix.replacingOccurrences(of: "/", with: "%2F"))
            return listing.components(separatedBy: "<Key>").dropFirst().map { String($0.prefix { $0 != "<" }.dropFirst(s3Prefix(url).count)) }.sorted()
        }
    }

    /// Replaces `key` of the remote at `url` with `bytes`, as damage behind Cairn's back would.
    func overwrite(_ url: String, key: String, with bytes: Data) throws {
        switch kind {
        case .ssh:
            let path = localPath(url) + "/" + key
            try? FileManager.default.removeItem(atPath: path)
            try bytes.write(to: URL(fileURLWithPath: path))
        case .s3:
            let file = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
            try bytes.write(to: file)
            defer { try? FileManager.default.removeItem(at: file) }
            _ = try s3Request("PUT", bucketURL + "/" + s3Prefix(url) + key, upload: file.path)
        }
    }

    /// Removes what the tests wrote on the server (the S3 server keeps all in memory until it stops).
    func removeAll(_ url: String) {
        if kind == .ssh { try? FileManager.default.removeItem(atPath: localPath(url)) }
    }

    /// The sshd runs on this machine: an ssh:// URL's folder is a local one.
    private func localPath(_ url: String) -> String { String(url.dropFirst("ssh://\(variables["CAIRN_TEST_SSH"]!)".count)) }
    private func s3Prefix(_ url: String) -> String { url.split(separator: "/", maxSplits: 2).last! + "/" }
    private var bucketURL: String { variables["CAIRN_TEST_S3_ENDPOINT"]! + "/" + variables["CAIRN_TEST_S3_BUCKET"]! }

    /// A request signed by the curl command line, an S3 client independent of Cairn's.
    private func s3Request(_ method: String, _ url: String, upload: String? = nil) throws -> String {
        var arguments = ["-sS", "--fail", "-X", method, "--aws-sigv4", "aws:amz:us-east-1:s3",
                         "--user", "\(variables["CAIRN_TEST_S3_KEY_ID"]!):\(variables["CAIRN_TEST_S3_SECRET"]!)"]
        // curl signs with the payload hash this header gives, and S3 requires the header.
        arguments += ["-H", "x-amz-content-sha256: " + (upload == nil ? "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" : "UNSIGNED-PAYLOAD")]
        if let upload { arguments += ["--data-binary", "@" + upload] }
        return try Self.run("/usr/bin/curl", arguments + [url])
    }

    @discardableResult
    static func run(_ program: String, _ arguments: [String], in folder: URL? = nil) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        process.currentDirectoryURL = folder
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CocoaError(.executableLoad, userInfo: [NSLocalizedDescriptionKey: "\(program) \(arguments.joined(separator: " ")) failed"])
        }
        return String(decoding: data, as: UTF8.self)
    }
}
