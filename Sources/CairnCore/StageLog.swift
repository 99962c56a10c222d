import CairnSupport
import Glibc

/// A stage's log file (`.cairn/logs/PIPELINE/STAGE.log`): stages write messages to it and
/// command stages hand its descriptor to their child as stdout and stderr.
public final class StageLog: Sendable {
    /// Open for appending; owned by this object.
    public let fileDescriptor: Int32
    public let path: String

    public init(path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw CairnError(.io, "cannot open log \(path)", cause: String(cString: strerror(errno)))
        }
        self.fileDescriptor = fd
        self.path = path
    }

    deinit { close(fileDescriptor) }

    public func write(_ line: String) {
        var text = line
        if !text.hasSuffix("\n") { text += "\n" }
        text.withCString { pointer in _ = Glibc.write(fileDescriptor, pointer, strlen(pointer)) }
    }
}
