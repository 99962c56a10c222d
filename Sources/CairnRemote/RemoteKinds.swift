import CairnEngine
import CairnSupport

/// How each kind of remote URL becomes a store: one line per kind.
public enum RemoteKinds {
    public typealias Opener = @Sendable (RemoteURL, _ environment: [String: String]) throws -> any RemoteStore

    public static let openers: [RemoteURL.Kind: Opener] = [
        .directory: { url, _ in DirectoryRemote(root: url.path) },
        .ssh: { url, environment in SFTPRemote(url, environment: environment) },
        .s3: { url, environment in try S3Remote(url, environment: environment) },
    ]

    /// The store `url` names.
    public static func open(_ url: RemoteURL, environment: [String: String]) throws -> any RemoteStore {
        guard let opener = openers[url.kind] else {
            throw CairnError(.usage, "\(url.text): no store is registered for \(url.kind.rawValue):// remotes")
        }
        return try opener(url, environment)
    }
}
