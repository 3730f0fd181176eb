"""The base currency is honoured: the same raw orders built with base_currency USD and with EUR.

Two DuckDB warehouses are built from the same raw data (`dbt build --select +fct_orders`, every data
test included), one per base currency. In each, every base amount of the staged orders and order
lines must equal round(local x rate, 2) with the rate rebased from the fx_rates seed
(rate_to_quote of the order's currency / rate_to_quote of the base currency on the order date),
amounts already in the base currency must be unchanged, the same orders must be staged and
quarantined, and the fct_orders totals must relate by the EUR rate. If the var were ignored, the
EUR warehouse would hold USD amounts and every check on it would fail.

Uses the raw data of RAW_DATA_ROOT (default data/raw: run `make data` first); skips without it.
"""

from __future__ import annotations

import csv
import functools
import os
import subprocess
import sys
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).resolve().parents[2]
DBT = Path(sys.executable).parent / "dbt"
RAW = Path(os.environ.get("RAW_DATA_ROOT", ROOT / "data" / "raw"))
SEED = ROOT / "seeds" / "fx_rates.csv"
BASES = ("USD", "EUR")
RATE_DECIMALS = Decimal("1e-12")  # macro fx_rates_to_base keeps rebased rates to 12 decimals
CENT = Decimal("0.01")

pytestmark = pytest.mark.skipif(
    not (RAW / "shopify" / "orders").is_dir(), reason=f"no raw Shopify orders in {RAW}: run `make data` first"
)


@functools.cache
def _seed_rates() -> tuple[tuple[str, date, date, Decimal], ...]:
    with SEED.open(newline="", encoding="utf-8") as fh:
        return tuple((r["currency_code"], date.fromisoformat(r["valid_from"]), date.fromisoformat(r["valid_to"]),
                      Decimal(r["rate_to_quote"])) for r in csv.DictReader(fh))


@functools.cache
def rebased_rate(currency: str, day: date, base: str) -> Decimal | None:
    """Base-currency units per unit of `currency` on `day`, as macro fx_rates_to_base defines it."""
    if currency == base:
        return Decimal(1)

    def quoted(code: str) -> Decimal | None:
        return next((rate for cur, start, end, rate in _seed_rates() if cur == code and start <= day <= end), None)

    rate, base_rate = quoted(currency), quoted(base)
    if rate is None or base_rate is None:
        return None
    return (rate / base_rate).quantize(RATE_DECIMALS, rounding=ROUND_HALF_UP)


def to_base(amount_local: Decimal, rate: Decimal) -> Decimal:
    """Round half away from zero to the cent, as macro convert_to_base does."""
    return (amount_local * rate).quantize(CENT, rounding=ROUND_HALF_UP)


@pytest.fixture(scope="module")
def warehouses(tmp_path_factory) -> dict[str, duckdb.DuckDBPyConnection]:
    work = tmp_path_factory.mktemp("base_currency")
    runs = {}
    for base in BASES:
        env = dict(os.environ, DO_NOT_TRACK="1", DBT_PROFILES_DIR=str(ROOT),
                   RAW_DATA_ROOT=str(RAW), DUCKDB_PATH=str(work / f"{base}.duckdb"))
        runs[base] = subprocess.Popen(
            [str(DBT), "build", "--select", "+fct_orders", "--indirect-selection", "cautious",
             "--vars", f"{{base_currency: {base}}}",
             "--target-path", str(work / f"target_{base}"), "--log-path", str(work / f"logs_{base}")],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )
    for base, run in runs.items():
        out, _ = run.communicate(timeout=1800)
        assert run.returncode == 0, f"dbt build with base_currency {base} failed:\n{out[-4000:]}"
    cons = {base: duckdb.connect(str(work / f"{base}.duckdb"), read_only=True) for base in BASES}
    yield cons
    for con in cons.values():
        con.close()


ORDER_AMOUNTS = ["subtotal", "discount", "shipping", "tax", "total"]
LINE_AMOUNTS = {"price": "price_local", "discount": "discount_amount_local", "gross": "gross_amount_local"}


