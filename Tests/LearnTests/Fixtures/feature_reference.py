"""Reference values for Tests/LearnTests/FeatureStepTests.swift, computed with scikit-learn on
data/penguins.csv. Run from the repository root: python3 Tests/LearnTests/Fixtures/feature_reference.py"""
import numpy as np
import pandas as pd
import sklearn
from sklearn.impute import SimpleImputer
from sklearn.preprocessing import (KBinsDiscretizer, MinMaxScaler, OneHotEncoder, OrdinalEncoder,
                                   PolynomialFeatures, RobustScaler, StandardScaler)

print("scikit-learn", sklearn.__version__, "pandas", pd.__version__)
df = pd.read_csv("data/penguins.csv")
numeric = ["bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"]
X = df[numeric].to_numpy(dtype=float)
np.set_printoptions(precision=17)
print("median", SimpleImputer(strategy="median").fit(X).statistics_.tolist())
print("mean", SimpleImputer(strategy="mean").fit(X).statistics_.tolist())
print("most_frequent sex", SimpleImputer(strategy="most_frequent").fit(df[["sex"]]).statistics_.tolist())
s = StandardScaler().fit(X)
print("standard mean", s.mean_.tolist(), "scale", s.scale_.tolist())
m = MinMaxScaler().fit(X)
print("minmax min", m.data_min_.tolist(), "range", m.data_range_.tolist())
r = RobustScaler().fit(X)
print("robust center", r.center_.tolist(), "scale", r.scale_.tolist())
print("standard row 0", s.transform(X[:1]).tolist())
o = OneHotEncoder(handle_unknown="infrequent_if_exist", min_frequency=60).fit(df[["island"]])
print("onehot island min_frequency=60", o.get_feature_names_out().tolist())
o2 = OneHotEncoder(handle_unknown="ignore").fit(df[["island"]])
print("onehot unseen", o2.transform(pd.DataFrame({"island": ["Biscoe", "Atlantis"]})).toarray().tolist())
print("ordinal", OrdinalEncoder().fit(df[["island"]]).categories_[0].tolist())
bill = df[["bill_length_mm"]].dropna().to_numpy()
k = KBinsDiscretizer(n_bins=4, encode="ordinal", strategy="quantile", quantile_method="linear").fit(bill)
print("quantile edges", k.bin_edges_[0].tolist(), "bins of 35, 44.45, 60", k.transform([[35.0], [44.45], [60.0]]).ravel().tolist())
u = KBinsDiscretizer(n_bins=4, encode="ordinal", strategy="uniform").fit(bill)
print("uniform edges", u.bin_edges_[0].tolist())
p = PolynomialFeatures(degree=2, include_bias=False).fit(np.zeros((1, 3)))
print("poly names", p.get_feature_names_out(["a", "b", "c"]).tolist())
p3 = PolynomialFeatures(degree=3, include_bias=False, interaction_only=True).fit(np.zeros((1, 3)))
print("poly interaction names", p3.get_feature_names_out(["a", "b", "c"]).tolist())
print("log1p", np.log1p([0.0, 1.0, 1e-10, 1000.0]).tolist())
print("weekday 2024-02-29", pd.Timestamp("2024-02-29").weekday(), "dayofyear", pd.Timestamp("2024-12-31").day_of_year)
