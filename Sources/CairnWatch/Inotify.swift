import CairnSupport
import Glibc

/// Linux inotify on a set of directories, reporting finished writes, moves, deletions and new
/// folders by workspace-relative path. Files are watched through their directory, so an editor
/// that saves by rename-over is seen, and a file that is deleted and created again too.
final class Inotify {
    struct Event {
        var path: String
        var isNewDirectory: Bool
    }

    /// Written files are reported on close, never while still being written.
    static let mask = UInt32(IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE | IN_CREATE | IN_ONLYDIR)

    let fileDescriptor: Int32
    private let root: String
    private var directoryOf: [Int32: String] = [:]
    private var descriptorOf: [String: Int32] = [:]

    init(root: String) throws {
        self.root = root
        fileDescriptor = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard fileDescriptor >= 0 else { throw FileSystem.ioError("start inotify for", root) }
    }

    deinit { close(fileDescriptor) }

    var watchedDirectories: Set<String> { Set(descriptorOf.keys) }

    /// Watches exactly `directories` (workspace-relative; "" is the root), adding and removing.
    func watch(_ directories: Set<String>) {
        for (directory, descriptor) in descriptorOf where !directories.contains(directory) {
            inotify_rm_watch(fileDescriptor, descriptor)
            descriptorOf[directory] = nil
            directoryOf[descriptor] = nil
        }
        for directory in directories where descriptorOf[directory] == nil {
            let descriptor = inotify_add_watch(fileDescriptor, directory.isEmpty ? root : root + "/" + directory, Self.mask)
            guard descriptor >= 0 else { continue }  // gone meanwhile; the next rescan sees it
            descriptorOf[directory] = descriptor
            directoryOf[descriptor] = directory
        }
    }

    /// Reads what is queued. Returns nil when the kernel's queue overflowed and events were lost.
    func read() -> [Event]? {
        var events: [Event] = []
        var overflowed = false
        let size = 64 * 1024
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 8)
        defer { buffer.deallocate() }
        while true {
            let count = Glibc.read(fileDescriptor, buffer, size)
            if count <= 0 { break }
            var offset = 0
            while offset < count {
                let event = buffer.load(fromByteOffset: offset, as: inotify_event.self)
                let nameStart = buffer + offset + MemoryLayout<inotify_event>.size
                let name = event.len > 0 ? String(cString: nameStart.assumingMemoryBound(to: CChar.self)) : ""
                offset += MemoryLayout<inotify_event>.size + Int(event.len)
                if event.mask & UInt32(IN_Q_OVERFLOW) != 0 { overflowed = true }
                if event.mask & UInt32(IN_IGNORED) != 0 { directoryOf[event.wd].map { descriptorOf[$0] = nil } }
                guard let directory = directoryOf[event.wd], !name.isEmpty else { continue }
                let isDirectory = event.mask & UInt32(IN_ISDIR) != 0
                // A new plain file is reported when it is closed after writing, not when created.
                if event.mask & UInt32(IN_CREATE) != 0 && !isDirectory { continue }
                events.append(Event(path: directory.isEmpty ? name : directory + "/" + name,
                                    isNewDirectory: isDirectory && event.mask & UInt32(IN_CREATE | IN_MOVED_TO) != 0))
            }
        }
        return overflowed ? nil : events
    }
}
