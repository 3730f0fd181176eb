#!/usr/bin/env python3
"""Benchmark the segment engine: every shipped segment evaluated at 1M customers.

    .venv/bin/python scripts/benchmarks/bench_segments.py --source data/warehouse.duckdb \\
        --customers 1000000 --workdir /tmp/bench_segments --repeat 2 --threads 1 2 \\
        --json /tmp/bench_segments.json

1. Inputs (not timed): the tables the engine reads, copied from a built warehouse (`--source`, the
   10k demo by default) as many times as it takes to reach `--customers`, each copy with its own
   keys (customer_key, account_id and every event id get the copy number), into
   <workdir>/warehouse.duckdb at the relations the refs resolve to. So the 1M set keeps the real
   shapes of the demo: features, segment sizes, events per customer (~55M web event rows at 1M).
2. Timed, each in its own dbt process (`--repeat` times): `dbt run --select segment_definitions
   segment_membership customer_segments account_segments`, the engine stage (rule evaluation,
   membership with reasons, primary and family assignment). Model times come from run_results.json.
   Same profile as `make build` (DuckDB, the project's memory settings); DuckDB's threads are the
   profile's default (1) or each of `--threads` in turn (env var DUCKDB_THREADS).
   `--reuse-inputs` keeps the inputs of an earlier run when every table still has the source's columns.

Prints one line per repeat and a summary; --json writes them. Exit 1 when dbt fails.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[2]
MODELS = ("segment_definitions", "segment_membership", "customer_segments", "account_segments")
# relation -> {column: how a copy makes it unique}; "text" appends '-<copy>', "int" makes id * 1000 + copy
TABLES: dict[str, dict[str, str]] = {
    "marts.dim_customers": {"customer_key": "text", "account_id": "text"},
    "marts.customer_features": {"customer_key": "text"},
    "marts.customer_rfm": {"customer_key": "text"},
    "marts.customer_lifecycle": {"customer_key": "text"},
    "marts.customer_value": {"customer_key": "text"},
    "marts.customer_clv": {"customer_key": "text"},
    "marts.customer_churn_risk": {"customer_key": "text"},
    "marts.account_features": {"account_id": "text"},
    "marts.fct_orders": {"order_id": "int", "customer_key": "text"},
    "marts.fct_order_lines": {"order_line_id": "int", "order_id": "int", "customer_key": "text"},
    "intermediate.int_web_events_resolved": {"event_item_id": "text", "event_id": "text", "customer_key": "text"},
    "intermediate.int_email_events_resolved": {"email_event_id": "text", "customer_key": "text"},
    "intermediate.int_support_tickets_resolved": {"ticket_id": "text", "customer_key": "text"},
}
COPIED_AS_IS = ("intermediate.int_as_of_date", "reference.feature_catalog", "reference.segment_event_types",
                "reference.segment_event_properties")


def log(message: str) -> None:
    print(f"[bench_segments {time.strftime('%H:%M:%S')}] {message}", flush=True)


def make_inputs(source: Path, target: Path, copies: int) -> dict[str, int]:
    """Copy the engine's input tables `copies` times with unique keys; return rows per table."""
    target.unlink(missing_ok=True)
    con = duckdb.connect(str(target))
    # the copies sort ~55M event rows: spill past the limit instead of growing until the OOM killer stops us
    con.execute(f"set memory_limit = '{os.environ.get('DUCKDB_MEMORY_LIMIT', '8GB')}'")
    con.execute(f"attach '{source}' as src (read_only)")
    rows = {}
    for relation in (*TABLES, *COPIED_AS_IS):
        schema = relation.split(".")[0]
        con.execute(f"create schema if not exists {schema}")
        if relation in COPIED_AS_IS:
            con.execute(f"create table {relation} as select * from src.{relation}")
        else:
            replaced = ", ".join(
                f"{column} || '-' || copy_number as {column}" if kind == "text"
                else f"{column} * 1000 + copy_number as {column}"
                for column, kind in TABLES[relation].items())
            con.execute(f"""
                create table {relation} as
                select * replace ({replaced})
                from src.{relation}
                cross join (select range as copy_number from range({copies})) as copies
                order by copy_number
            """)
        rows[relation] = con.execute(f"select count(*) from {relation}").fetchone()[0]
        log(f"{relation}: {rows[relation]:,} rows")
    con.close()
    return rows


