"""Stratified train/test split: split.py TABLE.csv OUT_DIR TEST_FRACTION SEED"""
import csv
import os
import random
import sys

source, target, fraction, seed = sys.argv[1], sys.argv[2], float(sys.argv[3]), int(sys.argv[4])
with open(source, newline="") as f:
    reader = csv.DictReader(f)
    fields, rows = reader.fieldnames, list(reader)
by_species = {}
for row in rows:
    by_species.setdefault(row["species"], []).append(row)
rng = random.Random(seed)
train, test = [], []
for species in sorted(by_species):
    group = by_species[species]
    rng.shuffle(group)
    cut = round(len(group) * fraction)
    test += group[:cut]
    train += group[cut:]
os.makedirs(target, exist_ok=True)
for name, part in (("train.csv", train), ("test.csv", test)):
    with open(os.path.join(target, name), "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=fields)
        writer.writeheader()
        writer.writerows(part)
print(f"train {len(train)} rows, test {len(test)} rows")
