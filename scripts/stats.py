"""Per-species mean of each measurement: stats.py TRAIN.csv OUT.json"""
import csv
import json
import sys

source, target = sys.argv[1:3]
columns = ["bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"]
with open(source, newline="") as f:
    rows = list(csv.DictReader(f))
stats = {}
for species in sorted({row["species"] for row in rows}):
    group = [row for row in rows if row["species"] == species]
    stats[species] = {"count": len(group)}
    for column in columns:
        stats[species][column] = round(sum(float(row[column]) for row in group) / len(group), 3)
with open(target, "w") as f:
    json.dump(stats, f, indent=2, sort_keys=True)
    f.write("\n")
