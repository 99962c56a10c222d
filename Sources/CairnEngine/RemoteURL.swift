import CairnSupport

/// Where a remote store is. A path (absolute, or relative to the workspace) or `file://PATH`
/// today; any other scheme is an error that names the ones Cairn knows, rather than a folder
/// named `s3:` made in the workspace.
public struct RemoteURL: Sendable, Equatable {
    public static let schemes = ["a path", "file://"]

    /// The store's directory, absolute.
    public var directory: String

    public init(_ url: String, origin: String, workspace: Workspace) throws {
        try Self.check(url, at: nil, origin: origin)
        let path = url.hasPrefix("file://") ? String(url.dropFirst("file://".count)) : url
        directory = path.hasPrefix("/") ? path : workspace.absolute(path)
    }

    /// Throws for a URL with a scheme Cairn does not know.
    static func check(_ url: String, at location: SourceLocation?, origin: String? = nil) throws {
        guard let range = url.firstRange(of: "://") else { return }
        let scheme = String(url[..<range.lowerBound])
        guard scheme == "file" else {
            throw CairnError(.usage, (origin.map { "\($0): " } ?? "") + "unknown remote URL scheme '\(scheme)://' in '\(url)'", at: location,
                             hint: "Cairn knows remotes given as " + schemes.joined(separator: " or "))
        }
    }
}
