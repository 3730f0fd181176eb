"""Bring your own data: the Olist subset (Brazil, BRL) through staging, identity and the order facts.

Olist issues a new customer_id with every order; customer_unique_id names the person behind them, a
free answer key for identity resolution. scripts/import_olist.py maps Olist to Shopify-shaped raw
tables without customer_unique_id; this test builds with base_currency BRL (the fx_rates seed has
no BRL row: base-currency amounts convert at 1) and scores our customer_key clusters against the
key. Olist gives no email, phone or name, so no two customer_ids share an identifier: no pair is
predicted (precision 1.0, vacuously) and recall is 0 (docs/research/byod_olist.md).

Skips cleanly when ../shared/datasets/olist_subset is absent (the data is never committed here).
"""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from byod_build import import_and_build, warned_nodes
from identity_accuracy import pairwise_scores  # scripts/ is on sys.path (conftest.py)
from import_olist import answer_key, import_olist

ROOT = Path(__file__).resolve().parents[2]
OLIST = Path(os.environ.get("SHARED_DATASETS", ROOT.parent / "shared" / "datasets")) / "olist_subset"

# Figures of the subset (shared/datasets/README.md and measured from its CSV files).
N_ORDERS = 8_135  # = customer_ids
N_PERSONS = 8_016  # customer_unique_ids
N_TRUE_PAIRS = 183  # pairs of customer_ids of one person (73 persons have more than one)
N_ITEMS = 8_365
N_CANCELLED = 1_234  # 625 canceled + 609 unavailable
N_WITHOUT_ITEMS = 775  # zero-value orders; 8 of them are not cancelled (created, invoiced, shipped)
ITEMS_PLUS_FREIGHT = Decimal("1265552.74")  # Σ price + freight_value over every item

pytestmark = pytest.mark.skipif(not (OLIST / "olist_orders_dataset.csv").is_file(),
                                reason=f"Olist subset not found at {OLIST}")


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> duckdb.DuckDBPyConnection:
    work = tmp_path_factory.mktemp("olist")
    # the whole project, as a user would build it (scripts/build_warehouse.py declares the tables found);
    # every data test (reconciliations included) must pass on real data; one warning (segment
    # guardrails aside): no customer id has a second order, so nothing identifies the BTYD parameters
    # and the CLV uses the fallback
    import_and_build("import_olist.py", ["--olist", str(OLIST)], work, ["--base-currency", "BRL"])
    warned = warned_nodes(work / "target" / "run_results.json")
    assert len(warned) == 1 and warned[0].startswith("warn_btyd_not_fitted_too_few_repeat_buyers"), warned
    con = duckdb.connect()
    con.execute(f"attach '{work / 'warehouse.duckdb'}' as warehouse (read_only)")
    con.execute("create temp table answer_key (customer_id bigint, customer_unique_id varchar)")
    con.executemany("insert into answer_key values (?, ?)", answer_key(OLIST))
    yield con
    con.close()


def test_answer_key_is_not_imported(tmp_path: Path) -> None:
    import_olist(OLIST, tmp_path)
    persons = {person for _, person in answer_key(OLIST)}
    assert len(persons) == N_PERSONS
    for table in (tmp_path / "raw").glob("*/*"):
        text = duckdb.sql(f"select * from read_parquet('{table}/*.parquet')").fetchall()
        values = {str(v) for row in text for v in row}
        assert not values & persons, f"customer_unique_id leaked into {table}"


def test_identity_precision_and_recall(warehouse: duckdb.DuckDBPyConnection) -> None:
    """Pairwise, over the customer_ids of the orders: every id resolves; no two ids of different
    persons share a customer_key (precision 1.0, with no predicted pair at all); none of the 183
    same-person pairs is found (recall 0.0): Olist shares no identifier between them."""
    warehouse.execute("""
        create or replace temp table scored as
        select ids.customer_key, answer_key.customer_unique_id as person_id
        from answer_key
        left join warehouse.intermediate.int_identity_identifiers as ids
            on ids.identifier_type = 'shop_customer_id'
            and ids.identifier_value = cast(answer_key.customer_id as varchar)
    """)
    assert warehouse.execute("select count(*), count(customer_key) from scored").fetchone() == (N_ORDERS, N_ORDERS)
    scores = pairwise_scores(warehouse, "scored")
    assert scores["persons"] == N_PERSONS
    assert scores["true_pairs"] == N_TRUE_PAIRS
    assert scores["over_merged_customers"] == 0
    assert scores["precision"] == 1.0
    assert scores["predicted_pairs"] == 0
    assert scores["recall"] == 0.0
    assert scores["under_merged_persons"] == 73


def test_orders_reconcile(warehouse: duckdb.DuckDBPyConnection) -> None:
    """Orders in = orders staged + quarantined + deduplicated (none of the last two here), the same
    for lines; local money in = money staged, and with base BRL the base amounts equal the local."""
    orders = warehouse.execute("""
        select count(*),
               count(*) filter (where _quarantine_reason is null and _dedupe_rank = 1),
               count(*) filter (where _quarantine_reason is not null),
               (select count(*) from warehouse.staging.stg_shopify__orders)
        from warehouse.staging.base_shopify__orders
    """).fetchone()
    assert orders == (N_ORDERS, N_ORDERS, 0, N_ORDERS)
    lines = warehouse.execute("""
        select count(*), count(*) filter (where _quarantine_reason is not null),
               (select count(*) from warehouse.staging.stg_shopify__order_lines)
        from warehouse.staging.base_shopify__order_lines
    """).fetchone()
    assert lines == (N_ITEMS, 0, N_ITEMS)
    money = warehouse.execute("""
        select sum(total_amount_local), sum(total_amount),
               count(*) filter (where total_amount is distinct from total_amount_local or fx_rate_to_base <> 1)
        from warehouse.staging.stg_shopify__orders
    """).fetchone()
    assert money == (ITEMS_PLUS_FREIGHT, ITEMS_PLUS_FREIGHT, 0)


def test_which_orders_count(warehouse: duckdb.DuckDBPyConnection) -> None:
    """Cancelled (canceled, unavailable) orders are kept but not counted; zero-value orders (no
    items) are counted unless cancelled."""
    figures = warehouse.execute("""
        select count(*), count(*) filter (where is_cancelled), count(*) filter (where is_counted_order),
               count(*) filter (where total_amount = 0),
               count(*) filter (where total_amount = 0 and is_counted_order)
        from warehouse.marts.fct_orders
    """).fetchone()
    assert figures == (N_ORDERS, N_CANCELLED, N_ORDERS - N_CANCELLED, N_WITHOUT_ITEMS, 8)


def test_every_score_is_built_and_the_clv_says_it_used_the_fallback(warehouse: duckdb.DuckDBPyConnection) -> None:
    """One order per customer id: RFM, lifecycle and value come from the data; the BTYD fit has no
    repeat buyer to learn from, so customer_clv is scored with clv_fallback_parameters and says so."""
    n_customers = warehouse.sql("select count(*) from warehouse.marts.dim_customers").fetchone()[0]
    for score in ("customer_rfm", "customer_lifecycle", "customer_value", "customer_clv", "customer_churn_risk"):
        assert warehouse.sql(f"select count(*) from warehouse.marts.{score}").fetchone()[0] == n_customers, score
    assert warehouse.sql("select fit_status from warehouse.intermediate.int_btyd_parameters_fitted").fetchone()[0] \
        == "too_few_repeat_buyers"
    sources = warehouse.sql(
        "select distinct parameter_source from warehouse.marts.customer_clv where not is_prospect").fetchall()
    assert sources == [("fallback",)]
