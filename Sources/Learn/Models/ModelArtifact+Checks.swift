
/// A model file may be edited or damaged: before anything scores with it, its parts must fit
/// together — as many coefficients as features, a leaf value per class, tree links that go
/// forward inside the tree, no class or category twice — or reading it is an error that says
/// what is wrong, instead of a trap or wrong numbers later.
extension ModelArtifact {
    func problem() -> String? {
        let classCount = classes?.count ?? 0
        if let classes, Set(classes).count != classes.count { return "a class is listed twice" }
        if task == .classification, classCount < 2 { return "a classifier needs at least two classes, found \(classCount)" }
        if Set(features).count != features.count { return "a feature is listed twice" }
        if let problem = transform?.steps.lazy.compactMap(\.categoryProblem).first { return problem }
        return fitted.problem(features: features.count, classes: classCount)
    }
}

extension FittedStep {
    var categoryProblem: String? {
        let lists = step.categoryLists
        guard let column = lists.keys.sorted().first(where: { Set(lists[$0]!).count != lists[$0]!.count }) else { return nil }
        return "the \(name) step lists a category of '\(column)' twice"
    }
}
