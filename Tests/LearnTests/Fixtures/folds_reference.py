"""Reference folds for Tests/LearnTests/FoldPlanTests.swift, from scikit-learn 1.9.1.

    python3 Tests/LearnTests/Fixtures/folds_reference.py

Rows: 40; group of row i is (i * 7) % 11 (11 groups of 3 or 4 rows), label of row i is
(i // 3 + i) % 3 if i < 30 else 2 (three unbalanced classes).
"""
from sklearn.model_selection import GroupKFold, StratifiedGroupKFold, TimeSeriesSplit

rows = 40
groups = [(i * 7) % 11 for i in range(rows)]
labels = [(i // 3 + i) % 3 if i < 30 else 2 for i in range(rows)]
X = [[i] for i in range(rows)]


def show(name, splitter, **kwargs):
    folds = [sorted(test.tolist()) for _, test in splitter.split(X, **kwargs)]
    print(name, folds)


show("GroupKFold(4)", GroupKFold(n_splits=4), groups=groups)
show("StratifiedGroupKFold(3)", StratifiedGroupKFold(n_splits=3), y=labels, groups=groups)
for train, test in TimeSeriesSplit(n_splits=3).split(X[:10]):
    print("TimeSeriesSplit(3) of 10", train.tolist(), test.tolist())
