#!/usr/bin/env python3
"""Synthetic inputs of the scoring stage (RFM, lifecycle, value) at any scale, as Parquet and DuckDB.

    python scripts/benchmarks/make_scoring_inputs.py --customers 1000000 --orders 10000000 \\
        --workdir /tmp/hbench/scoring_1m

Writes <workdir>/inputs/{fct_orders,dim_customers,customer_features,int_as_of_date}.parquet and
loads them into <workdir>/warehouse.duckdb at the relations the dbt refs resolve to (the orders as
intermediate.int_orders_resolved, which the order summary reads; marts.dim_customers,
marts.customer_features, intermediate.int_as_of_date), with the warehouse column types (orders: only
the columns the stage reads). Deterministic for a seed.

Shapes: ~10% prospects (no order); orders per buyer heavy-tailed (1 + a lognormal-weighted share);
each buyer active over a span inside the ~730 days before the as-of date, a few orders dated after it;
~2.5% cancelled/test orders, 0.3% orders without a customer_key; refunds on ~7% of orders (some larger
than the net, so a negative net); tickets for ~4% of customers (prospects too). Money in cents.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

sys.path.insert(0, str(Path(__file__).resolve().parent))
from scoring_common import FACT_MONEY_TYPE, micro_to_decimal

INPUT_TABLES = {  # parquet name -> warehouse relation
    "fct_orders": "intermediate.int_orders_resolved",
    "dim_customers": "marts.dim_customers",
    "customer_features": "marts.customer_features",
    "int_as_of_date": "intermediate.int_as_of_date",
}
_HEX = np.array([f"{i:02x}".encode() for i in range(256)], dtype="S2")


def _log(msg: str, quiet: bool) -> None:
    if not quiet:
        print(msg, file=sys.stderr, flush=True)


def _hex_keys(rng: np.random.Generator, n: int) -> pa.Array:
    """n distinct md5-like 32-hex strings."""
    raw = rng.integers(0, 256, size=(n, 16), dtype=np.uint8)
    text = np.ascontiguousarray(_HEX[raw]).tobytes()
    offsets = np.arange(0, 32 * (n + 1), 32, dtype=np.int32)
    keys = pa.Array.from_buffers(pa.string(), n, [None, pa.py_buffer(offsets), pa.py_buffer(text)])
    if len(np.unique(np.frombuffer(text, dtype="S32"))) != n:
        raise RuntimeError("duplicate customer_key drawn; use another --seed")
    return keys


def _cents_to_money(cents: np.ndarray) -> pa.Array:
    return micro_to_decimal(cents.astype(np.int64) * 10_000).cast(FACT_MONEY_TYPE)


def generate(customers: int, orders: int, seed: int, as_of: dt.date, days: int, quiet: bool = False) -> dict:
    """The four input tables as Arrow tables (deterministic for the arguments)."""
    rng = np.random.default_rng(seed)
    t0 = time.perf_counter()
    keys = _hex_keys(rng, customers)

    # buyers and their order counts: each buyer at least one order, the rest heavy-tailed
    is_buyer = rng.random(customers) >= 0.10
    buyers = np.flatnonzero(is_buyer)
    n_null_key = int(orders * 0.003)
    n_keyed = orders - n_null_key
    if n_keyed < len(buyers):
        raise ValueError(f"--orders must be at least ~{int(len(buyers) / 0.997) + 1} for {customers} customers")
    weight = rng.lognormal(0.0, 1.4, size=len(buyers))
    extra = rng.choice(len(buyers), size=n_keyed - len(buyers), p=weight / weight.sum())
    per_buyer = 1 + np.bincount(extra, minlength=len(buyers))
    buyer_of_order = np.repeat(np.arange(len(buyers)), per_buyer)

    # each buyer is active between first_ago and last_ago days before the as-of date
    first_ago = rng.integers(0, days, size=len(buyers))
    span = np.minimum(first_ago, rng.exponential(250.0, size=len(buyers)).astype(np.int64))
    last_ago = first_ago - span
    days_ago = last_ago[buyer_of_order] + np.floor(
        rng.random(n_keyed) * (span[buyer_of_order] + 1)).astype(np.int64)
    late = rng.random(n_keyed) < 0.002  # dated after the as-of date (e.g. an as-of date in the past)
    days_ago[late] = -rng.integers(1, 15, size=int(late.sum()))
    customer_idx = np.concatenate([buyers[buyer_of_order], np.full(n_null_key, -1)])
    days_ago = np.concatenate([days_ago, rng.integers(0, days, size=n_null_key)])
    _log(f"  orders assigned ({time.perf_counter() - t0:.1f}s)", quiet)

    # money in cents
    n = orders
    gross = np.maximum(100, np.round(rng.lognormal(np.log(49.0), 0.75, size=n) * 100)).astype(np.int64)
    has_discount = rng.random(n) < 0.35
    discount = np.where(has_discount, np.round(gross * rng.uniform(0.05, 0.30, size=n)), 0).astype(np.int64)
    shipping = rng.choice(np.array([0, 495, 695, 995]), size=n, p=[0.35, 0.25, 0.30, 0.10])
    refunded = rng.random(n) < 0.07
    n_items_refunded = np.where(refunded, rng.integers(1, 4, size=n), 0).astype(np.int32)
    item_refund = np.where(refunded, np.round(gross * rng.uniform(0.2, 1.0, size=n)), 0).astype(np.int64)
    shipping_refund = np.where(refunded & (rng.random(n) < 0.3), shipping, 0).astype(np.int64)
    net = gross - discount - item_refund
    is_counted = rng.random(n) >= 0.025
    order_id = rng.permutation(n).astype(np.int64) + 5_000_000_000

    # rows in load order: by order date, ties in random order
    order_day = np.int64((as_of - dt.date(1970, 1, 1)).days) - days_ago
    row_order = np.lexsort((rng.random(n), order_day))
    take = pa.array(row_order)
    customer_col = keys.take(pa.array(customer_idx, mask=customer_idx < 0))  # null index -> null key
    fct_orders = pa.table({
        "order_id": pa.array(order_id),
        "customer_key": customer_col,
        "order_date": pa.array(order_day.astype(np.int32)).cast(pa.date32()),
        # noon of the order day; the summary reads it for first/last order time only
        "created_at": pa.array(order_day * 86_400_000_000 + 43_200_000_000).cast(pa.timestamp("us")),
        "has_discount_code": pa.array(discount > 0),
        "is_counted_order": pa.array(is_counted),
        "gross_amount": _cents_to_money(gross),
        "discount_amount": _cents_to_money(discount),
        "item_refund_amount": _cents_to_money(item_refund),
        "net_amount": _cents_to_money(net),
        "shipping_amount": _cents_to_money(shipping),
        "shipping_refund_amount": _cents_to_money(shipping_refund),
        "n_items_refunded": pa.array(n_items_refunded),
    }).take(take)
    _log(f"  fct_orders built ({time.perf_counter() - t0:.1f}s)", quiet)

    has_tickets = rng.random(customers) < 0.04
    n_tickets = np.where(has_tickets, rng.geometric(0.5, size=customers), 0).astype(np.int64)
    dim_customers = pa.table({"customer_key": keys})
    customer_features = pa.table({"customer_key": keys, "n_tickets": pa.array(n_tickets)})
    int_as_of_date = pa.table({"as_of_date": pa.array([as_of], type=pa.date32()),
                               "as_of_date_source": pa.array(["var"], type=pa.string())})
    return {"fct_orders": fct_orders, "dim_customers": dim_customers,
            "customer_features": customer_features, "int_as_of_date": int_as_of_date}


def write(tables: dict[str, pa.Table], workdir: Path, quiet: bool = False) -> Path:
    """Parquet files under workdir/inputs and a fresh DuckDB warehouse workdir/warehouse.duckdb."""
    import duckdb

    inputs = workdir / "inputs"
    inputs.mkdir(parents=True, exist_ok=True)
    for name, table in tables.items():
        pq.write_table(table, inputs / f"{name}.parquet")
    db_path = workdir / "warehouse.duckdb"
    for stale in (db_path, db_path.with_suffix(".duckdb.wal")):
        stale.unlink(missing_ok=True)
    con = duckdb.connect(str(db_path))
    for name, relation in INPUT_TABLES.items():
        schema = relation.split(".")[0]
        con.execute(f"create schema if not exists {schema}")
        con.execute(f"create table {relation} as select * from read_parquet('{inputs / (name + '.parquet')}')")
    con.close()
    _log(f"  written to {inputs} and {db_path}", quiet)
    return db_path


def make(customers: int, orders: int, workdir: Path, seed: int = 42, as_of: str = "2025-12-31",
         days: int = 730, quiet: bool = False) -> dict:
    t0 = time.perf_counter()
    tables = generate(customers, orders, seed, dt.date.fromisoformat(as_of), days, quiet)
    write(tables, workdir, quiet)
    meta = {"customers": customers, "orders": orders, "seed": seed, "as_of": as_of, "days": days,
            "seconds": round(time.perf_counter() - t0, 1)}
    (workdir / "inputs" / "meta.json").write_text(json.dumps(meta, indent=2) + "\n")
    _log(f"inputs for {customers:,} customers / {orders:,} orders in {meta['seconds']}s", quiet)
    return meta


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--customers", type=int, default=1_000_000)
    p.add_argument("--orders", type=int, default=10_000_000)
    p.add_argument("--workdir", type=Path, required=True, help="folder for inputs/ and warehouse.duckdb")
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--as-of", default="2025-12-31", dest="as_of", help="as-of date, YYYY-MM-DD")
    p.add_argument("--days", type=int, default=730, help="order history length before the as-of date")
    p.add_argument("--quiet", action="store_true")
    a = p.parse_args(argv)
    if a.customers <= 0 or a.orders <= 0 or a.days <= 0:
        p.error("--customers, --orders and --days must be positive")
    try:
        dt.date.fromisoformat(a.as_of)
    except ValueError:
        p.error(f"--as-of must be YYYY-MM-DD, got {a.as_of!r}")
    try:
        make(a.customers, a.orders, a.workdir, a.seed, a.as_of, a.days, a.quiet)
    except ValueError as exc:
        p.error(str(exc))
    return 0


if __name__ == "__main__":
    sys.exit(main())
