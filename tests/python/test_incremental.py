"""Incremental runs give the same warehouse as a full build.

Splits the demo raw data (data/raw) by load time: "part 1" is every table as loaded before a cut-off
day (CUTOFF_DAYS_BEFORE_END days before the last load), except that a sample of the GA4 events and
Shopify orders stamped during the last day before the cut-off is held back, as if that batch landed
after the run (only the lookback window, var incremental_lookback_days, can find those again; their
items and lines are in part 1, so they start as orphan rows). Warehouse A is a full build on all the
data; warehouse B a full build on part 1 and then an incremental build on all the data. Every
relation in the staging, intermediate and marts schemas must hold the same rows in A and B, except
the identity history tables, which record build history by design. The test also checks that B's
second run really was incremental: an old day's row it should not touch keeps a marker, a rebuilt
day's row loses one.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).resolve().parents[2]
DBT = Path(sys.executable).parent / "dbt"
RAW = ROOT / "data" / "raw"

CUTOFF_DAYS_BEFORE_END = 60
LOOKBACK_DAYS = 3
# A run history, not a function of the data: differ between a full build and two runs by design.
BUILD_HISTORY_TABLES = {"identity_key_history", "identity_merge_log"}
INCREMENTAL_MODELS = [
    "base_ga4__events", "base_ga4__event_items", "base_shopify__orders", "base_shopify__order_lines",
    "base_shopify__refunds", "base_shopify__refund_lines",
]
# rows held back from part 1: stamped during the day before the cut-off, about one in five keys
HELD_BACK = {
    ("ga4", "events"): "hash(event_id) % 5 = 0",
    ("shopify", "orders"): "hash(order_id) % 5 = 0",
}

pytestmark = pytest.mark.skipif(
    not (RAW / "ga4" / "events").is_dir(), reason="no demo data in data/raw: run `make data` first"
)


def _tables(raw: Path) -> list[Path]:
    return sorted(p for p in raw.glob("*/*") if p.is_dir() and any(p.glob("*.parquet")))


def _cutoff(con: duckdb.DuckDBPyConnection) -> date:
    last = con.execute(
        f"select max(_loaded_at) from read_parquet('{RAW}/ga4/events/*.parquet', union_by_name = true)"
    ).fetchone()[0]
    return last.date() - timedelta(days=CUTOFF_DAYS_BEFORE_END)


def _write_part_one(con: duckdb.DuckDBPyConnection, cutoff: date, dst: Path) -> None:
    """Every raw table as loaded before the cut-off day, less the held-back batch."""
    for table_dir in _tables(RAW):
        key = (table_dir.parent.name, table_dir.name)
        condition = f"_loaded_at < date '{cutoff}'"
        if key in HELD_BACK:
            condition += (f" and not (_loaded_at >= date '{cutoff - timedelta(days=1)}'"
                          f" and coalesce({HELD_BACK[key]}, false))")
        out = dst / table_dir.relative_to(RAW)
        out.mkdir(parents=True)
        con.execute(
            f"copy (select * from read_parquet('{table_dir}/*.parquet', union_by_name = true) where {condition})"
            f" to '{out / 'part-00000.parquet'}' (format parquet)"
        )


def _dbt_build(raw: Path, warehouse: Path, work: Path, select: list[str] | None = None) -> subprocess.Popen:
    env = dict(os.environ, DO_NOT_TRACK="1", DBT_PROFILES_DIR=str(ROOT),
               RAW_DATA_ROOT=str(raw), DUCKDB_PATH=str(warehouse))
    env.pop("DBT_TARGET", None)
    return subprocess.Popen(
        [str(DBT), "build", "--target", "duckdb", "--exclude-resource-type", "test", "unit_test",
         "--vars", json.dumps({"incremental_lookback_days": LOOKBACK_DAYS}),
         "--target-path", str(work / "target"), "--log-path", str(work / "logs"),
         *(["--select", *select] if select else [])],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )


def _wait(process: subprocess.Popen, what: str) -> None:
    output, _ = process.communicate(timeout=900)
    assert process.returncode == 0, f"{what} failed:\n{output[-4000:]}"


def _run_results(work: Path) -> dict[str, dict]:
    results = json.loads((work / "target" / "run_results.json").read_text())["results"]
    return {r["unique_id"].split(".")[-1]: r for r in results}


def _set_marker(warehouse: Path, where: str, marker: str) -> tuple[str, str | None]:
    """Overwrite page_title (read by nothing downstream) of one usable event; returns (event_id, old)."""
    with duckdb.connect(str(warehouse)) as con:
        event_id, old = con.execute(
            f"select event_id, page_title from staging.base_ga4__events where {where} "
            "and _quarantine_reason is null and _dedupe_rank = 1 order by event_id limit 1"
        ).fetchone()
        con.execute("update staging.base_ga4__events set page_title = ? where event_id = ?", [marker, event_id])
    return event_id, old


@pytest.fixture(scope="module")
def builds(tmp_path_factory) -> dict:
    work = tmp_path_factory.mktemp("incremental")
    con = duckdb.connect()
    con.execute("set TimeZone = 'UTC'")
    cutoff = _cutoff(con)
    _write_part_one(con, cutoff, work / "part_one")
    # the full build and the first build of B are independent: run them side by side
    full = _dbt_build(RAW, work / "full_build.duckdb", work / "a")
    # (the first build of B needs only the incremental models: the second run rebuilds the rest)
    first = _dbt_build(work / "part_one", work / "two_runs.duckdb", work / "b1",
                       [f"+{model}" for model in INCREMENTAL_MODELS])
    _wait(full, "full build on all data")
    _wait(first, "full build on part 1")

    # markers: a day the second run must leave alone (the first day whose events were all loaded
    # well before the cut-off) and a day it must rebuild (the day of a held-back event)
    untouched_day = con.execute(
        f"select cast(make_timestamp(event_timestamp) as date) as day "
        f"from read_parquet('{RAW}/ga4/events/*.parquet', union_by_name = true) "
        f"where event_timestamp >= 946684800000000 group by day "
        f"having max(_loaded_at) < date '{cutoff - timedelta(days=LOOKBACK_DAYS + 1)}' order by day limit 1"
    ).fetchone()[0]
    held_back_day = con.execute(
        f"select min(cast(make_timestamp(event_timestamp) as date)) "
        f"from read_parquet('{RAW}/ga4/events/*.parquet', union_by_name = true) "
        f"where _loaded_at >= date '{cutoff - timedelta(days=1)}' and _loaded_at < date '{cutoff}' "
        f"and {HELD_BACK[('ga4', 'events')]}"
    ).fetchone()[0]
    untouched = _set_marker(work / "two_runs.duckdb", f"_partition_date = date '{untouched_day}'", "__untouched__")
    rebuilt = _set_marker(work / "two_runs.duckdb", f"_partition_date = date '{held_back_day}'", "__rebuilt__")
    shutil.copytree(work / "b1" / "target", work / "b2" / "target")  # keep partial parsing
    _wait(_dbt_build(RAW, work / "two_runs.duckdb", work / "b2"), "incremental build on all data")

    with duckdb.connect(str(work / "two_runs.duckdb")) as b:
        titles = dict(b.execute(
            "select event_id, page_title from staging.base_ga4__events where event_id in (?, ?)",
            [untouched[0], rebuilt[0]],
        ).fetchall())
        # undo the marker before comparing (nothing downstream reads page_title)
        b.execute("update staging.base_ga4__events set page_title = ? where event_id = ?", [untouched[1], untouched[0]])
    return {
        "full": work / "full_build.duckdb", "incremental": work / "two_runs.duckdb", "titles": titles,
        "untouched": untouched, "rebuilt": rebuilt,
        "full_results": _run_results(work / "a"), "incremental_results": _run_results(work / "b2"),
    }


def test_second_run_is_incremental(builds: dict) -> None:
    full, incremental = builds["full_results"], builds["incremental_results"]
    timings = []
    for model in INCREMENTAL_MODELS:
        assert "rebuilt_days" not in full[model]["compiled_code"], f"{model}: the full build took the incremental path"
        assert "rebuilt_days" in incremental[model]["compiled_code"], f"{model}: the second run was not incremental"
        timings.append(f"{model}: full {full[model]['execution_time']:.2f} s, "
                       f"incremental {incremental[model]['execution_time']:.2f} s")
    print("\n" + "\n".join(timings))
    untouched_id, _ = builds["untouched"]
    rebuilt_id, rebuilt_title = builds["rebuilt"]
    assert builds["titles"][untouched_id] == "__untouched__", "an untouched old day was rewritten"
    assert builds["titles"][rebuilt_id] == rebuilt_title, "a day with a held-back event was not rebuilt"


def test_incremental_equals_full_build(builds: dict) -> None:
    con = duckdb.connect()
    # attached under their file stems, the names the warehouses call themselves
    con.execute(f"attach '{builds['full']}' (read_only)")
    con.execute(f"attach '{builds['incremental']}' (read_only)")
    relations = {
        catalog: {tuple(row) for row in con.execute(
            "select table_schema, table_name, table_type from information_schema.tables "
            "where table_catalog = ? and table_schema in ('staging', 'intermediate', 'marts')", [catalog],
        ).fetchall()}
        for catalog in ("full_build", "two_runs")
    }
    assert relations["full_build"] == relations["two_runs"]
    tables = sorted((schema, name) for schema, name, kind in relations["full_build"] if kind == "BASE TABLE")
    assert ("staging", "base_ga4__events") in tables and ("marts", "dim_customers") in tables
    differing = []
    # views (the stg_ models) are queries over these tables: comparing the tables covers them
    for schema, name in tables:
        if name in BUILD_HISTORY_TABLES:
            continue
        a, b = f"full_build.{schema}.{name}", f"two_runs.{schema}.{name}"
        n_a, n_b = (con.execute(f"select count(*) from {rel}").fetchone()[0] for rel in (a, b))
        n_diff = con.execute(
            f"select count(*) from ((select * from {a} except all select * from {b}) "
            f"union all (select * from {b} except all select * from {a}))"
        ).fetchone()[0]
        if n_a != n_b or n_diff:
            differing.append(f"{schema}.{name}: {n_a} vs {n_b} rows, {n_diff} differ")
    assert not differing, "\n".join(differing)
