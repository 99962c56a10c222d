import ArgumentParser
import CairnSupport
import Learn
import Tables

struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Score new data with a trained model: its saved transform, then the model."
    )

    @Option(help: "A model file written by a train stage.")
    var model: String

    @Option(help: "The rows to score: CSV or a table file, with the columns the model was trained on (the target may be absent).")
    var input: String

    @Option(help: "Where to write the predictions: CSV when it ends in .csv, a table file otherwise.")
    var output: String

    func run() throws {
        for path in [model, input] where !FileSystem.exists(path) { throw CairnError(.usage, "no file '\(path)'") }
        let artifact = try ModelArtifact.read(model)
        let predictions = try artifact.score(Table.load(input))
        try FileSystem.makeDirectories(FileSystem.parent(of: output))
        try predictions.table().save(to: output)
        Output.standardOutput("\(predictions.count) rows scored by \(artifact.model.name) → \(output)")
    }
}
