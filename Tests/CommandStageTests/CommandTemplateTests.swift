import CairnCore
import CairnSupport
import CommandStage
import Foundation
import Testing

@Suite struct CommandTemplateTests {
    func context(workspace: String = "/ws", inputs: [String: String] = [:], outputs: [String: String] = [:],
                 params: [String: ConfigNode] = [:]) throws -> StageContext {
        StageContext(workspace: workspace, pipeline: "p", stage: "s", inputs: inputs, outputs: outputs, params: params,
                     log: try StageLog(path: "/dev/null"), cancellation: Cancellation())
    }

    @Test func substitutesShellQuotedRelativePaths() throws {
        let template = CommandTemplate("python3 fit.py ${inputs.table} --out ${outputs.model} --c ${params.train.C}")
        #expect(template.references.map(\.name) == ["table", "model", "train.C"])
        let c = ConfigNode(.scalar("0.1", quoted: false), at: SourceLocation(file: "params.yaml", line: 1, column: 1))
        let line = template.render(try context(inputs: ["table": "/ws/data/my table.csv"],
                                               outputs: ["model": "/ws/.cairn/tmp/x/model.json"], params: ["train.C": c]))
        #expect(line == "python3 fit.py 'data/my table.csv' --out .cairn/tmp/x/model.json --c 0.1")
    }

    @Test func quotingSurvivesQuotesAndLeavesShellVariablesAlone() throws {
        #expect(Shell.quoted("it's") == #"'it'\''s'"#)
        #expect(Shell.quoted("") == "''")
        #expect(Shell.quoted("a;rm -rf /") == "'a;rm -rf /'")
        let template = CommandTemplate("echo ${HOME} $${inputs.x} ${inputs.x}")
        #expect(template.render(try context(inputs: ["x": "/ws/a"])) == "echo ${HOME} ${inputs.x} a")
        #expect(template.malformed == nil)
        #expect(CommandTemplate("echo ${inputs}").malformed == .init(text: "${inputs}", correction: nil))
        #expect(CommandTemplate("cp x ${output.table}").malformed == .init(text: "${output.table}", correction: "${outputs.table}"))
        #expect(CommandTemplate("echo ${PATH} ${HOME}").malformed == nil)
    }

    /// A quote joined to a combining mark or a zero-width joiner is still a quote to the shell:
    /// each value comes back from `sh` exactly as it went in, and nothing in it runs.
    @Test(arguments: ["X'\u{301}$(touch INJECTED)'\u{301}", "a'\u{200D}; touch INJECTED; '\u{200D}", "'$(touch INJECTED)'", "é'\u{0308}`touch INJECTED`"])
    func quotingHoldsWhateverFollowsTheQuote(_ value: String) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-quote-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let shell = Process()
        shell.executableURL = URL(fileURLWithPath: "/bin/sh")
        shell.arguments = ["-c", "printf %s " + Shell.quoted(value) + " > out"]
        shell.currentDirectoryURL = directory
        try shell.run()
        shell.waitUntilExit()
        #expect(shell.terminationStatus == 0)
        #expect(try String(contentsOf: directory.appendingPathComponent("out"), encoding: .utf8) == value)
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("INJECTED").path))
    }

    /// A placeholder inside quotes would be quoted twice, which unquotes it: found, not run.
    @Test func placeholdersInsideQuotesAreFound() {
        #expect(CommandTemplate(#"echo "${params.x}""#).insideQuotes == .init(namespace: .params, name: "x"))
        #expect(CommandTemplate("echo '${inputs.a}'").insideQuotes == .init(namespace: .inputs, name: "a"))
        #expect(CommandTemplate(#"echo "it's" ${inputs.a} 'say "hi"' \" ${outputs.b}"#).insideQuotes == nil)
        #expect(CommandTemplate(#"printf '%s\n' ${inputs.a} "done""#).insideQuotes == nil)
        // A command substitution inside double quotes starts afresh.
        #expect(CommandTemplate(#"echo "{\"value\":$(cat ${inputs.x})}" > ${outputs.m}"#).insideQuotes == nil)
        #expect(CommandTemplate(#"echo "$(cat "${inputs.x}")""#).insideQuotes == .init(namespace: .inputs, name: "x"))
        #expect(CommandTemplate("echo \"`cat ${inputs.x}`\"").insideQuotes == nil)
    }

    @Test func validationRejectsUndeclaredNames() throws {
        let stage = CommandStage(config: .init(cmd: "cp ${inputs.a} ${outputs.b}"))
        let location = SourceLocation(file: "p.yaml", line: 3, column: 10)
        try stage.validate(StageInterface(inputs: ["a"], outputs: ["b"], params: [], location: location))
        let error = try #require(throws: CairnError.self) {
            try stage.validate(StageInterface(inputs: ["a"], outputs: ["c"], params: [], location: location))
        }
        #expect(error.location == location)
        #expect(error.message == "'${outputs.b}' names no declared output")
    }

    @Test func runsTheCommandAndFailsOnANonZeroExit() throws {
        let inWorkspace = CommandStage(config: .init(cmd: "test \"$(pwd)\" = /tmp"))
        try inWorkspace.run(try context(workspace: "/tmp"))
        let failing = CommandStage(config: .init(cmd: "exit 7"))
        let error = try #require(throws: CairnError.self) { try failing.run(try context(workspace: "/tmp")) }
        #expect(error.message == "command failed with exit status 7")
    }
}
