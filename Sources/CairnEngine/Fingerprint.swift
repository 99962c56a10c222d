import CairnSupport

/// A stage's identity for freshness and the run cache: a hash over its kind and version, its
/// canonical config, the values of its params, the hash of every input and its output paths.
/// The same definition on the same data gives the same fingerprint on any machine.
public enum Fingerprint {
    /// - Parameter inputHashes: input path → hash; every input of the stage must be present.
    public static func of(_ node: PipelineGraph.Node, inputHashes: [String: ContentHash]) -> ContentHash {
        var text = "cairn-fingerprint 1\nkind \(node.kind.name) \(node.kind.version)\nconfig \(node.config.canonical)\n"
        for (key, value) in node.params.sorted(by: { $0.key < $1.key }) {
            text += "param \(key) \(value.canonical)\n"
        }
        for input in node.inputs {
            text += "input \(input.name) \(input.path) \(inputHashes[input.path]!.hex)\n"
        }
        for output in node.outputs {
            text += "output \(output.name) \(output.path)\n"
        }
        return ContentHasher.digest(Array(text.utf8))
    }
}
