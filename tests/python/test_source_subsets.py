"""Bring your own data: the whole project builds green from any subset of the raw sources, with
non-default vars, and every score comes out; bad raw data stops before staging with a message naming
the table, the column and the types.

Each build is the real `dbt build` (models and every data test) on a small generated dataset,
with var raw_sources saying which tables the user has (scripts/build_warehouse.py declares them the
same way from the files it finds).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
import yaml
from byod_build import SEGMENT_GUARDRAILS

ROOT = Path(__file__).resolve().parents[2]
DBT = Path(sys.executable).parent / "dbt"

SUBSETS = {
    # only the order export: no lines, no CRM, no web, no marketing (with no_web and no_marketing this
    # also covers shopify + crm alone, which was a fifth build)
    "orders_only": {"shopify": ["orders"]},
    "no_web": {"shopify": "all", "crm": "all", "marketing": "all"},
    "no_marketing": {"shopify": "all", "crm": "all", "ga4": "all"},
}
# values a user is likely to change, all different from dbt_project.yml (unit tests run too: their
# fixtures pin the vars they were computed with)
NON_DEFAULT_VARS = {
    "as_of_date": "2025-11-30", "min_plausible_date": "2020-01-01", "future_timestamp_tolerance_days": 2,
    "default_phone_region": "GB", "order_amount_tolerance": 0.02, "rfm_window_days": 180,
    "lifecycle_new_days": 20, "lifecycle_at_risk_days": 60, "lifecycle_dormant_days": 150,
    "lifecycle_churned_days": 300, "lifecycle_reactivated_days": 60, "value_shipping_cost_per_order": 4.5,
    "value_return_handling_cost_per_item": 2.0, "value_support_cost_per_ticket": 5.0,
    # every feature window changes; no column name may (each name says which window, never its length)
    "customer_features_order_windows_days": {"short": 45, "medium": 120, "long": 200, "extended": 400},
    "customer_features_aov_window_days": 200, "customer_features_web_windows_days": {"short": 10, "medium": 45,
                                                                                    "long": 120},
    "customer_features_web_engagement_window_days": 120, "customer_features_cart_window_days": 10,
    "customer_features_email_window_days": 60, "customer_features_support_window_days": 300,
    "customer_features_technology_active_days": 200,
    "customer_features_technology_categories": {
        "analytics": ["analytics", "data_warehouse"], "crm": ["crm"], "data_warehouse": ["data_warehouse"],
        "ecommerce": ["ecommerce", "payments"], "marketing_automation": ["marketing_automation"],
        "payments": ["payments"], "support": ["support"]},
    "customer_features_open_ticket_statuses": ["open"],
    "customer_features_complaint_categories": ["complaint", "returns"],
 "session_inactivity_timeout_minutes": 45,
    "clv_horizon_days": 180, "clv_annual_discount_rate": 0.08, "clv_discount_periods": 6,
    "churn_recent_window_days": 21, "churn_prior_window_days": 63, "churn_p_alive_weight": 0.7,
    "identity_max_users_per_cookie": 2, "quarantine_max_share": 0.3,
}
FEATURES_YML = ROOT / "models" / "marts" / "customers" / "_customers__models.yml"
SCORES = ["customer_rfm", "customer_lifecycle", "customer_value", "customer_clv", "customer_churn_risk"]


@pytest.fixture(scope="module")
def raw(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("subsets_data")
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "generate_data.py"), "--customers", "1500", "--days", "365",
         "--seed", "7", "--as-of", "2025-12-31", "--out", str(out)],
        check=True, capture_output=True, timeout=300,
    )
    return out / "raw"


def dbt(work: Path, raw: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, DO_NOT_TRACK="1", DBT_PROFILES_DIR=str(ROOT), RAW_DATA_ROOT=str(raw),
               DUCKDB_PATH=str(work / "warehouse.duckdb"))
    return subprocess.run(
        [str(DBT), *args, "--target-path", str(work / "target"), "--log-path", str(work / "logs")],
        cwd=ROOT, env=env, check=False, capture_output=True, text=True, timeout=900,
    )


def statuses(work: Path) -> dict[str, int]:
    """Nodes per status; warnings of the segment guardrails (byod_build.SEGMENT_GUARDRAILS) and the
    exposures (no-ops: nothing to build) not counted."""
    results = json.loads((work / "target" / "run_results.json").read_text())["results"]
    counts: dict[str, int] = {}
    for result in results:
        if result["status"] == "warn" and result["unique_id"].split(".")[2] in SEGMENT_GUARDRAILS:
            continue
        if result["unique_id"].startswith("exposure.") and result["status"] == "no-op":
            continue
        counts[result["status"]] = counts.get(result["status"], 0) + 1
    return counts


@pytest.mark.parametrize("subset", [*SUBSETS, "all_with_non_default_vars"])
def test_whole_project_builds_green_and_scores_every_buyer(subset: str, raw: Path, tmp_path: Path) -> None:
    if subset in SUBSETS:
        dbt_vars: dict = {"raw_sources": SUBSETS[subset]}
        extra = ["--exclude", "test_type:unit"]  # data-independent; run once, in the non-default-vars build
    else:
        dbt_vars, extra = dict(NON_DEFAULT_VARS), []
    built = dbt(tmp_path, raw, "build", "--vars", json.dumps(dbt_vars), *extra)
    assert built.returncode == 0, built.stdout[-5000:]
    counts = statuses(tmp_path)
    print(f"{subset}: {counts}")  # node counts for the record (pytest -s)
    assert set(counts) <= {"success", "pass"}, counts

    con = duckdb.connect(str(tmp_path / "warehouse.duckdb"), read_only=True)
    n_buyers = con.sql("select count(distinct customer_key) from marts.fct_orders where is_counted_order").fetchone()[0]
    assert n_buyers > 500
    for score in SCORES:
        n_rows = con.sql(f"select count(*) from marts.{score}").fetchone()[0]
        assert n_rows == con.sql("select count(*) from marts.dim_customers").fetchone()[0], score
    scored = con.sql(
        """select count(*) filter (where rfm.m_score is not null and clv.p_alive is not null
                                   and value.historical_clv_amount > 0 and churn.churn_band <> 'prospect')
           from marts.customer_rfm as rfm
           join marts.customer_clv as clv using (customer_key)
           join marts.customer_value as value using (customer_key)
           join marts.customer_churn_risk as churn using (customer_key)
           where rfm.frequency > 0"""
    ).fetchone()[0]
    # every buyer with an order in the RFM window has a monetary score, P(alive), a value and a band
    assert scored >= 0.9 * con.sql("select count(*) from marts.customer_rfm where frequency > 0").fetchone()[0]
    if subset == "orders_only":
        # no order lines: gross is the order subtotal, so revenue is still there
        assert con.sql("select sum(net_amount) from marts.fct_orders").fetchone()[0] > 0
        assert con.sql("select count(*) from marts.fct_sessions").fetchone()[0] == 0
    if subset == "all_with_non_default_vars":
        assert str(con.sql("select as_of_date from intermediate.int_as_of_date").fetchone()[0]) == "2025-11-30"
        # the past as-of date cuts orders off (later ones exist), and every mart counts the same ones:
        # the cross-mart test ran and passed, and dim_customers counts only orders up to the as-of date
        cut = "is_counted_order and customer_key is not null and order_date <= date '2025-11-30'"
        assert con.sql("select count(*) from marts.fct_orders where order_date > date '2025-11-30'").fetchone()[0] > 0
        assert con.sql("select sum(n_orders) from marts.dim_customers").fetchone()[0] == con.sql(
            f"select count(*) from marts.fct_orders where {cut}").fetchone()[0]
        # stable feature names: other window lengths, the same columns as documented (and as the default build)
        built = [r[0] for r in con.sql("select column_name from duckdb_columns() where schema_name = 'marts'"
                                       " and table_name = 'customer_features' order by column_index").fetchall()]
        documented = [c["name"] for m in yaml.safe_load(FEATURES_YML.read_text())["models"]
                      if m["name"] == "customer_features" for c in m["columns"]]
        assert built == documented
        results = json.loads((tmp_path / "target" / "run_results.json").read_text())["results"]
        agree = [r["status"] for r in results if r["unique_id"].endswith(".customer_measures_agree_across_marts")]
        assert agree == ["pass"], agree
        # a copied or renamed warehouse file still reads: its views name no catalog
        con.close()
        renamed = tmp_path / "copy of the warehouse.duckdb"
        shutil.copy(tmp_path / "warehouse.duckdb", renamed)
        copy = duckdb.connect(str(renamed), read_only=True)
        assert copy.sql("select count(*) from staging.stg_shopify__orders").fetchone()[0] > 0
        copy.close()


def write_parquet(sql: str, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    duckdb.sql(f"copy ({sql}) to '{path}' (format parquet)")


def test_bad_raw_tables_stop_before_staging_with_one_message(raw: Path, tmp_path: Path) -> None:
    bad = tmp_path / "raw"
    # order ids as text (declared bigint), an empty order_lines file, refunds declared but absent
    write_parquet(f"select * replace (cast(order_id as varchar) as order_id) from '{raw}/shopify/orders/*.parquet'",
                  bad / "shopify" / "orders" / "part-0.parquet")
    write_parquet(f"select * from '{raw}/shopify/order_lines/*.parquet' limit 0",
                  bad / "shopify" / "order_lines" / "part-0.parquet")
    declared = {"raw_sources": {"shopify": ["orders", "order_lines", "refunds"]}}
    built = dbt(tmp_path, bad, "build", "--vars", json.dumps(declared))
    assert built.returncode != 0
    message = built.stdout
    assert "column order_id should be bigint (integer) but is VARCHAR" in message
    assert f"raw table shopify.order_lines ({bad}/shopify/order_lines/*.parquet) is empty" in message
    assert f"raw table shopify.refunds ({bad}/shopify/refunds/*.parquet) does not exist" in message
    assert "Traceback" not in message
    assert "START sql" not in message  # nothing ran


def test_numeric_raw_money_is_read_like_text(raw: Path, tmp_path: Path) -> None:
    """pandas writes money as DOUBLE: staging reads it as the decimal text it stands for."""
    as_double = tmp_path / "double" / "raw"
    write_parquet(f"""select * replace (try_cast(subtotal_price as double) as subtotal_price,
                                        try_cast(total_price as double) as total_price)
                      from '{raw}/shopify/orders/*.parquet'""", as_double / "shopify" / "orders" / "part-0.parquet")
    declared = json.dumps({"raw_sources": {"shopify": ["orders"]}})
    tables = {}
    for name, folder in [("text", raw), ("double", as_double)]:
        work = tmp_path / name
        work.mkdir(exist_ok=True)
        built = dbt(work, folder, "build", "--select", "+stg_shopify__orders", "--indirect-selection", "cautious",
                    "--exclude", "test_type:unit",
                    "--vars", declared)
        assert built.returncode == 0, built.stdout[-3000:]
        con = duckdb.connect(str(work / "warehouse.duckdb"), read_only=True)
        tables[name] = {
            order_id: (subtotal, total) for order_id, subtotal, total in con.sql(
                "select order_id, subtotal_amount_local, total_amount_local from staging.stg_shopify__orders"
            ).fetchall()
        }
        con.close()
    # every order whose money text is a number is kept with the same amounts, to the cent
    same = [order_id for order_id in tables["double"] if tables["text"].get(order_id) == tables["double"][order_id]]
    assert len(same) >= 0.99 * len(tables["text"])
    assert len(tables["double"]) >= 0.99 * len(tables["text"])


def test_a_rule_that_rejects_most_of_a_table_stops_the_build_and_names_it(raw: Path, tmp_path: Path) -> None:
    """Data older than min_plausible_date: stop at the staging model, naming table, reason and var."""
    declared = json.dumps({"raw_sources": {"shopify": ["orders"]}, "min_plausible_date": "2025-09-01"})
    built = dbt(tmp_path, raw, "build", "--select", "+base_shopify__orders", "--indirect-selection", "cautious",
                "--exclude", "test_type:unit",
                "--vars", declared)
    assert built.returncode != 0
    message = " ".join(built.stdout.split())  # dbt wraps long lines
    assert "of raw table shopify.orders" in message and "above var quarantine_max_share (0.25)" in message
    assert "Main reason: implausible_timestamp" in message and "before min_plausible_date" in message
    assert "Traceback" not in built.stdout
    # the same data passes with a rule that fits it
    ok = dbt(tmp_path, raw, "build", "--select", "+base_shopify__orders", "--indirect-selection", "cautious",
                "--exclude", "test_type:unit",
             "--vars", json.dumps({"raw_sources": {"shopify": ["orders"]}}))
    assert ok.returncode == 0, ok.stdout[-3000:]


def test_bad_vars_are_reported_together_naming_each_var(raw: Path, tmp_path: Path) -> None:
    bad = {"rfm_window_days": -5, "as_of_date": "2025-02-30", "clv_horizon_days": "90", "base_currency": "usd",
           "churn_band_high_min": 0.2, "identity_web_user_id_is_shop_customer_id": "yes",
           "customer_features_technology_categories": ["crm", "support"]}
    built = dbt(tmp_path, raw, "build", "--vars", json.dumps(bad))
    assert built.returncode != 0
    out = built.stdout
    for expected in ["var rfm_window_days must be a whole number >= 1 (got -5)",
                     'var as_of_date must be a real calendar date YYYY-MM-DD, or unset (got "2025-02-30")',
                     'var clv_horizon_days must be a whole number >= 1 (got "90")',
                     'var base_currency must be 3 upper-case letters (ISO 4217) (got "usd")',
                     'var identity_web_user_id_is_shop_customer_id must be true or false (got "yes")',
                     "var customer_features_technology_categories must be a mapping with exactly the keys analytics, "
                     "crm, data_warehouse, ecommerce, marketing_automation, payments, support"]:
        assert expected in out, out[-3000:]
    assert "Traceback" not in out and "START sql" not in out
    # the order of the churn bands is a rule across vars, reported once each var is valid
    crossed = dbt(tmp_path, raw, "build", "--vars", json.dumps({"churn_band_high_min": 0.2}))
    assert "churn_band_medium_min < churn_band_high_min < churn_band_critical_min" in crossed.stdout


def test_as_of_date_outside_the_data_is_refused(raw: Path, tmp_path: Path) -> None:
    declared = {"raw_sources": {"shopify": ["orders"]}, "as_of_date": "2019-06-30"}
    built = dbt(tmp_path, raw, "build", "--select", "+int_as_of_date", "--indirect-selection", "cautious",
                "--exclude", "test_type:unit",
                "--vars", json.dumps(declared))
    assert built.returncode != 0
    assert "var as_of_date 2019-06-30 is outside the data's span" in " ".join(built.stdout.split())
