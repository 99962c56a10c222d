import CairnCore
import CairnEngine
import CairnSpec
import CairnSupport
import Dispatch
import Glibc
import Synchronization

/// Why a watch run starts.
public enum Trigger: Sendable, Equatable {
    /// The first run, when watching begins.
    case start
    /// These workspace-relative paths changed.
    case changes([String])
    /// The kernel dropped events: everything is planned again.
    case overflow
    /// These pipelines' schedules came due.
    case schedule([String])
    /// The last run marked these stages to rerun (a monitor saw drift).
    case rerunRequested([String])

    public var paths: [String] {
        if case .changes(let paths) = self { return paths }
        return []
    }
}

/// `cairn watch`: waits for changes to what the pipelines read (inotify) and for their
/// schedules, and starts a run for each burst of changes once it has been quiet for the debounce
/// time. Changes during a run start another run right after it (or, with `restart`, cancel it
/// first). A run is whatever `run` does — the CLI plans and runs exactly as `cairn run`.
public final class Watcher: @unchecked Sendable {
    public struct Options: Sendable {
        public var debounceMilliseconds: Int
        /// Cancel a running run when a change arrives, instead of queueing the change.
        public var restart: Bool

        public init(debounceMilliseconds: Int = 200, restart: Bool = false) {
            self.debounceMilliseconds = debounceMilliseconds
            self.restart = restart
        }
    }

    /// Runs one trigger to completion; called on a background queue, one at a time. Returns the
    /// pipelines it loaded (nil when one did not load), which the watcher then watches without
    /// parsing them again, and a trigger for a run to start right after, if it asks for another.
    public typealias Run = @Sendable (Trigger, Cancellation) -> (graphs: [PipelineGraph]?, next: Trigger?)

    private let workspace: Workspace
    private let kinds: [String: StageKind]
    private let pipelineFiles: () -> [String]
    private let options: Options
    private let wallClock: @Sendable () -> Int
    private let run: Run
    private let inotify: Inotify
    private let wakeRead: Int32
    private let wakeWrite: Int32
    private let runQueue = DispatchQueue(label: "cairn.watch.run")
    /// What the last run loaded and asked to run next.
    private let finished = Mutex<(graphs: [PipelineGraph]?, next: Trigger?)>((nil, nil))

