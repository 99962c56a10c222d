"""A nearest-centroid classifier on features the pipeline has already scaled:
train_centroids.py TRAIN.csv FEATURES_JSON OUT.json"""
import csv
import json
import statistics
import sys

source, features, target = sys.argv[1], json.loads(sys.argv[2]), sys.argv[3]
with open(source, newline="") as f:
    rows = list(csv.DictReader(f))
centroids = {
    species: [statistics.fmean(float(row[c]) for row in rows if row["species"] == species) for c in features]
    for species in sorted({row["species"] for row in rows})
}
with open(target, "w") as f:
    json.dump({"features": features, "centroids": centroids}, f, indent=2, sort_keys=True)
    f.write("\n")
