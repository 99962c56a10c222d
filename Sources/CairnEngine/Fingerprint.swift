import CairnSupport

/// A stage's identity for freshness and the run cache: a hash over its kind and version, its
/// canonical config, the values of its params, the hash of every input and its output paths.
/// The same definition on the same data gives the same fingerprint on any machine.
public enum Fingerprint {
    /// - Parameter inputHashes: input path → hash; every input of the stage must be present.
    public static func of(_ node: PipelineGraph.Node, inputHashes: [String: ContentHash]) -> ContentHash {
        // Appended piece by piece: a no-op run of a generated pipeline computes one per stage.
        var text = "cairn-fingerprint 1\nkind "
        text.reserveCapacity(256)
        text += node.kind.name
        text += " "
        text += String(node.kind.version)
        text += "\nconfig "
        node.config.writeCanonical(into: &text)
        text += "\n"
        for (key, value) in node.params.sorted(by: { $0.key < $1.key }) {
            text += "param "
            text += key
            text += " "
            value.writeCanonical(into: &text)
            text += "\n"
        }
        for input in node.inputs {
            text += "input "
            text += input.name
            text += " "
            text += input.path
            text += " "
            text += inputHashes[input.path]!.hex
            text += "\n"
        }
        for output in node.outputs {
            text += "output "
            text += output.name
            text += " "
            text += output.path
            text += "\n"
        }
        return ContentHasher.digest(Array(text.utf8))
    }
}
