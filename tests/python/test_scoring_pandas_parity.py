"""The pandas baseline of the scoring benchmark computes exactly what the dbt models compute.

1. On the demo warehouse (DUCKDB_PATH, default data/warehouse.duckdb, opened read-only): its
   fct_orders, dim_customers, customer_features, int_as_of_date and seeds are exported to Parquet,
   scripts/benchmarks/pandas_scoring.py runs on them, and each of its four outputs must have the
   checksum of the dbt table (int_customer_order_summary, customer_rfm, customer_lifecycle,
   customer_value). A changed var must change the checksum (the comparison can fail).
2. scripts/benchmarks/bench_scoring.py end to end at 20k customers / 200k orders: synthetic inputs,
   dbt seed + run, pandas, and equal checksums (speed is not asserted).

Needs `make build` for part 1 (skips otherwise; make test builds first).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT / "scripts" / "benchmarks"
WAREHOUSE = Path(os.environ.get("DUCKDB_PATH", ROOT / "data" / "warehouse.duckdb"))
sys.path.insert(0, str(BENCH))

import pandas_scoring  # noqa: E402 (needs the sys.path line)
from scoring_common import OUTPUT_RELATIONS, canonicalize, describe_differences  # noqa: E402

INPUT_QUERIES = {
    "fct_orders": """
        select customer_key, order_id, order_date, is_counted_order, gross_amount, discount_amount,
               item_refund_amount, net_amount, shipping_amount, shipping_refund_amount, n_items_refunded
        from wh.marts.fct_orders""",
    "dim_customers": "select customer_key from wh.marts.dim_customers",
    "customer_features": "select customer_key, n_tickets from wh.marts.customer_features",
    "int_as_of_date": "select as_of_date from wh.intermediate.int_as_of_date",
}
SEED_QUERIES = {
    "rfm_segments": "select r_score, f_score, segment_code, segment_name from wh.reference.rfm_segments",
    "value_tiers": """select tier_code, tier_name, sort_order, top_share_from, top_share_to
                      from wh.reference.value_tiers""",
}


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> dict:
    """Canonical dbt tables of the demo warehouse, and its exported inputs."""
    if not WAREHOUSE.exists():
        pytest.skip(f"no warehouse at {WAREHOUSE}: run `make build` first")
    work = tmp_path_factory.mktemp("scoring_parity")
    inputs, seeds = work / "inputs", work / "seeds"
    inputs.mkdir()
    seeds.mkdir()
    con = duckdb.connect()
    try:
        con.execute(f"attach '{WAREHOUSE}' as wh (read_only)")
        tables = {r[0] for r in con.execute(
            "select schema_name || '.' || table_name from duckdb_tables() where database_name = 'wh'").fetchall()}
        needed = [f"{s}.{t}" for t, s in OUTPUT_RELATIONS.items()] + ["reference.rfm_segments",
                                                                       "reference.value_tiers"]
        missing = [t for t in needed if t not in tables]
        if missing:
            pytest.skip(f"the warehouse has no {', '.join(missing)}: run `make build` first")
        for name, query in INPUT_QUERIES.items():
            con.execute(f"copy ({query}) to '{inputs / (name + '.parquet')}' (format parquet)")
        for name, query in SEED_QUERIES.items():
            con.execute(f"copy ({query}) to '{seeds / (name + '.csv')}' (header, delimiter ',')")
        # the pandas baseline mirrors the columns the scores use (pandas_scoring.SCHEMAS)
        dbt = {name: canonicalize(con.execute(
                   f"select {', '.join(pandas_scoring.SCHEMAS[name])} from wh.{schema}.{name}").to_arrow_table())
               for name, schema in OUTPUT_RELATIONS.items()}
    finally:
        con.close()
    return {"work": work, "inputs": inputs, "seeds": seeds, "dbt": dbt}


def _pandas(demo: dict, out: str, overrides: dict | None = None) -> dict:
    tables = pandas_scoring.run(demo["inputs"], demo["work"] / out, seeds_dir=demo["seeds"],
                                var_overrides=overrides, quiet=True)
    return {name: canonicalize(table) for name, table in tables.items()}


@pytest.fixture(scope="module")
def pandas_outputs(demo: dict) -> dict:
    return _pandas(demo, "pandas_out")


@pytest.mark.parametrize("name", list(OUTPUT_RELATIONS))
def test_pandas_equals_dbt_on_the_demo_warehouse(demo: dict, pandas_outputs: dict, name: str) -> None:
    dbt, pandas = demo["dbt"][name], pandas_outputs[name]
    assert dbt.rows > 0
    assert pandas.sha256 == dbt.sha256, "\n".join(describe_differences(dbt, pandas, "dbt", "pandas"))


def test_the_checksum_catches_a_changed_rule(demo: dict) -> None:
    """rfm_window_days 364 instead of the project's value: the pandas RFM must no longer match."""
    window = pandas_scoring.load_vars()["rfm_window_days"]
    changed = _pandas(demo, "pandas_changed", {"rfm_window_days": int(window) - 1})
    assert changed["customer_rfm"].sha256 != demo["dbt"]["customer_rfm"].sha256
    assert changed["customer_lifecycle"].sha256 == demo["dbt"]["customer_lifecycle"].sha256


def test_bench_scoring_end_to_end_small(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    proc = subprocess.run(
        [sys.executable, str(BENCH / "bench_scoring.py"), "--customers", "20000", "--orders", "200000",
         "--workdir", str(tmp_path / "work"), "--json", str(out)],
        cwd=ROOT, capture_output=True, text=True, check=False, timeout=600,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    result = json.loads(out.read_text())
    assert result["all_equal"]
    assert set(result["checksums"]) == set(OUTPUT_RELATIONS)
    assert result["checksums"]["customer_rfm"]["rows"] == 20000
    assert result["dbt"]["peak_rss_mb"] > 0 and result["pandas"]["peak_rss_mb"] > 0
    # the pandas outputs on disk are what was compared
    assert pq.read_table(tmp_path / "work" / "pandas_out" / "customer_value.parquet").num_rows == 20000
