"""Bring your own data: the real UCI Online Retail dataset, imported as Shopify-shaped raw tables,
builds the whole project (staging to scores) with every dbt test passing, reproduces the dataset's
published figures and agrees, customer by customer, with scores recomputed here straight from the CSV.

One build per module, through scripts/build_warehouse.py as a user would run it: base currency GBP
(the data's own), as-of date 2011-12-10 (the day after the last invoice) and rfm_window_days 400, so
that the RFM window covers the whole 2010-12-01 .. 2011-12-09 span as the published figures do.
Conventions that decide a match: docs/research/byod_online_retail.md.

Skips cleanly when ../shared/datasets is absent (the data is never committed here).
"""

from __future__ import annotations

import os
from datetime import date
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
import test_clv_validation as clv  # the lifetimes reference fit and its tolerances (tests/python is on sys.path)
from byod_build import import_and_build

ROOT = Path(__file__).resolve().parents[2]
DATASETS = Path(os.environ.get("SHARED_DATASETS", ROOT.parent / "shared" / "datasets"))
CSV = DATASETS / "online_retail" / "online_retail.csv.gz"

# Published reference figures (shared/datasets/README.md): customer id present, Quantity > 0, UnitPrice > 0.
REFERENCE_ROWS = 397_884
REFERENCE_CUSTOMERS = 4_338
REFERENCE_INVOICES = 18_532
REFERENCE_REVENUE = Decimal("8911407.90")
REFERENCE_TOP_CUSTOMERS = [(14646, Decimal("280206.02")), (18102, Decimal("259657.30")), (17450, Decimal("194550.79"))]
CANCELLATION_LINES = 9_288
# ... and with as-of date 2011-12-10, frequency = distinct invoices:
REFERENCE_MEDIAN_RECENCY_DAYS = 50
REFERENCE_MEDIAN_FREQUENCY = 2
REFERENCE_ONE_TIME_BUYERS = 1_493
REFERENCE_MEDIAN_MONETARY = Decimal("674.48")

AS_OF = date(2011, 12, 10)
RFM_WINDOW_DAYS = 400  # > the 374 days from the first invoice to the as-of date: every invoice is in the window
# Customer invoices whose every line is priced 0 (counted orders of value 0, excluded by UnitPrice > 0)
ZERO_VALUE_INVOICES = {"543599": 17560, "564651": 14646, "568384": 12748, "578841": 13256}
ZERO_VALUE_ONLY_CUSTOMER = 13256  # a buyer here, not in the published 4,338
# BG/NBD a and b where the likelihood is flat in them (a ≈ 0.004 here): measured 4e-5 from lifetimes
FLAT_PARAMETER_RTOL = 1e-3

pytestmark = pytest.mark.skipif(not CSV.exists(), reason=f"UCI Online Retail not found at {CSV}")


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> duckdb.DuckDBPyConnection:
    """The whole project built once on the imported file; the connection also holds the CSV (csv_lines)."""
    work = tmp_path_factory.mktemp("online_retail")
    # every data test (reconciliations, BTYD fit convergence included) must pass on real data
    output = import_and_build(
        "import_online_retail.py", ["--csv", str(CSV)], work,
        ["--as-of", AS_OF.isoformat(), "--base-currency", "GBP", "--vars", f"{{rfm_window_days: {RFM_WINDOW_DAYS}}}"],
    )
    assert "raw_sources: {\"shopify\": [\"orders\", \"order_lines\", \"products\"]}" in output
    con = duckdb.connect()
    con.execute("set threads = 2")
    con.execute(f"attach '{work / 'warehouse.duckdb'}' as warehouse (read_only)")
    con.execute("use warehouse")
    con.execute(f"create temp table csv_lines as select * from read_csv('{CSV}', all_varchar = true, header = true)")
    yield con
    con.close()


# --- staging reproduces the published figures ------------------------------------------------------

