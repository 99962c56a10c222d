/// Why a stage has to run (or be restored): every rerun carries one, in words a person reads.
public enum RunReason: Hashable, Sendable, CustomStringConvertible {
    case neverRun
    case forced
    /// A scheduled run of a stage marked `always_run`.
    case scheduled
    case definitionChanged(String)
    case paramChanged(key: String, from: String?, to: String?)
    /// A key of the stage's `with:` block; values as canonical text.
    case configChanged(key: String, from: String?, to: String?)
    case inputChanged(path: String)
    case inputMissing(path: String)
    case inputsChanged(added: [String], removed: [String])
    case upstreamStale(stage: String)
    case outputMissing(path: String)
    case outputChanged(path: String)

    public var description: String {
        switch self {
        case .neverRun: return "never ran"
        case .forced: return "forced"
        case .scheduled: return "always_run on a scheduled run"
        case .definitionChanged(let what): return "\(what) changed"
        case .paramChanged(let key, let old, let new):
            return "param \(key) \(old ?? "(unset)") → \(new ?? "(unset)")"
        case .configChanged(let key, let old, let new):
            return "with: \(key) \(old ?? "(unset)") → \(new ?? "(unset)")"
        case .inputChanged(let path): return "input \(path) changed"
        case .inputMissing(let path): return "input \(path) missing"
        case .inputsChanged(let added, let removed):
            let parts = added.map { "+\($0)" } + removed.map { "-\($0)" }
            return "inputs changed (\(parts.joined(separator: ", ")))"
        case .upstreamStale(let stage): return "upstream \(stage) is stale"
        case .outputMissing(let path): return "output \(path) missing"
        case .outputChanged(let path): return "output \(path) changed"
        }
    }
}
