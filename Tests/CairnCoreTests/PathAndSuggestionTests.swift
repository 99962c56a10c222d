import CairnCore
import Testing

@Suite struct PathAndSuggestionTests {
    @Test(arguments: [
        ("data/x.csv", "data/x.csv"), ("./data//x.csv", "data/x.csv"), ("data/../data/x.csv", "data/x.csv"),
        ("/work/ws/data/x.csv", "data/x.csv"),
    ])
    func pathsInsideTheWorkspaceAreNormalized(_ raw: String, _ expected: String) {
        #expect(WorkspacePath.normalize(raw, root: "/work/ws") == expected)
    }

    @Test(arguments: ["../x.csv", "data/../../x.csv", "/etc/passwd", "/work/wsx/a", ".", ""])
    func pathsLeavingTheWorkspaceAreRejected(_ raw: String) {
        #expect(WorkspacePath.normalize(raw, root: "/work/ws") == nil)
    }

    @Test func containmentIsByPathComponent() {
        #expect(WorkspacePath.contains("out", "out/a.txt"))
        #expect(WorkspacePath.contains("out", "out"))
        #expect(!WorkspacePath.contains("out", "outer/a.txt"))
    }

    @Test func suggestionsFindTyposIncludingSwaps() {
        #expect(Suggestion.closest(to: "tabel", in: ["table", "model"]) == "table")
        #expect(Suggestion.closest(to: "inptus", in: ["inputs", "outputs"]) == "inputs")
        #expect(Suggestion.closest(to: "zzz", in: ["inputs", "outputs"]) == nil)
        #expect(Suggestion.hint(for: "zzz", in: ["b", "a"], noun: "kinds") == "known kinds: a, b")
        // A word that is a whole part of a longer name: the shortest such name.
        #expect(Suggestion.closest(to: "auc", in: ["mae", "roc_auc_ovr", "roc_auc", "accuracy"]) == "roc_auc")
    }

    /// JSON numbers are the shortest text that reads back to the same double, never rounded.
    @Test func jsonNumbersKeepEveryDigit() {
        for value in [0.1, 0.123456789012345, 1e-7, 123456789.5, -2.5e300, 5e-324, 1] as [Double] {
            #expect(Double(JSONValue.number(value).compact) == value)
        }
        #expect(JSONValue.number(0.0004).compact == "0.0004")
        #expect(JSONValue.number(.nan).compact == "null")
    }
}
