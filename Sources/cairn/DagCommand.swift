import ArgumentParser
import CairnEngine
import CairnOperations

struct DagCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dag",
        abstract: "Show the stages and what each reads from."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case ascii, dot, mermaid
    }

    @Option(help: "ascii, dot (Graphviz) or mermaid.")
    var format: Format = .ascii

    @Argument(help: "Pipelines by name or path; none means all.")
    var pipelines: [String] = []

    func run() throws {
        for graph in try Session(pipelines: pipelines).loadGraphs() {
            Output.standardOutput(render(graph))
        }
    }

    func render(_ graph: PipelineGraph) -> String {
        switch format {
        case .ascii:
            let width = (graph.nodes.map(\.name.count).max() ?? 0) + 2
            let lines = graph.nodes.map { node in
                let kind = "(\(node.kind.name))".padding(8)
                let from = node.upstream.isEmpty ? "" : "← " + node.upstream.joined(separator: ", ")
                return "  \(node.name.padding(width))\(kind)\(from)".trimmingTrailingSpaces
            }
            return (["\(graph.pipeline) (\(graph.file))"] + lines).joined(separator: "\n")
        case .dot:
            var lines = ["digraph \"\(graph.pipeline)\" {", "  rankdir=LR;"]
            lines += graph.nodes.map { "  \"\($0.name)\" [shape=box];" }
            lines += graph.nodes.flatMap { node in node.upstream.map { "  \"\($0)\" -> \"\(node.name)\";" } }
            return (lines + ["}"]).joined(separator: "\n")
        case .mermaid:
            var lines = ["graph LR"]
            lines += graph.nodes.map { "  \($0.name)[\"\($0.name)\"]" }
            lines += graph.nodes.flatMap { node in node.upstream.map { "  \($0) --> \(node.name)" } }
            return lines.joined(separator: "\n")
        }
    }
}
