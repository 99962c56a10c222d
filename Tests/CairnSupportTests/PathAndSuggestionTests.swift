import CairnSupport
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
}
