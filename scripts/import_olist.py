#!/usr/bin/env python3
"""Import the Olist Brazilian e-commerce subset as Shopify-shaped raw Parquet, in BRL.

    .venv/bin/python scripts/import_olist.py --olist ../shared/datasets/olist_subset --out data/olist
    make own-data RAW=data/olist/raw DB=data/olist/warehouse.duckdb VARS='{base_currency: BRL}'

Mapping (docs/research/byod_olist.md explains each convention):
- one Olist order → one shopify.orders row: order_id = rank of the Olist order_id (which becomes
  order_number), customer_id = rank of the Olist customer_id (one per order); currency BRL;
  subtotal = Σ item price, shipping = Σ freight_value, no discounts or tax, total = subtotal +
  shipping (payments are not read: they add installment interest and split over vouchers);
  timestamps read in America/Sao_Paulo and written as UTC ISO 8601;
- status canceled → cancelled (reason other), unavailable → cancelled (reason inventory), both
  voided, stamped cancelled at the purchase time (Olist records no cancellation time); created
  (never approved) → pending; every other status → paid; shipped and delivered → fulfilled;
- one order item → one shopify.order_lines row of quantity 1 (Olist writes a row per unit);
- one Olist customer_id → one shopify.customers row (no email, phone or name: Olist has none);
- one product → one shopify.products row (product_type = the English category name);
- columns Olist has nothing for are null; no other raw table is written (the project builds them
  empty: var raw_sources).
customer_unique_id (the person behind several customer_ids) is NOT imported: it is the answer key
that tests/python/test_byod_olist.py scores the identity graph against (see answer_key()).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import duckdb

SCRIPTS = Path(__file__).resolve().parent
sys.path.insert(0, str(SCRIPTS))
from synthgen.schemas import print_import_summary, write_raw_tables  # noqa: E402 (needs the sys.path line)

LOADED_AT = "2018-10-18 00:00:00"  # the extraction moment: the day after the last purchase (UTC)
SOURCE_TIME_ZONE = "America/Sao_Paulo"
FILES = {
    "orders": "olist_orders_dataset.csv",
    "order_items": "olist_order_items_dataset.csv",
    "customers": "olist_customers_dataset.csv",
    "products": "olist_products_dataset.csv",
    "categories": "product_category_name_translation.csv",
}


def _utc(column: str) -> str:
    """SQL: Olist local time text → UTC ISO 8601 text (null stays null)."""
    return (f"strftime(timezone('UTC', timezone('{SOURCE_TIME_ZONE}', cast(nullif({column}, '') as timestamp))),"
            f" '%Y-%m-%dT%H:%M:%SZ')")


def _load(con: duckdb.DuckDBPyConnection, olist: Path) -> None:
    for name, file in FILES.items():
        con.execute(f"create table {name} as select * from read_csv(?, all_varchar = true, header = true)",
                    [str(olist / file)])
    con.execute("""
        create table order_keys as
        select order_id as olist_order_id, dense_rank() over (order by order_id) as order_id,
               customer_id as olist_customer_id, dense_rank() over (order by customer_id) as customer_id
        from orders
    """)


def _tables() -> dict[str, str]:
    return {
        "shopify.orders": f"""
            with items as (
                select order_id, sum(cast(price as decimal(18, 2))) as subtotal,
                       sum(cast(freight_value as decimal(18, 2))) as shipping
                from order_items group by order_id
            )
            select
                keys.order_id,
                orders.order_id as order_number,
                keys.customer_id,
                {_utc('orders.order_purchase_timestamp')} as created_at,
                {_utc('orders.order_approved_at')} as processed_at,
                {_utc('''greatest(orders.order_purchase_timestamp, orders.order_approved_at,
                    orders.order_delivered_carrier_date, orders.order_delivered_customer_date)''')} as updated_at,
                case when orders.order_status in ('canceled', 'unavailable')
                    then {_utc('orders.order_purchase_timestamp')} end as cancelled_at,
                case orders.order_status when 'canceled' then 'other' when 'unavailable' then 'inventory' end
                    as cancel_reason,
                'BRL' as currency,
                printf('%.2f', coalesce(items.subtotal, 0)) as subtotal_price,
                '0.00' as total_discounts,
                printf('%.2f', coalesce(items.shipping, 0)) as total_shipping,
                '0.00' as total_tax,
                printf('%.2f', coalesce(items.subtotal, 0) + coalesce(items.shipping, 0)) as total_price,
                case
                    when orders.order_status in ('canceled', 'unavailable') then 'voided'
                    when orders.order_approved_at is null or orders.order_approved_at = '' then 'pending'
                    else 'paid'
                end as financial_status,
                case when orders.order_status in ('shipped', 'delivered') then 'fulfilled' end as fulfillment_status,
                'web' as source_name,
                'BR' as shipping_country,
                false as is_test,
                timestamp '{LOADED_AT}' as _loaded_at
            from orders
            inner join order_keys as keys on orders.order_id = keys.olist_order_id
            left join items on orders.order_id = items.order_id
            order by keys.order_id
        """,
        "shopify.order_lines": f"""
            select
                row_number() over (order by keys.order_id, cast(items.order_item_id as integer)) as order_line_id,
                keys.order_id,
                products.product_id,
                items.product_id as sku,
                1 as quantity,
                printf('%.2f', cast(items.price as decimal(18, 2))) as price,
                '0.00' as total_discount,
                timestamp '{LOADED_AT}' as _loaded_at
            from order_items as items
            inner join order_keys as keys on items.order_id = keys.olist_order_id
            inner join (select product_id as sku, dense_rank() over (order by product_id) as product_id
                        from products) as products on items.product_id = products.sku
            order by order_line_id
        """,
        "shopify.customers": f"""
            select
                keys.customer_id,
                'enabled' as state,
                false as verified_email,
                false as accepts_marketing,
                'BRL' as currency,
                'BR' as default_address_country,
                {_utc('orders.order_purchase_timestamp')} as created_at,
                {_utc('orders.order_purchase_timestamp')} as updated_at,
                timestamp '{LOADED_AT}' as _loaded_at
            from customers
            inner join order_keys as keys on customers.customer_id = keys.olist_customer_id
            inner join orders on keys.olist_order_id = orders.order_id
            order by keys.customer_id
        """,
        "shopify.products": f"""
            select
                dense_rank() over (order by products.product_id) as product_id,
                coalesce(categories.product_category_name_english, products.product_category_name,
                         'uncategorised') || ' ' || products.product_id as title,
                coalesce(categories.product_category_name_english, products.product_category_name) as product_type,
                false as is_new_arrival,
                timestamp '{LOADED_AT}' as _loaded_at
            from products
            left join categories on products.product_category_name = categories.product_category_name
            order by product_id
        """,
    }


def import_olist(olist: Path, out: Path) -> dict[str, int]:
    """Write OUT/raw/<system>/<table>/part-00000.parquet for every raw table; return the row counts."""
    con = duckdb.connect()
    con.execute("set threads = 1; set TimeZone = 'UTC'")
    _load(con, olist)
    return write_raw_tables({key: con.execute(query).to_arrow_table() for key, query in _tables().items()},
                            out / "raw")


def answer_key(olist: Path) -> list[tuple[int, str]]:
    """(shop customer_id as imported, Olist customer_unique_id): the person behind each customer id.
    For scoring only; never written to the raw tables."""
    con = duckdb.connect()
    con.execute("set threads = 1")
    _load(con, olist)
    return con.execute("""
        select keys.customer_id, customers.customer_unique_id
        from order_keys as keys
        inner join customers on keys.olist_customer_id = customers.customer_id
        order by keys.customer_id
    """).fetchall()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--olist", type=Path, required=True,
                        help="folder with the Olist CSV files (olist_orders_dataset.csv, ...)")
    parser.add_argument("--out", type=Path, default=Path("data/olist"), help="writes OUT/raw/<system>/<table>/")
    args = parser.parse_args(argv)
    missing = [file for file in FILES.values() if not (args.olist / file).is_file()]
    if missing:
        parser.error(f"{args.olist} lacks {', '.join(missing)}: point --olist at the Olist CSV folder")
    counts = import_olist(args.olist, args.out)
    print_import_summary(counts, args.out, "BRL")
    return 0


if __name__ == "__main__":
    sys.exit(main())
