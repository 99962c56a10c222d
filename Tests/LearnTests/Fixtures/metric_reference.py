"""Reference values for Tests/LearnTests/ClassificationMetricTests.swift, computed with
scikit-learn on the small fixed predictions written out below (and in the test).
Run: python3 Tests/LearnTests/Fixtures/metric_reference.py"""
import numpy as np
import sklearn
from sklearn import metrics

print("scikit-learn", sklearn.__version__)
truth = [0, 1, 1, 0, 1, 0, 1, 1, 0, 0, 1, 0]
score = [0.1, 0.8, 0.35, 0.4, 0.9, 0.2, 0.65, 0.35, 0.7, 0.05, 0.5, 0.35]
pred = [int(s >= 0.5) for s in score]
print("binary accuracy", repr(metrics.accuracy_score(truth, pred)),
      "balanced", repr(metrics.balanced_accuracy_score(truth, pred)))
print("precision", repr(metrics.precision_score(truth, pred)), "recall", repr(metrics.recall_score(truth, pred)),
      "f1", repr(metrics.f1_score(truth, pred)))
print("roc_auc", repr(metrics.roc_auc_score(truth, score)), "average_precision", repr(metrics.average_precision_score(truth, score)))
print("log_loss", repr(metrics.log_loss(truth, score)), "brier", repr(metrics.brier_score_loss(truth, score)))
print("confusion", metrics.confusion_matrix(truth, pred).tolist())
fpr, tpr, thresholds = metrics.roc_curve(truth, score, drop_intermediate=False)
print("roc fpr", fpr.tolist(), "tpr", tpr.tolist())
precision, recall, _ = metrics.precision_recall_curve(truth, score)
print("pr precision", precision.tolist(), "recall", recall.tolist())

truth3 = [0, 1, 2, 2, 1, 0, 2, 1, 0, 2]
proba3 = [[0.7, 0.2, 0.1], [0.2, 0.5, 0.3], [0.1, 0.3, 0.6], [0.3, 0.4, 0.3], [0.25, 0.25, 0.5],
          [0.5, 0.3, 0.2], [0.2, 0.2, 0.6], [0.6, 0.3, 0.1], [0.4, 0.4, 0.2], [0.1, 0.1, 0.8]]
pred3 = [int(np.argmax(p)) for p in proba3]
print("multiclass predictions", pred3)
print("accuracy", repr(metrics.accuracy_score(truth3, pred3)), "balanced", repr(metrics.balanced_accuracy_score(truth3, pred3)))
for average in ("macro", "weighted"):
    print(average, "precision", repr(metrics.precision_score(truth3, pred3, average=average, zero_division=0)),
          "recall", repr(metrics.recall_score(truth3, pred3, average=average, zero_division=0)),
          "f1", repr(metrics.f1_score(truth3, pred3, average=average, zero_division=0)))
print("roc_auc ovr macro", repr(metrics.roc_auc_score(truth3, proba3, multi_class="ovr", average="macro")))
print("log_loss", repr(metrics.log_loss(truth3, proba3)))
print("confusion", metrics.confusion_matrix(truth3, pred3).tolist())