@pytest.mark.parametrize("base", BASES)
def test_order_amounts_are_local_times_rebased_rate(warehouses, base: str) -> None:
    rows = warehouses[base].execute(
        "select order_id, order_date, currency_code, fx_rate_to_base, "
        + ", ".join(f"{a}_amount_local, {a}_amount" for a in ORDER_AMOUNTS)
        + " from staging.stg_shopify__orders"
    ).fetchall()
    assert rows
    wrong = []
    for order_id, day, currency, stored_rate, *amounts in rows:
        rate = rebased_rate(currency, day, base)
        if rate is None or abs(stored_rate - rate) > RATE_DECIMALS:
            wrong.append((order_id, currency, "rate", stored_rate, rate))
            continue
        for name, local, amount in zip(ORDER_AMOUNTS, amounts[0::2], amounts[1::2], strict=True):
            if local is not None and amount != to_base(local, stored_rate):
                wrong.append((order_id, currency, name, local, amount))
            if currency == base and local is not None and amount != local.quantize(CENT):
                wrong.append((order_id, currency, f"{name} in the base currency changed", local, amount))
    assert not wrong, f"{len(wrong)} wrong conversions to {base}, e.g. {wrong[:5]}"


@pytest.mark.parametrize("base", BASES)
def test_order_line_amounts_are_local_times_rebased_rate(warehouses, base: str) -> None:
    rows = warehouses[base].execute(
        """select lines.order_line_id, orders.order_date, lines.currency_code, lines.fx_rate_to_base,
                  lines.price_local, lines.price_amount,
                  coalesce(lines.discount_amount_local, 0), lines.discount_amount,
                  lines.quantity * lines.price_local, lines.gross_amount
           from staging.stg_shopify__order_lines as lines
           inner join staging.stg_shopify__orders as orders on lines.order_id = orders.order_id"""
    ).fetchall()
    assert rows
    wrong = []
    for line_id, day, currency, stored_rate, *amounts in rows:
        if stored_rate != rebased_rate(currency, day, base):
            wrong.append((line_id, currency, "rate", stored_rate))
            continue
        for name, local, amount in zip(LINE_AMOUNTS, amounts[0::2], amounts[1::2], strict=True):
            if local is not None and amount != to_base(local, stored_rate):
                wrong.append((line_id, currency, name, local, amount))
    assert not wrong, f"{len(wrong)} wrong line conversions to {base}, e.g. {wrong[:5]}"


def test_same_orders_staged_and_quarantined_in_both_bases(warehouses) -> None:
    def outcome(con: duckdb.DuckDBPyConnection) -> tuple[set, list]:
        staged = {r[0] for r in con.execute("select order_id from staging.stg_shopify__orders").fetchall()}
        quarantined = con.execute(
            "select _quarantine_reason, count(*) from staging.base_shopify__orders "
            "where _quarantine_reason is not null group by _quarantine_reason order by _quarantine_reason"
        ).fetchall()
        return staged, quarantined

    usd, eur = (outcome(warehouses[base]) for base in BASES)
    assert usd[0] == eur[0]
    assert usd[1] == eur[1]


def test_fct_orders_totals_relate_by_the_rate(warehouses) -> None:
    """sum(EUR) = sum(USD / EUR's rate in USD on the order date), to within the cents each side
    rounds per amount; and the totals really differ (a var read by nothing would give equal ones)."""
    query = "select order_id, order_date, total_amount, net_amount from marts.fct_orders where is_counted_order"
    usd, eur = ({r[0]: r[1:] for r in warehouses[b].execute(query).fetchall()} for b in BASES)
    assert usd.keys() == eur.keys() and usd
    for column in (1, 2):  # total_amount, net_amount
        in_eur = sum(eur[order_id][column] for order_id in eur)
        from_usd = sum(row[column] / rebased_rate("EUR", row[0], "USD") for row in usd.values())
        assert abs(in_eur - from_usd) <= len(usd) * CENT
    assert sum(r[1] for r in eur.values()) != sum(r[1] for r in usd.values())
