
/// The stages a run is limited to (`cairn run -s`): the named ones and, by default, every
/// stage they read from, as make builds a target's prerequisites; with `single`, only the named
/// ones (DVC's `--single-item`); with `downstream`, the named ones and every stage that reads
/// from them. Stages left out that feed the selection must be fresh: the selection then runs
/// on inputs its upstream's lock records vouch for.
public struct StageSelection: Sendable, Equatable {
    public enum Scope: Sendable, Equatable { case withUpstream, single, downstream }

    public var stages: Set<String>
    public var scope: Scope

    public init(_ stages: Set<String>, scope: Scope = .withUpstream) {
        self.stages = stages
        self.scope = scope
    }

    /// The stages of `graph` the run takes.
    public func included(in graph: PipelineGraph) -> Set<String> {
        switch scope {
        case .withUpstream: return Planner.upstreamClosure(of: stages, in: graph)
        case .single: return stages
        case .downstream: return Planner.downstreamClosure(of: stages, in: graph)
        }
    }

    /// Stages outside the selection that it reads from, directly or not, in pipeline order.
    public func feeding(in graph: PipelineGraph) -> [PipelineGraph.Node] {
        let included = self.included(in: graph)
        let upstream = Planner.upstreamClosure(of: included, in: graph)
        return graph.nodes.filter { upstream.contains($0.name) && !included.contains($0.name) }
    }
}
