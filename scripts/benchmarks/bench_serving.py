#!/usr/bin/env python3
"""Benchmark the serving store candidates (issue 17, decision 67): publish time and what readers feel.

    .venv/bin/python scripts/benchmarks/bench_serving.py --db data/warehouse.duckdb \\
        --manifest target/manifest.json --workdir /tmp/bench_serving --publishes 4 --json /tmp/serving.json

For each store, the public marts of the build store (`--db`, whitelist from `--manifest`) are
published `--publishes` times while two reader processes query it every 20 ms:
- `held`: one connection opened before the first timed publish and kept;
- `fresh`: a new connection (a new ATTACH for DuckLake) for every query.
Each query reads the row count of every served table and the publish id in one statement.

Stores:
- `swap`: segwh.serving as shipped, a new read-only DuckDB file per publish and one rename;
- `ducklake-sqlite`: DuckLake (PyPI duckdb-extension-ducklake) with a SQLite catalog and Parquet
  data, one transaction of CREATE OR REPLACE per publish (one snapshot);
- `ducklake-duckdb`: the same with a DuckDB-file catalog.

Reported per store: publish seconds (median, max), size on disk after the publishes, and per reader
mode the number of queries, errors (with the first message), latency p50 / p99 / max in ms, and the
publishes seen. Nothing here is timed by a test; the figures go to docs/research/serving_store.md.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from segwh import serving  # noqa: E402

EXTENSIONS = {"ducklake": "ducklake", "sqlite": "sqlite_scanner"}


def extension_sql(folder: Path) -> list[str]:
    """LOAD statements for the PyPI-shipped extensions (linked under the name DuckDB expects)."""
    statements = []
    for package, name in EXTENSIONS.items():
        module = __import__(f"duckdb_extension_{package}")
        source = Path(module.__file__).parent / "extensions" / f"v{duckdb.__version__}" / f"{package}.duckdb_extension"
        link = folder / f"{name}.duckdb_extension"
        if not link.exists():
            link.symlink_to(source)
        statements.append(f"load '{link}'")
    return statements


def lake_attach(catalog: str, root: Path, read_only: bool) -> str:
    prefix = "sqlite:" if catalog == "sqlite" else ""
    options = ["data_path '" + str(root / "data") + "/'"]
    if read_only:
        options.append("read_only")
    else:
        options.append("data_inlining_row_limit 0")
    return f"attach 'ducklake:{prefix}{root / ('catalog.' + catalog)}' as lake ({', '.join(options)})"


def publish_lake(con: duckdb.DuckDBPyConnection, models: list[serving.ServedModel], publish_id: str) -> None:
    con.execute("begin")
    for m in models:
        con.execute(f'create or replace table lake.main."{m.identifier}" as '
                    f'select * from build."{m.schema}"."{m.identifier}"')
    con.execute(f"create or replace table lake.main.{serving.INFO_TABLE} as select '{publish_id}' as publish_id")
    con.execute("commit")


READER = r"""
import duckdb, json, sys, time
kind, target, out, stop_file, setup = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], json.loads(sys.argv[5])
tables, mode = setup["tables"], setup["mode"]
prefix = "" if kind == "swap" else "lake.main."
query = "select " + ", ".join(f"(select count(*) from {prefix}{t})" for t in tables) + \
    f", (select publish_id from {prefix}publish_info)"

def connect():
    if kind == "swap":
        return duckdb.connect(target, read_only=True)
    con = duckdb.connect(config={"autoinstall_known_extensions": False, "autoload_known_extensions": False})
    for statement in setup["load"] + [setup["attach"]]:
        con.execute(statement)
    return con

samples = []
held = None
open(out + ".ready", "w").close()
import os
while not os.path.exists(stop_file):
    began = time.monotonic()
    try:
        con = held or connect()
        if mode == "held":
            held = con
        row = con.execute(query).fetchone()
        if held is None:
            con.close()
        samples.append([time.monotonic() - began, row[-1], None])
    except Exception as error:
        samples.append([time.monotonic() - began, None, str(error).splitlines()[0][:200]])
    time.sleep(0.02)
