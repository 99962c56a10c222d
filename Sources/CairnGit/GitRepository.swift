import CairnSupport
internal import CGit2

/// A git repository through libgit2: the few operations lineage needs. Never touches the
/// user's branch, index or work tree; writes only objects and `refs/cairn/*`.
public final class GitRepository: @unchecked Sendable {
    /// An object id as 40 hex digits.
    public typealias ObjectID = String

    public struct Commit: Sendable, Equatable {
        public var id: ObjectID
        public var subject: String
        /// Seconds since the epoch.
        public var time: Int
        public var parents: [ObjectID]
    }

    private let raw: OpaquePointer
    /// Absolute path of the work tree.
    public let workTree: String

    private static let initialized: Void = { git_libgit2_init() }()

    /// The repository containing `path`, or nil when there is none.
    public static func discover(_ path: String) -> GitRepository? {
        _ = initialized
        var repository: OpaquePointer?
        guard git_repository_open_ext(&repository, path, 0, nil) == 0, let repository else { return nil }
        guard let workdir = git_repository_workdir(repository) else {
            git_repository_free(repository)
            return nil
        }
        return GitRepository(raw: repository, workTree: String(String(cString: workdir).dropLast()))
    }

    /// Creates a repository at `path` (`git init`).
    public static func create(_ path: String) throws -> GitRepository {
        _ = initialized
        var repository: OpaquePointer?
        try check(git_repository_init(&repository, path, 0), "create a git repository at \(path)")
        git_repository_free(repository)
        guard let opened = discover(path) else { throw CairnError(.io, "cannot open the new repository at \(path)") }
        return opened
    }

    private init(raw: OpaquePointer, workTree: String) {
        self.raw = raw
        self.workTree = workTree
    }

    deinit { git_repository_free(raw) }

    static func check(_ result: Int32, _ action: String) throws {
        guard result < 0 else { return }
        let message = git_error_last().map { String(cString: $0.pointee.message) } ?? "libgit2 error \(result)"
        throw CairnError(.io, "git: cannot \(action)", cause: message)
    }

    /// The commit a ref or revision names, or nil (unborn HEAD, unknown name).
    public func resolve(_ revision: String) -> ObjectID? {
        var object: OpaquePointer?
        guard git_revparse_single(&object, raw, revision + "^{commit}") == 0, let object else { return nil }
        defer { git_object_free(object) }
        return Self.hex(git_object_id(object))
    }

    public func commit(_ id: ObjectID) throws -> Commit {
        let commit = try lookupCommit(id)
        defer { git_commit_free(commit) }
        let parents = (0..<git_commit_parentcount(commit)).compactMap { git_commit_parent_id(commit, $0).map(Self.hex) }
        return Commit(id: id, subject: git_commit_summary(commit).map { String(cString: $0) } ?? "",
                      time: Int(git_commit_time(commit)), parents: parents)
    }

    /// Tracked files that differ from HEAD, in the index or the work tree (untracked files are not counted).
    public func modifiedTrackedFiles() throws -> [String] {
        var options = git_status_options()
        try Self.check(git_status_options_init(&options, UInt32(GIT_STATUS_OPTIONS_VERSION)), "prepare status")
        options.show = GIT_STATUS_SHOW_INDEX_AND_WORKDIR
        options.flags = 0
        var list: OpaquePointer?
        try Self.check(git_status_list_new(&list, raw, &options), "read the status")
        defer { git_status_list_free(list) }
        var paths: Set<String> = []
        for index in 0..<git_status_list_entrycount(list) {
            guard let entry = git_status_byindex(list, index)?.pointee else { continue }
            for delta in [entry.head_to_index, entry.index_to_workdir] {
                if let path = delta?.pointee.old_file.path ?? delta?.pointee.new_file.path { paths.insert(String(cString: path)) }
            }
        }
        return paths.sorted()
    }

    /// Writes `files` (path → bytes, paths may contain folders) as a tree and commits it on
    /// `ref` with the ref's current commit as parent. Returns the new commit.
    public func commit(files: [String: [UInt8]], message: String, on ref: String) throws -> ObjectID {
        let id = try commit(files: files, message: message, parents: resolve(ref).map { [$0] } ?? [])
        try setReference(ref, to: id)
        return id
    }

