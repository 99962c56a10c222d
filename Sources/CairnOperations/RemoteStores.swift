import CairnEngine
import CairnSupport

/// `cairn push` and `cairn pull`: the workspace's store and its remote store (`CAIRN_REMOTE`, a
/// name or a URL, else the default remote of `cairn.yaml` and `.cairn/config`).
public struct RemoteStores {
    public let local: Store
    public let remote: Store

    public init(session: Session, environment: [String: String] = Environment.variables) throws {
        guard let remote = try session.workspace.remoteRoot(environment: environment) else {
            throw CairnError(.usage, "no remote store is set", hint: "`cairn remote add NAME /shared/cairn-store --default` sets one in cairn.yaml")
        }
        try FileSystem.makeDirectories(remote)
        local = try session.makeStore()
        self.remote = Store(root: remote, hasher: session.hasher)
    }

    /// Copies the objects and run-cache entries the remote lacks to it: all of them, or what
    /// `scope` needs.
    public func push(_ scope: StoreMaintenance.Selection? = nil) throws -> StoreMaintenance.Report {
        try StoreMaintenance.copyMissing(from: local, to: remote, only: scope)
    }

    /// Copies the objects and run-cache entries this store lacks from the remote.
    public func pull(_ scope: StoreMaintenance.Selection? = nil) throws -> StoreMaintenance.Report {
        try StoreMaintenance.copyMissing(from: remote, to: local, only: scope)
    }

    /// What the lock files `recorded` (a commit's, or the workspace's) need for `paths` (every
    /// output and raw input when empty): the objects, and the run-cache entries of their stages.
    public static func scope(_ recorded: [String: LockFile], paths: [String], label: String) throws -> StoreMaintenance.Selection {
        let (wanted, records) = try Checkout.selection(recorded, paths: paths, label: label)
        return StoreMaintenance.Selection(objects: Set(wanted.values), fingerprints: Set(records.map(\.1.fingerprint)))
    }
}
