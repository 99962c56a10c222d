"""Parquet files written by pyarrow, polars and DuckDB with their default settings (and a few
others), for the Swift tests to read; prints, as JSON, what each file holds as pyarrow reads it.

    python parquet_files.py FOLDER
"""
import datetime
import json
import math
import sys

import duckdb
import polars
import pyarrow
import pyarrow.parquet


def plain(value):
    if isinstance(value, float) and not math.isfinite(value):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")
    if isinstance(value, datetime.datetime):
        # Cairn's form: ISO 8601 in UTC, with the fraction's digits it needs and no more.
        fraction = f"{value.microsecond:06d}".rstrip("0")
        return value.strftime("%Y-%m-%dT%H:%M:%S") + (f".{fraction}" if fraction else "") + "Z"
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def main(folder):
    rows = 5000
    table = pyarrow.table({
        "f64": pyarrow.array([i * 0.25 if i % 11 else None for i in range(rows)], pyarrow.float64()),
        "f32": pyarrow.array([float(i % 7) / 2 for i in range(rows)], pyarrow.float32()),
        "i64": pyarrow.array([i * 1_000_003 - 7 if i % 13 else None for i in range(rows)], pyarrow.int64()),
        "i32": pyarrow.array([i - 2500 for i in range(rows)], pyarrow.int32()),
        "u32": pyarrow.array([4_000_000_000 - i for i in range(rows)], pyarrow.uint32()),
        "flag": pyarrow.array([None if i % 17 == 0 else i % 3 == 0 for i in range(rows)]),
        "text": pyarrow.array([f"row {i} é" if i % 5 else None for i in range(rows)]),
        "level": pyarrow.array([["lo", "mid", "hi"][i % 3] for i in range(rows)]),
        "day": pyarrow.array([datetime.date(1969, 12, 25) + datetime.timedelta(days=i) for i in range(rows)]),
        "at": pyarrow.array([datetime.datetime(2024, 2, 28, 23, 59, 59, 500000) + datetime.timedelta(seconds=i) for i in range(rows)],
                            pyarrow.timestamp("us", tz="UTC")),
    })
    files = {
        "pyarrow.parquet": lambda path: pyarrow.parquet.write_table(table, path),
        "pyarrow-v2-zstd.parquet": lambda path: pyarrow.parquet.write_table(table, path, data_page_version="2.0", compression="zstd",
                                                                            row_group_size=1500),
        "pyarrow-gzip-plain.parquet": lambda path: pyarrow.parquet.write_table(table, path, compression="gzip", use_dictionary=False),
        "pyarrow-uncompressed.parquet": lambda path: pyarrow.parquet.write_table(table, path, compression="none", data_page_size=4096),
        "polars.parquet": lambda path: polars.from_arrow(table.drop(["u32"])).write_parquet(path),
        "duckdb.parquet": lambda path: duckdb.from_arrow(table).write_parquet(path),
    }
    expected = {}
    for name, write in files.items():
        path = f"{folder}/{name}"
        write(path)
        read = pyarrow.parquet.read_table(path)
        expected[name] = {column: [plain(v) for v in read.column(column).to_pylist()] for column in read.column_names}
    nested = pyarrow.table({"id": [1, 2], "tags": [["a"], ["b", "c"]]})
    pyarrow.parquet.write_table(nested, f"{folder}/nested.parquet")
    print(json.dumps(expected))


if __name__ == "__main__":
    main(sys.argv[1])