    /// Writes `files` as a tree and a commit of it with `parents`, on no ref. Returns the commit.
    public func commit(files: [String: [UInt8]], message: String, parents parentIDs: [ObjectID]) throws -> ObjectID {
        let tree = try writeTree(files)
        var treeObject: OpaquePointer?
        var treeID = try Self.oid(tree)
        try Self.check(git_tree_lookup(&treeObject, raw, &treeID), "read the tree it wrote")
        defer { git_tree_free(treeObject) }
        let signature = try makeSignature()
        defer { git_signature_free(signature) }
        var parents: [OpaquePointer?] = try parentIDs.map { try lookupCommit($0) }
        defer { parents.forEach { git_commit_free($0) } }
        var id = git_oid()
        try parents.withUnsafeMutableBufferPointer { buffer in
            try Self.check(git_commit_create(&id, raw, nil, signature, signature, nil, message, treeObject,
                                             buffer.count, buffer.baseAddress), "write a commit")
        }
        return Self.hex(&id)
    }

    /// Points `ref` at `id`, whatever it pointed at before.
    public func setReference(_ ref: String, to id: ObjectID) throws {
        var oid = try Self.oid(id)
        var reference: OpaquePointer?
        try Self.check(git_reference_create(&reference, raw, ref, &oid, 1, "cairn"), "set \(ref)")
        git_reference_free(reference)
    }

    /// Deletes `ref`; false if there was none.
    @discardableResult
    public func deleteReference(_ ref: String) throws -> Bool {
        var reference: OpaquePointer?
        guard git_reference_lookup(&reference, raw, ref) == 0, let reference else { return false }
        defer { git_reference_free(reference) }
        try Self.check(git_reference_delete(reference), "delete \(ref)")
        return true
    }

    /// The refs matching `glob` (`refs/cairn/exps/*`) and the commits they point at, by name.
    public func references(matching glob: String) throws -> [(name: String, commit: ObjectID)] {
        var iterator: OpaquePointer?
        try Self.check(git_reference_iterator_glob_new(&iterator, raw, glob), "list \(glob)")
        defer { git_reference_iterator_free(iterator) }
        var result: [(String, ObjectID)] = []
        var reference: OpaquePointer?
        while git_reference_next(&reference, iterator) == 0, let current = reference {
            defer { git_reference_free(current) }
            if let name = git_reference_name(current), let target = git_reference_target(current) {
                result.append((String(cString: name), Self.hex(target)))
            }
        }
        return result.sorted { $0.0 < $1.0 }
    }

    /// The bytes of the file at `path` in `commit`'s tree, or nil if there is none.
    public func file(_ path: String, in commit: ObjectID) throws -> [UInt8]? {
        try withTree(of: commit) { tree in
            var entry: OpaquePointer?
            guard git_tree_entry_bypath(&entry, tree, path) == 0, let entry else { return nil }
            defer { git_tree_entry_free(entry) }
            return try blob(Self.hex(git_tree_entry_id(entry)))
        }
    }

    /// A file in a tree: its path and the id of its bytes (equal bytes, equal id).
    public struct Entry: Sendable, Equatable {
        public var path: String
        public var blob: ObjectID
    }

    /// The files directly in `folder` of `commit`'s tree; none if there is no such folder.
    public func files(in folder: String, of commit: ObjectID) throws -> [Entry] {
        try withTree(of: commit) { root in
            var entry: OpaquePointer?
            guard git_tree_entry_bypath(&entry, root, folder) == 0, let entry else { return [] }
            defer { git_tree_entry_free(entry) }
            var subtree: OpaquePointer?
            guard git_tree_entry_type(entry) == GIT_OBJECT_TREE, git_tree_lookup(&subtree, raw, git_tree_entry_id(entry)) == 0,
                  let subtree else { return [] }
            defer { git_tree_free(subtree) }
            return (0..<git_tree_entrycount(subtree)).compactMap { index in
                guard let entry = git_tree_entry_byindex(subtree, index), git_tree_entry_type(entry) == GIT_OBJECT_BLOB,
                      let name = git_tree_entry_name(entry) else { return nil }
                return Entry(path: folder + "/" + String(cString: name), blob: Self.hex(git_tree_entry_id(entry)))
            }
        }
    }

