import CairnSpec
import CairnSupport

/// Whether a stage must run, and why.
public enum Freshness: Sendable, Equatable {
    case fresh
    case stale([RunReason])

    public var reasons: [RunReason] {
        if case .stale(let reasons) = self { return reasons }
        return []
    }
}

/// A stage's verdict and, when its inputs are all known, its fingerprint.
public struct PlannedStage: Sendable {
    public var name: String
    public var freshness: Freshness
    /// Nil when an input is not known yet (an upstream stage is stale) or is missing.
    public var fingerprint: ContentHash?
}

/// Decides freshness as a pure function of (graph, lock, current hashes): no file system, no clock.
/// The runner asks the same question again for each stage once its upstream stages are done.
public enum Planner {
    /// - Parameters:
    ///   - hashes: path → current content hash, for every input and output path that exists.
    ///   - selection: the stages to consider; nil for all.
    public static func plan(_ graph: PipelineGraph, lock: LockFile, hashes: [String: ContentHash],
                            force: Bool = false, selection: StageSelection? = nil) -> [PlannedStage] {
        plan(graph, lock: lock, hashes: hashes, forced: { _ in force ? .forced : nil }, selection: selection)
    }

    /// - Parameter forced: the reason a stage must run whatever its state, if it must.
    public static func plan(_ graph: PipelineGraph, lock: LockFile, hashes: [String: ContentHash],
                            forced: (PipelineGraph.Node) -> RunReason?, selection: StageSelection?) -> [PlannedStage] {
        let included = selection?.included(in: graph)
        var stale: Set<String> = []
        var plan: [PlannedStage] = []
        for node in graph.nodes where included?.contains(node.name) ?? true {
            let planned = decide(node, record: lock.stages[node.name], hashes: hashes,
                                 staleUpstream: node.upstream.filter(stale.contains), forced: forced(node))
            if planned.freshness != .fresh { stale.insert(node.name) }
            plan.append(planned)
        }
        return plan
    }

    /// One stage's verdict. `staleUpstream` names upstream stages that will run first, whose
    /// outputs (and so this stage's fingerprint) are not known yet; `forced` is why the stage
    /// must run whatever its state (`--force`, a scheduled `always_run`), if it must.
    public static func decide(_ node: PipelineGraph.Node, record: LockFile.StageRecord?,
                              hashes: [String: ContentHash], staleUpstream: [String], forced: RunReason?) -> PlannedStage {
        func stale(_ reasons: [RunReason], _ fingerprint: ContentHash? = nil) -> PlannedStage {
            PlannedStage(name: node.name, freshness: .stale(reasons), fingerprint: fingerprint)
        }
        if !staleUpstream.isEmpty { return stale(forced.map { [$0] } ?? staleUpstream.map { .upstreamStale(stage: $0) }) }
        let missing = node.inputs.filter { hashes[$0.path] == nil }
        if !missing.isEmpty { return stale(missing.map { .inputMissing(path: $0.path) }) }
        let fingerprint = Fingerprint.of(node, inputHashes: hashes)
        if let forced { return stale([forced], fingerprint) }
        guard let record else { return stale([.neverRun], fingerprint) }
        if record.fingerprint == fingerprint {
            let reasons = node.outputs.compactMap { output -> RunReason? in
                guard let current = hashes[output.path] else { return .outputMissing(path: output.path) }
                return current == record.outputs[output.path] ? nil : .outputChanged(path: output.path)
            }
            return reasons.isEmpty ? PlannedStage(name: node.name, freshness: .fresh, fingerprint: fingerprint)
                                   : stale(reasons, fingerprint)
        }
        return stale(differences(node, record: record, hashes: hashes), fingerprint)
    }

    /// What changed since the recorded run, in the order a person would look for it.
    static func differences(_ node: PipelineGraph.Node, record: LockFile.StageRecord,
                            hashes: [String: ContentHash]) -> [RunReason] {
        var reasons: [RunReason] = []
        if record.kind != node.kind.name || record.version != node.kind.version {
            reasons.append(.definitionChanged("kind \(record.kind)@\(record.version)"))
        } else if record.definition != node.config.canonical {
            reasons += node.kind.name == PipelineGraph.commandKind ? [.definitionChanged("cmd")] : configChanges(node, record: record)
        }
        let current = node.params.mapValues(\.canonical)
        for key in Set(current.keys).union(record.params.keys).sorted() where current[key] != record.params[key] {
            reasons.append(.paramChanged(key: key, from: record.params[key], to: current[key]))
        }
        let added = node.inputs.map(\.path).filter { record.inputs[$0] == nil }
        let removed = record.inputs.keys.filter { path in !node.inputs.contains { $0.path == path } }.sorted()
        if !added.isEmpty || !removed.isEmpty { reasons.append(.inputsChanged(added: added, removed: removed)) }
        for input in node.inputs {
            if let old = record.inputs[input.path], old != hashes[input.path] {
                reasons.append(.inputChanged(path: input.path))
            }
        }
        if reasons.isEmpty { reasons.append(.definitionChanged("outputs")) }
        return reasons
    }

    /// The `with:` keys whose values differ from the recorded definition's, at most a few named.
    static func configChanges(_ node: PipelineGraph.Node, record: LockFile.StageRecord) -> [RunReason] {
        guard let recorded = try? YAMLDocument.parse(Array(record.definition.utf8), file: "lock file") else {
            return [.definitionChanged("with:")]
        }
        let old = recorded.leaves, new = node.config.leaves
        let keys = Set(old.keys).union(new.keys).filter { old[$0] != new[$0] }.sorted()
        let named = keys.prefix(maxConfigChangesNamed).map { RunReason.configChanged(key: $0.isEmpty ? "(all)" : $0, from: old[$0], to: new[$0]) }
        return keys.count > named.count ? named + [.definitionChanged("with: \(keys.count - named.count) more keys")] : named
    }

    static let maxConfigChangesNamed = 3

    /// The named stages and every stage they read from, directly or not.
    public static func upstreamClosure(of names: Set<String>, in graph: PipelineGraph) -> Set<String> {
        closure(of: names) { graph.node(named: $0)?.upstream ?? [] }
    }

    /// The named stages and every stage that reads from them, directly or not.
    public static func downstreamClosure(of names: Set<String>, in graph: PipelineGraph) -> Set<String> {
        var readers: [String: [String]] = [:]
        for node in graph.nodes { for source in node.upstream { readers[source, default: []].append(node.name) } }
        return closure(of: names) { readers[$0] ?? [] }
    }

    private static func closure(of names: Set<String>, next: (String) -> [String]) -> Set<String> {
        var result: Set<String> = []
        var queue = Array(names)
        while let name = queue.popLast() {
            guard result.insert(name).inserted else { continue }
            queue.append(contentsOf: next(name))
        }
        return result
    }
}
