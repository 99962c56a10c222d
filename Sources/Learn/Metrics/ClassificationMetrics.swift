import Glibc

/// Classification scores, defined as scikit-learn defines them. Classes are indices 0, 1, …;
/// a score or probability of the positive class goes with `truth` as a Bool.
public enum ClassificationMetrics {
    /// How precision, recall and F1 combine classes.
    public enum Average: Sendable, Equatable {
        /// The score of one class, the positive one.
        case binary(positive: Int)
        /// The unweighted mean over classes.
        case macro
        /// The mean over classes weighted by how often each occurs in the truth.
        case weighted
    }

    public static func accuracy(_ truth: [Int], _ predicted: [Int]) -> Double {
        Double(zip(truth, predicted).filter { $0 == $1 }.count) / Double(truth.count)
    }

    /// Rows are true classes, columns predicted ones.
    public static func confusionMatrix(_ truth: [Int], _ predicted: [Int], classes: Int) -> [[Int]] {
        var matrix = [[Int]](repeating: [Int](repeating: 0, count: classes), count: classes)
        for (actual, guess) in zip(truth, predicted) { matrix[actual][guess] += 1 }
        return matrix
    }

    /// The mean recall over the classes present in the truth.
    public static func balancedAccuracy(_ truth: [Int], _ predicted: [Int]) -> Double {
        let counts = PerClass(truth, predicted)
        let present = counts.labels.filter { counts.support[$0]! > 0 }
        return present.map { Double(counts.truePositives[$0]!) / Double(counts.support[$0]!) }.reduce(0, +) / Double(present.count)
    }

    public static func precision(_ truth: [Int], _ predicted: [Int], average: Average) -> Double {
        PerClass(truth, predicted).combine(average) { $0.precision($1) }
    }

    public static func recall(_ truth: [Int], _ predicted: [Int], average: Average) -> Double {
        PerClass(truth, predicted).combine(average) { $0.recall($1) }
    }

    public static func f1(_ truth: [Int], _ predicted: [Int], average: Average) -> Double {
        PerClass(truth, predicted).combine(average) { counts, label in
            let p = counts.precision(label), r = counts.recall(label)
            return p + r == 0 ? 0 : 2 * p * r / (p + r)
        }
    }

    /// Counts per label over the labels seen in either list, sorted; a zero division scores 0.
    private struct PerClass {
        var labels: [Int]
        var truePositives: [Int: Int] = [:]
        var predictedCount: [Int: Int] = [:]
        var support: [Int: Int] = [:]

        init(_ truth: [Int], _ predicted: [Int]) {
            labels = Set(truth).union(predicted).sorted()
            for label in labels { (truePositives[label], predictedCount[label], support[label]) = (0, 0, 0) }
            for (actual, guess) in zip(truth, predicted) {
                support[actual]! += 1
                predictedCount[guess]! += 1
                if actual == guess { truePositives[actual]! += 1 }
            }
        }

        func precision(_ label: Int) -> Double {
            let predicted = predictedCount[label] ?? 0
            return predicted == 0 ? 0 : Double(truePositives[label] ?? 0) / Double(predicted)
        }

        func recall(_ label: Int) -> Double {
            let actual = support[label] ?? 0
            return actual == 0 ? 0 : Double(truePositives[label] ?? 0) / Double(actual)
        }

        func combine(_ average: Average, _ score: (PerClass, Int) -> Double) -> Double {
            switch average {
            case .binary(let positive): return score(self, positive)
            case .macro: return labels.map { score(self, $0) }.reduce(0, +) / Double(labels.count)
            case .weighted:
                let total = Double(labels.reduce(0) { $0 + support[$1]! })
                return labels.map { score(self, $0) * Double(support[$0]!) }.reduce(0, +) / total
            }
        }
    }

    // MARK: Scores and probabilities

