import Learn
import Testing

/// Reference values: scikit-learn 1.9.1 on the predictions below, printed by Fixtures/metric_reference.py.
@Suite struct ClassificationMetricTests {
    let truth = [0, 1, 1, 0, 1, 0, 1, 1, 0, 0, 1, 0]
    let score = [0.1, 0.8, 0.35, 0.4, 0.9, 0.2, 0.65, 0.35, 0.7, 0.05, 0.5, 0.35]
    var positive: [Bool] { truth.map { $0 == 1 } }
    var predicted: [Int] { score.map { $0 >= 0.5 ? 1 : 0 } }

    let truth3 = [0, 1, 2, 2, 1, 0, 2, 1, 0, 2]
    let probabilities3: [[Double]] = [[0.7, 0.2, 0.1], [0.2, 0.5, 0.3], [0.1, 0.3, 0.6], [0.3, 0.4, 0.3], [0.25, 0.25, 0.5],
                                      [0.5, 0.3, 0.2], [0.2, 0.2, 0.6], [0.6, 0.3, 0.1], [0.4, 0.4, 0.2], [0.1, 0.1, 0.8]]
    let predicted3 = [0, 1, 2, 1, 2, 0, 2, 0, 0, 2]

    func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 1e-9 }

    @Test func binaryLabelMetrics() {
        #expect(ClassificationMetrics.accuracy(truth, predicted) == 0.75)
        #expect(close(ClassificationMetrics.balancedAccuracy(truth, predicted), 0.75))
        #expect(close(ClassificationMetrics.precision(truth, predicted, average: .binary(positive: 1)), 0.8))
        #expect(close(ClassificationMetrics.recall(truth, predicted, average: .binary(positive: 1)), 0.6666666666666666))
        #expect(close(ClassificationMetrics.f1(truth, predicted, average: .binary(positive: 1)), 0.7272727272727273))
        #expect(ClassificationMetrics.confusionMatrix(truth, predicted, classes: 2) == [[5, 1], [2, 4]])
    }

    @Test func scoreMetricsAndCurves() {
        #expect(close(ClassificationMetrics.rocAUC(positive, score), 0.8055555555555556))
        #expect(close(ClassificationMetrics.averagePrecision(positive, score), 0.8138888888888888))
        #expect(close(ClassificationMetrics.logLoss(truth, score.map { [1 - $0, $0] }), 0.5064547598471465))
        #expect(close(ClassificationMetrics.brierScore(positive, score), 0.17437499999999997))
        let roc = ClassificationMetrics.rocCurve(positive, score)
        let sixth = 1.0 / 6
        let fpr = [0, 0, 0, sixth, sixth, sixth, 2 * sixth, 3 * sixth, 4 * sixth, 5 * sixth, 1]
        let tpr = [0, sixth, 2 * sixth, 2 * sixth, 3 * sixth, 4 * sixth, 4 * sixth, 1, 1, 1, 1]
        #expect(zip(roc.falsePositiveRate, fpr).allSatisfy { close($0, $1) } && roc.falsePositiveRate.count == fpr.count)
        #expect(zip(roc.truePositiveRate, tpr).allSatisfy { close($0, $1) })
        let pr = ClassificationMetrics.precisionRecallCurve(positive, score)
        let precision = [0.5, 0.5454545454545454, 0.6, 0.6666666666666666, 0.6666666666666666, 0.8, 0.75, 0.6666666666666666, 1, 1, 1]
        let recall = [1, 1, 1, 1, 4 * sixth, 4 * sixth, 3 * sixth, 2 * sixth, 2 * sixth, sixth, 0]
        #expect(pr.precision.count == precision.count && zip(pr.precision, precision).allSatisfy { close($0, $1) })
        #expect(zip(pr.recall, recall).allSatisfy { close($0, $1) })
    }

    @Test func multiclassMetrics() {
        #expect(ClassificationMetrics.accuracy(truth3, predicted3) == 0.7)
        #expect(close(ClassificationMetrics.balancedAccuracy(truth3, predicted3), 0.6944444444444443))
        #expect(close(ClassificationMetrics.precision(truth3, predicted3, average: .macro), 0.6666666666666666))
        #expect(close(ClassificationMetrics.recall(truth3, predicted3, average: .macro), 0.6944444444444443))
        #expect(close(ClassificationMetrics.f1(truth3, predicted3, average: .macro), 0.669047619047619))
        #expect(close(ClassificationMetrics.precision(truth3, predicted3, average: .weighted), 0.675))
        #expect(close(ClassificationMetrics.recall(truth3, predicted3, average: .weighted), 0.7))
        #expect(close(ClassificationMetrics.f1(truth3, predicted3, average: .weighted), 0.6771428571428572))
        #expect(close(ClassificationMetrics.rocAUCOneVsRest(truth3, probabilities3), 0.8363095238095237))
        #expect(close(ClassificationMetrics.logLoss(truth3, probabilities3), 0.7698294805550733))
        #expect(ClassificationMetrics.confusionMatrix(truth3, predicted3, classes: 3) == [[3, 0, 0], [1, 1, 1], [0, 1, 3]])
    }
}
