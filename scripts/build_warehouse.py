#!/usr/bin/env python3
"""Build the warehouse on DuckDB from a folder of raw Parquet files: the demo data or your own.

    .venv/bin/python scripts/build_warehouse.py --raw data/raw --db data/warehouse.duckdb
    .venv/bin/python scripts/build_warehouse.py --raw /path/to/raw --db /tmp/shop.duckdb \\
        --as-of 2011-12-09 --base-currency GBP --vars '{rfm_window_days: 730}'
    make own-data RAW=/path/to/raw DB=/tmp/shop.duckdb AS_OF=2011-12-09 CURRENCY=GBP

1. Looks at the raw folder (<raw>/<system>/<table>/*.parquet, tables as in the source contracts
   models/staging/<system>/_<system>__sources.yml) and prints what it found: tables, rows, the
   orders' and web events' date span, the order currencies.
2. Declares the tables that have rows in var raw_sources (unless --vars sets it): the others build
   as empty tables, and the models and tests that need them are empty or skipped.
3. Runs `dbt build`, with --full-refresh when a raw file seen by the last build into this database
   changed or disappeared, or the vars changed (incremental staging would otherwise keep old rows).
   New files alone are loaded incrementally.
4. Prints where the results are.
Extra arguments after `--` go to dbt (e.g. `-- --select +customer_rfm`). Exit code: dbt's.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb
import yaml

ROOT = Path(__file__).resolve().parents[1]
DBT = Path(sys.executable).parent / "dbt"


@dataclass
class RawTable:
    system: str
    table: str
    n_files: int
    n_rows: int


def source_tables(root: Path = ROOT) -> dict[str, list[str]]:
    """{system: [table, ...]} from the source contracts."""
    tables: dict[str, list[str]] = {}
    for path in sorted(root.glob("models/staging/*/_*__sources.yml")):
        for source in yaml.safe_load(path.read_text())["sources"]:
            tables.setdefault(source["name"], []).extend(t["name"] for t in source["tables"])
    return tables


def parquet_files(raw: Path, system: str, table: str) -> list[Path]:
    return sorted((raw / system / table).glob("*.parquet"))


def inspect_raw(raw: Path, tables: dict[str, list[str]]) -> list[RawTable]:
    found = []
    for system, names in tables.items():
        for table in names:
            files = parquet_files(raw, system, table)
            n_rows = 0
            if files:
                pattern = str(raw / system / table / "*.parquet")
                query = f"select count(*) from read_parquet('{pattern}', union_by_name = true)"
                n_rows = duckdb.sql(query).fetchone()[0]
            found.append(RawTable(system, table, len(files), n_rows))
    return found


def profile(raw: Path, found: list[RawTable]) -> list[str]:
    """Date spans of orders and web events and the order currencies, as printable lines."""
    have = {(t.system, t.table) for t in found if t.n_rows}
    lines = []
    con = duckdb.connect()
    con.execute("set TimeZone = 'UTC'")
    if ("shopify", "orders") in have:
        first, last, currencies = con.execute(
            f"""select min(try_cast(created_at as timestamptz))::date, max(try_cast(created_at as timestamptz))::date,
                       string_agg(currency || ' ' || n, ', ' order by n desc, currency)
                from (select created_at, upper(trim(currency)) as currency,
                             count(*) over (partition by upper(trim(currency))) as n
                      from read_parquet('{raw}/shopify/orders/*.parquet', union_by_name = true))"""
        ).fetchone()
        top = ", ".join(dict.fromkeys(part.rsplit(" ", 1)[0] for part in (currencies or "").split(", ") if part))
        lines.append(f"orders: {first} .. {last}; currencies (most orders first): {top or 'none'}")
    if ("ga4", "events") in have:
        first, last = con.execute(
            f"""select min(make_timestamp(event_timestamp))::date, max(make_timestamp(event_timestamp))::date
                from read_parquet('{raw}/ga4/events/*.parquet', union_by_name = true)"""
        ).fetchone()
        lines.append(f"web events: {first} .. {last}")
    return lines


def declared_sources(found: list[RawTable], tables: dict[str, list[str]]) -> dict[str, list[str] | str]:
    """Var raw_sources for the tables with rows: "all" for a system that has every table."""
    declared: dict[str, list[str]] = {}
    for t in found:
        if t.n_rows:
            declared.setdefault(t.system, []).append(t.table)
    return {system: "all" if names == tables[system] else names for system, names in declared.items()}


def file_state(raw: Path) -> dict[str, list[int]]:
    return {str(p.relative_to(raw)): [p.stat().st_size, p.stat().st_mtime_ns] for p in sorted(raw.rglob("*.parquet"))}


def full_refresh_reason(
    db_exists: bool, previous: dict | None, files: dict[str, list[int]], dbt_vars: dict
) -> str | None:
    """Why the incremental tables already in the database cannot be kept, or None when they can."""
    if not db_exists:
        return None
    if previous is None:
        return "no record of a successful build into this database by this script"
    if previous.get("vars") != dbt_vars:
        return "the vars changed since the last build into this database"
    changed = [f for f, stat in previous.get("files", {}).items() if files.get(f) != stat]
    if changed:
        return f"{len(changed)} raw file(s) changed or disappeared since the last build, e.g. {changed[0]}"
    return None


def parse_vars(text: str | None) -> dict:
    if not text:
        return {}
    try:
        parsed = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise SystemExit(f"--vars is not YAML: {error}") from None
    if not isinstance(parsed, dict):
        raise SystemExit(f"--vars must be a YAML mapping like '{{rfm_window_days: 730}}' (got {text!r})")
    return parsed


def summary(db: Path) -> list[str]:
    con = duckdb.connect(str(db), read_only=True)
    lines = []
    for label, sql in [
        ("as-of date", "select as_of_date || ' (' || as_of_date_source || ')' from intermediate.int_as_of_date"),
        ("customers", "select count(*) from marts.dim_customers"),
        ("orders", "select count(*) from marts.fct_orders"),
        ("quarantined raw rows", "select count(*) from staging.quarantine_rows where disposition = 'quarantined'"),
        ("RFM segments", ("select string_agg(rfm_segment || ' ' || n, ', ' order by n desc, rfm_segment) from "
                          "(select rfm_segment, count(*) as n from marts.customer_rfm group by rfm_segment)")),
    ]:
        try:
            lines.append(f"  {label}: {con.execute(sql).fetchone()[0]}")
        except duckdb.Error:
            lines.append(f"  {label}: (not built)")
    con.close()
    return lines


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    dbt_args = argv[argv.index("--") + 1:] if "--" in argv else []
    argv = argv[: argv.index("--")] if "--" in argv else argv
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--raw", type=Path, required=True, help="folder of <system>/<table>/*.parquet")
    parser.add_argument("--db", type=Path, required=True, help="DuckDB warehouse file (created if absent)")
    parser.add_argument("--as-of", help="as-of date YYYY-MM-DD (default: the data's latest date)")
    parser.add_argument("--base-currency", help="ISO 4217 code amounts are converted to (var base_currency)")
    parser.add_argument("--vars", help="more dbt vars as YAML, e.g. '{rfm_window_days: 730}'")
    parser.add_argument("--full-refresh", action="store_true", help="rebuild incremental tables from scratch")
    parser.add_argument("--dry-run", action="store_true", help="print what was found and the dbt command only")
    args = parser.parse_args(argv)

    raw, db = args.raw.resolve(), args.db.resolve()
    if not raw.is_dir():
        print(f"error: raw folder {raw} does not exist (expected <raw>/<system>/<table>/*.parquet)", file=sys.stderr)
        return 2
    tables = source_tables()
    found = inspect_raw(raw, tables)
    print(f"raw data in {raw}:")
    for t in found:
        state = f"{t.n_rows:,} rows in {t.n_files} file(s)" if t.n_rows else ("empty" if t.n_files else "absent")
        print(f"  {t.system + '.' + t.table:<34} {state}")
    for line in profile(raw, found):
        print(f"  {line} (raw rows, before quarantine)")

    dbt_vars = parse_vars(args.vars)
    if args.as_of:
        dbt_vars["as_of_date"] = args.as_of
    if args.base_currency:
        dbt_vars["base_currency"] = args.base_currency
    if "raw_sources" not in dbt_vars:
        dbt_vars["raw_sources"] = declared_sources(found, tables)
    if not dbt_vars["raw_sources"]:
        print(f"error: no raw table with rows under {raw}; see the README, 'Your own data'", file=sys.stderr)
        return 2
    print("var raw_sources: " + json.dumps(dbt_vars["raw_sources"]))

    state_path = db.with_name(db.name + ".build.json")
    previous = json.loads(state_path.read_text()) if state_path.exists() else None
    files = file_state(raw)
    reason = full_refresh_reason(db.exists(), previous, files, dbt_vars)
    command = [str(DBT), "build", "--vars", json.dumps(dbt_vars), *dbt_args]
    if args.full_refresh or reason:
        command.insert(2, "--full-refresh")
        print(f"full refresh: {reason or '--full-refresh'}")
    print("$ " + shlex.join(command))
    if args.dry_run:
        return 0

    db.parent.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, DO_NOT_TRACK="1", DUCKDB_PATH=str(db), RAW_DATA_ROOT=str(raw),
               DBT_PROFILES_DIR=os.environ.get("DBT_PROFILES_DIR", str(ROOT)))
    returncode = subprocess.run(command, cwd=ROOT, env=env, check=False).returncode
    if returncode == 0:
        state_path.write_text(json.dumps({"vars": dbt_vars, "files": files}, indent=1))
    elif state_path.exists():
        state_path.unlink()  # a failed build leaves the tables in an unknown state: refresh next time
    print(f"\nwarehouse: {db}" + ("" if returncode == 0 else " (dbt build failed: see above)"))
    if db.exists():
        print("\n".join(summary(db)))
        show = f"import duckdb; duckdb.connect('{db}').sql('from marts.customer_rfm').show()"
        print(f'  open it: .venv/bin/python -c "{show}"')
    return returncode


if __name__ == "__main__":
    sys.exit(main())