    /// - Parameters:
    ///   - pipelineFiles: the workspace-relative pipeline files to watch, asked again after each run.
    ///   - wallClock: seconds since the epoch, for schedules (a test may set its own).
    public init(workspace: Workspace, kinds: [String: StageKind], pipelineFiles: @escaping () -> [String],
                options: Options, wallClock: @escaping @Sendable () -> Int = { Int(time(nil)) },
                run: @escaping Run) throws {
        self.workspace = workspace
        self.kinds = kinds
        self.pipelineFiles = pipelineFiles
        self.options = options
        self.wallClock = wallClock
        self.run = run
        inotify = try Inotify(root: workspace.root)
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { throw FileSystem.ioError("create a pipe for", "cairn watch") }
        for end in ends { _ = fcntl(end, F_SETFL, O_NONBLOCK); _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        (wakeRead, wakeWrite) = (ends[0], ends[1])
    }

    deinit {
        close(wakeRead)
        close(wakeWrite)
    }

    private enum Wake: UInt8 {
        case runFinished = 1, stop, recheck
    }

    /// Ends `watch()` after stopping the running run; safe from a signal handler's queue.
    public func stop() { send(.stop) }

    /// Makes the loop look at the clock again (after a test moved it).
    public func recheck() { send(.recheck) }

    private func send(_ wake: Wake) {
        var byte = wake.rawValue
        _ = write(wakeWrite, &byte, 1)
    }

    /// Watches until `stop()`: runs once at the start, then on every change and schedule.
    public func watch() {
        var watchSet = rescan(previous: nil)
        var pending: Set<String> = []
        var overflowed = false
        var quietSince: Int64?  // monotonic ms of the last relevant event
        var running: Cancellation?
        var stopping = false
        var nextFires = schedules(watchSet.graphs, after: wallClock())
        var queued: Trigger? = .start

        func start(_ trigger: Trigger) {
            let cancellation = Cancellation()
            running = cancellation
            runQueue.async {
                let outcome = self.run(trigger, cancellation)
                self.finished.withLock { $0 = outcome }
                self.send(.runFinished)
            }
        }

        while true {
            if running == nil {
                if stopping { return }
                if let trigger = queued {
                    queued = nil
                    start(trigger)
                } else if let since = quietSince, Self.milliseconds() - since >= Int64(options.debounceMilliseconds) {
                    let trigger: Trigger = overflowed ? .overflow : .changes(pending.sorted())
                    pending = []
                    overflowed = false
                    quietSince = nil
                    start(trigger)
                } else {
                    let now = wallClock()
                    let due = nextFires.filter { $0.value <= now }.map(\.key).sorted()
                    if !due.isEmpty {
                        nextFires = schedules(watchSet.graphs, after: now)
                        start(.schedule(due))
                    }
                }
            }

            var timeout: Int32 = -1
            if running == nil {
                if let since = quietSince {
                    timeout = Int32(max(0, Int64(options.debounceMilliseconds) - (Self.milliseconds() - since)))
                } else if let soonest = nextFires.values.min() {
                    timeout = Int32(min(max(0, soonest - wallClock()) * 1000, 60_000))
                }
            }
            var descriptors = [pollfd(fd: inotify.fileDescriptor, events: Int16(POLLIN), revents: 0),
                               pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)]
            if poll(&descriptors, 2, timeout) < 0 && errno != EINTR { return }

            if descriptors[0].revents != 0 {
                if let events = inotify.read() {
                    var newDirectory = false
                    for event in events where watchSet.set.matters(event.path) {
                        pending.insert(event.path)
                        newDirectory = newDirectory || event.isNewDirectory
                    }
                    if newDirectory { watchSet = rescan(previous: watchSet) }
                } else {
                    overflowed = true
                    watchSet = rescan(previous: watchSet)
                }
                if !pending.isEmpty || overflowed {
                    quietSince = Self.milliseconds()
                    if options.restart { running?.cancel() }
                }
            }
            if descriptors[1].revents != 0 {
                var bytes = [UInt8](repeating: 0, count: 64)
                let count = read(wakeRead, &bytes, bytes.count)
                for byte in bytes.prefix(max(0, count)) {
                    switch Wake(rawValue: byte) {
                    case .runFinished:
                        running = nil
                        let outcome = finished.withLock { value in defer { value = (nil, nil) }; return value }
                        if let next = outcome.next { queued = next }
                        watchSet = rescan(previous: watchSet, loaded: outcome.graphs)
                        nextFires = schedules(watchSet.graphs, after: wallClock())
                    case .stop:
                        stopping = true
                        running?.cancel()
                    case .recheck, nil:
                        break
                    }
                }
            }
        }
    }

    /// What the pipelines read now (`loaded`: as a run just loaded them); if a pipeline does not
    /// load (a spec error, which the run reports), the files of the previous set are kept so that
    /// the fix is seen.
    private func rescan(previous: (set: WatchSet, graphs: [PipelineGraph])?,
                        loaded: [PipelineGraph]? = nil) -> (set: WatchSet, graphs: [PipelineGraph]) {
        let files = pipelineFiles()
        var graphs: [PipelineGraph] = loaded ?? []
        var failed = false
        if loaded == nil {
            for file in files {
                if let graph = try? workspace.loadPipeline(file: file, kinds: kinds) { graphs.append(graph) } else { failed = true }
            }
        }
        var set = WatchSet(graphs: graphs, pipelineFiles: files)
        if failed, let previous { set.files.formUnion(previous.set.files.union(previous.set.trees)) }
        set = set.classified(root: workspace.root)
        inotify.watch(set.directories(root: workspace.root))
        return (set, graphs)
    }

    private func schedules(_ graphs: [PipelineGraph], after time: Int) -> [String: Int] {
        var fires: [String: Int] = [:]
        for graph in graphs {
            if let next = graph.schedule?.nextFire(after: time) { fires[graph.pipeline] = next }
        }
        return fires
    }

    private static func milliseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000
    }
}
