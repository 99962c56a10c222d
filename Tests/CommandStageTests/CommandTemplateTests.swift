import CairnCore
import CommandStage
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
        #expect(CommandTemplate.shellQuoted("it's") == #"'it'\''s'"#)
        #expect(CommandTemplate.shellQuoted("") == "''")
        #expect(CommandTemplate.shellQuoted("a;rm -rf /") == "'a;rm -rf /'")
        let template = CommandTemplate("echo ${HOME} $${inputs.x} ${inputs.x}")
        #expect(template.render(try context(inputs: ["x": "/ws/a"])) == "echo ${HOME} ${inputs.x} a")
        #expect(template.malformed == nil)
        #expect(CommandTemplate("echo ${inputs}").malformed == .init(text: "${inputs}", correction: nil))
        #expect(CommandTemplate("cp x ${output.table}").malformed == .init(text: "${output.table}", correction: "${outputs.table}"))
        #expect(CommandTemplate("echo ${PATH} ${HOME}").malformed == nil)
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
