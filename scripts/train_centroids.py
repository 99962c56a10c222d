"""A nearest-centroid classifier on standardized features: train_centroids.py TRAIN.csv FEATURES_JSON OUT.json"""
import csv
import json
import statistics
import sys

source, features, target = sys.argv[1], json.loads(sys.argv[2]), sys.argv[3]
with open(source, newline="") as f:
    rows = list(csv.DictReader(f))
scale = {}
for column in features:
    values = [float(row[column]) for row in rows]
    scale[column] = {"mean": statistics.fmean(values), "std": statistics.pstdev(values)}
centroids = {}
for species in sorted({row["species"] for row in rows}):
    group = [row for row in rows if row["species"] == species]
    centroids[species] = [
        statistics.fmean((float(row[c]) - scale[c]["mean"]) / scale[c]["std"] for row in group) for c in features
    ]
with open(target, "w") as f:
    json.dump({"features": features, "scale": scale, "centroids": centroids}, f, indent=2, sort_keys=True)
    f.write("\n")
