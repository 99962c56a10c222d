import CairnCore
import CairnEngine
import CairnSupport
import Glibc

/// A copy of a workspace for one experiment variant to run in, made of hard links (a copy
/// where the file system refuses one), so that even a large data file costs nothing. That is
/// safe because nothing edits a workspace file in place: runs replace outputs by renaming,
/// and the variant's params file is written anew. `.git`, `.cairn` and the store are left out;
/// the copy's `.cairn/config` points at the original's store, so that both share it and the
/// run cache, and its stat cache starts from the original's.
public struct WorkspaceCopy {
    public let source: Workspace
    public let copy: Workspace

    /// Copies `source` to `destination`, which must not exist.
    public init(of source: Workspace, at destination: String, store: Store) throws {
        self.source = source
        copy = Workspace(root: destination)
        let skipped: Set<String> = [source.absolute(".git"), source.stateDirectory, store.root]
        try FileSystem.makeDirectories(destination)
        try Self.link(source.root, to: destination, skipping: skipped)
        try FileSystem.makeDirectories(copy.stateDirectory)
        var config = "store: \(ConfigNode.jsonQuoted(store.root))\n"
        if let remote = try source.remote(environment: [:]) { config += "remote: \(remote.written)\n" }
        try FileSystem.writeAtomically(Array(config.utf8), to: copy.stateDirectory + "/config")
    }

    /// A hasher that knows what `hasher` knew of the original's files, for the copy's links.
    public func hasher(from hasher: ContentHasher) -> ContentHasher {
        ContentHasher(statCache: hasher.statCache.rebased(from: source.root, to: copy.root, file: copy.statCacheFile))
    }

    private static func link(_ from: String, to: String, skipping: Set<String>) throws {
        for name in try FileSystem.list(from) {
            let source = from + "/" + name, destination = to + "/" + name
            if skipping.contains(source) { continue }
            var info = stat()
            guard lstat(source, &info) == 0 else { continue }
            switch info.st_mode & S_IFMT {
            case S_IFDIR:
                try FileSystem.makeDirectories(destination)
                try link(source, to: destination, skipping: skipping)
            case S_IFLNK:
                var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
                let count = readlink(source, &buffer, buffer.count - 1)
                guard count >= 0, symlink(String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self), destination) == 0 else {
                    throw FileSystem.ioError("copy the link", source)
                }
            case S_IFREG:
                if Glibc.link(source, destination) != 0 { try FileSystem.copyFile(source, to: destination, mode: info.st_mode & 0o7777) }
            default:
                continue
            }
        }
    }
}
