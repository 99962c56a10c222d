import ArgumentParser
import CairnOperations
import CairnSupport

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write one self-contained HTML page about a pipeline: its DAG, metrics, plots and drift."
    )

    @Argument(help: "The pipeline, by name or path; may be left out when there is only one.")
    var pipeline: String?

    @Option(name: .shortAndLong, help: "Where to write the page (default: artifacts/PIPELINE/report.html).")
    var output: String?

    func run() throws {
        let session = try Session(pipelines: pipeline.map { [$0] } ?? [])
        let graphs = try session.loadGraphs()
        guard graphs.count == 1, let graph = graphs.first else {
            throw CairnError(.usage, graphs.isEmpty ? "no pipelines in pipelines/" : "name the pipeline to report on",
                             hint: graphs.isEmpty ? nil : "one of: " + graphs.map(\.pipeline).joined(separator: ", "))
        }
        let destination = output.map { $0.hasPrefix("/") ? $0 : FileSystem.currentDirectory() + "/" + $0 }
            ?? session.workspace.absolute("artifacts/\(graph.pipeline)/report.html")
        let page = try PipelineReport(session: session, graph: graph).page()
        try FileSystem.makeDirectories(FileSystem.parent(of: destination))
        try FileSystem.writeAtomically(Array(page.html.utf8), to: destination)
        Output.standardOutput("wrote \(output ?? "artifacts/\(graph.pipeline)/report.html"): \(graph.nodes.count) stages, \(page.metrics.count) metrics files, "
            + "\(page.plots.count) plots, \(page.drift.count) drift reports")
    }
}
