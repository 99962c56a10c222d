"""Drop the rows with a missing measurement: prepare.py RAW.csv OUT.csv"""
import csv
import sys

source, target = sys.argv[1:3]
with open(source, newline="") as f:
    rows = list(csv.DictReader(f))
kept = [row for row in rows if all(value not in ("", "NA") for value in row.values())]
with open(target, "w", newline="") as f:
    writer = csv.DictWriter(f, fieldnames=list(rows[0].keys()))
    writer.writeheader()
    writer.writerows(kept)
print(f"kept {len(kept)} of {len(rows)} rows")