def _sub_cent_lines(con: duckdb.DuckDBPyConnection) -> int:
    """Lines priced below half a cent: Shopify stores prices in cents, so they become 0.00."""
    return con.execute(
        """select count(*) from csv_lines
           where CustomerID is not null and cast(Quantity as int) > 0
             and cast(UnitPrice as double) > 0 and cast(UnitPrice as double) < 0.005"""
    ).fetchone()[0]


def test_reference_figures_are_reproduced(warehouse: duckdb.DuckDBPyConnection) -> None:
    rows, customers, invoices, revenue = warehouse.execute(
        """
        select count(*), count(distinct orders.customer_id), count(distinct orders.order_id),
               sum(lines.quantity * lines.price_local)
        from staging.stg_shopify__order_lines as lines
        inner join staging.stg_shopify__orders as orders on lines.order_id = orders.order_id
        where orders.customer_id is not null and lines.quantity > 0 and lines.price_local > 0
        """
    ).fetchone()
    assert rows == REFERENCE_ROWS - _sub_cent_lines(warehouse)
    assert customers == REFERENCE_CUSTOMERS
    assert invoices == REFERENCE_INVOICES
    assert revenue == REFERENCE_REVENUE  # to the cent


def test_top_customers_by_revenue(warehouse: duckdb.DuckDBPyConnection) -> None:
    top = warehouse.execute(
        """
        select orders.customer_id, sum(lines.quantity * lines.price_local) as revenue
        from staging.stg_shopify__order_lines as lines
        inner join staging.stg_shopify__orders as orders on lines.order_id = orders.order_id
        where orders.customer_id is not null and lines.quantity > 0 and lines.price_local > 0
        group by orders.customer_id
        order by revenue desc, orders.customer_id
        limit 3
        """
    ).fetchall()
    assert top == REFERENCE_TOP_CUSTOMERS


def test_cancellation_lines_are_quarantined_not_lost(warehouse: duckdb.DuckDBPyConnection) -> None:
    """Credit notes ("C…" invoices, negative quantities) land in quarantine with a reason."""
    n = warehouse.execute(
        """
        select count(*) from staging.quarantine_rows
        where source_table = 'order_lines' and reason_code = 'negative_amount'
          and cast(json_extract_string(raw_payload, '$.order_id') as bigint) between 10000000 and 19999999
        """
    ).fetchone()[0]
    assert n == CANCELLATION_LINES


# --- scores agree with an independent computation from the CSV -------------------------------------

def test_conventions_that_decide_a_match(warehouse: duckdb.DuckDBPyConnection) -> None:
    """The facts about the file that the expected figures below rely on (docs/research/byod_online_retail.md)."""
    facts = warehouse.execute(
        """
        with invoices as (
            select
                InvoiceNo as invoice_no,
                any_value(CustomerID) as customer_id,
                count(distinct CustomerID) as n_customer_ids,
                bool_or(cast(Quantity as integer) < 0 or cast(UnitPrice as decimal(18, 3)) < 0) as has_negative_line,
                bool_and(round(cast(UnitPrice as decimal(18, 3)), 2) = 0) as is_zero_value,
                sum(cast(Quantity as integer) * cast(UnitPrice as decimal(18, 3))) as amount,
                count(distinct cast(cast(InvoiceDate as timestamp) as date)) as n_dates,
                min(cast(InvoiceDate as timestamp)::time) as first_time
            from csv_lines
            group by InvoiceNo
        )
        select
            -- credit notes of customers: every one is negative, so the project quarantines the order
            count(*) filter (where invoice_no like 'C%' and customer_id is not null and amount >= 0),
            -- bad-debt adjustments carry no customer id
            count(*) filter (where invoice_no like 'A%' and customer_id is not null),
            -- an invoice names one customer and one day
            max(n_customer_ids), max(n_dates),
            -- no customer invoice other than a credit note has a negative line
            count(*) filter (where invoice_no not like 'C%' and customer_id is not null and has_negative_line),
            -- the first invoice of a day is after 01:00, so the UK date is the UTC date (order_date)
            min(first_time) >= time '01:00:00',
            list(invoice_no order by invoice_no) filter (
                where invoice_no not like 'C%' and customer_id is not null and is_zero_value)
        from invoices
        """
    ).fetchone()
    assert facts[:6] == (0, 0, 1, 1, 0, True)
    assert facts[6] == sorted(ZERO_VALUE_INVOICES)
    # zero-value invoices are counted orders in the project (decision 41), not quarantined
    counted = warehouse.execute(
        f"""select list(order_number order by order_number) from marts.fct_orders
            where is_counted_order and net_amount = 0 and order_number in {tuple(ZERO_VALUE_INVOICES)}"""
    ).fetchone()[0]
    assert counted == sorted(ZERO_VALUE_INVOICES)


