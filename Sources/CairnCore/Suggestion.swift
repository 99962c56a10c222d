/// "Did you mean …?" for a misspelt name: the closest candidate by edit distance, if close enough.
public enum Suggestion {
    public static func closest(to word: String, in candidates: some Sequence<String>) -> String? {
        let target = Array(word.lowercased().unicodeScalars)
        var best: (name: String, distance: Int)?
        for candidate in candidates {
            let distance = editDistance(target, Array(candidate.lowercased().unicodeScalars))
            if distance < (best?.distance ?? Int.max) { best = (candidate, distance) }
        }
        guard let best, best.distance <= max(1, target.count / 3) else { return nil }
        return best.name
    }

    /// A hint sentence naming the closest candidate, or listing the candidates when none is close.
    public static func hint(for word: String, in candidates: [String], noun: String) -> String? {
        if let match = closest(to: word, in: candidates) { return "did you mean '\(match)'?" }
        if candidates.isEmpty { return nil }
        return "known \(noun): " + candidates.sorted().joined(separator: ", ")
    }

    /// Levenshtein distance with one row of memory.
    static func editDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
        if a.isEmpty { return b.count }
        var row = Array(0...b.count)
        for i in 1...a.count {
            var diagonal = row[0]
            row[0] = i
            for j in stride(from: 1, through: b.count, by: 1) {
                let above = row[j]
                row[j] = min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1))
                diagonal = above
            }
        }
        return row[b.count]
    }
}
