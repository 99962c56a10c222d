"""Times pandas.read_csv, and scikit-learn's ColumnTransformer doing what the features stage does
in cairn-data-bench (median impute + standard scale of x01..x20, one-hot of c5, c20, c100, dense).

    python bench/sklearn_features.py read|features FILE.csv [REPEAT]

Prints one JSON object like cairn-data-bench, plus this process's peak memory."""
import json
import resource
import sys
import time

import pandas as pd


def main():
    task, path = sys.argv[1], sys.argv[2]
    repeat = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    seconds = []
    if task == "read":
        for _ in range(repeat):
            start = time.perf_counter()
            frame = pd.read_csv(path)
            seconds.append(time.perf_counter() - start)
        shape = frame.shape
    else:
        from sklearn.compose import ColumnTransformer
        from sklearn.impute import SimpleImputer
        from sklearn.pipeline import make_pipeline
        from sklearn.preprocessing import OneHotEncoder, StandardScaler

        frame = pd.read_csv(path)
        numeric = [f"x{i:02d}" for i in range(1, 21)]
        for _ in range(repeat):
            transformer = ColumnTransformer([
                ("numeric", make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), numeric),
                ("categorical", OneHotEncoder(handle_unknown="ignore", sparse_output=False), ["c5", "c20", "c100"]),
            ])
            start = time.perf_counter()
            result = transformer.fit_transform(frame)
            seconds.append(time.perf_counter() - start)
        shape = result.shape
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"task": task, "seconds": seconds, "rows": shape[0], "columns": shape[1], "peak_mib": peak}))


if __name__ == "__main__":
    main()