json.dump(samples, open(out, "w"))
"""


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def bench(kind: str, db: Path, models: list[serving.ServedModel], work: Path, publishes: int) -> dict:
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    ext = work / "ext"
    ext.mkdir()
    times: list[float] = []
    lake_con = None
    setup: dict = {"tables": [m.identifier for m in models]}
    if kind == "swap":
        target = str(work / serving.SERVING_FILE)

        def publish_once(i: int) -> None:
            serving_publish(db, work, models)
    else:
        catalog = kind.split("-")[1]
        lake_con = duckdb.connect(config={"autoinstall_known_extensions": False,
                                          "autoload_known_extensions": False, "threads": 2})
        setup["load"] = extension_sql(ext)
        for statement in setup["load"]:
            lake_con.execute(statement)
        lake_con.execute(lake_attach(catalog, work, read_only=False))
        lake_con.execute(f"attach '{db}' as build (read_only)")
        setup["attach"] = lake_attach(catalog, work, read_only=True)
        target = str(work)

        def publish_once(i: int) -> None:
            publish_lake(lake_con, models, f"p{i:03d}")

    began = time.monotonic()
    publish_once(0)
    times.append(time.monotonic() - began)
    stop = work / "stop"
    readers = {}
    for mode in ("held", "fresh"):
        out = work / f"reader-{mode}.json"
        proc = subprocess.Popen([sys.executable, "-c", READER, kind, target, str(out), str(stop),
                                 json.dumps({**setup, "mode": mode})])
        readers[mode] = (proc, out)
    for _mode, (_proc, out) in readers.items():
        while not Path(str(out) + ".ready").exists():
            time.sleep(0.05)
    time.sleep(1)
    for i in range(1, publishes):
        began = time.monotonic()
        publish_once(i)
        times.append(time.monotonic() - began)
        time.sleep(0.5)
    time.sleep(1)
    stop.touch()
    result: dict = {"store": kind, "publish_seconds": [round(t, 3) for t in times],
                    "publish_median_s": round(statistics.median(times[1:] or times), 3),
                    "publish_max_s": round(max(times), 3)}
    for mode, (proc, out) in readers.items():
        proc.wait(timeout=120)
        samples = json.loads(out.read_text())
        latencies = [s[0] * 1000 for s in samples]
        errors = [s[2] for s in samples if s[2]]
        result[mode] = {
            "queries": len(samples), "errors": len(errors), "first_error": errors[0] if errors else None,
            "p50_ms": round(percentile(latencies, 0.5), 1), "p99_ms": round(percentile(latencies, 0.99), 1),
            "max_ms": round(max(latencies), 1), "publishes_seen": len({s[1] for s in samples if s[1]}),
        }
    if lake_con is not None:
        lake_con.close()
    result["disk_mb"] = round(sum(p.stat().st_size for p in work.rglob("*") if p.is_file()) / 2**20, 1)
    return result


def serving_publish(db: Path, folder: Path, models: list[serving.ServedModel]) -> None:
    """segwh.serving.publish with the whitelist given (keep 2, as the store would after pruning)."""
    manifest = {"nodes": {f"model.x.{m.name}": {
        "resource_type": "model", "name": m.name, "alias": m.identifier, "schema": m.schema, "access": "public",
        "group": m.group, "description": m.description, "columns": {}} for m in models}}
    serving.publish(db, folder, manifest, keep=2, progress=lambda _: None)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, required=True, help="a built warehouse (the build store)")
    parser.add_argument("--manifest", type=Path, default=ROOT / "target" / "manifest.json")
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "bench_serving")
    parser.add_argument("--publishes", type=int, default=4, help="publishes per store (the first is not read)")
    parser.add_argument("--stores", nargs="+", default=["swap", "ducklake-sqlite", "ducklake-duckdb"])
    parser.add_argument("--json", type=Path, help="write the results here")
    args = parser.parse_args()
    if not args.db.exists():
        print(f"error: build store {args.db} does not exist (make build)", file=sys.stderr)
        return 2
    models = serving.served_models(json.loads(args.manifest.read_text()))
    with duckdb.connect(str(args.db), read_only=True) as con:
        rows = sum(con.execute(f'select count(*) from "{m.schema}"."{m.identifier}"').fetchone()[0] for m in models)
    print(f"{len(models)} public marts, {rows:,} rows, from {args.db}")
    results = []
    for kind in args.stores:
        print(f"{kind} ...", flush=True)
        result = bench(kind, args.db.resolve(), models, args.workdir / kind, args.publishes)
        results.append(result)
        print(f"  publish median {result['publish_median_s']} s (max {result['publish_max_s']}), "
              f"{result['disk_mb']} MB on disk")
        for mode in ("held", "fresh"):
            r = result[mode]
            print(f"  reader {mode:<5}: {r['queries']} queries, {r['errors']} errors, p50 {r['p50_ms']} ms, "
                  f"p99 {r['p99_ms']} ms, max {r['max_ms']} ms, {r['publishes_seen']} publish(es) seen"
                  + (f"; first error: {r['first_error']}" if r["first_error"] else ""))
    if args.json:
        args.json.write_text(json.dumps({"db": str(args.db), "rows": rows, "results": results}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
