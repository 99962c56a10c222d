import CairnEngine
import CairnRemote
import CairnSupport

/// `cairn push` and `cairn pull`: the workspace's store and its remote store (`CAIRN_REMOTE`, a
/// name or a URL, else the default remote of `cairn.yaml` and `.cairn/config`).
public struct RemoteStores {
    public let local: Store
    public let transfer: StoreTransfer

    /// `jobs`: transfers at once.
    public init(session: Session, environment: [String: String] = Environment.variables, jobs: Int = 8,
                progress: (@Sendable (StoreTransfer.Progress) -> Void)? = nil) throws {
        guard let url = try session.workspace.remote(environment: environment) else {
            throw CairnError(.usage, "no remote store is set", hint: "`cairn remote add NAME /shared/cairn-store --default` sets one in cairn.yaml")
        }
        local = try session.makeStore()
        transfer = StoreTransfer(local: local, remote: try RemoteKinds.open(url, environment: environment), jobs: jobs,
                                 retry: RetryPolicy(environment: environment), progress: progress)
    }

    /// Where the remote is, for messages.
    public var location: String { transfer.remote.location }

    /// Sends the objects and run-cache entries the remote lacks: all of them, or what `scope` needs.
    public func push(_ scope: StoreTransfer.Selection? = nil) throws -> StoreTransfer.Report { try transfer.push(scope) }

    /// Fetches the objects and run-cache entries this store lacks from the remote.
    public func pull(_ scope: StoreTransfer.Selection? = nil) throws -> StoreTransfer.Report { try transfer.pull(scope) }

    /// What the lock files `recorded` (a commit's, or the workspace's) need for `paths` (every
    /// output and raw input when empty): the objects, and the run-cache entries of their stages.
    public static func scope(_ recorded: [String: LockFile], paths: [String], label: String) throws -> StoreTransfer.Selection {
        let (wanted, records) = try Checkout.selection(recorded, paths: paths, label: label)
        return StoreTransfer.Selection(objects: Set(wanted.values), fingerprints: Set(records.map(\.1.fingerprint)))
    }
}
