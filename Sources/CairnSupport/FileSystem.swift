import Glibc

/// The file operations Cairn needs, on plain POSIX calls: no buffering layers, errors that
/// name the path and the system's reason, and writes that are atomic where it matters.
public enum FileSystem {
    public enum Kind: Sendable { case file, directory, other }

    /// What `stat` says about a path, in the fields the stat cache keys on.
    public struct Status: Sendable, Hashable {
        public var kind: Kind
        public var size: Int64
        public var modifiedNanoseconds: Int64
        public var inode: UInt64

        public init(_ info: stat) {
            let mode = info.st_mode & S_IFMT
            kind = mode == S_IFREG ? .file : mode == S_IFDIR ? .directory : .other
            size = Int64(info.st_size)
            modifiedNanoseconds = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
            inode = UInt64(info.st_ino)
        }
    }

    public static func status(_ path: String) -> Status? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return Status(info)
    }

    public static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

    /// The first `count` bytes of the file (fewer if it is shorter; none if it cannot be read),
    /// to tell formats apart by their magic.
    public static func firstBytes(_ path: String, count: Int) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return [] }
        defer { close(fd) }
        var start = [UInt8](repeating: 0, count: count)
        let got = read(fd, &start, count)
        return Array(start.prefix(max(0, got)))
    }

    public static func ioError(_ action: String, _ path: String, errno code: Int32 = errno) -> CairnError {
        CairnError(.io, "cannot \(action) \(path)", cause: String(cString: strerror(code)))
    }

    public static func readAll(_ path: String) throws -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ioError("read", path) }
        defer { close(fd) }
        var bytes: [UInt8] = []
        try readChunks(fd, path: path, size: 1 << 16) { bytes.append(contentsOf: $0) }
        return bytes
    }

    /// Reads `fd` to its end in chunks of up to `size` bytes, handing each to `body`.
    public static func readChunks(_ fd: Int32, path: String, size: Int,
                                  _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 4096)
        defer { buffer.deallocate() }
        while true {
            let count = read(fd, buffer.baseAddress, size)
            if count < 0 {
                if errno == EINTR { continue }
                throw ioError("read", path)
            }
            if count == 0 { return }
            try body(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
        }
    }

    public static func readText(_ path: String) throws -> String {
        String(decoding: try readAll(path), as: UTF8.self)
    }

    /// Writes to a temporary file beside `path`, fsyncs it, renames it over `path` and fsyncs the
    /// directory: a reader sees the old content or the new, never a mix, even after a crash.
    /// The temporary name is unique to the call: threads writing the same path (variants of a
    /// sweep storing one object) each rename a whole file of their own.
    public static func writeAtomically(_ bytes: some Collection<UInt8>, to path: String) throws {
        try makeDirectories(parent(of: path))
        let temporary = "\(path).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw ioError("write", temporary) }
        do {
            try writeAll(fd, Array(bytes), path: temporary)
            guard fsync(fd) == 0 else { throw ioError("sync", temporary) }
            close(fd)
        } catch {
            close(fd)
            unlink(temporary)
            throw error
        }
        guard rename(temporary, path) == 0 else {
            let code = errno
            unlink(temporary)
            throw ioError("replace", path, errno: code)
        }
        syncDirectory(parent(of: path))
    }

    public static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws {
        try bytes.withUnsafeBytes { try writeAll(fd, $0, path: path) }
    }

    public static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, path: String) throws {
        var offset = 0
        while offset < bytes.count {
            let written = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw ioError("write", path)
            }
            offset += written
        }
    }

    public static func syncDirectory(_ path: String) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        fsync(fd)
        close(fd)
    }

    public static func makeDirectories(_ path: String) throws {
        if path.isEmpty || status(path)?.kind == .directory { return }
        try makeDirectories(parent(of: path))
        if mkdir(path, 0o755) != 0 && errno != EEXIST { throw ioError("create directory", path) }
    }

    /// Entry names of a directory, sorted bytewise, without `.` and `..`.
    public static func list(_ path: String) throws -> [String] {
        var names: [String] = []
        guard forEachEntry(in: path, { name, _ in names.append(name) }) else { throw ioError("list", path) }
        return names.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    /// Calls `body` with each entry's name (not `.` or `..`) and its `d_type`, in the order
    /// `readdir` gives them; false when the folder cannot be read.
    private static func forEachEntry(in path: String, _ body: (String, UInt8) -> Void) -> Bool {
        guard let directory = opendir(path) else { return false }
        defer { closedir(directory) }
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.baseAddress!.assumingMemoryBound(to: CChar.self))
            }
            if name != "." && name != ".." { body(name, entry.pointee.d_type) }
        }
        return true
    }

    /// The names in the folder at `path` that are symbolic links, or whose kind the file system
    /// does not say: one pass of `readdir` instead of an `lstat` per entry. Nil when the folder
    /// cannot be read.
    public static func namesThatMayBeLinks(in path: String) -> Set<String>? {
        var names: Set<String> = []
        let listed = forEachEntry(in: path) { name, type in
            if type == UInt8(DT_LNK) || type == UInt8(DT_UNKNOWN) { names.insert(name) }
        }
        return listed ? names : nil
    }

    /// Removes a file or a whole tree; a missing path is not an error.
    public static func remove(_ path: String) throws {
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        if info.st_mode & S_IFMT == S_IFDIR {
            chmod(path, 0o755)
            for name in try list(path) { try remove(path + "/" + name) }
            guard rmdir(path) == 0 else { throw ioError("remove", path) }
        } else {
            guard unlink(path) == 0 || errno == ENOENT else { throw ioError("remove", path) }
        }
    }

    /// Moves `source` over `destination` (creating its folder); an existing folder there is
    /// swapped out, then removed. For a file the swap is atomic.
    public static func replace(_ destination: String, with source: String) throws {
        try makeDirectories(parent(of: destination))
        if status(destination)?.kind == .directory {
            let old = destination + ".cairn-old"
            try remove(old)
            try move(destination, to: old)
            try move(source, to: destination)
            try remove(old)
        } else {
            try move(source, to: destination)
        }
    }

    public static func move(_ source: String, to destination: String) throws {
        guard rename(source, destination) == 0 else { throw ioError("move \(source) to", destination) }
    }

    /// Copies a file's bytes in the kernel with `sendfile` (a new inode, never a shared one),
    /// then sets `mode`.
    public static func copyFile(_ source: String, to destination: String, mode: mode_t = 0o644) throws {
        let input = open(source, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { throw ioError("read", source) }
        defer { close(input) }
        let output = open(destination, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard output >= 0 else { throw ioError("write", destination) }
        defer { close(output) }
        while true {
            let copied = sendfile(output, input, nil, 1 << 30)
            if copied == 0 { break }
            if copied < 0 {
                if errno == EINTR { continue }
                if errno == ENOSYS || errno == EINVAL {
                    try copyByReading(input, output, path: destination)
                    break
                }
                throw ioError("copy \(source) to", destination)
            }
        }
        guard fchmod(output, mode) == 0 else { throw ioError("set the mode of", destination) }
    }

    private static func copyByReading(_ input: Int32, _ output: Int32, path: String) throws {
        try readChunks(input, path: path, size: 1 << 20) { try writeAll(output, Array($0), path: path) }
    }

    /// The bytes of a file, or of every regular file below a directory (links followed).
    public static func totalSize(_ path: String) -> Int64 {
        guard let status = status(path) else { return 0 }
        guard status.kind == .directory else { return status.kind == .file ? status.size : 0 }
        return ((try? list(path)) ?? []).reduce(0) { $0 + totalSize(path + "/" + $1) }
    }

    /// The running program's own path (`/proc/self/exe`), for running it again elsewhere.
    public static func executablePath() -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard count > 0 else { return CommandLine.arguments[0] }
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    public static func parent(of path: String) -> String {
        guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return "" }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    public static func currentDirectory() -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        guard getcwd(&buffer, buffer.count) != nil else { return "." }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
