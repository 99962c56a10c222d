"""Reference values for Tests/LearnTests/NeighborsAndBayesTests.swift: scikit-learn's GaussianNB
and k-nearest neighbours on the data of Fixtures/logistic_reference.py (same formulas).
Run: python3 Tests/LearnTests/Fixtures/neighbors_bayes_reference.py"""
import math

import numpy as np
import sklearn
from sklearn.model_selection import KFold, StratifiedKFold
from sklearn.naive_bayes import GaussianNB
from sklearn.neighbors import KNeighborsClassifier, KNeighborsRegressor

print("scikit-learn", sklearn.__version__)
rows, multi, target = [], [], []
for i in range(200):
    x1, x2, x3 = 2 * math.sin(0.37 * i), math.cos(0.11 * i + 1), ((i * 7) % 13) / 6.0 - 1
    rows.append([x1, x2, x3])
    scores = [x1, x2 + 0.5 * x3, 0.3 - 0.5 * x1 + 0.4 * math.sin(1.9 * i)]
    multi.append(int(np.argmax(scores)))
    target.append(3 * x1 - x2 + 0.5 * math.sin(5.1 * i))
X = np.array(rows)
queries = np.array([[0.5, 0.2, -0.3], [-1.5, 0.9, 0.4], [1.9, -0.7, 0.0]])
nb = GaussianNB().fit(X, multi)
print("nb theta", nb.theta_.tolist())
print("nb var", nb.var_.tolist())
print("nb proba", nb.predict_proba(queries).tolist())
knn = KNeighborsClassifier(n_neighbors=7).fit(X, multi)
print("knn proba", knn.predict_proba(queries).tolist(), "predict", knn.predict(queries).tolist())
knnd = KNeighborsClassifier(n_neighbors=7, weights="distance").fit(X, multi)
print("knn distance proba", knnd.predict_proba(queries).tolist())
reg = KNeighborsRegressor(n_neighbors=5).fit(X, target)
print("knn regression", reg.predict(queries).tolist())
print("kfold 10 rows 3 splits", [test.tolist() for _, test in KFold(3).split(np.zeros(10))])
folds = list(StratifiedKFold(5).split(X, multi))
print("stratified fold 0 test", folds[0][1].tolist())
print("stratified fold sizes", [len(test) for _, test in folds], "class counts fold 4", np.bincount(np.array(multi)[folds[4][1]]).tolist())
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor
stump = DecisionTreeClassifier(max_depth=1).fit(X, multi)
print("stump feature", stump.tree_.feature[0], "threshold", repr(stump.tree_.threshold[0]), "leaf values", stump.tree_.value[1:].tolist())
deep = DecisionTreeClassifier(max_depth=3, criterion="entropy").fit(X, multi)
print("depth-3 entropy train accuracy", repr(deep.score(X, multi)), "nodes", deep.tree_.node_count)
reg = DecisionTreeRegressor(max_depth=2).fit(X, target)
print("regression depth 2 predictions", reg.predict(queries).tolist(), "root", reg.tree_.feature[0], repr(reg.tree_.threshold[0]))
full = DecisionTreeClassifier().fit(X, multi)
print("full tree train accuracy", full.score(X, multi))
from sklearn.cluster import KMeans
blobs = np.array([[c[0] + 0.3 * math.sin(7.1 * i + j), c[1] + 0.3 * math.cos(3.3 * i + 2 * j)]
                  for j, c in enumerate([(0, 0), (5, 5), (0, 6)]) for i in range(50)])
km = KMeans(n_clusters=3, random_state=0, n_init=10).fit(blobs)
print("kmeans centers", sorted(km.cluster_centers_.tolist()), "inertia", repr(km.inertia_))
