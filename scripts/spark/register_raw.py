#!/usr/bin/env python3
"""Register the raw Parquet exports as Spark tables: one external table per <system>/<table> folder.

    python scripts/spark/register_raw.py --root data/raw

Layout read: <root>/<system>/<table>/*.parquet  ->  table raw_<system>.<table>, created through the
Thrift server (`create table ... using parquet location '<folder>'`): Spark reads the files where
they lie, nothing is copied, and the parts are merged by column name (mergeSchema). The prefix
matches the dbt var raw_schema_prefix. After each table, count(*) on Spark is compared with the
Parquet footers' row counts.

Connection: SPARK_THRIFT_HOST (127.0.0.1) and SPARK_THRIFT_PORT (10000), as profiles.yml.
Exit status: 0 registered and verified; 1 a table failed or its row count does not match;
2 usage error: nothing under --root, or no Thrift server.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from load_raw_postgres import discover, one_line, parquet_rows
from thrift_server import address, open_cursor

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--root", type=Path, default=Path("data/raw"), help="raw data root (default: data/raw)")
    p.add_argument("--schema-prefix", default="raw_", help="schema = prefix + system (default: raw_)")
    args = p.parse_args(argv)
    if not args.root.is_dir():
        print(f"register_raw: error: --root {args.root} is not a directory (run `make data` first?)", file=sys.stderr)
        return EXIT_USAGE
    tables = discover(args.root.resolve())
    if not tables:
        print(f"register_raw: error: no <system>/<table>/*.parquet under {args.root}", file=sys.stderr)
        return EXIT_USAGE
    cursor = open_cursor("register_raw")
    if cursor is None:
        return EXIT_USAGE

    footers = duckdb.connect()
    started = time.perf_counter()
    failed = []
    host, port = address()
    print(f"register_raw: {len(tables)} tables from {args.root} on Spark at {host}:{port}", flush=True)
    for raw in tables:
        schema = f"{args.schema_prefix}{raw.system}"
        name = f"{schema}.{raw.table}"
        folder = raw.files[0].parent
        try:
            cursor.execute(f"create database if not exists {schema}")
            cursor.execute(f"drop table if exists {name}")
            cursor.execute(f"create table {name} using parquet options (mergeSchema 'true') location 'file://{folder}'")
            cursor.execute(f"select count(*) from {name}")
            rows = cursor.fetchone()[0]
        except Exception as e:
            failed.append(name)
            print(f"  FAILED {name}: {one_line(e)[:500]}", file=sys.stderr)
            continue
        expected = parquet_rows(footers, raw)
        if rows != expected:
            failed.append(name)
            print(f"  FAILED {name}: {rows} rows on Spark, {expected} in the Parquet files", file=sys.stderr)
            continue
        print(f"  {name}: {rows} rows", flush=True)
    print(f"register_raw: {len(tables) - len(failed)} of {len(tables)} tables in {time.perf_counter() - started:.1f} s")
    return EXIT_FAILED if failed else EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
