import CairnSupport
import Synchronization

/// Which entries of a folder may be symbolic links, from one listing of it, for the graph's
/// check that no output is a link out of the workspace. A generated pipeline writes thousands
/// of outputs into one folder: listing 10,000 entries costs what about 2,000 `lstat`s do here.
/// A folder is listed once `listAfter` outputs in it have been asked about, so a folder holding
/// a few outputs among many other files is not read whole.
final class FolderLinks: Sendable {
    static let listAfter = 1024

    private enum Knowledge {
        case asked(Int)
        /// Nil: the folder could not be listed.
        case listed(Set<String>?)
    }

    /// Absolute path of the workspace root.
    private let root: String
    private let folders = Mutex<[String: Knowledge]>([:])

    init(root: String) { self.root = root }

    /// Whether the entry `name` of `folder` (relative to the root) may be a link: true until
    /// the folder is listed, and for what its listing cannot rule out.
    func mayBeLink(_ name: String, in folder: String) -> Bool {
        folders.withLock { folders in
            switch folders[folder] ?? .asked(0) {
            case .listed(let links):
                return links?.contains(name) ?? true
            case .asked(let count) where count + 1 < Self.listAfter:
                folders[folder] = .asked(count + 1)
                return true
            case .asked:
                let links = FileSystem.namesThatMayBeLinks(in: folder.isEmpty ? root : root + "/" + folder)
                folders[folder] = .listed(links)
                return links?.contains(name) ?? true
            }
        }
    }
}
