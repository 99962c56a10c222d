import CairnCore
import CairnSupport
import Glibc

/// Runs any program: `cmd:` is a shell command line run by `/bin/sh -c` in the workspace root,
/// with `${inputs.X}`, `${outputs.X}` and `${params.KEY}` replaced by shell-quoted values.
/// Its output goes to the stage log; the environment is passed through.
public struct CommandStage: Stage {
    public struct Config: Decodable, Sendable {
        public var cmd: String
        public init(cmd: String) { self.cmd = cmd }

        public enum CodingKeys: String, ConfigKey {
            case cmd

            public var help: String {
                switch self {
                case .cmd: "the command line; ${inputs.X}, ${outputs.X}, ${params.KEY} are substituted, shell-quoted"
                }
            }
        }
    }

    public static let kind = "cmd"
    public static let version = 1
    public static let summary = "run a program (`cmd:` instead of `uses:`); inputs and outputs are what the stage declares"
    public static let slots = StageSlots.declaredByPipeline

    public let template: CommandTemplate

    public typealias ConfigKeys = Config.CodingKeys

    public init(config: Config) { template = CommandTemplate(config.cmd) }

    /// The graph makes this mapping itself, `{cmd: TEXT}` with TEXT a scalar: read directly,
    /// since decoding it was over a third of making the stages of a generated pipeline.
    public static func config(from node: ConfigNode) throws -> Config {
        if let entries = node.entries, entries.count == 1, entries[0].name == "cmd", let text = entries[0].value.scalarText {
            return Config(cmd: text)
        }
        return try ConfigDecoder().decode(Config.self, from: node)
    }

    public func validate(_ interface: StageInterface) throws {
        for reference in template.references {
            let known: Set<String>
            switch reference.namespace {
            case .inputs: known = interface.inputs
            case .outputs: known = interface.outputs
            case .params: continue  // every named param is checked against the params file
            }
            guard known.contains(reference.name) else {
                let hint = Suggestion.closest(to: reference.name, in: known).map { "did you mean '${\(reference.namespace).\($0)}'?" }
                throw CairnError(.unknownReference, "'${\(reference.namespace).\(reference.name)}' names no declared \(reference.namespace.singular)",
                                 at: interface.location, hint: hint ?? "declare it under '\(reference.namespace):'")
            }
        }
        if let quoted = template.insideQuotes {
            throw CairnError(.invalidValue, "'${\(quoted.namespace).\(quoted.name)}' is inside quotes in cmd; Cairn quotes every value itself",
                             at: interface.location, hint: "remove the quotes around it: quoting it again lets the shell expand what the value holds")
        }
        if let bad = template.malformed {
            throw CairnError(.invalidValue, "'\(bad.text)' is not a substitution Cairn knows", at: interface.location,
                             hint: bad.correction.map { "did you mean '\($0)'?" }
                                 ?? "write ${inputs.NAME}, ${outputs.NAME} or ${params.KEY}; write $${ for a literal ${")
        }
    }

    public var impliedParams: [String] {
        template.references.filter { $0.namespace == .params }.map(\.name)
    }

    public func run(_ context: StageContext) throws {
        let line = template.render(context)
        context.log.write("$ \(line)")
        // The shell enters the workspace itself: the caller's working directory does not matter.
        let status = try ChildProcess.run(["/bin/sh", "-c", #"cd -- "$0" && eval "$1""#, context.workspace, line],
                                          output: context.log.fileDescriptor, cancellation: context.cancellation,
                                          group: context.onProcessGroup)
        if context.cancellation.isCancelled { throw CairnError(.interrupted, "interrupted") }
        guard status == 0 else {
            // SIGKILL is what the kernel's out-of-memory killer (and a cluster's memory limit) sends.
            throw CairnError(status & 0x7f == SIGKILL ? .stageKilled : .stageFailed, "command failed with \(ChildProcess.describe(status))")
        }
    }
}