def inputs_reusable(source: Path, target: Path) -> bool:
    """True when `target` holds every input table with the same columns as in `source`."""
    if not target.is_file():
        return False
    with duckdb.connect(str(target), read_only=True) as con:
        con.execute(f"attach '{source}' as src (read_only)")
        for relation in (*TABLES, *COPIED_AS_IS):
            schema, table = relation.split(".")
            columns = [con.execute(
                "select list(column_name order by ordinal_position) from information_schema.columns"
                f" where table_catalog = '{catalog}' and table_schema = '{schema}' and table_name = '{table}'"
                " and column_name <> 'copy_number'"
            ).fetchone()[0] for catalog in ("src", target.stem)]
            if columns[0] != columns[1]:
                return False
    return True


def run_engine(workdir: Path, threads: int | None) -> dict:
    dbt = Path(sys.executable).parent / "dbt"
    env = dict(os.environ, DO_NOT_TRACK="1", DBT_TARGET="duckdb", DUCKDB_PATH=str(workdir / "warehouse.duckdb"))
    if threads:
        env["DUCKDB_THREADS"] = str(threads)
    env.setdefault("DBT_PROFILES_DIR", str(ROOT))
    cmd = [str(dbt), "run", "--select", *MODELS, "--project-dir", str(ROOT),
           "--target-path", str(workdir / "dbt_target"), "--log-path", str(workdir / "dbt_logs"),
           "--vars", "{raw_sources: {}}"]
    started = time.perf_counter()
    proc = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout[-4000:])
        raise SystemExit(1)
    results = json.loads((workdir / "dbt_target" / "run_results.json").read_text())
    models = {r["unique_id"].split(".")[-1]: round(r["execution_time"], 2) for r in results["results"]
              if r["unique_id"].split(".")[-1] in MODELS}
    return {"threads": threads or 1, "wall_seconds": round(wall, 2), "model_seconds": models,
            "engine_seconds": round(sum(models.values()), 2)}


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--source", type=Path, default=ROOT / "data" / "warehouse.duckdb",
                   help="a built warehouse whose tables are copied (default: data/warehouse.duckdb)")
    p.add_argument("--customers", type=int, default=1_000_000, help="customers to reach (default 1,000,000)")
    p.add_argument("--workdir", type=Path, default=Path("/tmp/bench_segments"))
    p.add_argument("--repeat", type=int, default=2)
    p.add_argument("--threads", type=int, nargs="+", help="DuckDB threads, one series of runs each (default 1)")
    p.add_argument("--reuse-inputs", action="store_true", help="keep the inputs of an earlier run if still valid")
    p.add_argument("--json", type=Path, help="write the figures here")
    args = p.parse_args(argv)
    if not args.source.is_file():
        print(f"bench_segments: error: no warehouse at {args.source} (run make build)", file=sys.stderr)
        return 2

    with duckdb.connect(str(args.source), read_only=True) as con:
        base = con.execute("select count(*) from marts.dim_customers").fetchone()[0]
    copies = math.ceil(args.customers / base)
    target = args.workdir / "warehouse.duckdb"
    if args.reuse_inputs and inputs_reusable(args.source, target):
        log(f"inputs: reusing {target}")
        with duckdb.connect(str(target), read_only=True) as con:
            rows = {relation: con.execute(f"select count(*) from {relation}").fetchone()[0]
                    for relation in (*TABLES, *COPIED_AS_IS)}
    else:
        shutil.rmtree(args.workdir, ignore_errors=True)
        args.workdir.mkdir(parents=True)
        log(f"inputs: {copies} copies of {base:,} customers from {args.source}")
        started = time.perf_counter()
        rows = make_inputs(args.source, target, copies)
        log(f"inputs ready in {time.perf_counter() - started:.0f} s")

    runs = []
    for threads in args.threads or [None]:
        for i in range(args.repeat):
            run = run_engine(args.workdir, threads)
            runs.append(run)
            log(f"threads {run['threads']}, run {i + 1}: engine {run['engine_seconds']} s ({run['model_seconds']}),"
                f" dbt wall {run['wall_seconds']} s")
    with duckdb.connect(str(target), read_only=True) as con:
        members = con.execute("select count(*) from marts.segment_membership").fetchone()[0]
        segments = con.execute("select count(*) from marts.segment_definitions").fetchone()[0]
    medians = {threads: statistics.median(r["engine_seconds"] for r in runs if r["threads"] == threads)
               for threads in sorted({r["threads"] for r in runs})}
    summary = {"customers": rows["marts.dim_customers"], "copies": copies, "input_rows": rows,
               "segments": segments, "membership_rows": members, "runs": runs,
               "median_engine_seconds_by_threads": medians}
    log(f"{rows['marts.dim_customers']:,} customers, {segments} segments, {members:,} memberships: "
        + ", ".join(f"engine stage median {seconds:.2f} s with {threads} thread(s)"
                    for threads, seconds in medians.items()))
    if args.json:
        args.json.write_text(json.dumps(summary, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