    /// The bytes of a blob, or nil if the repository lacks it.
    public func blob(_ id: ObjectID) throws -> [UInt8]? {
        var oid = try Self.oid(id)
        var blob: OpaquePointer?
        guard git_blob_lookup(&blob, raw, &oid) == 0, let blob else { return nil }
        defer { git_blob_free(blob) }
        let size = Int(git_blob_rawsize(blob))
        guard size > 0, let content = git_blob_rawcontent(blob) else { return [] }
        return Array(UnsafeRawBufferPointer(start: content, count: size))
    }

    private func withTree<T>(of commit: ObjectID, _ body: (OpaquePointer) throws -> T) throws -> T {
        let commitObject = try lookupCommit(commit)
        defer { git_commit_free(commitObject) }
        var tree: OpaquePointer?
        try Self.check(git_commit_tree(&tree, commitObject), "read the tree of \(commit.prefix(8))")
        defer { git_tree_free(tree) }
        return try body(tree!)
    }

    /// Every commit reachable from the refs matching `globs` (`refs/heads/*`), each once.
    public func commits(reachableFrom globs: [String]) throws -> [ObjectID] {
        var walk: OpaquePointer?
        try Self.check(git_revwalk_new(&walk, raw), "walk the history")
        defer { git_revwalk_free(walk) }
        var pushed = false
        for glob in globs where git_revwalk_push_glob(walk, glob) == 0 { pushed = true }
        if !pushed { return [] }
        var ids: [ObjectID] = []
        var oid = git_oid()
        while git_revwalk_next(&oid, walk) == 0 { ids.append(Self.hex(&oid)) }
        return ids
    }

    /// Commits reachable from `ref`, newest first (first parents only, as the lineage is linear).
    public func history(of ref: String, limit: Int = .max) throws -> [ObjectID] {
        var ids: [ObjectID] = []
        var next = resolve(ref)
        while let id = next, ids.count < limit {
            ids.append(id)
            next = try commit(id).parents.first
        }
        return ids
    }

    private func writeTree(_ files: [String: [UInt8]]) throws -> ObjectID {
        var builder: OpaquePointer?
        try Self.check(git_treebuilder_new(&builder, raw, nil), "start a tree")
        defer { git_treebuilder_free(builder) }
        var folders: [String: [String: [UInt8]]] = [:]
        for (path, bytes) in files {
            if let slash = path.firstIndex(of: "/") {
                folders[String(path[..<slash]), default: [:]][String(path[path.index(after: slash)...])] = bytes
                continue
            }
            var blob = git_oid()
            try bytes.withUnsafeBytes { buffer in
                try Self.check(git_blob_create_from_buffer(&blob, raw, buffer.baseAddress, buffer.count), "write \(path)")
            }
            try Self.check(git_treebuilder_insert(nil, builder, path, &blob, GIT_FILEMODE_BLOB), "add \(path) to a tree")
        }
        for (folder, content) in folders {
            var subtree = try Self.oid(try writeTree(content))
            try Self.check(git_treebuilder_insert(nil, builder, folder, &subtree, GIT_FILEMODE_TREE), "add \(folder) to a tree")
        }
        var tree = git_oid()
        try Self.check(git_treebuilder_write(&tree, builder), "write a tree")
        return Self.hex(&tree)
    }

    private func lookupCommit(_ id: ObjectID) throws -> OpaquePointer {
        var oid = try Self.oid(id)
        var commit: OpaquePointer?
        try Self.check(git_commit_lookup(&commit, raw, &oid), "find commit \(id.prefix(8))")
        return commit!
    }

    /// The user's configured identity, or "cairn" when git has none.
    private func makeSignature() throws -> UnsafeMutablePointer<git_signature> {
        var signature: UnsafeMutablePointer<git_signature>?
        if git_signature_default(&signature, raw) == 0, let signature { return signature }
        try Self.check(git_signature_now(&signature, "cairn", "cairn@localhost"), "make a signature")
        return signature!
    }

    private static func oid(_ hex: ObjectID) throws -> git_oid {
        var oid = git_oid()
        try check(git_oid_fromstr(&oid, hex), "read object id \(hex)")
        return oid
    }

    private static func hex(_ oid: UnsafePointer<git_oid>) -> ObjectID {
        withUnsafeBytes(of: oid.pointee.id) { bytes in
            bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
        }
    }
}