def _expected_scores(con: duckdb.DuckDBPyConnection, window_days: int = RFM_WINDOW_DAYS) -> None:
    """Temp table expected_scores: per CSV customer id, the scores recomputed from csv_lines only.

    An order is an invoice of a customer id that is not a credit note (C…) or an adjustment (A…);
    its amount is Σ quantity × unit price rounded to the cent, zero-priced lines and zero-value
    invoices included; its date is the invoice's day. RFM: recency = days from the last invoice day
    to the as-of date, frequency / monetary = invoices / amount dated after as_of - window_days.
    BTYD: invoices of a day are one purchase; frequency = purchase days - 1, recency = first to last
    purchase day, tenure = first purchase day to the as-of date, monetary value = mean amount of the
    repeat days.
    """
    con.execute(
        f"""
        create or replace temp table expected_orders as
        select
            cast(cast(CustomerID as double) as bigint) as customer_id,
            InvoiceNo as invoice_no,
            cast(min(cast(InvoiceDate as timestamp)) as date) as invoice_date,
            sum(cast(Quantity as integer) * round(cast(UnitPrice as decimal(18, 3)), 2)) as amount
        from csv_lines
        where CustomerID is not null and InvoiceNo not like 'C%' and InvoiceNo not like 'A%'
        group by CustomerID, InvoiceNo;

        create or replace temp table expected_scores as
        with
        days as (
            select customer_id, invoice_date, sum(amount) as amount,
                   min(invoice_date) over (partition by customer_id) as first_date
            from expected_orders
            where invoice_date <= date '{AS_OF}'
            group by customer_id, invoice_date
        ),
        btyd as (
            select
                customer_id,
                count(*) - 1 as btyd_frequency,
                max(invoice_date) - min(invoice_date) as btyd_recency_days,
                date '{AS_OF}' - min(invoice_date) as tenure_days,
                sum(amount) filter (where invoice_date > first_date) / nullif(count(*) - 1, 0) as btyd_monetary_value
            from days
            group by customer_id
        ),
        rfm as (
            select
                customer_id,
                date '{AS_OF}' - max(invoice_date) as recency_days,
                count(*) filter (where invoice_date > date '{AS_OF}' - {window_days}) as frequency,
                coalesce(sum(amount) filter (where invoice_date > date '{AS_OF}' - {window_days}), 0)
                    as monetary_amount,
                count(*) as n_orders,
                sum(amount) as historical_clv_amount
            from expected_orders
            where invoice_date <= date '{AS_OF}'
            group by customer_id
        )
        select * from rfm inner join btyd using (customer_id)
        """
    )


ACTUAL_SCORES = """
create or replace temp table actual_scores as
select
    -- our person key back to the shop customer id through the identity crosswalk
    cast(ids.identifier_value as bigint) as customer_id,
    rfm.customer_key,
    rfm.recency_days,
    rfm.frequency,
    rfm.monetary_amount,
    value.n_orders,
    value.historical_clv_amount,
    btyd.frequency as btyd_frequency,
    btyd.recency_days as btyd_recency_days,
    btyd.tenure_days,
    btyd.monetary_value as btyd_monetary_value,
    lifecycle.lifecycle_stage,
    lifecycle.n_orders as lifecycle_n_orders,
    lifecycle.days_since_last_order as lifecycle_recency_days,
    clv.frequency as clv_frequency,
    clv.recency_days as clv_recency_days,
    clv.tenure_days as clv_tenure_days,
    clv.p_alive,
    clv.expected_purchases,
    clv.predicted_clv
from marts.customer_rfm as rfm
left join intermediate.int_identity_identifiers as ids
    on rfm.customer_key = ids.customer_key and ids.identifier_type = 'shop_customer_id'
left join marts.customer_value as value on rfm.customer_key = value.customer_key
left join intermediate.int_customer_btyd_inputs as btyd on rfm.customer_key = btyd.customer_key
left join marts.customer_lifecycle as lifecycle on rfm.customer_key = lifecycle.customer_key
left join marts.customer_clv as clv on rfm.customer_key = clv.customer_key
where rfm.has_orders
"""

