#!/usr/bin/env python3
"""The example pipeline (pipelines/penguins.yaml, without the drift check) as pandas and
scikit-learn steps, one per process as a DVC stage runs them: what `cairn exp run` is
compared with under `dvc exp run`. Params come from params.yaml (split.seed, train.C).

    python3 penguins_stages.py prepare data/penguins.csv out/clean.pkl
    python3 penguins_stages.py split out/clean.pkl out/split.pkl
    python3 penguins_stages.py features out/split.pkl out/features.pkl
    python3 penguins_stages.py train out/features.pkl out/model.pkl
    python3 penguins_stages.py evaluate out/features.pkl out/model.pkl out/metrics.json
"""
import json
import os
import pickle
import sys

import numpy as np
import pandas as pd
import yaml
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import (accuracy_score, balanced_accuracy_score, f1_score, log_loss, precision_score,
                             recall_score, roc_auc_score)
from sklearn.model_selection import cross_val_score, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

NUMERIC = ["bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"]
CATEGORICAL = ["island", "sex"]


def params():
    with open("params.yaml") as f:
        return yaml.safe_load(f)


def save(path, value):
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(path, "wb") as f:
        pickle.dump(value, f)


def load(path):
    with open(path, "rb") as f:
        return pickle.load(f)


def prepare(source, out):
    table = pd.read_csv(source, dtype={"species": "category", "island": "category", "sex": "category"})
    table = table.dropna(subset=["species"])
    table = table[table["bill_length_mm"].notna()].drop(columns=["year"]).drop_duplicates()
    save(out, table)


def split(clean, out):
    table = load(clean)
    train, test = train_test_split(table, test_size=0.25, random_state=params()["split"]["seed"], stratify=table["species"])
    save(out, (train, test))


def features(split, out):
    train, test = load(split)
    transform = ColumnTransformer([
        ("numeric", make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), NUMERIC),
        ("categorical", make_pipeline(SimpleImputer(strategy="most_frequent"), OneHotEncoder(handle_unknown="ignore")), CATEGORICAL),
    ])
    save(out, (transform.fit_transform(train), train["species"].to_numpy(),
                              transform.transform(test), test["species"].to_numpy()))


def train(features, out):
    x, y, _, _ = load(features)
    model = LogisticRegression(C=float(params()["train"]["C"]), max_iter=1000)
    cv = cross_val_score(model, x, y, cv=5)
    save(out, (model.fit(x, y), float(np.mean(cv))))


def evaluate(features, model_file, out):
    _, _, x, y = load(features)
    model, cv = load(model_file)
    predicted, probabilities = model.predict(x), model.predict_proba(x)
    metrics = {"accuracy": accuracy_score(y, predicted), "balanced_accuracy": balanced_accuracy_score(y, predicted),
               "f1_macro": f1_score(y, predicted, average="macro"), "log_loss": log_loss(y, probabilities, labels=model.classes_),
               "precision_macro": precision_score(y, predicted, average="macro"),
               "recall_macro": recall_score(y, predicted, average="macro"),
               "roc_auc_ovr": roc_auc_score(y, probabilities, multi_class="ovr"), "cv_accuracy": cv}
    os.makedirs(os.path.dirname(out) or ".", exist_ok=True)
    with open(out, "w") as f:
        json.dump(metrics, f)


if __name__ == "__main__":
    {"prepare": prepare, "split": split, "features": features, "train": train, "evaluate": evaluate}[sys.argv[1]](*sys.argv[2:])
