"""RFM, lifecycle and value recover the behaviour profiles the generator planted (data/truth).

Each customer_key is matched to the truth person owning most of its identifiers
(identity_accuracy.create_customer_owners); then the scores of customers owned by planted lapsed,
loyal, one-time and prospect persons are checked. Needs `make build`
(demo data in data/ and the DuckDB warehouse); skips cleanly otherwise. Measured on the demo data
(10k, seed 42): lapsed 99.8 % at risk/dormant/churned, loyal 97 % active/new and 100 % Champions or
Loyal Customers, 67 % of loyal in the top value tiers; the thresholds leave a margin for other seeds.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import duckdb
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
from identity_accuracy import create_customer_owners

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(os.environ.get("DATA_DIR", ROOT / "data"))
TRUTH = DATA / "truth"
WAREHOUSE = Path(os.environ.get("DUCKDB_PATH", DATA / "warehouse.duckdb"))


@pytest.fixture(scope="module")
def profiles() -> dict[str, dict[str, float]]:
    """Per planted profile: the share of its customers in each group of stages/segments/tiers."""
    if not (TRUTH / "persons.parquet").exists() or not WAREHOUSE.exists():
        pytest.skip("needs generated data and a built warehouse: run `make build` first")
    con = duckdb.connect()
    con.execute(f"attach '{WAREHOUSE}' as wh (read_only)")
    truth = str(TRUTH)
    create_customer_owners(con, TRUTH)
    rows = con.execute(f"""
        select
            p.profile,
            count(*) as n_customers,
            avg(case when l.lifecycle_stage in ('at_risk', 'dormant', 'churned') then 1 else 0 end) as lapsing,
            avg(case when l.lifecycle_stage in ('active', 'new', 'reactivated') then 1 else 0 end) as live,
            avg(case when l.lifecycle_stage = 'prospect' then 1 else 0 end) as prospect_stage,
            avg(case when r.rfm_segment_code = 'prospects' then 1 else 0 end) as prospect_segment,
            avg(case when r.rfm_segment_code in ('champions', 'loyal_customers') then 1 else 0 end)
                as champions_or_loyal,
            avg(case when v.value_tier in ('top_1', 'top_10') then 1 else 0 end) as top_value,
            avg(case when l.n_orders = 1 then 1 else 0 end) as single_order,
            median(v.historical_clv_amount) as median_clv
        from read_parquet('{truth}/persons.parquet') as p
        join customer_owner as k using (person_id)
        join wh.marts.customer_lifecycle as l using (customer_key)
        join wh.marts.customer_rfm as r using (customer_key)
        join wh.marts.customer_value as v using (customer_key)
        where not p.is_test_account
        group by p.profile
    """).fetchall()
    columns = [d[0] for d in con.description]
    con.close()
    return {row[0]: dict(zip(columns[1:], (float(x) for x in row[1:]), strict=True)) for row in rows}


def test_planted_lapsed_customers_are_at_risk_dormant_or_churned(profiles: dict) -> None:
    lapsed = profiles["lapsed"]
    assert lapsed["n_customers"] >= 100, lapsed
    assert lapsed["lapsing"] >= 0.98, lapsed


def test_planted_loyal_customers_are_live_champions_of_high_value(profiles: dict) -> None:
    loyal = profiles["loyal"]
    assert loyal["live"] >= 0.90, loyal
    assert loyal["champions_or_loyal"] >= 0.90, loyal
    assert loyal["top_value"] >= 0.50, loyal


def test_planted_prospects_are_prospects(profiles: dict) -> None:
    prospect = profiles["prospect"]
    assert prospect["prospect_stage"] >= 0.95, prospect
    assert prospect["prospect_segment"] >= 0.95, prospect


def test_planted_one_time_buyers_have_one_order_and_are_never_champions(profiles: dict) -> None:
    one_time = profiles["one_time"]
    assert one_time["single_order"] >= 0.90, one_time
    assert one_time["champions_or_loyal"] <= 0.01, one_time


def test_value_follows_the_planted_buying_intensity(profiles: dict) -> None:
    assert profiles["loyal"]["median_clv"] > profiles["regular"]["median_clv"] > profiles["one_time"]["median_clv"]
