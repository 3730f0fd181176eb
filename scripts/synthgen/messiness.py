"""Planted bad rows: copies of real rows with exactly one defect, appended to a table.

Each planted row gets a fresh natural key (except missing_key rows) so that quarantining it leaves
the rest of the data consistent; the truth records table, key, reason code and location.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa

from . import config
from .population import affine
from .schemas import NATURAL_KEYS, SCHEMAS
from .world import World

UNPARSEABLE_TS = ("not a date", "2024-13-45T99:00:00")
UNPARSEABLE_AMOUNT = ("12,34.5x", "1.234,56€", "n/a")
UNKNOWN_EVENTS = ("scroll_depth_test", "add_to_wishlist_v2", "purchase_attempt_legacy")
TS_COLS = {
    "crm.contacts": ("created_at", "updated_at"), "crm.accounts": ("created_at", "updated_at"),
    "crm.account_technologies": ("first_detected_at", "last_detected_at"),
    "crm.survey_responses": ("responded_at",), "crm.consent_events": ("occurred_at",),
    "crm.support_tickets": ("created_at", "updated_at"),
    "shopify.orders": ("created_at", "processed_at", "updated_at"),
    "shopify.refunds": ("created_at",), "shopify.products": ("published_at", "created_at",
                                                            "updated_at"),
    "marketing.email_events": ("occurred_at",), "marketing.experiment_assignments": ("assigned_at",),
    "shopify.customers": ("created_at", "updated_at"),
}
UNKNOWN_VALUE = {
    "crm.survey_responses": ("question_key", "favourite_colour"),
    "crm.consent_events": ("status", "maybe_later"),
    "crm.support_tickets": ("category", "telepathy"),
    "shopify.orders": ("financial_status", "in_limbo"),
    "shopify.refund_lines": ("restock_type", "teleported"),
    "marketing.email_events": ("event_type", "deferred_maybe"),
    "marketing.experiment_assignments": ("variant", "???"),
    "shopify.customers": ("state", "suspended"),
}
MONEY_ORDER = ("subtotal_price", "total_discounts", "total_shipping", "total_tax", "total_price")


def _cents(text: str) -> int:
    neg = text.startswith("-")
    whole, frac = text.lstrip("-").split(".")
    v = int(whole) * 100 + int(frac)
    return -v if neg else v


def _money(c: int) -> str:
    return ("-" if c < 0 else "") + f"{abs(c) // 100}.{abs(c) % 100:02d}"


def n_bad(key: str, n_rows: int) -> int:
    if key in ("marketing.campaigns",):
        return 1
    if key in ("marketing.ad_spend",):
        return len(config.BAD_ROW_REASONS[key])
    return round(config.RATES["bad_row"] * n_rows)


def plant(key: str, table: pa.Table, world: World, rng: np.random.Generator
          ) -> tuple[pa.Table, list[dict]]:
    """Append bad rows to table; return (table, truth rows with row_offset)."""
    m = n_bad(key, table.num_rows)
    if m == 0 or table.num_rows == 0:
        return table, []
    w = world.window
    reasons = list(config.BAD_ROW_REASONS[key])
    reason_of = [reasons[i % len(reasons)] for i in rng.permutation(m)]
    src = np.sort(rng.choice(table.num_rows, m, replace=table.num_rows < m))
    rows = table.take(pa.array(src)).to_pylist()
    keys = NATURAL_KEYS[key]
    new_keys = _new_keys(key, m, world, rows)
    as_of_end = w.end
    truth = []
    for i, (row, reason) in enumerate(zip(rows, reason_of, strict=True)):
        for kc, kv in zip(keys, new_keys[i], strict=True):
            row[kc] = kv
        col, bad = _corrupt(key, row, reason, rng, world, as_of_end, i)
        nk = None if any(row[k] is None for k in keys) else "|".join(str(row[k]) for k in keys)
        truth.append({"table": key, "natural_key": nk, "reason_code": reason, "column_name": col,
                      "bad_value": None if bad is None else str(bad),
                      "row_offset": table.num_rows + i})
    bad_tbl = pa.Table.from_pylist(rows, schema=SCHEMAS[key])
    cols = []
    for f in table.schema:
        arr = bad_tbl.column(f.name)
        if pa.types.is_dictionary(f.type):
            arr = arr.combine_chunks().dictionary_encode()
        cols.append(arr)
    bad_tbl = pa.Table.from_arrays(cols, schema=table.schema)
    return pa.concat_tables([table, bad_tbl]), truth


def _new_keys(key: str, m: int, world: World, rows: list[dict]) -> list[tuple]:
    c = world.counters
    if key == "crm.contacts":
        seq = c.take("bad_contact", m)
        return [(f"C9{s:07d}",) for s in seq]
    if key == "crm.accounts":
        return [(f"A{s + 1:06d}",) for s in c.take("account", m)]
    if key == "crm.account_technologies":
        return [(r["account_id"], f"Legacy ERP {i + 1}") for i, r in enumerate(rows)]
    if key == "crm.survey_responses":
        return [(f"R{s + 1:08d}",) for s in c.take("survey", m)]
    if key == "crm.consent_events":
        return [(f"CE{s + 1:09d}",) for s in c.take("consent", m)]
    if key == "crm.support_tickets":
        return [(f"T{s + 1:08d}",) for s in c.take("ticket", m)]
    if key == "ga4.events":
        seq = c.take("event", m)
        ids = 10**13 + affine(seq, 9 * 10**13, 2_654_435_761, 97_531)
        return [(str(x),) for x in ids]
    if key == "ga4.event_items":
        return [(r["event_id"], 50 + i) for i, r in enumerate(rows)]
    if key == "shopify.orders":
        seq = c.take("order", m)
        return [(int(5_800_000_000_000 + s * 7 + 3),) for s in seq]
    if key == "shopify.order_lines":
        return [(int(13_000_000_000_000 + s * 3 + 1),) for s in c.take("order_line", m)]
    if key == "shopify.refunds":
        return [(int(900_000_000_000 + s * 11 + 5),) for s in c.take("refund", m)]
    if key == "shopify.refund_lines":
        return [(int(950_000_000_000 + s * 13 + 7),) for s in c.take("refund_line", m)]
    if key == "shopify.products":
        base = config.N_PRODUCTS
        return [(int(8_000_000_000 + (base + i) * 37 + 11),) for i in range(m)]
    if key == "marketing.email_events":
        return [(f"ee_{s + 1}",) for s in c.take("email_event", m)]
    if key == "marketing.campaigns":
        return [(f"cmp_broken_{i + 1}",) for i in range(m)]
    if key == "marketing.ad_spend":
        emails = [cc for cc in world.campaigns if cc["channel"] == "email"]
        out = []
        for i in range(m):
            cmp_ = emails[i % len(emails)]
            day = dt.date(1970, 1, 1) + dt.timedelta(days=cmp_["start"])
            out.append((day.isoformat(), cmp_["id"], rows[i]["platform"]))
        return out
    if key == "marketing.experiment_assignments":
        return [(f"asg_{s}",) for s in c.take("assignment", m)]
    if key == "shopify.customers":  # outside the range of real customer ids (7.1e12 + 1e10)
        return [(int(7_200_000_000_000 + s * 7 + 1),) for s in c.take("bad_customer", m)]
    raise KeyError(key)


def _iso_future(w, rng: np.random.Generator) -> str:
    t = w.end + int(config.FUTURE_MIN_DAYS * 86_400 + rng.integers(0, 60 * 86_400))
    return dt.datetime.fromtimestamp(t, dt.UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")


def _corrupt(key: str, row: dict, reason: str, rng: np.random.Generator, world: World,
             end: int, i: int) -> tuple[str, object]:
    w = world.window
    keys = NATURAL_KEYS[key]
    if reason == "missing_key":
        row[keys[0]] = None
        return keys[0], None
    if reason == "unparseable_timestamp":
        col = TS_COLS[key][0]
        row[col] = UNPARSEABLE_TS[i % 2]
        return col, row[col]
    if reason == "future_timestamp":
        if key == "ga4.events":
            t = end + int(config.FUTURE_MIN_DAYS * 86_400 + rng.integers(0, 60 * 86_400))
            row["event_timestamp"] = t * 1_000_000
            row["event_date"] = dt.datetime.fromtimestamp(t, dt.UTC).strftime("%Y%m%d")
            return "event_timestamp", row["event_timestamp"]
        fut = _iso_future(w, rng)
        for col in TS_COLS[key]:
            row[col] = fut
        return TS_COLS[key][0], fut
    if reason == "implausible_timestamp":
        if key == "ga4.events":
            row["event_timestamp"] = 86_400 * 1_000_000
            row["event_date"] = "19700102"
            return "event_timestamp", row["event_timestamp"]
        col = TS_COLS[key][0]
        row[col] = "1899-12-30T00:00:00Z"
        return col, row[col]
    if reason == "invalid_date_range":
        if key == "marketing.campaigns":
            start = dt.date.fromisoformat(row["start_date"])
            row["end_date"] = (start - dt.timedelta(days=7)).isoformat()
            return "end_date", row["end_date"]
        a, b = TS_COLS[key][:2]
        if row[a] == row[b]:
            row[b] = "2000-01-01T00:00:00Z"
        else:
            row[a], row[b] = row[b], row[a]
        return b, row[b]
    if reason == "unknown_value":
        col, val = UNKNOWN_VALUE[key]
        row[col] = val
        return col, val
    if reason == "unknown_event_name":
        row["event_name"] = UNKNOWN_EVENTS[i % len(UNKNOWN_EVENTS)]
        return "event_name", row["event_name"]
    if reason == "unparseable_amount":
        col = {"shopify.orders": "total_price", "shopify.order_lines": "price",
               "crm.support_tickets": "sentiment_score", "marketing.ad_spend": "spend"}[key]
        row[col] = UNPARSEABLE_AMOUNT[i % len(UNPARSEABLE_AMOUNT)]
        return col, row[col]
    if reason == "negative_amount":
        if key == "shopify.orders":  # negate every amount: still adds up, only the sign is wrong
            for col in MONEY_ORDER:
                row[col] = _money(-abs(_cents(row[col])) if _cents(row[col]) else 0)
            if _cents(row["subtotal_price"]) == 0:
                row["subtotal_price"] = "-10.00"
                row["total_price"] = _money(_cents(row["total_price"]) - 1000)
            return "total_price", row["total_price"]
        if key == "shopify.order_lines":
            row["quantity"] = -abs(row["quantity"])
            return "quantity", row["quantity"]
        if key == "shopify.refunds":
            row["shipping_refund"] = "-5.00"
            return "shipping_refund", row["shipping_refund"]
        if key == "shopify.refund_lines":
            row["subtotal"] = _money(-abs(_cents(row["subtotal"])) - 100)
            return "subtotal", row["subtotal"]
        if key == "ga4.events":
            row["event_name"] = "purchase"
            row["purchase_revenue"] = -round(float(rng.uniform(5, 200)), 2)
            row["currency"] = row["currency"] or "USD"
            row["transaction_id"] = None
            return "purchase_revenue", row["purchase_revenue"]
        if key == "ga4.event_items":
            row["price"] = -abs(row["price"] or 0.0) - 1.0
            return "price", row["price"]
        if key == "marketing.ad_spend":
            row["spend"] = _money(-abs(_cents(row["spend"])) - 100)
            return "spend", row["spend"]
    if reason == "amounts_do_not_add_up":
        row["total_price"] = _money(_cents(row["total_price"]) + int(rng.integers(100, 5000)))
        return "total_price", row["total_price"]
    if reason == "impossible_amount":
        amount = 250_000_000  # 2.5M USD in cents
        row["currency"] = "USD"
        row["subtotal_price"] = _money(amount)
        row["total_discounts"] = row["total_shipping"] = row["total_tax"] = "0.00"
        row["total_price"] = _money(amount)
        return "total_price", row["total_price"]
    if reason == "unknown_currency":
        if key == "ga4.events":
            row["event_name"] = "purchase"
            row["purchase_revenue"] = round(float(rng.uniform(5, 200)), 2)
            row["transaction_id"] = None
        row["currency"] = "XXX"
        return "currency", "XXX"
    raise ValueError(f"no corruption for {key} / {reason}")


