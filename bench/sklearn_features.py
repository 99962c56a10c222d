"""Times pandas.read_csv, and scikit-learn's ColumnTransformer doing what the features stage does
in cairn-data-bench (median impute + standard scale of x01..x20, one-hot of c5, c20, c100, dense).

    python bench/sklearn_features.py read|features|models FILE.csv [REPEAT]

Prints one JSON object like cairn-data-bench, plus this process's peak memory; `models` prints
one per model, as cairn-data-bench does (same features, first 80% of rows to fit)."""
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


def models(path):
    from sklearn.linear_model import LinearRegression, LogisticRegression, Ridge
    from sklearn.metrics import accuracy_score, r2_score

    frame = pd.read_csv(path)
    x = transformer().fit_transform(frame)
    cut = len(frame) * 4 // 5
    value, label = frame["value"].to_numpy(), frame["label"].to_numpy()
    for name, model, target, score in [("linear_regression", LinearRegression(), value, r2_score),
                                       ("ridge", Ridge(alpha=1.0), value, r2_score),
                                       ("logistic_regression", LogisticRegression(C=1.0, max_iter=1000), label, accuracy_score)]:
        start = time.perf_counter()
        model.fit(x[:cut], target[:cut])
        seconds = time.perf_counter() - start
        print(json.dumps({"model": name, "seconds": seconds, "score": score(target[cut:], model.predict(x[cut:]))}), flush=True)


def main():
    task, path = sys.argv[1], sys.argv[2]
    repeat = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    seconds = []
    if task == "models":
        return models(path)
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
