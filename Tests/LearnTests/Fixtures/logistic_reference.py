"""Reference values for Tests/LearnTests/LogisticRegressionTests.swift: scikit-learn's
LogisticRegression (lbfgs, converged tightly: tol=1e-10, max_iter=10000) on data made by the
formulas below, which the test repeats. Run: python3 Tests/LearnTests/Fixtures/logistic_reference.py"""
import math

import numpy as np
import sklearn
from sklearn.linear_model import LogisticRegression

print("scikit-learn", sklearn.__version__)
rows = []
binary, multi = [], []
for i in range(200):
    x1, x2, x3 = 2 * math.sin(0.37 * i), math.cos(0.11 * i + 1), ((i * 7) % 13) / 6.0 - 1
    rows.append([x1, x2, x3])
    binary.append(int(x1 + 0.8 * x2 - 0.5 * x3 + 0.3 * math.sin(2.3 * i) > 0))
    scores = [x1, x2 + 0.5 * x3, 0.3 - 0.5 * x1 + 0.4 * math.sin(1.9 * i)]
    multi.append(int(np.argmax(scores)))
X = np.array(rows)
for name, y, model in [("binary C=1", binary, LogisticRegression(C=1.0, tol=1e-10, max_iter=10000)),
                       ("binary C=0.1 balanced", binary, LogisticRegression(C=0.1, class_weight="balanced", tol=1e-10, max_iter=10000)),
                       ("multinomial C=1", multi, LogisticRegression(C=1.0, tol=1e-10, max_iter=10000))]:
    fitted = model.fit(X, y)
    print(name, "coef", fitted.coef_.tolist(), "intercept", fitted.intercept_.tolist())
    print("  proba row 0", fitted.predict_proba(X[:1]).tolist(), "classes", np.bincount(y).tolist())
