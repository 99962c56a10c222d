"""Times pandas.read_csv, and scikit-learn's ColumnTransformer doing what the features stage does
in cairn-data-bench (median impute + standard scale of x01..x20, one-hot of c5, c20, c100, dense).

    python bench/sklearn_features.py read|features|models|trees FILE.csv [REPEAT]
    python bench/sklearn_features.py drift REFERENCE.csv CURRENT.csv
    python bench/sklearn_features.py fit-pipeline TRAIN.csv MODEL.joblib
    python bench/sklearn_features.py predict MODEL.joblib FILE.csv OUT.csv
    python bench/sklearn_features.py pipeline FILE.csv

Prints one JSON object like cairn-data-bench, plus this process's peak memory; `models` and
`trees` print one per model, as cairn-data-bench does (same features, first 80% of rows to fit;
`trees` adds LightGBM when it is installed)."""
import json
import resource
import sys
import time

import pandas as pd


def transformer():
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    numeric = [f"x{i:02d}" for i in range(1, 21)]
    return ColumnTransformer([
        ("numeric", make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), numeric),
        ("categorical", OneHotEncoder(handle_unknown="ignore", sparse_output=False), ["c5", "c20", "c100"]),
    ])


def design(path):
    """The transformed table, the first 80% of rows' count, and the two targets."""
    frame = pd.read_csv(path)
    return transformer().fit_transform(frame), len(frame) * 4 // 5, frame["value"].to_numpy(), frame["label"].to_numpy()


def report(name, model, fit, score):
    start = time.perf_counter()
    fit()
    seconds = time.perf_counter() - start
    print(json.dumps({"model": name, "seconds": seconds, "score": score(model)}), flush=True)


def models(path):
    from sklearn.linear_model import LinearRegression, LogisticRegression, Ridge
    from sklearn.metrics import accuracy_score, r2_score

    x, cut, value, label = design(path)
    for name, model, target, score in [("linear_regression", LinearRegression(), value, r2_score),
                                       ("ridge", Ridge(alpha=1.0), value, r2_score),
                                       ("logistic_regression", LogisticRegression(C=1.0, max_iter=1000), label, accuracy_score)]:
        report(name, model, lambda: model.fit(x[:cut], target[:cut]), lambda m: score(target[cut:], m.predict(x[cut:])))


def trees(path):
    """Boosting with 100 iterations and no early stopping; the forest's 50 trees on 100,000 rows."""
    from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
    from sklearn.metrics import roc_auc_score

    x, cut, _, label = design(path)
    auc = lambda model: roc_auc_score(label[cut:], model.predict_proba(x[cut:])[:, 1])
    boosting = HistGradientBoostingClassifier(max_iter=100, early_stopping=False, random_state=0)
    report("hist_gradient_boosting", boosting, lambda: boosting.fit(x[:cut], label[:cut]), auc)
    try:
        from lightgbm import LGBMClassifier
        lightgbm = LGBMClassifier(n_estimators=100, learning_rate=0.1, num_leaves=31, min_child_samples=20,
                                  max_bin=255, verbose=-1, random_state=0)
        report("lightgbm", lightgbm, lambda: lightgbm.fit(x[:cut], label[:cut]), auc)
    except ImportError:
        pass
    sample = min(100_000, cut)
    forest = RandomForestClassifier(n_estimators=50, n_jobs=-1, random_state=0)
    report("random_forest", forest, lambda: forest.fit(x[:sample], label[:sample]), auc)


def fit_pipeline(train, model):
    """The same steps as cairn's bench pipeline: `value` dropped, a seeded 80% of the rows, then
    features and a logistic regression on `label`, saved with joblib."""
    import joblib
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import train_test_split
    from sklearn.pipeline import make_pipeline

    frame = pd.read_csv(train).drop(columns=["value"])
    rows, _ = train_test_split(frame, test_size=0.2, random_state=1)
    pipeline = make_pipeline(transformer(), LogisticRegression(C=1.0, max_iter=1000))
    pipeline.fit(rows.drop(columns=["label"]), rows["label"])
    joblib.dump(pipeline, model)


