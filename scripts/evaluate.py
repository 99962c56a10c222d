"""Accuracy of the nearest-centroid model on the test split: evaluate.py MODEL.json TEST.csv OUT.json"""
import csv
import json
import sys

model_path, source, target = sys.argv[1:4]
with open(model_path) as f:
    model = json.load(f)
with open(source, newline="") as f:
    rows = list(csv.DictReader(f))


def predict(row):
    point = [float(row[c]) for c in model["features"]]
    distance = {s: sum((p - q) ** 2 for p, q in zip(point, centre)) for s, centre in model["centroids"].items()}
    return min(distance, key=distance.get)


correct = sum(predict(row) == row["species"] for row in rows)
with open(target, "w") as f:
    json.dump({"accuracy": round(correct / len(rows), 4), "test_rows": len(rows)}, f, indent=2, sort_keys=True)
    f.write("\n")
print(f"accuracy {correct}/{len(rows)}")
