"""Churn risk (marts.customer_churn_risk) checked against the generator's ground truth.

Each customer_key is matched to the truth person owning most of its identifiers (cookies excluded:
they can be shared), as in scripts/identity_accuracy.py. Buyers are truth persons with an order;
a buyer has dropped out when `is_alive_at_as_of` is false (lapsed buyers dropped out at least 180
days before the as-of date, the others more recently). Thresholds sit below the figures measured on
the 10k demo data (seed 42); see docs/decisions.md, "Churn risk".

Needs `make build` (demo data in data/ and the DuckDB warehouse); skips cleanly otherwise.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(os.environ.get("DATA_DIR", ROOT / "data"))
TRUTH = DATA / "truth"
WAREHOUSE = Path(os.environ.get("DUCKDB_PATH", DATA / "warehouse.duckdb"))

sys.path.insert(0, str(ROOT / "scripts"))
from identity_accuracy import create_customer_owners  # noqa: E402 (needs the sys.path line)

# Measured on the 10k demo data (seed 42, as of 2025-12-31, DuckDB with fitted BTYD parameters):
# mean churn_score 0.787 for dropped-out buyers vs 0.054 for loyal ones; dropped-out buyers 81.8 %
# high or critical, 10.9 % low; loyal 0.5 % high or critical; buyers in high or critical 95.6 %
# dropped out, in low 8.1 %; AUC 0.952 (1 - p_alive alone: 0.954); mean session_decline_score
# 0.424 for recent dropouts vs 0.192 for alive buyers. Every truth prospect is in band prospect.
# Mean churn_score: dropped-out buyers vs buyers of the loyal profile (alive by construction).
MIN_MEAN_SCORE_GAP_DROPPED_VS_LOYAL = 0.50
# Among dropped-out buyers: at least this share in high or critical, at most this share in low.
MIN_DROPPED_SHARE_HIGH_OR_CRITICAL = 0.70
MAX_DROPPED_SHARE_LOW = 0.20
# Among loyal buyers: at most this share in high or critical.
MAX_LOYAL_SHARE_HIGH_OR_CRITICAL = 0.05
# Among buyers in high or critical: at least this share dropped out; in low: at most this share.
MIN_DROPPED_SHARE_OF_HIGH_BANDS = 0.85
MAX_DROPPED_SHARE_OF_LOW_BAND = 0.15
# Rank quality (AUC, dropped out vs alive buyers) of churn_score, and how much it may lose against
# 1 - p_alive alone (the engagement part must not make the ranking markedly worse).
MIN_AUC = 0.90
MAX_AUC_LOSS_VS_P_ALIVE = 0.01
# Engagement decline alone, buyers who dropped out recently (not lapsed) vs alive buyers, both with
# sessions in the trend windows: mean session_decline_score gap.
MIN_SESSION_DECLINE_GAP_RECENT_DROPOUTS = 0.15


def build_scored(connection: duckdb.DuckDBPyConnection) -> None:
    """Temp table `scored`: customer_churn_risk rows of the attached warehouse `wh` with their truth person."""
    create_customer_owners(connection, TRUTH)
    connection.execute(f"""
        create temp table scored as
        select c.*, p.profile, p.is_prospect, p.is_test_account, p.n_orders as truth_n_orders,
               p.is_alive_at_as_of
        from wh.marts.customer_churn_risk c
        join customer_owner using (customer_key)
        join read_parquet('{TRUTH / "persons.parquet"}') p using (person_id)
    """)


@pytest.fixture(scope="module")
def con() -> duckdb.DuckDBPyConnection:
    if not (TRUTH / "persons.parquet").exists() or not WAREHOUSE.exists():
        pytest.skip("needs generated data and a built warehouse: run `make build` first")
    connection = duckdb.connect()
    connection.execute(f"attach '{WAREHOUSE}' as wh (read_only)")
    tables = {row[0] for row in connection.execute(
        "select table_name from information_schema.tables where table_catalog = 'wh' and table_schema = 'marts'"
    ).fetchall()}
    if "customer_churn_risk" not in tables:
        pytest.skip("the warehouse has no marts.customer_churn_risk: run `make build` first")
    build_scored(connection)
    yield connection
    connection.close()


def _one(con: duckdb.DuckDBPyConnection, sql: str) -> tuple:
    return con.execute(sql).fetchone()


def _auc(con: duckdb.DuckDBPyConnection, score: str) -> float:
    """Probability that a random dropped-out buyer scores above a random alive one (ties count half)."""
    return _one(con, f"""
        with buyers as (
            select not is_alive_at_as_of as dropped, {score} as score
            from scored where truth_n_orders > 0 and not is_test_account and p_alive is not null
        ),
        ranked as (select dropped, rank() over (order by score) as r_min,
                          count(*) over (partition by score) as n_tied from buyers)
        select (sum(r_min + (n_tied - 1) / 2.0) filter (where dropped)
                - count(*) filter (where dropped) * (count(*) filter (where dropped) + 1) / 2.0)
               / (count(*) filter (where dropped) * count(*) filter (where not dropped))
        from ranked
    """)[0]


def test_dropped_out_buyers_score_markedly_higher_than_loyal_ones(con: duckdb.DuckDBPyConnection) -> None:
    dropped, loyal = _one(con, """
        select avg(churn_score) filter (where truth_n_orders > 0 and not is_alive_at_as_of),
               avg(churn_score) filter (where profile = 'loyal')
        from scored where not is_test_account
    """)
    assert dropped - loyal >= MIN_MEAN_SCORE_GAP_DROPPED_VS_LOYAL, (dropped, loyal)


def test_dropped_out_buyers_land_in_the_high_bands(con: duckdb.DuckDBPyConnection) -> None:
    high, low = _one(con, """
        select avg(case when churn_band in ('high', 'critical') then 1.0 else 0.0 end),
               avg(case when churn_band = 'low' then 1.0 else 0.0 end)
        from scored where truth_n_orders > 0 and not is_alive_at_as_of and not is_test_account
    """)
    assert high >= MIN_DROPPED_SHARE_HIGH_OR_CRITICAL, (high, low)
    assert low <= MAX_DROPPED_SHARE_LOW, (high, low)


def test_high_bands_hold_mostly_dropouts_and_low_band_few(con: duckdb.DuckDBPyConnection) -> None:
    high, low = _one(con, """
        select avg(case when not is_alive_at_as_of then 1.0 else 0.0 end)
                   filter (where churn_band in ('high', 'critical')),
               avg(case when not is_alive_at_as_of then 1.0 else 0.0 end) filter (where churn_band = 'low')
        from scored where truth_n_orders > 0 and not is_test_account
    """)
    assert high >= MIN_DROPPED_SHARE_OF_HIGH_BANDS, (high, low)
    assert low <= MAX_DROPPED_SHARE_OF_LOW_BAND, (high, low)


def test_loyal_buyers_stay_out_of_the_high_bands(con: duckdb.DuckDBPyConnection) -> None:
    (high,) = _one(con, """
        select avg(case when churn_band in ('high', 'critical') then 1.0 else 0.0 end)
        from scored where profile = 'loyal' and not is_test_account
    """)
    assert high <= MAX_LOYAL_SHARE_HIGH_OR_CRITICAL, high


def test_churn_score_ranks_dropouts_at_least_as_well_as_p_alive(con: duckdb.DuckDBPyConnection) -> None:
    auc_score = _auc(con, "churn_score")
    auc_p_alive = _auc(con, "1 - p_alive")
    assert auc_score >= MIN_AUC, (auc_score, auc_p_alive)
    assert auc_score >= auc_p_alive - MAX_AUC_LOSS_VS_P_ALIVE, (auc_score, auc_p_alive)


def test_session_decline_is_higher_for_recent_dropouts(con: duckdb.DuckDBPyConnection) -> None:
    dropped, alive = _one(con, """
        select avg(session_decline_score) filter (where not is_alive_at_as_of and profile <> 'lapsed'),
               avg(session_decline_score) filter (where is_alive_at_as_of)
        from scored
        where truth_n_orders > 0 and not is_test_account and session_decline_score is not null
    """)
    assert dropped - alive >= MIN_SESSION_DECLINE_GAP_RECENT_DROPOUTS, (dropped, alive)


def test_truth_prospects_get_the_prospect_band(con: duckdb.DuckDBPyConnection) -> None:
    n_prospects, n_banded = _one(con, """
        select count(*), count(*) filter (where churn_band = 'prospect')
        from scored where is_prospect
    """)
    assert n_prospects > 0 and n_banded == n_prospects, (n_prospects, n_banded)
