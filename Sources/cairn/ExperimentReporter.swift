import CairnCore
import CairnEngine
import CairnOperations
import CairnSupport

/// Shows the experiments of a sweep as they end, and (with `--verbose`, or always as JSON
/// lines naming the experiment) what each one's stages did.
struct ExperimentReporter: Sendable {
    let json: Bool
    let verbose: Bool

    /// What one experiment's run reports to.
    func observer(for experiment: String) -> any RunObserver { StageLines(experiment: experiment, json: json, verbose: verbose) }

    func queued(_ experiment: Experiment) {
        if json {
            Output.jsonLine([("event", .string("queued")), ("experiment", .string(experiment.name)), ("params", Self.params(experiment))])
        } else {
            Output.standardOutput("queued   \(experiment.name.padding(12)) \(Self.paramsText(experiment))")
        }
    }

    func finished(_ experiment: Experiment) {
        if json {
            Output.jsonLine([("event", .string("experiment")), ("experiment", .string(experiment.name)),
                             ("status", .string(experiment.status.rawValue)), ("params", Self.params(experiment)),
                             ("metrics", .object(experiment.metrics.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })),
                             ("stages", .object(experiment.stages.sorted { $0.key < $1.key }.map { ($0.key, .integer($0.value)) })),
                             ("error", experiment.error.map(JSONValue.string) ?? .null)])
            return
        }
        let stages = experiment.stages.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
        let outcome = experiment.status == .failed ? "failed: " + (experiment.error ?? "") : "(\(stages))"
        Output.standardOutput("\(experiment.status == .failed ? "failed " : "done   ")  \(experiment.name.padding(12)) \(Self.paramsText(experiment))  \(outcome)")
    }

    static func paramsText(_ experiment: Experiment) -> String {
        experiment.params.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
    }

    private static func params(_ experiment: Experiment) -> JSONValue {
        .object(experiment.params.map { ($0.key, .string($0.value)) })
    }

    private struct StageLines: RunObserver {
        let experiment: String
        let json: Bool
        let verbose: Bool

        func stageStarted(pipeline: String, stage: String, restoring: Bool) {}

        func stageFinished(_ event: StageEvent) {
            if json {
                RunReporter.printJSON(event, extra: [("experiment", .string(experiment))])
            } else if verbose || event.status == .failed {
                Output.standardOutput("  \(experiment.padding(12)) " + RunReporter.line(for: event))
            }
        }

        func pipelineFinished(_ pipeline: String, events: [StageEvent], seconds: Double) {}
    }
}
