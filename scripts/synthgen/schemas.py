"""Arrow schemas of the 18 raw tables: the contract of models/staging/*/_*__sources.yml.

tests/python/test_generate_data.py parses the yml files and checks these (and the written files)
against them, so the two cannot drift apart.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

S = pa.string()
I64 = pa.int64()
I32 = pa.int32()
F64 = pa.float64()
B = pa.bool_()
TS = pa.timestamp("us")


def _schema(*cols: tuple[str, pa.DataType]) -> pa.Schema:
    return pa.schema([pa.field(name, typ) for name, typ in cols])


SCHEMAS: dict[str, pa.Schema] = {
    "crm.contacts": _schema(
        ("contact_id", S), ("email", S), ("phone", S), ("first_name", S), ("last_name", S),
        ("birth_date", S), ("gender", S), ("city", S), ("region", S), ("postcode", S),
        ("country", S), ("income_band", S), ("job_title", S), ("account_id", S),
        ("email_verified", B), ("created_at", S), ("updated_at", S), ("_loaded_at", TS)),
    "crm.accounts": _schema(
        ("account_id", S), ("account_name", S), ("industry", S), ("employee_band", S),
        ("revenue_band", S), ("country", S), ("created_at", S), ("updated_at", S),
        ("_loaded_at", TS)),
    "crm.account_technologies": _schema(
        ("account_id", S), ("technology", S), ("technology_category", S),
        ("first_detected_at", S), ("last_detected_at", S), ("_loaded_at", TS)),
    "crm.survey_responses": _schema(
        ("response_id", S), ("contact_id", S), ("question_key", S), ("answer", S),
        ("responded_at", S), ("_loaded_at", TS)),
    "crm.consent_events": _schema(
        ("consent_event_id", S), ("contact_id", S), ("channel", S), ("purpose", S),
        ("status", S), ("occurred_at", S), ("_loaded_at", TS)),
    "crm.support_tickets": _schema(
        ("ticket_id", S), ("contact_id", S), ("email", S), ("category", S),
        ("sentiment_score", S), ("status", S), ("created_at", S), ("updated_at", S),
        ("_loaded_at", TS)),
    "ga4.events": _schema(
        ("event_id", S), ("event_date", S), ("event_timestamp", I64), ("event_name", S),
        ("user_pseudo_id", S), ("user_id", S), ("ga_session_id", I64), ("page_location", S),
        ("page_referrer", S), ("page_title", S), ("search_term", S), ("traffic_source", S),
        ("traffic_medium", S), ("traffic_campaign", S), ("device_category", S),
        ("device_operating_system", S), ("device_browser", S), ("device_user_agent", S),
        ("geo_country", S), ("geo_region", S), ("geo_city", S), ("transaction_id", S),
        ("purchase_revenue", F64), ("currency", S), ("_loaded_at", TS)),
    "ga4.event_items": _schema(
        ("event_id", S), ("item_index", I32), ("item_id", S), ("item_name", S),
        ("item_category", S), ("price", F64), ("quantity", I32), ("item_on_sale", B),
        ("_loaded_at", TS)),
    "shopify.orders": _schema(
        ("order_id", I64), ("order_number", S), ("customer_id", I64), ("email", S),
        ("phone", S), ("created_at", S), ("processed_at", S), ("updated_at", S),
        ("cancelled_at", S), ("cancel_reason", S), ("currency", S), ("subtotal_price", S),
        ("total_discounts", S), ("total_shipping", S), ("total_tax", S), ("total_price", S),
        ("financial_status", S), ("fulfillment_status", S), ("source_name", S),
        ("discount_codes", S), ("shipping_country", S), ("is_test", B), ("_loaded_at", TS)),
    "shopify.order_lines": _schema(
        ("order_line_id", I64), ("order_id", I64), ("product_id", I64), ("sku", S),
        ("quantity", I32), ("price", S), ("compare_at_price", S), ("total_discount", S),
        ("_loaded_at", TS)),
    "shopify.refunds": _schema(
        ("refund_id", I64), ("order_id", I64), ("created_at", S), ("note", S),
        ("shipping_refund", S), ("_loaded_at", TS)),
    "shopify.refund_lines": _schema(
        ("refund_line_id", I64), ("refund_id", I64), ("order_line_id", I64), ("quantity", I32),
        ("subtotal", S), ("restock_type", S), ("_loaded_at", TS)),
    "shopify.products": _schema(
        ("product_id", I64), ("title", S), ("product_type", S), ("collection", S),
        ("vendor", S), ("is_new_arrival", B), ("published_at", S), ("created_at", S),
        ("updated_at", S), ("_loaded_at", TS)),
    "marketing.email_events": _schema(
        ("email_event_id", S), ("campaign_id", S), ("email", S), ("event_type", S),
        ("occurred_at", S), ("url", S), ("_loaded_at", TS)),
    "marketing.campaigns": _schema(
        ("campaign_id", S), ("campaign_name", S), ("channel", S), ("target_audience", S),
        ("start_date", S), ("end_date", S), ("_loaded_at", TS)),
    "marketing.ad_spend": _schema(
        ("spend_date", S), ("campaign_id", S), ("platform", S), ("currency", S), ("spend", S),
        ("impressions", I64), ("clicks", I64), ("_loaded_at", TS)),
    "marketing.experiment_assignments": _schema(
        ("assignment_id", S), ("experiment_id", S), ("variant", S), ("user_pseudo_id", S),
        ("user_id", S), ("assigned_at", S), ("_loaded_at", TS)),
    # Appended last on purpose: a table's position here is its random-stream id in the generator
    # (generator.emit), so a new table must not shift the tables before it.
    "shopify.customers": _schema(
        ("customer_id", I64), ("email", S), ("phone", S), ("first_name", S), ("last_name", S),
        ("state", S), ("verified_email", B), ("accepts_marketing", B),
        ("accepts_marketing_updated_at", S), ("tags", S), ("currency", S),
        ("default_address_country", S), ("created_at", S), ("updated_at", S), ("_loaded_at", TS)),
}

# Natural key columns per table (used for planted bad rows / duplicates in the truth).
NATURAL_KEYS: dict[str, tuple[str, ...]] = {
    "crm.contacts": ("contact_id",),
    "crm.accounts": ("account_id",),
    "crm.account_technologies": ("account_id", "technology"),
    "crm.survey_responses": ("response_id",),
    "crm.consent_events": ("consent_event_id",),
    "crm.support_tickets": ("ticket_id",),
    "ga4.events": ("event_id",),
    "ga4.event_items": ("event_id", "item_index"),
    "shopify.orders": ("order_id",),
    "shopify.order_lines": ("order_line_id",),
    "shopify.refunds": ("refund_id",),
    "shopify.refund_lines": ("refund_line_id",),
    "shopify.products": ("product_id",),
    "marketing.email_events": ("email_event_id",),
    "marketing.campaigns": ("campaign_id",),
    "marketing.ad_spend": ("spend_date", "campaign_id", "platform"),
    "marketing.experiment_assignments": ("assignment_id",),
    "shopify.customers": ("customer_id",),
}


def write_raw_tables(tables: dict[str, pa.Table], raw: Path) -> dict[str, int]:
    """Write raw/<system>/<table>/part-00000.parquet for each given table (the importers' output),
    cast to its contract schema, contract columns it lacks as nulls. Tables the importer has no data
    for are not written: the project builds them empty when var raw_sources leaves them out (which
    scripts/build_warehouse.py does). A column outside the contract (a typo would otherwise become a
    null column) is an error. Returns the row count per written table."""
    unknown = {key: sorted(set(t.column_names) - set(SCHEMAS[key].names)) for key, t in tables.items()}
    if any(unknown.values()):
        raise ValueError(f"columns outside the raw contract (synthgen/schemas.py): {unknown}")
    counts = {}
    for key, table in tables.items():
        schema = SCHEMAS[key]
        folder = raw / Path(*key.split("."))
        folder.mkdir(parents=True, exist_ok=True)
        columns = [table[f.name] if f.name in table.column_names else pa.nulls(table.num_rows, f.type)
                   for f in schema]
        arrow = pa.Table.from_arrays(columns, names=schema.names).cast(schema)
        pq.write_table(arrow, folder / "part-00000.parquet")
        counts[key] = arrow.num_rows
    return counts


def print_import_summary(counts: dict[str, int], out: Path, base_currency: str) -> None:
    """What an importer wrote, and the command that builds it (on stderr)."""
    for key, n in counts.items():
        print(f"{key:<24} {n:>9,}", file=sys.stderr)
    print(f"raw tables in {out / 'raw'}; build them with:\n"
          f"  make own-data RAW={out / 'raw'} DB={out / 'warehouse.duckdb'} VARS='{{base_currency: {base_currency}}}'",
          file=sys.stderr)
