import ArgumentParser
import CairnOperations

struct CheckoutCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "checkout",
        abstract: "Put artifacts back as a recorded run left them, from the store."
    )

    @Argument(help: "A commit of the source history (its pinned run) or of refs/cairn/lineage.")
    var rev: String

    @Argument(help: "Output paths; none means every output of every pipeline.")
    var artifacts: [String] = []

    func run() throws {
        let access = try LineageAccess(artifacts: artifacts)
        let commit = try access.lineageCommit(rev)
        let checkout = Checkout(session: access.session, store: try access.session.makeStore())
        let count = try checkout.restore(try access.lineage.locks(at: commit), paths: access.paths, label: String(commit.prefix(8)))
        Output.standardOutput("restored \(count) output\(count == 1 ? "" : "s") as of \(commit.prefix(8))")
    }
}
