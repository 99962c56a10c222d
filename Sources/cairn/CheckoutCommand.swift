import ArgumentParser
import CairnOperations

struct CheckoutCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "checkout",
        abstract: "Put back the data and outputs a commit's lock files pin, from the store."
    )

    @Argument(help: "A commit (as its committed lock files say) or a run of refs/cairn/lineage.")
    var rev: String

    @Argument(help: "Output or raw-data paths; none means every output and raw input of every pipeline.")
    var artifacts: [String] = []

    @Flag(help: "Overwrite files changed since the last run or checkout.")
    var force = false

    func run() throws {
        let access = try LineageAccess(artifacts: artifacts)
        let pin = try access.lineage.pin(rev)
        let checkout = Checkout(session: access.session, store: try access.session.makeStore())
        let outcome = try checkout.restore(pin.locks, paths: access.paths, label: pin.label, force: force)
        Output.standardOutput("restored \(outcome.restored) path\(outcome.restored == 1 ? "" : "s") as of \(pin.label)"
                              + (outcome.unchanged > 0 ? "; \(outcome.unchanged) already were" : ""))
    }
}
