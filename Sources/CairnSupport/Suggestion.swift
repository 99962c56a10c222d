/// "Did you mean …?" for a misspelt name: the closest candidate by edit distance, if close enough,
/// or else the shortest name the word is a part of.
public enum Suggestion {
    public static func closest(to word: String, in candidates: some Sequence<String>) -> String? {
        let target = Array(word.lowercased().unicodeScalars)
        var best: (name: String, distance: Int)?
        for candidate in candidates {
            let distance = editDistance(target, Array(candidate.lowercased().unicodeScalars))
            if distance < (best?.distance ?? Int.max) { best = (candidate, distance) }
        }
        if let best, best.distance <= max(1, target.count / 3) { return best.name }
        // A word that is a whole part of a longer name ("auc" of "roc_auc"): the shortest such name.
        let parts = word.lowercased()
        return candidates.filter { $0.lowercased().split(separator: "_").contains { $0 == parts } }
            .min { ($0.count, $0) < ($1.count, $1) }
    }

    /// A hint sentence naming the closest candidate, or listing the candidates when none is close.
    public static func hint(for word: String, in candidates: [String], noun: String) -> String? {
        if let match = closest(to: word, in: candidates) { return "did you mean '\(match)'?" }
        if candidates.isEmpty { return nil }
        return "known \(noun): " + candidates.sorted().joined(separator: ", ")
    }

    /// Edit distance where swapping two neighbours counts as one edit (optimal string alignment):
    /// "tabel" is one edit from "table".
    static func editDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var before = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    current[j] = min(current[j], before[j - 2] + 1)
                }
            }
            (before, previous, current) = (previous, current, before)
        }
        return previous[b.count]
    }
}
