"""No output depends on the physical order of raw rows.

Builds the whole project twice from the same small generated dataset — once as written, once with
every table's rows reversed and split into other part files — after planting rows that tie on a
model's whole dedupe rule while differing in content (so only the final tie-breaker decides), and
asserts that every table in staging, intermediate and marts (identity graph, customer keys, golden
records, facts, features) holds the same multiset of rows in both warehouses.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

ROOT = Path(__file__).resolve().parents[2]
DBT = Path(sys.executable).parent / "dbt"


def _plant_full_ties(raw: Path) -> None:
    """Two contact versions and two event deliveries that tie on every ordering column."""
    contacts = pq.read_table(raw / "crm" / "contacts")
    first = contacts.slice(0, 1).to_pylist()[0]
    tie_a = dict(first, contact_id="C_TIE_1", first_name="Ada")
    tie_b = dict(first, contact_id="C_TIE_1", first_name="Bea")
    pq.write_table(pa.Table.from_pylist([tie_a, tie_b], schema=contacts.schema),
                   raw / "crm" / "contacts" / "part-99999.parquet")
    events = pq.read_table(raw / "ga4" / "events")
    ev = events.slice(0, 1).to_pylist()[0]
    ties = [dict(ev, event_id="E_TIE_1", page_title=title) for title in ("first", "second")]
    pq.write_table(pa.Table.from_pylist(ties, schema=events.schema),
                   raw / "ga4" / "events" / "part-99999.parquet")


def _reverse_copy(src: Path, dst: Path) -> None:
    """Same rows, reversed, and split into two part files per table."""
    for table_dir in sorted(p for p in src.glob("*/*") if p.is_dir()):
        table = pq.read_table(table_dir)
        table = table.take(pa.array(range(table.num_rows - 1, -1, -1), type=pa.int64()))
        out = dst / table_dir.relative_to(src)
        out.mkdir(parents=True)
        half = table.num_rows // 2
        pq.write_table(table.slice(0, half), out / "part-a.parquet")
        pq.write_table(table.slice(half), out / "part-b.parquet")


def _build(raw: Path, warehouse: Path, work: Path) -> None:
    env = dict(os.environ, DO_NOT_TRACK="1", DBT_PROFILES_DIR=str(ROOT),
               RAW_DATA_ROOT=str(raw), DUCKDB_PATH=str(warehouse))
    result = subprocess.run(
        [str(DBT), "build", "--exclude-resource-type", "test", "unit_test",
         "--target-path", str(work / "target"), "--log-path", str(work / "logs")],
        cwd=ROOT, env=env, check=False, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]


@pytest.fixture(scope="module")
def warehouses(tmp_path_factory) -> tuple[Path, Path]:
    work = tmp_path_factory.mktemp("reproducible")
    generated = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "generate_data.py"), "--customers", "1500", "--days", "120",
         "--seed", "11", "--out", str(work / "data"), "--quiet"],
        check=False, capture_output=True, text=True, timeout=300,
    )
    assert generated.returncode == 0, generated.stderr
    raw = work / "data" / "raw"
    _plant_full_ties(raw)
    _reverse_copy(raw, work / "reversed")
    _build(raw, work / "as_written.duckdb", work / "a")
    _build(work / "reversed", work / "reversed.duckdb", work / "b")
    return work / "as_written.duckdb", work / "reversed.duckdb"


def test_every_layer_is_independent_of_row_order(warehouses: tuple[Path, Path]) -> None:
    first, second = warehouses
    con = duckdb.connect()
    # attached under their file names: the staging views refer to their own catalog by that name
    con.execute(f"attach '{first}' (read_only)")
    con.execute(f"attach '{second}' (read_only)")
    # staging, the identity graph and every mart (customer keys, golden records, features) included
    tables = [f"{schema}.{table}" for schema, table in con.execute(
        "select table_schema, table_name from information_schema.tables "
        "where table_catalog = 'as_written' and table_schema in ('staging', 'intermediate', 'marts') order by 1, 2"
    ).fetchall()]
    assert {"staging.quarantine_rows", "staging.stg_crm__contacts", "intermediate.int_identity_identifiers",
            "marts.dim_customers", "marts.customer_features"} <= set(tables)
    differing = []
    for table in tables:
        n_diff = con.execute(
            f"""select count(*) from (
                (select * from as_written.{table} except all select * from reversed.{table})
                union all
                (select * from reversed.{table} except all select * from as_written.{table})
            )"""
        ).fetchone()[0]
        if n_diff:
            differing.append(f"{table}: {n_diff} rows differ")
    assert not differing, "\n".join(differing)


def test_full_ties_are_resolved_the_same_way(warehouses: tuple[Path, Path]) -> None:
    kept = []
    for warehouse in warehouses:
        with duckdb.connect(str(warehouse), read_only=True) as con:
            kept.append((
                con.execute("select first_name from staging.stg_crm__contacts where contact_id = 'C_TIE_1'").fetchall(),
                con.execute("select page_title from staging.stg_ga4__events where event_id = 'E_TIE_1'").fetchall(),
            ))
    assert len(kept[0][0]) == 1 and len(kept[0][1]) == 1, "each tie must keep exactly one row"
    assert kept[0] == kept[1]