    /// Points of the ROC curve, one per distinct score from the highest down, after (0, 0).
    public static func rocCurve(_ truth: [Bool], _ scores: [Double]) -> (falsePositiveRate: [Double], truePositiveRate: [Double], thresholds: [Double]) {
        let (thresholds, truePositives, falsePositives) = cumulativeCounts(truth, scores)
        let positives = Double(truePositives.last ?? 0), negatives = Double(falsePositives.last ?? 0)
        return ([0] + falsePositives.map { Double($0) / negatives }, [0] + truePositives.map { Double($0) / positives },
                [.infinity] + thresholds)
    }

    /// Area under the ROC curve by the trapezoidal rule.
    public static func rocAUC(_ truth: [Bool], _ scores: [Double]) -> Double {
        let curve = rocCurve(truth, scores)
        var area = 0.0
        for index in 1..<curve.falsePositiveRate.count {
            area += (curve.falsePositiveRate[index] - curve.falsePositiveRate[index - 1])
                * (curve.truePositiveRate[index] + curve.truePositiveRate[index - 1]) / 2
        }
        return area
    }

    /// The unweighted mean of each class's ROC AUC against the rest (`multi_class="ovr"`).
    public static func rocAUCOneVsRest(_ truth: [Int], _ probabilities: [[Double]]) -> Double {
        let classes = probabilities.first?.count ?? 0
        return (0..<classes).map { label in rocAUC(truth.map { $0 == label }, probabilities.map { $0[label] }) }
            .reduce(0, +) / Double(classes)
    }

    /// Precision and recall at each distinct score from the lowest up, then (1, 0).
    public static func precisionRecallCurve(_ truth: [Bool], _ scores: [Double]) -> (precision: [Double], recall: [Double], thresholds: [Double]) {
        let (thresholds, truePositives, falsePositives) = cumulativeCounts(truth, scores)
        let positives = Double(truePositives.last ?? 0)
        let precision = zip(truePositives, falsePositives).map { tp, fp in tp + fp == 0 ? 0 : Double(tp) / Double(tp + fp) }
        let recall = truePositives.map { positives == 0 ? 1 : Double($0) / positives }
        return (precision.reversed() + [1], recall.reversed() + [0], thresholds.reversed())
    }

    /// Σ (Rₙ − Rₙ₋₁) Pₙ over the thresholds: the area under the precision-recall steps.
    public static func averagePrecision(_ truth: [Bool], _ scores: [Double]) -> Double {
        let curve = precisionRecallCurve(truth, scores)
        var sum = 0.0
        for index in 0..<(curve.recall.count - 1) { sum -= (curve.recall[index + 1] - curve.recall[index]) * curve.precision[index] }
        return sum
    }

    /// Mean negative log of the probability given to the true class, probabilities clipped to [ε, 1 − ε].
    public static func logLoss(_ truth: [Int], _ probabilities: [[Double]]) -> Double {
        let epsilon = Double.ulpOfOne
        return zip(truth, probabilities).map { label, row in -log(min(max(row[label], epsilon), 1 - epsilon)) }
            .reduce(0, +) / Double(truth.count)
    }

    /// Mean squared difference between the positive class's probability and the outcome.
    public static func brierScore(_ truth: [Bool], _ probabilities: [Double]) -> Double {
        zip(truth, probabilities).map { ($1 - ($0 ? 1 : 0)) * ($1 - ($0 ? 1 : 0)) }.reduce(0, +) / Double(truth.count)
    }

    /// Distinct scores from the highest down, with the true and false positives at or above each.
    private static func cumulativeCounts(_ truth: [Bool], _ scores: [Double]) -> (thresholds: [Double], truePositives: [Int], falsePositives: [Int]) {
        let order = scores.indices.sorted { scores[$0] > scores[$1] }
        var thresholds: [Double] = [], truePositives: [Int] = [], falsePositives: [Int] = []
        var tp = 0, fp = 0
        for (position, index) in order.enumerated() {
            if truth[index] { tp += 1 } else { fp += 1 }
            if position + 1 == order.count || scores[order[position + 1]] != scores[index] {
                thresholds.append(scores[index])
                truePositives.append(tp)
                falsePositives.append(fp)
            }
        }
        return (thresholds, truePositives, falsePositives)
    }
}
