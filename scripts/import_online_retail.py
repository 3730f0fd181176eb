#!/usr/bin/env python3
"""Import the UCI Online Retail dataset as Shopify-shaped raw Parquet: a bring-your-own-data example.

    .venv/bin/python scripts/import_online_retail.py --csv ../shared/datasets/online_retail/online_retail.csv.gz \
        --out data/online_retail
    make own-data RAW=data/online_retail/raw DB=data/online_retail/warehouse.duckdb VARS='{base_currency: GBP}'

Mapping (see docs/decisions.md, "Bring your own data: UCI Online Retail"):
- one invoice → one shopify.orders row (order_id = invoice digits; credit notes "C…" + 10,000,000,
  adjustments "A…" + 20,000,000, so the three number ranges never collide), currency GBP,
  subtotal = total = Σ quantity × unit price (prices rounded to the cent, as Shopify stores them),
  InvoiceDate read in Europe/London and written as UTC ISO 8601;
- one CSV line → one shopify.order_lines row (order_line_id = line number in the file);
- one StockCode → one shopify.products row (product_id = rank of the code, title = its first
  description in code order);
- no other raw table is written: the project builds them empty (var raw_sources).
Credit notes and bad-debt adjustments carry negative amounts: staging quarantines them as
negative_amount, which is what a user should see for such rows.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import duckdb

SCRIPTS = Path(__file__).resolve().parent
sys.path.insert(0, str(SCRIPTS))
from synthgen.schemas import print_import_summary, write_raw_tables  # noqa: E402 (needs the sys.path line)

LOADED_AT = "2011-12-10 00:00:00"  # the extraction moment: the day after the last invoice


def import_online_retail(csv_path: Path, out: Path) -> dict[str, int]:
    raw = out / "raw"
    con = duckdb.connect()
    con.execute("set threads = 1; set TimeZone = 'UTC'")
    con.execute(
        "create table lines as select row_number() over () as line_number, * "
        "from read_csv(?, all_varchar = true, header = true)",
        [str(csv_path)],
    )
    con.execute(
        """
        create table typed_lines as
        select
            line_number,
            InvoiceNo as invoice_no,
            cast(regexp_extract(InvoiceNo, '[0-9]+') as bigint)
                + case left(InvoiceNo, 1) when 'C' then 10000000 when 'A' then 20000000 else 0 end as order_id,
            StockCode as stock_code,
            Description as description,
            cast(Quantity as integer) as quantity,
            round(cast(UnitPrice as decimal(18, 3)), 2) as unit_price,
            cast(cast(CustomerID as double) as bigint) as customer_id,
            Country as country,
            strftime(timezone('UTC', timezone('Europe/London', cast(InvoiceDate as timestamp))),
                     '%Y-%m-%dT%H:%M:%SZ') as invoiced_at
        from lines
        """
    )
    tables = {
        "shopify.orders": f"""
            select
                order_id,
                invoice_no as order_number,
                any_value(customer_id order by line_number) as customer_id,
                cast(null as varchar) as email,
                cast(null as varchar) as phone,
                min(invoiced_at) as created_at,
                min(invoiced_at) as processed_at,
                min(invoiced_at) as updated_at,
                cast(null as varchar) as cancelled_at,
                cast(null as varchar) as cancel_reason,
                'GBP' as currency,
                printf('%.2f', sum(quantity * unit_price)) as subtotal_price,
                '0.00' as total_discounts,
                '0.00' as total_shipping,
                '0.00' as total_tax,
                printf('%.2f', sum(quantity * unit_price)) as total_price,
                'paid' as financial_status,
                'fulfilled' as fulfillment_status,
                'web' as source_name,
                cast(null as varchar) as discount_codes,
                any_value(country order by line_number) as shipping_country,
                false as is_test,
                timestamp '{LOADED_AT}' as _loaded_at
            from typed_lines
            group by order_id, invoice_no
            order by order_id
        """,
        "shopify.order_lines": f"""
            select
                line_number as order_line_id,
                order_id,
                dense_rank() over (order by stock_code) as product_id,
                stock_code as sku,
                quantity,
                printf('%.2f', unit_price) as price,
                cast(null as varchar) as compare_at_price,
                '0.00' as total_discount,
                timestamp '{LOADED_AT}' as _loaded_at
            from typed_lines
            order by line_number
        """,
        "shopify.products": f"""
            select
                dense_rank() over (order by stock_code) as product_id,
                first(description order by line_number) filter (where description is not null) as title,
                cast(null as varchar) as product_type,
                cast(null as varchar) as collection,
                cast(null as varchar) as vendor,
                false as is_new_arrival,
                cast(null as varchar) as published_at,
                cast(null as varchar) as created_at,
                cast(null as varchar) as updated_at,
                timestamp '{LOADED_AT}' as _loaded_at
            from typed_lines
            group by stock_code
            order by product_id
        """,
    }
    return write_raw_tables({key: con.execute(query).to_arrow_table() for key, query in tables.items()}, raw)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--csv", type=Path, required=True, help="online_retail.csv.gz from the UCI dataset")
    parser.add_argument("--out", type=Path, default=Path("data/online_retail"), help="writes OUT/raw/<system>/<table>/")
    args = parser.parse_args(argv)
    if not args.csv.is_file():
        parser.error(f"no such file: {args.csv}")
    counts = import_online_retail(args.csv, args.out)
    print_import_summary(counts, args.out, "GBP")
    return 0


if __name__ == "__main__":
    sys.exit(main())
