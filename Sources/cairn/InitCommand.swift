import ArgumentParser
import CairnGit
import CairnSupport

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Make this folder a workspace: a git repository (for lineage) with pipelines/."
    )

    func run() throws {
        let directory = FileSystem.currentDirectory()
        if GitRepository.discover(directory) == nil {
            _ = try GitRepository.create(directory)
            Output.standardOutput("created a git repository in \(directory)")
        }
        try FileSystem.makeDirectories(directory + "/pipelines")
        let ignore = directory + "/.gitignore"
        let existing = (try? FileSystem.readText(ignore)) ?? ""
        let wanted = [".cairn/", "artifacts/"].filter { !existing.split(separator: "\n").contains(Substring($0)) }
        if !wanted.isEmpty {
            let text = existing + (existing.isEmpty || existing.hasSuffix("\n") ? "" : "\n") + wanted.joined(separator: "\n") + "\n"
            try FileSystem.writeAtomically(Array(text.utf8), to: ignore)
        }
        Output.standardOutput("workspace ready: put pipelines in pipelines/NAME.yaml and run `cairn run`")
    }
}
