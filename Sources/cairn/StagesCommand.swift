import ArgumentParser
import StageCatalog

struct StagesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stages",
        abstract: "List the stage kinds and their config keys."
    )

    @Flag(help: "One JSON object per line.")
    var json = false

    func run() throws {
        for kind in StageCatalog.kinds.values.sorted(by: { $0.name < $1.name }) {
            if json {
                Output.jsonLine([
                    ("event", .string("kind")), ("kind", .string(kind.name)), ("version", .integer(kind.version)),
                    ("summary", .string(kind.summary)),
                    ("inputs", .array(kind.slots.inputs.map { .string($0.name) })),
                    ("outputs", .array(kind.slots.outputs.map { .string($0.name) })),
                    ("config", .object(kind.configKeys.map { ($0.name, .string($0.help)) })),
                ])
            } else {
                Output.standardOutput("\(kind.name) (version \(kind.version)): \(kind.summary)")
                for key in kind.configKeys { Output.standardOutput("    \(key.name.padding(12))\(key.help)") }
            }
        }
    }
}
