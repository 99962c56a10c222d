import ArgumentParser

/// Options every reporting command shares.
struct ReportOptions: ParsableArguments {
    @Flag(name: .long, help: "One JSON object per line.")
    var json = false

    @Argument(help: "Pipelines by name (pipelines/NAME.yaml) or path; none means all.")
    var pipelines: [String] = []
}
