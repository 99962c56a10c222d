"""Independent readers of Cairn's table files, for the Swift tests (pyarrow, polars, DuckDB).

    python arrow_readers.py read FILE        prints, as JSON, each column's values as pyarrow,
                                             polars and DuckDB read them, and pyarrow's types
    python arrow_readers.py parquet FILE     the same for a Parquet file Cairn wrote (DuckDB with
                                             its own Parquet reader)
    python arrow_readers.py summary FILE     prints the record batch count, each reader's row
                                             count, and per column its null count and (numbers)
                                             sum or (text) first and last
    python arrow_readers.py large FILE       prints the record batch count, and the type, row
                                             count and last value of each column as pyarrow
                                             (memory-mapped) and polars read the file (for text
                                             past 2 GiB)
    python arrow_readers.py write FOLDER     writes Arrow files the way pyarrow does (several
                                             record batches, narrow integer and float types,
                                             large_string, pandas categoricals, LZ4 and zstd
                                             compressed buffers) for Cairn to read
"""
import json
import math
import sys

import duckdb
import polars
import pyarrow
import pyarrow.feather
import pyarrow.ipc
import pyarrow.parquet


def plain(value):
    """A value JSON can carry: floats that are not finite become their names."""
    if isinstance(value, float) and not math.isfinite(value):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")
    return value


def columns_of(names, rows):
    return {name: [plain(row[i]) for row in rows] for i, name in enumerate(names)}


def read(path):
    table = pyarrow.ipc.open_file(path).read_all()
    frame = polars.read_ipc(path)
    # DuckDB's own Arrow IPC reader is an extension fetched from its servers, which are not
    # reachable here; it queries the file as users do from Python, through Arrow's C data
    # interface from the table pyarrow's feather reader (a second code path) opened.
    arrow_table = pyarrow.feather.read_table(path)  # noqa: F841  (DuckDB finds it by its name)
    result = duckdb.connect().execute("SELECT * FROM arrow_table")
    names = [d[0] for d in result.description]
    return {
        "types": {field.name: str(field.type) for field in table.schema},
        "pyarrow": {name: [plain(v) for v in table.column(name).to_pylist()] for name in table.column_names},
        "polars": {name: [plain(v) for v in frame[name].to_list()] for name in frame.columns},
        "duckdb": columns_of(names, result.fetchall()),
    }


def parquet(path):
    """A Parquet file as pyarrow, polars and DuckDB (its own Parquet reader) read it."""
    table = pyarrow.parquet.read_table(path)
    frame = polars.read_parquet(path)
    result = duckdb.connect().execute("SELECT * FROM read_parquet(?)", [path])
    return {
        "types": {field.name: str(field.type) for field in table.schema},
        "pyarrow": {name: [plain(v) for v in table.column(name).to_pylist()] for name in table.column_names},
        "polars": {name: [plain(v) for v in frame[name].to_list()] for name in frame.columns},
        "duckdb": columns_of([d[0] for d in result.description], result.fetchall()),
    }


def summary(path):
    table = pyarrow.ipc.open_file(path).read_all()
    frame = polars.read_ipc(path)
    def describe(values):
        present = [v for v in values if v is not None]
        numeric = present and isinstance(present[0], (int, float)) and not isinstance(present[0], bool)
        return {"nulls": len(values) - len(present),
                "sum": plain(float(sum(present))) if numeric else None,
                "first": None if numeric or not present else str(present[0]),
                "last": None if numeric or not present else str(present[-1])}
    return {
        "batches": pyarrow.ipc.open_file(path).num_record_batches,
        "pyarrow": {"rows": table.num_rows, "columns": {n: describe(table.column(n).to_pylist()) for n in table.column_names}},
        "polars": {"rows": frame.height, "columns": {n: describe(frame[n].to_list()) for n in frame.columns}},
    }


def large(path):
    table = pyarrow.ipc.open_file(pyarrow.memory_map(path)).read_all()
    frame = polars.read_ipc(path)
    return {
        "types": {field.name: str(field.type) for field in table.schema},
        "batches": pyarrow.ipc.open_file(pyarrow.memory_map(path)).num_record_batches,
        "pyarrow": {"rows": table.num_rows, "last": {n: table.column(n)[-1].as_py() for n in table.column_names}},
        "polars": {"rows": frame.height, "last": {n: frame[n][-1] for n in frame.columns}},
    }


def write(folder):
    import pandas  # noqa: F401  (pyarrow converts its categoricals)
    batches = [pyarrow.record_batch({
        "i8": pyarrow.array([1, None, -3], pyarrow.int8()),
        "u32": pyarrow.array([4_000_000_000, 0, None], pyarrow.uint32()),
        "f32": pyarrow.array([0.5, None, -2.25], pyarrow.float32()),
        "big_text": pyarrow.array(["a", None, "ü"], pyarrow.large_string()),
        "flag": pyarrow.array([True, None, False]),
        "level": pyarrow.array(["lo", "hi", None]).dictionary_encode(),
    }) for _ in range(3)]
    with pyarrow.ipc.new_file(f"{folder}/batches.arrow", batches[0].schema) as writer:
        for batch in batches:
            writer.write_batch(batch)
    for codec in ("lz4", "zstd"):
        pyarrow.feather.write_feather(pyarrow.Table.from_batches(batches), f"{folder}/{codec}.arrow", compression=codec)
    frame = pandas.DataFrame({"species": pandas.Categorical(["b", "a", None, "b"], categories=["a", "b", "unused"]),
                              "mass": [1.5, None, 3.0, 4.0]})
    pyarrow.feather.write_feather(frame, f"{folder}/pandas.feather", compression="uncompressed")


if __name__ == "__main__":
    action, path = sys.argv[1], sys.argv[2]
    if action == "write":
        write(path)
    else:
        print(json.dumps({"read": read, "parquet": parquet, "summary": summary, "large": large}[action](path)))
