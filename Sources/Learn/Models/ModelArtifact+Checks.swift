import CairnCore

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
        let lists: [String: [String]]
        switch self {
        case .oneHot(let encoder): lists = encoder.encodings.mapValues(\.categories)
        case .ordinal(let encoder): lists = encoder.categories
        default: return nil
        }
        guard let column = lists.keys.sorted().first(where: { Set(lists[$0]!).count != lists[$0]!.count }) else { return nil }
        return "the \(name) step lists a category of '\(column)' twice"
    }
}

extension FittedModel {
    /// What does not fit `features` inputs and `classes` classes (0 for regression), or nil.
    func problem(features: Int, classes: Int) -> String? {
        let outputs = max(classes, 1)
        switch self {
        case .linear(let model):
            return model.coefficients.count == features ? nil : "\(model.coefficients.count) coefficients for \(features) features"
        case .logistic(let model):
            let columns = classes == 2 ? 1 : classes
            guard model.classes == classes else { return "the model has \(model.classes) classes, the file lists \(classes)" }
            guard model.coefficients.rows == features, model.coefficients.columns == columns, model.intercepts.count == columns else {
                return "coefficients of \(model.coefficients.rows) × \(model.coefficients.columns) and \(model.intercepts.count) intercepts "
                    + "for \(features) features and \(classes) classes"
            }
            return nil
        case .naiveBayes(let model):
            guard model.priors.count == classes, model.means.rows == classes, model.means.columns == features,
                  model.variances.rows == classes, model.variances.columns == features else {
                return "means, variances and priors do not fit \(features) features and \(classes) classes"
            }
            return nil
        case .neighbors(let model):
            guard model.points.columns == features, model.points.rows == model.targets.count, model.classes == classes,
                  model.neighbors >= 1, classes == 0 || model.targets.allSatisfy({ $0 >= 0 && Int($0) < classes }) else {
                return "the kept points or their targets do not fit \(features) features and \(classes) classes"
            }
            return nil
        case .tree(let tree):
            return Self.treeProblem(tree.nodes.map { ($0.feature, $0.left, $0.right, $0.value.count) }, features: features, values: outputs)
        case .forest(let forest):
            return forest.trees.lazy.compactMap {
                Self.treeProblem($0.nodes.map { ($0.feature, $0.left, $0.right, $0.value.count) }, features: features, values: outputs)
            }.first
        case .boosting(let model):
            let scores = classes > 2 ? classes : 1
            guard model.baseline.count == scores, model.trees.allSatisfy({ $0.count == scores }) else {
                return "the boosting's baseline and trees do not fit \(classes) classes"
            }
            return model.trees.lazy.flatMap { $0 }.compactMap {
                Self.treeProblem($0.nodes.map { ($0.feature, $0.left, $0.right, 1) }, features: features, values: 1)
            }.first
        }
    }

    /// Nodes as (feature, left, right, values): leaves have feature −1; a split's children come
    /// after it in the list, so that walking the tree always ends.
    private static func treeProblem(_ nodes: [(feature: Int, left: Int, right: Int, values: Int)], features: Int, values: Int) -> String? {
        guard !nodes.isEmpty else { return "a tree has no nodes" }
        for (index, node) in nodes.enumerated() {
            if node.feature < 0 {
                if node.values != values { return "a leaf holds \(node.values) values, not \(values)" }
            } else if node.feature >= features {
                return "a split reads feature \(node.feature + 1) of \(features)"
            } else if !(index + 1..<nodes.count).contains(node.left) || !(index + 1..<nodes.count).contains(node.right) {
                return "a split's children are not nodes after it"
            }
        }
        return nil
    }
}