MISMATCHES = """
select coalesce(expected.customer_id, actual.customer_id) as customer_id, expected, actual
from expected_scores as expected
full outer join actual_scores as actual on expected.customer_id = actual.customer_id
where
    expected.customer_id is null or actual.customer_id is null
    or expected.recency_days is distinct from actual.recency_days
    or expected.frequency is distinct from actual.frequency
    or expected.monetary_amount is distinct from actual.monetary_amount
    or expected.n_orders is distinct from actual.n_orders
    or expected.historical_clv_amount is distinct from actual.historical_clv_amount
    or expected.btyd_frequency is distinct from actual.btyd_frequency
    or expected.btyd_recency_days is distinct from actual.btyd_recency_days
    or expected.tenure_days is distinct from actual.tenure_days
    -- a mean: equal to a millionth (the model stores 6 decimals); null (no repeat day) only with null
    or (expected.btyd_monetary_value is null) <> (actual.btyd_monetary_value is null)
    or abs(expected.btyd_monetary_value - actual.btyd_monetary_value) > 0.000001
    -- the same inputs reach lifecycle and CLV
    or expected.n_orders is distinct from actual.lifecycle_n_orders
    or expected.recency_days is distinct from actual.lifecycle_recency_days
    or expected.btyd_frequency is distinct from actual.clv_frequency
    or expected.btyd_recency_days is distinct from actual.clv_recency_days
    or expected.tenure_days is distinct from actual.clv_tenure_days
order by customer_id
"""


