import CairnSupport
import Glibc

/// What a killed Cairn leaves behind, and its removal by the next process that holds the
/// workspace lock (so the one that left it is gone): stage process groups still running,
/// temporary outputs under `.cairn/tmp`, `*.cairn-old` folders beside outputs, and partial
/// `*.incoming-*` store copies whose writer is no longer alive.
public struct Leftovers: Sendable {
    public let workspace: Workspace

    public init(workspace: Workspace) { self.workspace = workspace }

    /// Where running stage process groups are noted: one file per group, named by its id,
    /// holding the group leader's start time (so that a reused id is never killed).
    var runningDirectory: String { workspace.stateDirectory + "/running" }

    /// Notes a stage's process group while it runs.
    public func noteRunning(group: Int32) {
        guard let started = Self.startTime(of: group) else { return }
        try? FileSystem.makeDirectories(runningDirectory)
        try? FileSystem.writeAtomically(Array(started.utf8), to: "\(runningDirectory)/\(group)")
    }

    public func noteFinished(group: Int32) { unlink("\(runningDirectory)/\(group)") }

    /// Kills the process groups a dead holder left running and removes its temporary files
    /// (`outputs`: the pipelines' output paths, beside which `.cairn-old` folders may lie).
    /// Call only while holding the workspace lock. Returns whether anything was left.
    @discardableResult
    public func clean(outputs: [String]) -> Bool {
        var found = false
        for name in (try? FileSystem.list(runningDirectory)) ?? [] {
            found = true
            if let group = Int32(name), let noted = try? FileSystem.readText("\(runningDirectory)/\(name)"),
               Self.startTime(of: group) == noted {
                kill(-group, SIGKILL)
            }
            unlink("\(runningDirectory)/\(name)")
        }
        let temporary = (try? FileSystem.list(workspace.temporaryDirectory)) ?? []
        for name in temporary { try? FileSystem.remove(workspace.temporaryDirectory + "/" + name) }
        // A `.cairn-old` folder exists only while a replace is under way, inside a run whose
        // temporary folder is not yet removed: without one, no output needs a look.
        guard !temporary.isEmpty else { return found }
        found = true
        for output in outputs where FileSystem.exists(workspace.absolute(output) + ".cairn-old") {
            found = true
            try? FileSystem.remove(workspace.absolute(output) + ".cairn-old")
        }
        return found
    }

    /// Partial copies into the store whose writing process is gone (`OBJECT.incoming-PID-N`).
    /// The store may be shared, so a copy whose writer lives is left alone.
    @discardableResult
    public func removeIncoming(in store: Store) -> Bool {
        var found = false
        let objects = store.root + "/objects"
        for prefix in (try? FileSystem.list(objects)) ?? [] {
            for name in (try? FileSystem.list(objects + "/" + prefix)) ?? [] {
                guard let marker = name.firstRange(of: ".incoming-") else { continue }
                let pid = name[marker.upperBound...].split(separator: "-").first.flatMap { Int32($0) }
                if let pid, kill(pid, 0) == 0 || errno == EPERM { continue }
                found = true
                unlink("\(objects)/\(prefix)/\(name)")
            }
        }
        return found
    }

    /// Field 22 of /proc/PID/stat: when the process started, in clock ticks since boot.
    static func startTime(of pid: Int32) -> String? {
        guard let text = try? FileSystem.readText("/proc/\(pid)/stat"), let close = text.lastIndex(of: ")") else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ")
        return fields.count > 19 ? String(fields[19]) : nil
    }
}
