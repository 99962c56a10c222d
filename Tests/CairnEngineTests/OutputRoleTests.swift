import CairnCore
import CairnEngine
import CairnSupport
import StageCatalog
import Testing

/// An output's role (metrics, plots) comes from its stage kind or from the pipeline's
/// `metrics:` / `plots:`, never from its file name.
@Suite struct OutputRoleTests {
    func graph(_ yaml: String) throws -> PipelineGraph {
        let fixture = try EngineFixture(["data/n.txt": "7\n"])
        try fixture.write("pipelines/p.yaml", yaml)
        return try Workspace(root: fixture.root).loadPipeline(file: "pipelines/p.yaml", kinds: StageCatalog.kinds)
    }

    func roles(_ graph: PipelineGraph, _ stage: String) -> [String: StageSlots.OutputRole] {
        Dictionary(uniqueKeysWithValues: graph.node(named: stage)!.outputs.compactMap { output in output.role.map { (output.name, $0) } })
    }

    @Test func rolesComeFromTheKindOrThePipeline() throws {
        let pipeline = try graph("""
            stages:
              score:
                cmd: echo 1 > ${outputs.scores} && echo 2 > ${outputs.metrics} && echo '<svg/>' > ${outputs.picture}
                outputs: { scores: out/scores.json, metrics: out/metrics.json, picture: out/curve.svg }
                metrics: [scores]
                plots: picture
              evaluate:
                uses: evaluate
                inputs: { model: data/n.txt, test: data/n.txt }
            """)
        #expect(roles(pipeline, "score") == ["scores": .metrics, "picture": .plots], "a file named metrics.json is not a metric by its name")
        #expect(roles(pipeline, "evaluate") == ["metrics": .metrics, "plots": .plots])
    }

    @Test func aRoleForAnOutputTheStageLacksIsASpecError() throws {
        do {
            _ = try graph("""
                stages:
                  score:
                    cmd: echo 1 > ${outputs.scores}
                    outputs: { scores: out/scores.json }
                    metrics: [score]
                """)
            Issue.record("no error")
        } catch let error as CairnError {
            #expect(error.message == "'metrics:' names 'score', which is not an output of stage 'score'")
            #expect(error.hint == "did you mean 'scores'?" && error.location?.line == 5)
        }
    }
}
