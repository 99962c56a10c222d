"""Reference values for Tests/LearnTests/LinearModelTests.swift: scikit-learn on data/penguins.csv
(rows with missing measurements dropped). Run from the repository root:
python3 Tests/LearnTests/Fixtures/linear_reference.py"""
import numpy as np
import pandas as pd
import sklearn
from sklearn.linear_model import LinearRegression, Ridge
from sklearn.metrics import (mean_absolute_error, mean_absolute_percentage_error, mean_squared_error, r2_score,
                             root_mean_squared_error)

print("scikit-learn", sklearn.__version__)
df = pd.read_csv("data/penguins.csv").dropna(subset=["bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"])
X = df[["bill_length_mm", "bill_depth_mm", "flipper_length_mm"]].to_numpy(float)
y = df["body_mass_g"].to_numpy(float)
for model in (LinearRegression(), Ridge(alpha=10.0), LinearRegression(fit_intercept=False)):
    fitted = model.fit(X, y)
    print(repr(model), "coef", np.array2string(fitted.coef_, precision=17, separator=", "), "intercept", repr(fitted.intercept_))
# Rank-deficient: all three island indicators beside the intercept.
islands = pd.get_dummies(df["island"], dtype=float).to_numpy()
Xd = np.hstack([X, islands])
fitted = LinearRegression().fit(Xd, y)
print("one-hot coef", np.array2string(fitted.coef_, precision=17, separator=", "), "intercept", repr(fitted.intercept_))
prediction = LinearRegression().fit(X, y).predict(X)
print("mse", repr(mean_squared_error(y, prediction)), "rmse", repr(root_mean_squared_error(y, prediction)),
      "mae", repr(mean_absolute_error(y, prediction)), "r2", repr(r2_score(y, prediction)),
      "mape", repr(mean_absolute_percentage_error(y, prediction)))
from sklearn.linear_model import ElasticNet, Lasso
from sklearn.preprocessing import StandardScaler
Xs = StandardScaler().fit_transform(X)
for model in (Lasso(alpha=10.0, tol=1e-12, max_iter=100000), ElasticNet(alpha=0.5, l1_ratio=0.3, tol=1e-12, max_iter=100000),
              Lasso(alpha=500.0, tol=1e-12, max_iter=100000)):
    fitted = model.fit(Xs, y)
    print(repr(model), "on standardized X: coef", np.array2string(fitted.coef_, precision=17, separator=", "), "intercept", repr(fitted.intercept_))
