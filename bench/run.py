#!/usr/bin/env python3
"""Cairn's benchmarks, side by side with the tools people would use instead.

Pipelines: a 100-stage chain and a 1,000-stage DAG of command stages, run by cairn, by GNU make
from an equivalent Makefile, and by DVC from an equivalent dvc.yaml (DVC is installed from PyPI
into a scratch virtualenv; skipped with a message if that fails); flat pipelines of 1,000 and
10,000 command stages (100,000 with --only dags --large), no-op runs against make. Hashing: one 1 GiB file,
cairn against sha256sum and openssl. Each figure is the median of repeated runs, A and B
interleaved; each other tool's median is compared with cairn's.

    python3 bench/run.py --cairn .build/release/cairn
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

SCRATCH = os.path.join(tempfile.gettempdir(), "cairn-bench")
VENV = os.path.join(tempfile.gettempdir(), "cairn-bench-venv")
HERE = os.path.dirname(os.path.abspath(__file__))


def run(command, cwd, check=True):
    result = subprocess.run(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if check and result.returncode != 0:
        sys.exit(f"failed ({result.returncode}): {' '.join(command)} in {cwd}\n{result.stderr}")
    return result.returncode


def timed(command, cwd, check=True):
    start = time.perf_counter()
    run(command, cwd, check)
    return time.perf_counter() - start


def compare(label, contenders, repeat, prepare=None):
    """contenders: [(name, command, cwd)], cairn first. Runs them interleaved `repeat` times."""
    samples = {name: [] for name, _, _ in contenders}
    for _ in range(repeat):
        for name, command, cwd in contenders:
            if prepare:
                prepare(name, cwd)
            samples[name].append(timed(command, cwd, check=not name.startswith("make -q")))
    medians = {name: statistics.median(values) for name, values in samples.items()}
    base = contenders[0][0]
    print(f"\n{label}")
    for name, _, _ in contenders:
        ratio = medians[name] / medians[base]
        if name == base:
            verdict = ""
        elif ratio >= 1:
            verdict = f"   cairn is {ratio:.2f}× faster"
        else:
            verdict = f"   cairn takes {1 / ratio:.2f}× as long"
        print(f"  {name:<28} {medians[name] * 1000:10.1f} ms{verdict}")
    return medians


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def dag_edges(kind, size):
    """Stage i's upstream stages: none (flat: every stage reads the seed file), a chain, or ten
    layers where each stage reads two of the layer before."""
    if kind == "flat":
        return [[] for _ in range(size)]
    if kind == "chain":
        return [[] if i == 0 else [i - 1] for i in range(size)]
    width = size // 10
    return [[] if i < width else [i - width, (i - width + 1) % width + (i // width - 1) * width] for i in range(size)]


def make_workspaces(kind, size):
    """The same pipeline three times: cairn, make, dvc. Each stage concatenates its inputs."""
    edges = dag_edges(kind, size)
    roots = {}
    for tool in ("cairn", "make", "dvc"):
        root = os.path.join(SCRATCH, f"{kind}{size}-{tool}")
        shutil.rmtree(root, ignore_errors=True)
        write(os.path.join(root, "data", "seed.txt"), "seed\n")
        roots[tool] = root
    cairn = ["stages:"]
    make = [".PHONY: all", "all: " + " ".join(f"out/s{i}.txt" for i in range(size)), ""]
    dvc = ["stages:"]
    for i, upstream in enumerate(edges):
        inputs = [f"out/s{j}.txt" for j in upstream] or ["data/seed.txt"]
        cairn += [f"  s{i}:", f"    cmd: cat {' '.join(inputs)} > ${{outputs.out}}",
                  f"    inputs: [{', '.join(inputs)}]", f"    outputs: {{ out: out/s{i}.txt }}"]
        make += [f"out/s{i}.txt: {' '.join(inputs)}", "\t@mkdir -p out && cat $^ > $@"]
        dvc += [f"  s{i}:", f"    cmd: mkdir -p out && cat {' '.join(inputs)} > out/s{i}.txt",
                f"    deps: [{', '.join(inputs)}]", f"    outs: [out/s{i}.txt]"]
    write(os.path.join(roots["cairn"], "pipelines", "bench.yaml"), "\n".join(cairn) + "\n")
    write(os.path.join(roots["make"], "Makefile"), "\n".join(make) + "\n")
    write(os.path.join(roots["dvc"], "dvc.yaml"), "\n".join(dvc) + "\n")
    return roots


def install(packages, program, modules=()):
    """`program` from the scratch virtualenv, pip-installing `packages` there first if needed (or if
    python cannot import `modules`); None if that fails."""
    path = os.path.join(VENV, "bin", program)
    python = os.path.join(VENV, "bin", "python")
    if os.path.exists(path) and (not modules or run([python, "-c", "import " + ", ".join(modules)], VENV, check=False) == 0):
        return path
    print(f"installing {' '.join(packages)} into a scratch virtualenv (once)…", flush=True)
    try:
        if not os.path.exists(os.path.join(VENV, "bin", "pip")):
            subprocess.run([sys.executable, "-m", "venv", VENV], check=True, stdout=subprocess.DEVNULL)
        subprocess.run([os.path.join(VENV, "bin", "pip"), "install", "-q"] + packages, check=True, timeout=900)
        return path
    except (subprocess.SubprocessError, OSError) as error:
        print(f"{' '.join(packages)} could not be installed ({error}); their columns are skipped")
        return None


def bench_pipelines(cairn, dvc, kind, size, first_runs):
    roots = make_workspaces(kind, size)
    if dvc:
        run([dvc, "init", "--no-scm", "-q"], roots["dvc"])
        run([dvc, "config", "core.analytics", "false"], roots["dvc"])

    def clean(name, cwd):
        for folder in ("out", ".cairn", "artifacts", ".dvc/cache", ".dvc/tmp"):
            shutil.rmtree(os.path.join(cwd, folder), ignore_errors=True)
        for lock in ("dvc.lock", "pipelines/bench.lock"):
            if os.path.exists(os.path.join(cwd, lock)):
                os.remove(os.path.join(cwd, lock))

    label = f"{kind} of {size} command stages"
    first = [("cairn run -j 2", [cairn, "run", "-j", "2"], roots["cairn"]),
             ("make -j 2", ["make", "-j", "2"], roots["make"])]
    if dvc and first_runs:
        first.append(("dvc repro", [dvc, "repro", "-q"], roots["dvc"]))
    compare(f"{label}: first run", first, repeat=3 if size <= 100 else 1, prepare=clean)
    for name, command, cwd in first:  # leave everything built for the no-op figures
        clean(name, cwd)
        run(command, cwd)
    if dvc and not first_runs:
        # Building 1,000 stages through dvc repro takes many minutes; run the same commands
        # directly and let DVC record them, which leaves the same state to measure no-ops on.
        for i, upstream in enumerate(dag_edges(kind, size)):
            inputs = [os.path.join(roots["dvc"], f"out/s{j}.txt") for j in upstream] or [os.path.join(roots["dvc"], "data/seed.txt")]
            os.makedirs(os.path.join(roots["dvc"], "out"), exist_ok=True)
            with open(os.path.join(roots["dvc"], f"out/s{i}.txt"), "w") as out:
                for path in inputs:
                    with open(path) as f:
                        out.write(f.read())
        run([dvc, "commit", "-f", "-q"], roots["dvc"])

    noop = [("cairn run", [cairn, "run"], roots["cairn"]), ("make (nothing to do)", ["make"], roots["make"])]
    status = [("cairn status", [cairn, "status"], roots["cairn"]), ("make -q", ["make", "-q"], roots["make"])]
    if dvc:
        noop.append(("dvc repro", [dvc, "repro", "-q"], roots["dvc"]))
        status.append(("dvc status", [dvc, "status", "-q"], roots["dvc"]))
    compare(f"{label}: no-op run", noop, repeat=20 if size <= 100 else 5)
    compare(f"{label}: status", status, repeat=20 if size <= 100 else 5)


def bench_large_dags(cairn, sizes):
    """No-op runs of flat pipelines (every stage reads one seed file) as they grow, against make:
    what a run costs per stage. Each workspace is built once by each tool (100,000 command stages
    take minutes: every stage is a process)."""
    for size in sizes:
        roots = make_workspaces("flat", size)
        built = {"cairn": timed([cairn, "run", "-j", "2"], roots["cairn"]), "make": timed(["make", "-j", "2"], roots["make"])}
        label = f"flat pipeline of {size:,} command stages"
        print(f"\n{label}: built once in {built['cairn']:.1f} s by cairn run -j 2, {built['make']:.1f} s by make -j 2")
        medians = compare(f"{label}: no-op run", [("cairn run", [cairn, "run"], roots["cairn"]),
                                                  ("make (nothing to do)", ["make"], roots["make"])], repeat=5)
        ratio = medians["cairn run"] / medians["make (nothing to do)"]
        print(f"  cairn run takes {ratio:.1f}× make's time; {medians['cairn run'] / size * 1e6:.1f} µs per stage; "
              f"peak memory {peak_mib([cairn, 'run'], roots['cairn']):.0f} MiB (make {peak_mib(['make'], roots['make']):.0f} MiB)")
        for root in roots.values():
            shutil.rmtree(root, ignore_errors=True)


def cold_run(root, lock, command):
    """`command` in `root` from a cold workspace (no outputs, store, state or pipelines/`lock`):
    its wall seconds and the kernel's accounting of the finished child."""
    for folder in ("out", "artifacts", ".cairn"):
        shutil.rmtree(os.path.join(root, folder), ignore_errors=True)
    if os.path.exists(os.path.join(root, "pipelines", lock)):
        os.remove(os.path.join(root, "pipelines", lock))
    start = time.perf_counter()
    child = subprocess.Popen(command, cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    if status != 0:
        sys.exit(f"failed: {' '.join(command)}\n{child.stderr.read().decode()}")
    return time.perf_counter() - start, usage


def bench_end_to_end(cairn, python, sizes=((1_000_000, 3, True), (5_000_000, 1, True), (10_000_000, 1, False))):
    """The six-stage pipeline from a cold workspace (no store, no lock, no stat cache), as a
    user runs it, against the Python script doing the same work: wall time, peak memory of the
    process, and what the run leaves on disk. `sizes`: (rows, runs of each, with the script) —
    one run each at 5,000,000 rows, where the script alone takes over a minute; cairn alone at
    10,000,000 (the script's 12 GB peak at 5,000,000 would be the whole machine's memory there),
    when the disk has room for the data and the run (30 GB)."""
    for rows, repeat, with_script in sizes:
        if rows >= 10_000_000 and shutil.disk_usage(SCRATCH).free < 30e9:
            print(f"\nthe pipeline on {rows:,} rows: skipped, less than 30 GB free in {SCRATCH}")
            continue
        data = dataset(f"table-{rows}.csv", rows)
        root = os.path.join(SCRATCH, f"end-to-end-{rows}")
        shutil.rmtree(root, ignore_errors=True)
        os.makedirs(os.path.join(root, "data"))
        os.link(data, os.path.join(root, "data", "table.csv"))
        write(os.path.join(root, "pipelines", "p.yaml"), END_TO_END_PIPELINE)
        contenders = [("cairn run", [cairn, "run"])]
        if python and with_script:
            contenders.append(("pandas + scikit-learn", [python, os.path.join(HERE, "sklearn_features.py"), "pipeline", data]))
        samples = {name: [] for name, _ in contenders}
        for _ in range(repeat):
            for name, command in contenders:
                seconds, usage = cold_run(root, "p.lock", command)
                left = tree_bytes(os.path.join(root, "artifacts")) + tree_bytes(os.path.join(root, ".cairn")) if name == "cairn run" else 0
                samples[name].append((seconds, usage.ru_maxrss / 1024, left))
        print(f"\nthe pipeline (ingest, clean, split, features, train, evaluate) on {rows:,} rows, cold, median of {repeat}")
        base = statistics.median(s[0] for s in samples["cairn run"])
        for name, values in samples.items():
            seconds = statistics.median(s[0] for s in values)
            peak = statistics.median(s[1] for s in values)
            left = statistics.median(s[2] for s in values)
            ratio = "" if name == "cairn run" else f"   cairn is {seconds / base:.2f}× faster" if seconds >= base \
                else f"   cairn takes {base / seconds:.2f}× as long"
            print(f"  {name:<24} {seconds:8.1f} s   peak {peak:7.0f} MiB   left on disk {left / 1e9:5.2f} GB{ratio}")


def bench_hashing(cairn):
    root = os.path.join(SCRATCH, "hash")
    data = os.path.join(root, "data", "big.bin")
    if not os.path.exists(data) or os.path.getsize(data) != 1 << 30:
        os.makedirs(os.path.dirname(data), exist_ok=True)
        with open(data, "wb") as f:
            for _ in range(1024):
                f.write(os.urandom(1 << 20))
    write(os.path.join(root, "pipelines", "hash.yaml"),
          "stages:\n  check:\n    cmd: \"true\"\n    inputs: [data/big.bin]\n")
    run(["cat", data], root)  # into the page cache: every tool reads from memory

    def forget(name, cwd):
        if name.startswith("cairn"):
            shutil.rmtree(os.path.join(cwd, ".cairn"), ignore_errors=True)

    tools = [("cairn status (hash 1 GiB)", [cairn, "status"], root), ("sha256sum", ["sha256sum", data], root)]
    if shutil.which("openssl"):
        tools.append(("openssl dgst -sha256", ["openssl", "dgst", "-sha256", data], root))
    medians = compare("SHA-256 of a 1 GiB file (page cache warm)", tools, repeat=5, prepare=forget)
    for name, seconds in medians.items():
        print(f"  {name:<28} {1 / seconds:10.2f} GiB/s")
    run([cairn, "status"], root)
    recheck = compare("re-check of the unchanged 1 GiB file (stat cache)",
                      [("cairn status", [cairn, "status"], root)], repeat=20)
    print(f"  target: under 10 ms — {'met' if recheck['cairn status'] < 0.010 else 'NOT met'}")


def process_cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def bench_watch(cairn, changes=50, debounce_ms=200):
    """Latency from a file's close-write to the first stage starting, and idle CPU."""
    root = os.path.join(SCRATCH, "watch")
    shutil.rmtree(root, ignore_errors=True)
    write(os.path.join(root, "data", "x.txt"), "0\n")
    write(os.path.join(root, "pipelines", "watch.yaml"),
          "stages:\n  first:\n    cmd: date +%s%N > ${outputs.started}; cat ${inputs.x} >> ${outputs.started}\n"
          "    inputs: { x: data/x.txt }\n    outputs: { started: out/started.txt }\n")
    watcher = subprocess.Popen([cairn, "watch", "--debounce", str(debounce_ms)], cwd=root,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    started = os.path.join(root, "out", "started.txt")

    def wait_for(content):
        deadline = time.time() + 10
        while time.time() < deadline:
            try:
                with open(started) as f:
                    lines = f.read().split("\n")
                if len(lines) > 1 and lines[1] == content:
                    return int(lines[0])
            except (OSError, ValueError):
                pass
            time.sleep(0.002)
        sys.exit("cairn watch did not run the stage within 10 s")

    try:
        wait_for("0")
        latencies = []
        for change in range(1, changes + 1):
            with open(os.path.join(root, "data", "x.txt"), "w") as f:
                f.write(f"{change}\n")
            closed = time.time_ns()
            latencies.append((wait_for(str(change)) - closed) / 1e6)
            time.sleep(0.05)
    finally:
        watcher.terminate()
        watcher.wait()
    latencies.sort()
    p95 = latencies[min(len(latencies) - 1, int(round(0.95 * len(latencies))) - 1)]
    print(f"\ncairn watch: close-write to first stage start, {changes} changes, --debounce {debounce_ms}")
    print(f"  median {statistics.median(latencies):.1f} ms, 95th percentile {p95:.1f} ms"
          f" (target: debounce + 50 ms = {debounce_ms + 50} ms)")

    # Idle: 1,000 watched input files in 10 folders.
    idle = os.path.join(SCRATCH, "watch-idle")
    shutil.rmtree(idle, ignore_errors=True)
    inputs = [f"data/d{i // 100}/f{i}.txt" for i in range(1000)]
    for path in inputs:
        write(os.path.join(idle, path), "x\n")
    write(os.path.join(idle, "pipelines", "idle.yaml"),
          "stages:\n  all:\n    cmd: cat data/*/*.txt > ${outputs.all}\n"
          f"    inputs: [{', '.join(inputs)}]\n    outputs: {{ all: out/all.txt }}\n")
    watcher = subprocess.Popen([cairn, "watch"], cwd=idle, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 20
        while not os.path.exists(os.path.join(idle, "out", "all.txt")) and time.time() < deadline:
            time.sleep(0.05)
        time.sleep(1)
        before = process_cpu_seconds(watcher.pid)
        time.sleep(10)
        spent = process_cpu_seconds(watcher.pid) - before
    finally:
        watcher.terminate()
        watcher.wait()
    print(f"cairn watch idle with 1,000 watched files: {spent * 1000:.0f} ms of CPU in 10 s"
          f" (clock-tick resolution {1000 / os.sysconf('SC_CLK_TCK'):.0f} ms)")


def git(root, *arguments):
    subprocess.run(["git", "-c", "user.name=bench", "-c", "user.email=bench@example.com", *arguments], cwd=root,
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def init_repository(cairn, root):
    run([cairn, "init"], root)
    git(root, "add", "-A")
    git(root, "commit", "-qm", "bench")


def cairn_json(cairn, root, *arguments):
    result = subprocess.run([cairn, *arguments, "--json"], cwd=root, capture_output=True, text=True, check=True)
    return [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]


def metrics_workspaces(size):
    """A chain of `size` stages for cairn and for DVC (in git repositories), each writing a metrics file from the seed."""
    roots = {}
    for tool in ("cairn", "dvc"):
        root = os.path.join(SCRATCH, f"metrics{size}-{tool}")
        shutil.rmtree(root, ignore_errors=True)
        write(os.path.join(root, "data", "seed.txt"), "1\n")
        write(os.path.join(root, ".gitignore"), "out/\n.cairn/\nartifacts/\n")
        roots[tool] = root
    cairn, dvc = ["stages:"], ["stages:"]
    for i in range(size):
        inputs = ["data/seed.txt"] + ([f"out/s{i - 1}.json"] if i else [])
        command = f"printf '{{\"stage\": {i}, \"value\": %d}}\\n' $(( $(cat data/seed.txt) * {i + 1} ))"
        cairn += [f"  s{i}:", f"    cmd: {json.dumps(command + ' > ${outputs.m}')}", f"    inputs: [{', '.join(inputs)}]",
                  f"    outputs: {{ m: out/s{i}.json }}", "    metrics: [m]"]
        dvc += [f"  s{i}:", f"    cmd: {json.dumps('mkdir -p out && ' + command + f' > out/s{i}.json')}",
                f"    deps: [{', '.join(inputs)}]", f"    metrics: [out/s{i}.json]"]
    write(os.path.join(roots["cairn"], "pipelines", "metrics.yaml"), "\n".join(cairn) + "\n")
    write(os.path.join(roots["dvc"], "dvc.yaml"), "\n".join(dvc) + "\n")
    return roots


def bench_lineage(cairn, dvc, runs=10, history=1000):
    """Recording lineage, resolving commits (metrics diff, log) and versioning a 1 GiB raw input."""
    root = make_workspaces("chain", 100)["cairn"]
    init_repository(cairn, root)
    seconds = []
    for index in range(runs):
        write(os.path.join(root, "data", "seed.txt"), f"seed {index}\n")
        events = cairn_json(cairn, root, "run", "-j", "2")
        seconds += [event["seconds"] for event in events if event["event"] == "lineage"]
    print(f"\nlineage: recording a run of the 100-stage chain (every stage reran), {len(seconds)} runs")
    print(f"  median {statistics.median(seconds) * 1000:.1f} ms, max {max(seconds) * 1000:.1f} ms (target: under 20 ms)")

    # metrics diff between two commits of a 100-stage pipeline whose every stage writes metrics.
    roots = metrics_workspaces(100)
    git(roots["cairn"], "init", "-q")
    if dvc:
        git(roots["dvc"], "init", "-q")
        run([dvc, "init", "-q"], roots["dvc"])
        run([dvc, "config", "core.analytics", "false"], roots["dvc"])
    for seed in (1, 2):
        for tool, command in (("cairn", [cairn, "run", "-j", "2"]), ("dvc", [dvc, "repro", "-q"] if dvc else None)):
            if command:
                write(os.path.join(roots[tool], "data", "seed.txt"), f"{seed}\n")
                run(command, roots[tool])
                git(roots[tool], "add", "-A")
                git(roots[tool], "commit", "-qm", f"seed {seed}")
    contenders = [("cairn metrics diff", [cairn, "metrics", "diff", "HEAD~1", "HEAD"], roots["cairn"])]
    if dvc:
        contenders.append(("dvc metrics diff", [dvc, "metrics", "diff", "HEAD~1", "HEAD"], roots["dvc"]))
    medians = compare("metrics diff HEAD~1 HEAD, 100-stage pipeline, 100 metrics files (target: under 100 ms)",
                      contenders, repeat=20)
    print(f"  target: under 100 ms — {'met' if medians['cairn metrics diff'] < 0.100 else 'NOT met'}")

    # cairn log over a long branch history: every commit pins a new version.
    root = os.path.join(SCRATCH, "lineage-log")
    shutil.rmtree(root, ignore_errors=True)
    write(os.path.join(root, "data", "x.txt"), "0\n")
    write(os.path.join(root, ".gitignore"), "out/\n")
    write(os.path.join(root, "pipelines", "log.yaml"),
          "stages:\n  copy:\n    cmd: cp ${inputs.x} ${outputs.y}\n    inputs: { x: data/x.txt }\n"
          "    outputs: { y: out/y.txt }\n")
    init_repository(cairn, root)
    for index in range(1, history + 1):
        write(os.path.join(root, "data", "x.txt"), f"{index}\n")
        run([cairn, "run"], root)
        git(root, "add", "-A")
        git(root, "commit", "-qm", f"x = {index}")
    compare(f"cairn log over {history} commits, each pinning a new version (target: under 200 ms)",
            [("cairn log out/y.txt", [cairn, "log", "out/y.txt"], root),
             ("git log -- pipelines/log.lock", ["git", "log", "--format=%H %s", "--", "pipelines/log.lock"], root)], repeat=5)
    bench_raw_input(cairn, dvc)


def bench_raw_input(cairn, dvc):
    """Versioning a 1 GiB raw input: the first run (hash, then one copy into the store) against cp and `dvc add`."""
    root = os.path.join(SCRATCH, "raw")
    shutil.rmtree(root, ignore_errors=True)
    big = os.path.join(SCRATCH, "hash", "data", "big.bin")
    data = os.path.join(root, "data", "big.bin")
    os.makedirs(os.path.dirname(data))
    if not os.path.exists(big) or os.path.getsize(big) != 1 << 30:
        bench_hashing(cairn)
    os.link(big, data)
    write(os.path.join(root, "pipelines", "raw.yaml"), "stages:\n  check:\n    cmd: \"true\"\n    inputs: [data/big.bin]\n")
    if dvc:
        git(root, "init", "-q")
        run([dvc, "init", "-q"], root)
        run([dvc, "config", "core.analytics", "false"], root)
    run(["cat", data], root)  # into the page cache: every tool reads from memory

    def fresh(name, cwd):
        for folder in ("artifacts", ".dvc/cache", ".dvc/tmp"):
            shutil.rmtree(os.path.join(cwd, folder), ignore_errors=True)
        for path in ("pipelines/raw.lock", "data/big.bin.dvc", "copy.bin"):
            if os.path.exists(os.path.join(cwd, path)):
                os.remove(os.path.join(cwd, path))
        if name.startswith("cairn run (first"):
            shutil.rmtree(os.path.join(cwd, ".cairn"), ignore_errors=True)

    tools = [("cairn run (first: hash + store)", [cairn, "run"], root),
             ("cairn run (store only)", [cairn, "run"], root),
             ("cp", ["cp", data, "copy.bin"], root),
             ("sha256sum && cp", ["sh", "-c", f"sha256sum {data} && cp {data} copy.bin"], root)]
    if dvc:
        tools.append(("dvc add", [dvc, "add", "-q", "data/big.bin"], root))
    compare("versioning a 1 GiB raw input (page cache warm; the stat cache kept for 'store only')", tools, repeat=5, prepare=fresh)
    fresh("cairn run (first", root)
    child = subprocess.Popen([cairn, "run"], cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, _, usage = os.wait4(child.pid, 0)
    stored = sum(os.path.getsize(os.path.join(folder, name)) for folder, _, names in os.walk(os.path.join(root, "artifacts", ".cache"))
                 for name in names)
    print(f"  cairn run: {stored / (1 << 30):.3f} GiB written to the store (one copy), peak memory {usage.ru_maxrss / 1024:.0f} MiB")


def remote_servers():
    """The variables `scripts/remote-servers.sh start` prints: those already exported, or those of
    servers started here (and a function that stops them)."""
    names = ("CAIRN_TEST_SSH", "CAIRN_TEST_SSH_HOME", "CAIRN_TEST_S3_ENDPOINT", "CAIRN_TEST_S3_BUCKET",
             "CAIRN_TEST_S3_KEY_ID", "CAIRN_TEST_S3_SECRET")
    if all(name in os.environ for name in names):
        return {name: os.environ[name] for name in names}, lambda: None
    script = os.path.join(REPOSITORY, "scripts", "remote-servers.sh")
    printed = subprocess.run(["bash", script, "start"], check=True, capture_output=True, text=True).stdout
    variables = dict(line[len("export "):].split("=", 1) for line in printed.splitlines() if line.startswith("export "))
    return variables, lambda: run(["bash", script, "stop"], REPOSITORY)


def bench_remote(cairn, dvc, repeat=3):
    """Pushing and pulling 1,000 small files and one 1 GiB file through an SFTP server and an S3
    server on localhost: cairn push / pull against dvc push / fetch (which, like cairn pull, fill
    the local cache and leave the workspace alone), each to a fresh folder or prefix."""
    servers, stop = remote_servers()
    try:
        big = os.path.join(SCRATCH, "hash", "data", "big.bin")
        if not os.path.exists(big) or os.path.getsize(big) != 1 << 30:
            bench_hashing(cairn)
        sets = {"1,000 files of 4 KiB": "data/small", "one 1 GiB file": "data/big.bin"}
        ssh_folder = os.path.join(tempfile.gettempdir(), "cairn-bench-sftp")
        home = servers["CAIRN_TEST_SSH_HOME"]
        credentials = {"AWS_ACCESS_KEY_ID": servers["CAIRN_TEST_S3_KEY_ID"], "AWS_SECRET_ACCESS_KEY": servers["CAIRN_TEST_S3_SECRET"],
                       "AWS_ENDPOINT_URL": servers["CAIRN_TEST_S3_ENDPOINT"], "AWS_REGION": "us-east-1"}
        environment = dict(os.environ, HOME=home, SSH_AUTH_SOCK="", **credentials)
        fresh = iter(range(1_000_000))
        print(f"\nremote stores on localhost (sshd; moto's S3 server); medians of {repeat}; peak memory and bytes left locally from one more run each")
        for label, path in sets.items():
            roots = {}
            for tool in ("cairn", "dvc") if dvc else ("cairn",):
                root = roots[tool] = os.path.join(SCRATCH, "remote", f"{tool}-{path.split('/')[-1]}")
                shutil.rmtree(root, ignore_errors=True)
                if path == "data/small":
                    generator = __import__("random").Random(1)
                    for i in range(1000):
                        os.makedirs(os.path.join(root, path), exist_ok=True)
                        with open(os.path.join(root, path, f"{i:04}.bin"), "wb") as f:
                            f.write(generator.randbytes(4096))
                else:
                    os.makedirs(os.path.join(root, "data"))
                    os.link(big, os.path.join(root, path))
                git(root, "init", "-q")
            write(os.path.join(roots["cairn"], "pipelines", "data.yaml"), f"stages:\n  check:\n    cmd: \"true\"\n    inputs: [{path}]\n")
            run([cairn, "run"], roots["cairn"])
            if dvc:
                for command in (["init", "-q"], ["config", "core.analytics", "false"], ["add", "-q", path]):
                    run([dvc] + command, roots["dvc"])
            for kind in ("ssh", "s3"):
                def url(tool, n):
                    if kind == "ssh":
                        return f"ssh://{servers['CAIRN_TEST_SSH']}{ssh_folder}/{tool}-{n}"
                    return f"s3://{servers['CAIRN_TEST_S3_BUCKET']}/bench/{tool}-{n}"

                def point(tool, n):
                    """Points the tool's remote at a fresh folder or prefix (or the one `n` names)."""
                    if tool == "cairn":
                        write(os.path.join(roots["cairn"], "cairn.yaml"), f"remotes: {{ bench: \"{url(tool, n)}\" }}\ndefault_remote: bench\n")
                        return
                    local = os.path.join(roots["dvc"], ".dvc", "config.local")
                    if os.path.exists(local):
                        os.remove(local)
                    run([dvc, "remote", "add", "-f", "-d", "bench", url(tool, n)], roots["dvc"])
                    settings = {"ssh": [("user", "root"), ("keyfile", f"{home}/.ssh/id_ed25519")],
                                "s3": [("endpointurl", servers["CAIRN_TEST_S3_ENDPOINT"]), ("access_key_id", servers["CAIRN_TEST_S3_KEY_ID"]),
                                       ("secret_access_key", servers["CAIRN_TEST_S3_SECRET"]), ("region", "us-east-1")]}[kind]
                    for name, value in settings:
                        run([dvc, "remote", "modify", "--local", "bench", name, value], roots["dvc"])

                def clear_cache(tool):
                    shutil.rmtree(os.path.join(roots[tool], "artifacts/.cache" if tool == "cairn" else ".dvc/cache"), ignore_errors=True)

                commands = {"push": {"cairn": [cairn, "push"], "dvc": [dvc, "push", "-q"]},
                            "pull": {"cairn": [cairn, "pull"], "dvc": [dvc, "fetch", "-q"]}}
                for verb in ("push", "pull"):
                    samples = {tool: [] for tool in roots}
                    last = {}
                    for attempt in range(repeat + 1):
                        for tool in roots:
                            if verb == "push":
                                last[tool] = next(fresh)
                                point(tool, last[tool])
                            else:
                                clear_cache(tool)
                            seconds, peak, written = measured(commands[verb][tool], roots[tool], environment)
                            if attempt < repeat:
                                samples[tool].append(seconds)
                            else:
                                footprint = f"peak {peak:.0f} MiB, {written / (1 << 20):.1f} MiB left locally"
                                samples[tool] = (statistics.median(samples[tool]), footprint)
                    medians = {tool: value[0] for tool, value in samples.items()}
                    print(f"\n{verb} {label} over {'SFTP' if kind == 'ssh' else 'S3'}")
                    for tool in roots:
                        name = f"cairn {verb}" if tool == "cairn" else f"dvc {commands[verb]['dvc'][1]}"
                        ratio = medians[tool] / medians["cairn"]
                        verdict = "" if tool == "cairn" else (f"   cairn is {ratio:.2f}× faster" if ratio >= 1 else f"   cairn takes {1 / ratio:.2f}× as long")
                        print(f"  {name:<12} {medians[tool] * 1000:10.1f} ms   {samples[tool][1]}{verdict}")
                    if kind == "ssh" and verb == "pull":
                        shutil.rmtree(ssh_folder, ignore_errors=True)
    finally:
        stop()


SWEEP_SEEDS = [1, 2, 3, 4]
SWEEP_C = [0.05, 0.1, 0.5, 1, 5]
REPOSITORY = os.path.dirname(HERE)


def tree_bytes(root):
    """Bytes of the files under `root` on disk, each inode once."""
    seen, total = set(), 0
    for folder, _, names in os.walk(root):
        for name in names:
            info = os.lstat(os.path.join(folder, name))
            if info.st_ino not in seen:
                seen.add(info.st_ino)
                total += info.st_blocks * 512
    return total


def measured(command, cwd, environment=None):
    """Wall seconds of `command`, the peak of the summed resident memory of every process working
    under `cwd` (sampled every 50 ms: DVC's queue workers are not our children), and the bytes it
    left on disk there."""
    import threading
    before, peak, done = tree_bytes(cwd), [0], threading.Event()

    def sample():
        while not done.is_set():
            total = 0
            for pid in filter(str.isdigit, os.listdir("/proc")):
                try:
                    if os.readlink(f"/proc/{pid}/cwd").startswith(cwd):
                        with open(f"/proc/{pid}/status") as status:
                            total += next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))
                except (OSError, StopIteration):
                    continue
            peak[0] = max(peak[0], total)
            done.wait(0.05)

    sampler = threading.Thread(target=sample)
    sampler.start()
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=environment)
    seconds = time.perf_counter() - start
    done.set()
    sampler.join()
    return seconds, peak[0] / 1024, tree_bytes(cwd) - before


def sweep_workspace(name, files):
    """A git repository with `files` (path → text, or None to copy it from the repository)."""
    root = os.path.join(SCRATCH, "sweep", name)
    shutil.rmtree(root, ignore_errors=True)
    for path, text in files.items():
        if text is None:
            os.makedirs(os.path.dirname(os.path.join(root, path)) or root, exist_ok=True)
            shutil.copy(os.path.join(REPOSITORY, path), os.path.join(root, path))
        else:
            write(os.path.join(root, path), text)
    write(os.path.join(root, ".gitignore"), "out/\nartifacts/\n.cairn/\n")
    git(root, "init", "-q")
    return root


def script_stages(python):
    """The example pipeline as pandas + scikit-learn scripts: (name, inputs, output, params) per stage."""
    stages = [("prepare", ["data/penguins.csv"], "out/clean.pkl", []), ("split", ["out/clean.pkl"], "out/split.pkl", ["split.seed"]),
              ("features", ["out/split.pkl"], "out/features.pkl", []), ("train", ["out/features.pkl"], "out/model.pkl", ["train.C"]),
              ("evaluate", ["out/features.pkl", "out/model.pkl"], "out/metrics.json", [])]
    cairn, dvc = ["params: params.yaml", "stages:"], ["stages:"]
    for name, inputs, output, params in stages:
        cairn += [f"  {name}:", f"    cmd: {python} penguins_stages.py {name} " + " ".join(f"${{inputs.i{k}}}" for k in range(len(inputs))) + " ${outputs.out}",
                  "    inputs: { script: penguins_stages.py, " + ", ".join(f"i{k}: {path}" for k, path in enumerate(inputs)) + " }",
                  f"    outputs: {{ out: {output} }}"] + ([f"    params: [{', '.join(params)}]"] if params else []) \
            + (["    metrics: [out]"] if name == "evaluate" else [])
        dvc += [f"  {name}:", f"    cmd: {python} penguins_stages.py {name} {' '.join(inputs)} {output}",
                f"    deps: [penguins_stages.py, {', '.join(inputs)}]"] + ([f"    params: [{', '.join(params)}]"] if params else []) \
            + ([f"    metrics: [{{{output}: {{cache: false}}}}]"] if name == "evaluate" else [f"    outs: [{output}]"])
    return "\n".join(cairn) + "\n", "\n".join(dvc) + "\n"


def bench_sweep(cairn, dvc, python):
    """A 20-variant sweep (split.seed 1–4 × train.C five values) from a cold store: cairn exp run on
    the example pipeline, the same 20 runs by hand, and — on the example as pandas + scikit-learn
    scripts, the same work as processes — cairn exp run against dvc exp run --queue + dvc queue start."""
    sweep = ["-S", "split.seed=" + ",".join(map(str, SWEEP_SEEDS)), "-S", "train.C=" + ",".join(map(str, SWEEP_C))]
    example = {"data/penguins.csv": None, "data/penguins-batch.csv": None, "pipelines/penguins.yaml": None, "params.yaml": None}
    results = []

    def contender(label, root, command):
        git(root, "add", "-A")
        git(root, "commit", "-qm", "sweep")
        results.append((label,) + measured(command, root))

    root = sweep_workspace("cairn-exp", example)
    contender("cairn exp run (built-in stages)", root, [cairn, "exp", "run", *sweep, "-j", "2"])
    shown = json.loads(subprocess.run([cairn, "exp", "show", "--json"], cwd=root, capture_output=True, text=True, check=True).stdout)
    succeeded = sum(row["status"] == "succeeded" for row in shown)
    root = sweep_workspace("cairn-hand", example)
    loop = "; ".join(f"{cairn} run -S split.seed={seed} -S train.C={c} >/dev/null" for seed in SWEEP_SEEDS for c in SWEEP_C)
    contender("20 × cairn run -S (by hand)", root, ["sh", "-c", loop])
    if python:
        cairn_yaml, dvc_yaml = script_stages(python)
        scripts = {"data/penguins.csv": None, "params.yaml": "split:\n  seed: 42\ntrain:\n  C: 1.0\n",
                   "penguins_stages.py": open(os.path.join(HERE, "penguins_stages.py")).read()}
        root = sweep_workspace("cairn-scripts", {**scripts, "pipelines/penguins.yaml": cairn_yaml})
        contender("cairn exp run (scripts)", root, [cairn, "exp", "run", *sweep, "-j", "2"])
        if dvc:
            root = sweep_workspace("dvc-scripts", {**scripts, "dvc.yaml": dvc_yaml})
            run([dvc, "init", "-q"], root)
            run([dvc, "config", "core.analytics", "false"], root)
            variants = " && ".join(f"{dvc} exp run --queue -q -S split.seed={seed} -S train.C={c}" for seed in SWEEP_SEEDS for c in SWEEP_C)
            wait = f"{dvc} queue start -j 2 >/dev/null && while {dvc} queue status | grep -qE 'Queued|Running'; do sleep 0.5; done"
            # The queue's workers are started as `dvc` from PATH.
            path = f"PATH={os.path.dirname(dvc)}:$PATH"
            contender("dvc exp run --queue + queue start (scripts)", root, ["sh", "-c", f"{path}; {variants} && {wait}"])
            failed = subprocess.run([dvc, "queue", "status"], cwd=root, capture_output=True, text=True).stdout.count("Failed")
            if failed:
                print(f"  warning: {failed} DVC experiments failed")
    print(f"\nsweep: 20 variants (split.seed {SWEEP_SEEDS} × train.C {SWEEP_C}) of the example pipeline, cold store, -j 2, one run each"
          f" ({succeeded}/20 cairn experiments succeeded)")
    base = results[0][1]
    for label, seconds, peak, written in results:
        print(f"  {label:<46} {seconds:8.2f} s  {seconds / base:5.2f}× cairn exp run   peak {peak:6.0f} MiB   kept on disk {written / (1 << 20):7.1f} MiB")
    if len(results) == 4:
        print(f"  on the same scripts: dvc takes {results[3][1] / results[2][1]:.2f}× as long as cairn exp run")


def slurm_up():
    """Whether a Slurm cluster answers (scripts/slurm-cluster.sh start makes one and prints SLURM_CONF)."""
    if not os.environ.get("SLURM_CONF"):
        return False
    result = subprocess.run(["sinfo", "-h", "-o", "%T"], capture_output=True, text=True)
    return result.returncode == 0 and any(state in ("idle", "mixed", "allocated", "completing") for state in result.stdout.split())


def bench_slurm(cairn, stages=100):
    """`stages` independent command stages as Slurm jobs against the local executor, and the
    head's CPU time per job (what cairn itself spends: writing job files, sbatch, polling)."""
    if not slurm_up():
        print("\nslurm: SKIPPED, no cluster answers (eval \"$(scripts/slurm-cluster.sh start)\" starts one on localhost)")
        return
    root = os.path.join(SCRATCH, "slurm")
    shutil.rmtree(root, ignore_errors=True)
    lines = ["stages:"]
    for i in range(stages):
        lines += [f"  s{i}:", f"    cmd: echo {i} > ${{outputs.out}}", f"    outputs: {{ out: out/s{i}.txt }}"]
    write(os.path.join(root, "pipelines", "many.yaml"), "\n".join(lines) + "\n")

    def cold(command):
        seconds, usage = cold_run(root, "many.lock", command)
        return seconds, usage.ru_utime + usage.ru_stime

    local, local_cpu = cold([cairn, "run", "-j", "2"])
    cluster, cluster_cpu = cold([cairn, "run", "--executor", "slurm"])
    # The cluster's own floor: the same commands as bare sbatch jobs, submitted at once and waited for.
    bare_jobs = " ".join(f"sbatch --parsable -J bare -o /dev/null --wrap 'echo {i} > out/s{i}.txt' >/dev/null;" for i in range(stages))
    bare, _ = cold(["sh", "-c", f"mkdir -p out; {bare_jobs} while [ -n \"$(squeue -h -n bare -o %i)\" ]; do sleep 0.1; done"])
    print(f"\nslurm: {stages} independent command stages, cold, one run each (one-node cluster on this machine, {os.cpu_count()} cores)")
    print(f"  cairn run -j 2 (local)            {local:8.2f} s")
    print(f"  cairn run --executor slurm        {cluster:8.2f} s   {cluster / local:.1f}× local")
    print(f"  {stages} bare sbatch jobs, waited for  {bare:8.2f} s   cairn takes {cluster / bare:.2f}× as long")
    print(f"  head CPU time per job: {cluster_cpu / stages * 1000:.1f} ms (local run: {local_cpu / stages * 1000:.1f} ms per stage)")


def json_output(command):
    """The JSON object a benchmark helper prints."""
    result = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if result.returncode != 0:
        sys.exit(f"failed: {' '.join(command)}\n{result.stderr}")
    return json.loads(result.stdout)


def peak_mib(command, cwd=None):
    """Peak resident memory of one run of `command`, from the kernel's accounting of the finished child."""
    child = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    if status != 0:
        sys.exit(f"failed: {' '.join(command)}")
    return usage.ru_maxrss / 1024


def data_python():
    """The scratch virtualenv's python with pandas, scikit-learn, LightGBM and joblib; None if they cannot be installed."""
    return install(["pandas", "scikit-learn", "lightgbm", "joblib"], "python", ["pandas", "sklearn", "lightgbm", "joblib"])


def dataset(name, rows, *options):
    """A table bench/make_dataset.py writes (fixed seed), made once in the scratch folder."""
    path = os.path.join(SCRATCH, "data", name)
    if not os.path.exists(path):
        print(f"generating {rows:,} rows (bench/make_dataset.py, fixed seed)…", flush=True)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        subprocess.run([sys.executable, os.path.join(HERE, "make_dataset.py"), path + ".tmp", str(rows), *options], check=True)
        os.rename(path + ".tmp", path)
    return path


def bench_parquet(cairn, rows=1_000_000, repeat=5):
    """Reading a Parquet file pyarrow wrote (snappy, its defaults) from the generated table:
    cairn show against pyarrow and polars, whole processes, with peak memory."""
    python = install(["pyarrow", "polars"], "python", ["pyarrow", "polars"])
    if not python:
        return
    csv = dataset(f"table-{rows}.csv", rows)
    data = csv[:-len(".csv")] + ".parquet"
    if not os.path.exists(data):
        run([python, "-c", f"import pyarrow.csv as c, pyarrow.parquet as p; p.write_table(c.read_csv({csv!r}), {data + '.tmp'!r})"], SCRATCH)
        os.rename(data + ".tmp", data)
    run(["cat", data], SCRATCH)
    size = os.path.getsize(data) / 2**20
    readers = {"pyarrow.parquet.read_table": f"import pyarrow.parquet as p; p.read_table({data!r})",
               "polars.read_parquet": f"import polars; polars.read_parquet({data!r})"}
    contenders = [("cairn show --rows 0", [cairn, "show", data, "--rows", "0"], SCRATCH)]
    contenders += [(f"python: {name}", [python, "-c", code], SCRATCH) for name, code in readers.items()]
    compare(f"Parquet read: {rows:,} rows × 25 columns, {size:.0f} MiB, snappy (page cache warm; whole processes, Python's start included)",
            contenders, repeat=repeat)
    print("  peak memory of the whole process:")
    for name, command, _ in contenders:
        print(f"    {name:<36} {peak_mib(command):10.0f} MiB")


def bench_data(cairn, data_bench, rows=1_000_000, repeat=5):
    """The data plane on a generated table, side by side with pandas and scikit-learn."""
    python = data_python()
    data = dataset(f"table-{rows}.csv", rows)
    size = os.path.getsize(data) / 2**20
    run(["cat", data], SCRATCH)
    helper = os.path.join(HERE, "sklearn_features.py")
    print(f"\nCSV read: {rows:,} rows × 25 columns, {size:.0f} MiB (page cache warm)")
    contenders = [("cairn show --rows 0", [cairn, "show", data, "--rows", "0"], SCRATCH)]
    if python:
        contenders.append(("python: pandas.read_csv", [python, helper, "read", data], SCRATCH))
    compare("  whole process (pandas' includes starting Python and importing pandas)", contenders, repeat=repeat)
    figures = {"cairn": [], "pandas": []}
    for _ in range(repeat):  # one read per fresh process, as a stage or a script does it
        figures["cairn"] += json_output([data_bench, "read", data])["seconds"]
        if python:
            figures["pandas"] += json_output([python, helper, "read", data])["seconds"]
    print("  the read alone, timed in-process (median of one read in each of several processes):")
    for name, seconds in figures.items():
        if seconds:
            print(f"    {name:<26} {statistics.median(seconds) * 1000:10.1f} ms")
    if python:
        ratio = statistics.median(figures["pandas"]) / statistics.median(figures["cairn"])
        print(f"    cairn is {ratio:.2f}× as fast as pandas.read_csv (target ≥ 2×)")
    print("  peak memory of the whole process:")
    cairn_peak = peak_mib([cairn, "show", data, "--rows", "0"])
    print(f"    {'cairn show':<26} {cairn_peak:10.0f} MiB")
    if python:
        pandas_peak = peak_mib([python, helper, "read", data])
        print(f"    {'python + pandas.read_csv':<26} {pandas_peak:10.0f} MiB   cairn uses {cairn_peak / pandas_peak:.2f}× as much")

    written = json_output([data_bench, "write", data, str(repeat)])
    table_bytes = os.path.getsize(data + ".table")
    os.remove(data + ".table")
    print(f"\ntable file write: the same table as an Arrow table file, {table_bytes / 2**20:.0f} MiB, timed in-process")
    print(f"  cairn TableFile.write          {statistics.median(written['seconds']) * 1000:8.1f} ms   (median of {repeat})")

    print("\nmedian impute + standard scale (20 columns) + one-hot (5, 20, 100 levels) → 145 dense columns")
    print("  fit and transform, timed in-process; each run a fresh process (the CSV read is not timed)")
    fits = {"cairn features steps": [], "scikit-learn ColumnTransformer": []}
    for _ in range(3):
        fits["cairn features steps"] += json_output([data_bench, "features", data])["seconds"]
        if python:
            fits["scikit-learn ColumnTransformer"] += json_output([python, helper, "features", data])["seconds"]
    base = statistics.median(fits["cairn features steps"])
    for name, seconds in fits.items():
        if seconds:
            median = statistics.median(seconds)
            verdict = "" if median == base else f"   cairn is {median / base:.2f}× as fast"
            print(f"  {name:<34} {median:8.2f} s{verdict}")
    bench_models(data_bench, python, helper, data, "models",
                 "linear models after those features: fit on 800,000 rows × 145 columns, score on 200,000",
                 "R² for the regressions on `value`, accuracy for logistic on `label`")
    bench_models(data_bench, python, helper, data, "trees",
                 "tree ensembles on the same features: boosting 100 iterations (no early stopping) on the 800,000 rows,\n"
                 "  the forest 50 trees on the first 100,000; each scored on the last 200,000",
                 "ROC AUC on `label`; scikit-learn's HistGradientBoostingClassifier, LightGBM's LGBMClassifier, "
                 "RandomForestClassifier(n_jobs=-1)")
    bench_predict(cairn, python, helper, data)
    bench_drift(data_bench, python, helper, data)


def bench_drift(data_bench, python, helper, data, repeat=3):
    """The monitor's drift report against scipy computing the same statistics, timed in-process."""
    current = dataset("current-100000.csv", 100_000, "7", "0.1")
    print("\ndrift report: 1,000,000 reference rows against 100,000 current rows (shifted by 0.1 sd), 23 columns")
    print("  KS, PSI and Wasserstein per numeric column, chi-squared and Jensen–Shannon per categorical one;")
    print(f"  timed in-process after the CSV reads, median of {repeat} fresh processes")
    figures = {"cairn (DriftReport)": [], "scipy.stats + numpy": []}
    drifted = {}
    for _ in range(repeat):
        result = json_output([data_bench, "drift", data, current])
        figures["cairn (DriftReport)"] += result["seconds"]
        drifted["cairn (DriftReport)"] = result["drifted"]
        if python:
            result = json_output([python, helper, "drift", data, current])
            figures["scipy.stats + numpy"] += result["seconds"]
            drifted["scipy.stats + numpy"] = result["drifted"]
    base = statistics.median(figures["cairn (DriftReport)"])
    for name, seconds in figures.items():
        if seconds:
            median = statistics.median(seconds)
            verdict = "" if name.startswith("cairn") else f"   cairn is {median / base:.2f}× as fast (target ≥ 3×)"
            print(f"  {name:<26} {median:8.2f} s   {drifted[name]} of 23 columns drifted{verdict}")


def bench_models(data_bench, python, helper, data, task, title, scores, repeat=3):
    """Models on the transformed table: the first 80% of rows to fit, the rest to score."""
    print(f"\n{title}")
    print(f"  (median of {repeat} fresh processes each, in turn; fit seconds in-process;")
    print(f"   {scores})")

    def lines(command):
        result = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        if result.returncode != 0:
            sys.exit(f"failed: {' '.join(command)}\n{result.stderr}")
        return {line["model"]: line for line in map(json.loads, result.stdout.splitlines()) if "seconds" in line}

    def medians(runs):
        merged = {}
        for run in runs:
            for name, figures in run.items():
                merged.setdefault(name, []).append(figures)
        return {name: {"seconds": statistics.median(f["seconds"] for f in figures), "score": figures[0]["score"]}
                for name, figures in merged.items()}

    cairn_runs, python_runs = [], []
    for _ in range(repeat):
        cairn_runs.append(lines([data_bench, task, data]))
        if python:
            python_runs.append(lines([python, helper, task, data]))
    cairn, others = medians(cairn_runs), medians(python_runs)
    # LightGBM is set beside cairn's boosting.
    rivals = {name: [(name, others[name])] if name in others else [] for name in cairn}
    if "lightgbm" in others and "hist_gradient_boosting" in rivals:
        rivals["hist_gradient_boosting"].append(("lightgbm", others["lightgbm"]))
    for name, figures in cairn.items():
        print(f"  {name:<22} cairn {figures['seconds']:7.2f} s  score {figures['score']:.4f}")
        for label, other in rivals[name]:
            label = "scikit-learn" if label == name else label
            print(f"  {'':<22} {label:<12} {other['seconds']:7.2f} s  score {other['score']:.4f}"
                  f"   cairn takes {figures['seconds'] / other['seconds']:.2f}× its time")


def bench_predict(cairn, python, helper, data, repeat=3):
    """Batch scoring as a whole process: read the CSV, apply the fitted features, predict, write a CSV."""
    root = os.path.join(SCRATCH, "predict")
    train = os.path.join(root, "data", "train.csv")
    if not os.path.exists(train):
        os.makedirs(os.path.dirname(train), exist_ok=True)
        shutil.copyfile(dataset("table-100000.csv", 100_000), train)
    write(os.path.join(root, "pipelines", "score.yaml"), PREDICT_PIPELINE)
    run([cairn, "run"], root)
    model, output = os.path.join(root, "artifacts", "model.json"), os.path.join(root, "predictions.csv")
    contenders = [("cairn predict", [cairn, "predict", "--model", model, "--input", data, "--output", output], root)]
    if python:
        pickle = os.path.join(root, "pipeline.joblib")
        run([python, helper, "fit-pipeline", train, pickle], root)
        contenders.append(("python: scikit-learn pipeline", [python, helper, "predict", pickle, data, output], root))
    rows = sum(1 for _ in open(data)) - 1
    medians = compare(f"batch scoring of {rows:,} rows by a logistic regression trained on 80,000 "
                      "(whole process: read CSV, features, predict, write CSV)", contenders, repeat)
    for name, seconds in medians.items():
        print(f"  {name:<28} {rows / seconds:12,.0f} rows/s")


PREDICT_PIPELINE = """stages:
  ingest:
    uses: ingest
    inputs: { source: data/train.csv }
  clean:
    uses: clean
    inputs: { table: ingest.table }
    with: { drop: [value] }
  split:
    uses: split
    inputs: { table: clean.table }
    with: { test: 0.2, seed: 1 }
  features:
    uses: features
    inputs: { train: split.train, test: split.test }
    with:
      target: label
      steps:
        - impute: { columns: numeric, strategy: median }
        - scale: { columns: numeric }
        - one_hot: { columns: categorical }
  train:
    uses: train
    inputs: { train: features.train, transform: features.transform }
    outputs: { model: artifacts/model.json }
    with: { model: logistic_regression, target: label, params: { C: 1.0 } }
"""

# The pipeline a user times end to end: the scoring pipeline's stages, then evaluate.
END_TO_END_PIPELINE = PREDICT_PIPELINE.replace("data/train.csv", "data/table.csv") + """  evaluate:
    uses: evaluate
    inputs: { model: train.model, test: features.test }
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cairn", required=True, help="path to the cairn binary")
    parser.add_argument("--no-dvc", action="store_true", help="skip the DVC columns")
    parser.add_argument("--large", action="store_true", help="with --only dags: also 100,000 stages (builds for about 15 minutes)")
    parser.add_argument("--data-bench", help="path to cairn-data-bench (default: beside the cairn binary)")
    parser.add_argument("--only", choices=["watch", "lineage", "data", "drift", "sweep", "slurm", "remote", "parquet", "dags", "end-to-end"], help="run only these benchmarks")
    arguments = parser.parse_args()
    cairn = os.path.abspath(arguments.cairn)
    os.makedirs(SCRATCH, exist_ok=True)
    if arguments.only == "watch":
        return bench_watch(cairn)
    if arguments.only == "slurm":
        return bench_slurm(cairn)
    if arguments.only == "sweep":
        return bench_sweep(cairn, None if arguments.no_dvc else install(["dvc"], "dvc"), data_python())
    if arguments.only == "parquet":
        return bench_parquet(cairn)
    if arguments.only == "end-to-end":
        return bench_end_to_end(cairn, data_python())
    if arguments.only == "dags":
        return bench_large_dags(cairn, [1_000, 10_000] + ([100_000] if arguments.large else []))
    if arguments.only == "remote":
        return bench_remote(cairn, None if arguments.no_dvc else install(["dvc", "dvc-ssh", "dvc-s3"], "dvc", ["dvc_ssh", "dvc_s3"]))
    if arguments.only == "lineage":
        return bench_lineage(cairn, None if arguments.no_dvc else install(["dvc"], "dvc"))
    data_bench = os.path.abspath(arguments.data_bench or os.path.join(os.path.dirname(cairn), "cairn-data-bench"))
    if arguments.only == "data":
        return bench_data(cairn, data_bench)
    if arguments.only == "drift":
        python = data_python()
        return bench_drift(data_bench, python, os.path.join(HERE, "sklearn_features.py"), dataset("table-1000000.csv", 1_000_000))
    dvc = None if arguments.no_dvc else install(["dvc"], "dvc")
    print(f"machine: {os.cpu_count()} cores; medians of interleaved runs, compared with cairn's")
    bench_pipelines(cairn, dvc, "chain", 100, first_runs=True)
    bench_pipelines(cairn, dvc, "dag", 1000, first_runs=False)
    bench_large_dags(cairn, [1_000, 10_000])
    bench_hashing(cairn)
    bench_watch(cairn)
    bench_lineage(cairn, dvc)
    bench_sweep(cairn, dvc, data_python())
    bench_slurm(cairn)
    bench_remote(cairn, install(["dvc", "dvc-ssh", "dvc-s3"], "dvc", ["dvc_ssh", "dvc_s3"]) if dvc else None)
    bench_data(cairn, data_bench)
    bench_parquet(cairn)
    bench_end_to_end(cairn, data_python())


if __name__ == "__main__":
    main()
