import ArgumentParser
import CairnEngine
import CairnOperations
import CairnSupport

struct RemoteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remote", abstract: "The remote stores push and pull use, named in cairn.yaml (committed) or .cairn/config (--local).",
        subcommands: [Add.self, List.self, Remove.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Name a remote store (a path or file://PATH).")
        @Argument var name: String
        @Argument var url: String
        @Flag(help: "Make it the default remote.") var `default` = false
        @Flag(help: "In .cairn/config (this machine only) instead of cairn.yaml.") var local = false

        func run() throws {
            let session = try Session(pipelines: [])
            try RemoteRegistry(workspace: session.workspace).add(name, url: url, makeDefault: `default`, local: local)
            Output.standardOutput("remote \(name) → \(url) in \(local ? ProjectConfig.localFile : ProjectConfig.file)" + (`default` ? " (default)" : ""))
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Every remote, the default marked.")
        func run() throws {
            for remote in try RemoteRegistry(workspace: try Session(pipelines: []).workspace).list() {
                Output.standardOutput("\(remote.isDefault ? "*" : " ") \(remote.name)  \(remote.url)")
            }
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Forget a remote (the store it names is not touched).")
        @Argument var name: String
        func run() throws {
            guard try RemoteRegistry(workspace: try Session(pipelines: []).workspace).remove(name) else {
                throw CairnError(.usage, "no remote named '\(name)'", hint: "`cairn remote list` lists them")
            }
            Output.standardOutput("removed remote \(name)")
        }
    }
}