def predict(model, path, out):
    """What `cairn predict` does: read, transform, predict, write class and probabilities."""
    import joblib

    pipeline = joblib.load(model)
    frame = pd.read_csv(path)
    probabilities = pipeline.predict_proba(frame)
    classes = pipeline.classes_
    result = pd.DataFrame({"prediction": classes[probabilities.argmax(axis=1)]})
    for index, name in enumerate(classes):
        result[f"probability={name}"] = probabilities[:, index]
    result.to_csv(out, index=False)


def drift(reference_path, current_path):
    """The monitor's statistics with scipy: ks_2samp (asymptotic p-value), wasserstein_distance and
    a PSI over the reference's deciles per numeric column; chi2_contingency and jensenshannon of
    the category counts per categorical one. Timed after both CSVs are read."""
    import numpy as np
    from scipy import stats
    from scipy.spatial.distance import jensenshannon

    reference, current = pd.read_csv(reference_path), pd.read_csv(current_path)
    start = time.perf_counter()
    drifted = 0
    for name in [f"x{i:02d}" for i in range(1, 21)]:
        a, b = reference[name].dropna().to_numpy(), current[name].dropna().to_numpy()
        ks = stats.ks_2samp(a, b, method="asymp")
        stats.wasserstein_distance(a, b)
        cuts = np.unique(np.quantile(a, np.arange(1, 10) / 10))
        shares = [np.maximum(np.bincount(np.searchsorted(cuts, v, side="left"), minlength=len(cuts) + 1) / len(v), 1e-4)
                  for v in (a, b)]
        float(np.sum((shares[1] - shares[0]) * np.log(shares[1] / shares[0])))
        drifted += ks.pvalue < 0.01
    for name in ["c5", "c20", "c100"]:
        counts = pd.concat([reference[name].value_counts(), current[name].value_counts()], axis=1).fillna(0).to_numpy().T
        chi = stats.chi2_contingency(counts)
        jensenshannon(counts[0] / counts[0].sum(), counts[1] / counts[1].sum())
        drifted += chi.pvalue < 0.01
    seconds = time.perf_counter() - start
    print(json.dumps({"task": "drift", "seconds": [seconds], "rows": len(reference), "columns": 23, "drifted": int(drifted)}))


def pipeline(path):
    """The script a user writes for what cairn's pipeline does: read the CSV, split 80/20, fit the
    features (median impute + scale of x01..x20, one-hot of the categoricals; `value` left out,
    as the pipeline's clean stage drops it) on the train rows, fit a logistic regression,
    predict the test rows, score."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import accuracy_score
    from sklearn.model_selection import train_test_split

    frame = pd.read_csv(path)
    train, test = train_test_split(frame, test_size=0.2, random_state=1)
    features = transformer()
    model = LogisticRegression(C=1.0).fit(features.fit_transform(train), train["label"])
    accuracy = accuracy_score(test["label"], model.predict(features.transform(test)))
    print(json.dumps({"accuracy": accuracy, "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


def main():
    if sys.argv[1] == "pipeline":
        return pipeline(sys.argv[2])
    if sys.argv[1] == "drift":
        return drift(sys.argv[2], sys.argv[3])
    if sys.argv[1] == "fit-pipeline":
        return fit_pipeline(sys.argv[2], sys.argv[3])
    if sys.argv[1] == "predict":
        return predict(sys.argv[2], sys.argv[3], sys.argv[4])
    task, path = sys.argv[1], sys.argv[2]
    repeat = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    seconds = []
    if task in ("models", "trees"):
        return globals()[task](path)
    if task == "read":
        for _ in range(repeat):
            start = time.perf_counter()
            frame = pd.read_csv(path)
            seconds.append(time.perf_counter() - start)
        shape = frame.shape
    else:
        frame = pd.read_csv(path)
        for _ in range(repeat):
            start = time.perf_counter()
            result = transformer().fit_transform(frame)
            seconds.append(time.perf_counter() - start)
        shape = result.shape
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"task": task, "seconds": seconds, "rows": shape[0], "columns": shape[1], "peak_mib": peak}))


if __name__ == "__main__":
    main()