@pytest.fixture(scope="module")
def scores(warehouse: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    _expected_scores(warehouse)
    warehouse.execute(ACTUAL_SCORES)
    return warehouse


def test_every_customer_agrees_with_the_csv(scores: duckdb.DuckDBPyConnection) -> None:
    """RFM, historical CLV and BTYD inputs per customer, to the cent, every customer, both directions."""
    n_expected, n_actual, n_keys = scores.execute(
        "select (select count(*) from expected_scores), count(*), count(distinct customer_key) from actual_scores"
    ).fetchone()
    assert n_expected == n_actual == n_keys == REFERENCE_CUSTOMERS + 1  # + the zero-value-only buyer
    mismatches = scores.execute(MISMATCHES).fetchall()
    assert mismatches == [], f"{len(mismatches)} customers disagree, e.g. {mismatches[:3]}"


def test_every_buyer_has_a_lifecycle_stage_and_a_clv(scores: duckdb.DuckDBPyConnection) -> None:
    missing = scores.execute(
        """
        select count(*) from actual_scores
        where lifecycle_stage is null or lifecycle_stage = 'prospect'
           or p_alive is null or not p_alive between 0 and 1
           or expected_purchases is null or predicted_clv is null
        """
    ).fetchone()[0]
    assert missing == 0
    source = scores.execute("select parameter_source from intermediate.int_btyd_parameters").fetchone()[0]
    assert source == "fit"  # fitted on this data, not the fallback parameters


def test_btyd_fit_matches_lifetimes_on_the_csv(scores: duckdb.DuckDBPyConnection) -> None:
    """Our BG/NBD and Gamma-Gamma fit against lifetimes fitted on the inputs recomputed from the CSV.

    On this file the drop-out probability is tiny (a ≈ 0.004), so the likelihood is flat in a and b:
    lifetimes stops (precision loss) about 4e-5 away from us there, on a likelihood no higher than ours.
    """
    inputs = scores.execute(
        """select btyd_frequency as frequency, btyd_recency_days as recency_days, tenure_days,
                  cast(btyd_monetary_value as double) as monetary_value
           from expected_scores order by customer_id"""
    ).df()
    fitted = scores.execute("select * from intermediate.int_btyd_parameters_fitted").df().iloc[0]
    bg_class, gg_class = clv._lifetimes()
    bg = clv._fit_reference(bg_class(), inputs["frequency"], inputs["recency_days"], inputs["tenure_days"])
    spenders = clv._spenders(inputs)
    gg = clv._fit_reference(gg_class(), spenders["frequency"], spenders["monetary_value"])
    assert (fitted["bgnbd_n_customers"], fitted["gamma_gamma_n_customers"]) == (len(inputs), len(spenders))
    for ours, theirs, rel in [("r", "r", clv.PARAMETER_RTOL), ("alpha", "alpha", clv.PARAMETER_RTOL),
                              ("a", "a", FLAT_PARAMETER_RTOL), ("b", "b", FLAT_PARAMETER_RTOL),
                              ("p", "p", clv.PARAMETER_RTOL), ("q", "q", clv.PARAMETER_RTOL),
                              ("gamma", "v", clv.PARAMETER_RTOL)]:
        reference = (bg if theirs in bg.params_ else gg).params_[theirs]
        assert fitted[ours] == pytest.approx(reference, rel=rel), ours
    names = ["r", "alpha", "a", "b"]
    ours_ll = clv._bgnbd_log_likelihood(bg_class, [fitted[n] for n in names], inputs)
    assert ours_ll >= clv._bgnbd_log_likelihood(bg_class, list(bg.params_[names]), inputs) - clv.LOG_LIKELIHOOD_SLACK


def test_the_comparison_can_fail(scores: duckdb.DuckDBPyConnection) -> None:
    """The same comparison against deliberately wrong expectations reports the customers it should."""
    try:
        scores.execute("update expected_scores set monetary_amount = monetary_amount + 0.01 where customer_id = 12347")
        assert [row[0] for row in scores.execute(MISMATCHES).fetchall()] == [12347]
        # the default 365-day window drops the invoices of 2010-12-01 .. 2010-12-09
        _expected_scores(scores, window_days=365)
        assert len(scores.execute(MISMATCHES).fetchall()) > 100
    finally:
        _expected_scores(scores)
    assert scores.execute(MISMATCHES).fetchall() == []


def test_published_medians(scores: duckdb.DuckDBPyConnection) -> None:
    """The published medians, on our scores, for the 4,338 customers they count.

    They drop the one buyer whose only invoice is priced 0 (UnitPrice > 0 in their filter). Frequency,
    one-time buyers and monetary then match. Recency does not: we count calendar days from the last
    invoice day to the as-of date (51 at the median); the published 50 counts whole 24-hour periods
    from the last invoice's timestamp to 2011-12-10 00:00, one day fewer for every invoice.
    """
    n, recency, frequency, one_time, monetary = scores.execute(
        f"""
        select count(*), median(recency_days), median(frequency), count(*) filter (where frequency = 1),
               median(monetary_amount)
        from actual_scores
        where customer_id <> {ZERO_VALUE_ONLY_CUSTOMER}
        """
    ).fetchone()
    assert n == REFERENCE_CUSTOMERS
    assert frequency == REFERENCE_MEDIAN_FREQUENCY
    assert one_time == REFERENCE_ONE_TIME_BUYERS
    assert round(monetary, 2) == REFERENCE_MEDIAN_MONETARY  # the mean of the middle two, 674.485
    assert recency == REFERENCE_MEDIAN_RECENCY_DAYS + 1
    published_recency = scores.execute(
        """
        select median(floor(epoch(timestamp '2011-12-10 00:00:00' - last_at) / 86400))
        from (select CustomerID, max(cast(InvoiceDate as timestamp)) as last_at from csv_lines
              where CustomerID is not null and cast(Quantity as int) > 0 and cast(UnitPrice as double) > 0
              group by CustomerID)
        """
    ).fetchone()[0]
    assert published_recency == REFERENCE_MEDIAN_RECENCY_DAYS
