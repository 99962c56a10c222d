import CairnCore
import CairnSupport

/// Where a remote store is: a path (absolute, or relative to the workspace) or `file://PATH`,
/// `ssh://[user@]host[:port]/path`, or `s3://bucket[/prefix]`, with the settings some kinds
/// take (`endpoint_url`, `region`, `profile` for S3). Any other scheme is an error that names
/// the ones Cairn knows, rather than a folder named `s3:` made in the workspace.
public struct RemoteURL: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case directory = "file", ssh, s3
    }

    public static let schemes = ["a path", "file://PATH", "ssh://[user@]host[:port]/path", "s3://bucket[/prefix]"]
    /// The settings a remote may have besides its URL, by kind.
    static let settingNames: [Kind: [String]] = [.directory: [], .ssh: [], .s3: ["endpoint_url", "region", "profile"]]

    public var kind: Kind
    /// As written.
    public var text: String
    /// A directory's absolute path; the absolute path on an SSH host; an S3 key prefix
    /// (empty, or ending without a slash).
    public var path: String
    /// The SSH host, or the S3 bucket.
    public var host = ""
    public var user: String?
    public var port: Int?
    public var settings: [String: String] = [:]

    /// `origin`: where the URL was written, for messages.
    public init(_ url: String, settings: [String: String] = [:], origin: String, workspace: Workspace) throws {
        try self.init(parsing: url, settings: settings, at: nil, origin: origin)
        if kind == .directory && !path.hasPrefix("/") { path = workspace.absolute(path) }
    }

    /// Reads and checks `url` without resolving a relative path.
    public init(parsing url: String, settings: [String: String], at location: SourceLocation?, origin: String?) throws {
        let prefix = origin.map { "\($0): " } ?? ""
        func invalid(_ why: String, hint: String? = nil) -> CairnError {
            CairnError(.invalidValue, prefix + "'\(url)' is not a remote URL: \(why)", at: location, hint: hint)
        }
        text = url
        self.settings = settings
        guard let range = url.firstRange(of: "://") else {
            kind = .directory
            path = url
            try checkSettings(prefix, at: location)
            return
        }
        let scheme = String(url[..<range.lowerBound])
        guard let kind = Kind(rawValue: scheme) else {
            throw CairnError(.usage, prefix + "unknown remote URL scheme '\(scheme)://' in '\(url)'", at: location,
                             hint: "Cairn knows remotes given as " + Self.schemes.joined(separator: ", "))
        }
        self.kind = kind
        let rest = String(url[range.upperBound...])
        let slash = rest.firstIndex(of: "/") ?? rest.endIndex
        var authority = String(rest[..<slash])
        path = String(rest[slash...])
        switch kind {
        case .directory:
            guard authority.isEmpty, !path.isEmpty else { throw invalid("file:// takes an absolute path, as in file:///srv/cairn") }
        case .ssh:
            if let at = authority.lastIndex(of: "@") {
                user = String(authority[..<at])
                authority = String(authority[authority.index(after: at)...])
                guard !user!.isEmpty else { throw invalid("the user before '@' is empty") }
            }
            if let colon = authority.lastIndex(of: ":") {
                guard let number = Int(authority[authority.index(after: colon)...]), (1...65535).contains(number) else {
                    throw invalid("the port is not a number from 1 to 65535")
                }
                port = number
                authority = String(authority[..<colon])
            }
            guard !authority.isEmpty else { throw invalid("it names no host") }
            guard path.count > 1 else { throw invalid("it names no folder on the host", hint: "as in ssh://user@host:2222/srv/cairn") }
            host = authority
        case .s3:
            let validBucket = (3...63).contains(authority.count)
                && authority.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "." }
            guard validBucket else { throw invalid("'\(authority)' is not an S3 bucket name (3 to 63 of a-z, 0-9, '-', '.')") }
            host = authority
            path = path.split(separator: "/").joined(separator: "/")
        }
        guard !path.split(separator: "/").contains(where: { $0 == ".." || $0 == "." }) || kind == .directory else {
            throw invalid("'.' and '..' are not folders a remote store can be in")
        }
        try checkSettings(prefix, at: location)
    }

    private func checkSettings(_ prefix: String, at location: SourceLocation?) throws {
        let allowed = Self.settingNames[kind] ?? []
        for name in settings.keys.sorted() where !allowed.contains(name) {
            throw CairnError(.unknownKey, prefix + "a \(kind == .directory ? "directory" : kind.rawValue) remote has no setting '\(name)'", at: location,
                             hint: allowed.isEmpty ? "it takes only its URL" : "its settings are " + allowed.joined(separator: ", "))
        }
    }

    /// Throws for a URL Cairn cannot use.
    static func check(_ url: String, settings: [String: String] = [:], at location: SourceLocation?) throws {
        _ = try RemoteURL(parsing: url, settings: settings, at: location, origin: nil)
    }

    /// The remote as a settings value (`url` alone, or a flow mapping with its settings), for a
    /// config file; a directory as its absolute path.
    public var written: String {
        let url = kind == .directory ? path : text
        guard !settings.isEmpty else { return ConfigNode.jsonQuoted(url) }
        return "{" + ([("url", url)] + settings.sorted { $0.key < $1.key }).map { "\($0.0): \(ConfigNode.jsonQuoted($0.1))" }.joined(separator: ", ") + "}"
    }
}
