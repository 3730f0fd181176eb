"""Orchestration: chunks of persons -> raw Parquet parts + ground truth."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from . import (
    config,
    crm,
    identity,
    marketing,
    messiness,
    population,
    shop,
    shop_customers,
    web,
)
from . import textops as tx
from .identity import N_PHONE_FORMATS
from .schemas import SCHEMAS
from .seeds import load_seeds
from .timeutil import HOUR_WEIGHTS, MONTH_FACTOR, WEEKDAY_FACTOR, Window
from .world import GLOBAL_CHUNK, World, rng_for
from .writer import RawWriter, TruthWriter

VERSION = "1.3.0"
TS = pa.timestamp("us")
PERSONS_SCHEMA = pa.schema([
    ("person_id", pa.int64()), ("profile", pa.string()), ("is_prospect", pa.bool_()),
    ("is_b2b", pa.bool_()), ("is_test_account", pa.bool_()), ("is_guest_only", pa.bool_()),
    ("preference", pa.string()), ("home_country", pa.string()), ("currency", pa.string()),
    ("utc_offset_std_minutes", pa.int32()), ("first_name", pa.string()), ("last_name", pa.string()),
    ("gender", pa.string()), ("birth_date", pa.date32()), ("btyd_lambda", pa.float64()),
    ("btyd_p", pa.float64()), ("btyd_nu", pa.float64()), ("btyd_repeat_limit", pa.int64()),
    ("btyd_repeat_opportunities", pa.int64()), ("expected_spend_usd", pa.float64()),
    ("acquisition_at", TS), ("n_orders", pa.int64()), ("n_repeat_orders", pa.int64()),
    ("first_order_at", TS), ("last_order_at", TS), ("is_alive_at_as_of", pa.bool_()),
    ("dropout_at", TS), ("shop_customer_id", pa.int64()), ("account_id", pa.string()),
    ("is_web_tracked", pa.bool_()), ("n_cookies", pa.int64()),
])
IDENT_SCHEMA = pa.schema([
    ("identifier_type", pa.string()), ("identifier_value", pa.string()), ("person_id", pa.int64()),
    ("is_shared", pa.bool_()), ("normalized_value", pa.string()),
])
BAD_SCHEMA = pa.schema([
    ("table", pa.string()), ("natural_key", pa.string()), ("reason_code", pa.string()),
    ("column_name", pa.string()), ("bad_value", pa.string()), ("part_file", pa.string()),
    ("row_in_part", pa.int64()),
])
DUP_SCHEMA = pa.schema([
    ("table", pa.string()), ("natural_key", pa.string()), ("duplicate_kind", pa.string()),
    ("person_id", pa.int64()), ("related_key", pa.string()),
])
# One row per chunk and planted experiment effect (config.EXPERIMENT_EFFECTS; web._planted_arms).
EFFECTS_SCHEMA = pa.schema([
    ("chunk", pa.int64()), ("experiment_id", pa.string()), ("variant", pa.string()),
    ("preference", pa.string()), ("requested_relative_lift", pa.float64()), ("n_planted_units", pa.int64()),
    ("planted_conversion_rate", pa.float64()), ("arm_shift", pa.float64()),
    ("planted_relative_lift", pa.float64()),
])


@dataclass
class Args:
    customers: int = 10_000
    days: int = 730
    seed: int = 42
    as_of: dt.date = dt.date(2025, 12, 31)
    out: Path = Path("data")
    chunk_size: int = config.CHUNK_SIZE
    behaviour_shift_from: dt.date | None = None  # config.BEHAVIOUR_SHIFT planted from this date


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def generate(args: Args, quiet: bool = False) -> dict:
    t0 = time.perf_counter()
    say = (lambda m: None) if quiet else log
    out = Path(args.out)
    for sub in ("raw", "truth"):
        shutil.rmtree(out / sub, ignore_errors=True)
    (out / "truth").mkdir(parents=True, exist_ok=True)
    seeds = load_seeds()
    window = Window(args.as_of, args.days)
    world = World(seeds, window, args.seed, args.customers, args.behaviour_shift_from)
    raw = RawWriter(out)
    bad_rows: list[dict] = []
    dups: list[pa.Table] = []

    def emit(key: str, table: pa.Table, rng: np.random.Generator) -> None:
        table, truth = messiness.plant(key, table, world, rng)
        part_file = str(raw.path_of(key, raw.next_part(key)).relative_to(out))
        for r in truth:
            r["part_file"] = part_file
            r["row_in_part"] = r.pop("row_offset")
        bad_rows.extend(truth)
        raw.write(key, table)

    # global tables
    g_tables, g_extra = marketing.global_tables(world, rng_for(args.seed, GLOBAL_CHUNK, 2))
    for key, tbl in g_tables.items():
        emit(key, tbl, rng_for(args.seed, GLOBAL_CHUNK, 3 + list(SCHEMAS).index(key)))
    dups.append(_dups("shopify.products", pa.array(g_extra["product_old_ids"]).cast(pa.string()),
                      "older_version"))
    say(f"global tables: products {g_tables['shopify.products'].num_rows:,}, campaigns "
        f"{g_tables['marketing.campaigns'].num_rows:,}, ad_spend "
        f"{g_tables['marketing.ad_spend'].num_rows:,} ({time.perf_counter() - t0:.1f}s)")

    effects: list[dict] = []
    persons_w = TruthWriter(out / "truth" / "persons.parquet", PERSONS_SCHEMA)
    ident_w = TruthWriter(out / "truth" / "identifiers.parquet", IDENT_SCHEMA)
    n_chunks = (args.customers + args.chunk_size - 1) // args.chunk_size
    for c in range(n_chunks):
        tc = time.perf_counter()
        start = c * args.chunk_size
        n = min(args.chunk_size, args.customers - start)

        def rng(comp: int, c: int = c) -> np.random.Generator:
            return rng_for(args.seed, c, comp)

        people = population.make_people(world, rng(1), start, n)
        ident = identity.Identity(world, people, rng(2))
        orders, shop_tables = shop.make_orders(world, people, ident, rng(3))
        signup, first_visit = web.prospect_plan(world, people, rng(4))
        crm_info, crm_tables = crm.make_crm(
            world, people, orders, ident, (np.nonzero(signup)[0], first_visit[signup]), rng(5))
        clicks, mkt_tables = marketing.make_email_events(world, people, orders, crm_info, ident,
                                                         rng(6))
        web_info, web_tables = web.make_web(world, people, orders, clicks, rng(7), signup,
                                            first_visit)
        cust_info, cust_tables = shop_customers.make_customers(
            world, people, orders, crm_info, web_info, ident, signup, first_visit, rng(8))
        tables = {**crm_tables, **shop_tables, **mkt_tables, **web_tables, **cust_tables}
        counts = {}
        for key in SCHEMAS:
            if key in tables:
                emit(key, tables[key], rng(100 + list(SCHEMAS).index(key)))
                counts[key] = tables[key].num_rows
        effects.extend({"chunk": c, **row} for row in web_info.experiment_effects or [])
        persons_w.write(_persons(world, people, orders, crm_info, web_info, signup, first_visit))
        ident_w.write(_identifiers(world, people, ident, orders, crm_info, web_info, clicks,
                                   cust_info))
        dups.extend(_chunk_dups(people, orders, crm_info, web_info, clicks, cust_info))
        say(f"[chunk {c + 1}/{n_chunks}] persons {start + n:,}/{args.customers:,} | orders "
            f"{counts.get('shopify.orders', 0):,} | events {counts.get('ga4.events', 0):,} | "
            f"contacts {counts.get('crm.contacts', 0):,} | email events "
            f"{counts.get('marketing.email_events', 0):,} | {time.perf_counter() - tc:.1f}s "
            f"(total {time.perf_counter() - t0:.1f}s)")
    raw.finish()
    persons_w.close()
    ident_w.close()
    bad = pa.Table.from_pylist(bad_rows, schema=BAD_SCHEMA) if bad_rows else BAD_SCHEMA.empty_table()
    pq.write_table(bad, out / "truth" / "planted_bad_rows.parquet", **config.PARQUET_OPTIONS)
    dup_tbl = pa.concat_tables([d.cast(DUP_SCHEMA) for d in dups]) if dups else DUP_SCHEMA.empty_table()
    pq.write_table(dup_tbl, out / "truth" / "planted_duplicates.parquet", **config.PARQUET_OPTIONS)
    pq.write_table(pa.Table.from_pylist(effects, schema=EFFECTS_SCHEMA), out / "truth" / "experiment_effects.parquet",
                   **config.PARQUET_OPTIONS)
    params = _params(args, world)
    (out / "truth" / "params.json").write_text(json.dumps(params, indent=2, sort_keys=True) + "\n")
    manifest = {
        "generator_version": VERSION,
        "arguments": {"customers": args.customers, "days": args.days, "seed": args.seed,
                      "as_of": args.as_of.isoformat(), "chunk_size": args.chunk_size,
                      "behaviour_shift_from": (args.behaviour_shift_from.isoformat()
                                               if args.behaviour_shift_from else None)},
        "window": {"start": window.start_date.isoformat(), "end": args.as_of.isoformat()},
        "row_counts": {k: raw.rows[k] for k in SCHEMAS},
        "parts": {k: raw.parts[k] for k in SCHEMAS},
        "truth_row_counts": {"persons": persons_w.rows, "identifiers": ident_w.rows,
                             "planted_bad_rows": bad.num_rows,
                             "planted_duplicates": dup_tbl.num_rows, "experiment_effects": len(effects)},
    }
    (out / "truth" / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    say("rows per table:")
    for k in SCHEMAS:
        say(f"  {k:<34} {raw.rows[k]:>12,}  ({raw.parts[k]} part{'s' if raw.parts[k] > 1 else ''})")
    say(f"truth: persons {persons_w.rows:,}, identifiers {ident_w.rows:,}, bad rows "
        f"{bad.num_rows:,}, duplicates {dup_tbl.num_rows:,}")
    say(f"done in {time.perf_counter() - t0:.1f}s -> {out}")
    return manifest


def _ts(seconds: np.ndarray, mask: np.ndarray | None = None) -> pa.Array:
    return pa.array(np.asarray(seconds, dtype=np.int64) * 1_000_000, type=TS, mask=mask)


def _persons(world: World, people, orders, crm_info, web_info, signup, first_visit) -> pa.Table:
    n = people.n
    n_orders = np.bincount(orders.owner, minlength=n)
    acq = np.where(n_orders > 0, orders.first_order, -1)
    cust = people.customer_id.copy()
    su_ids = 7_100_000_000_000 + population.affine(people.pidx, 10**10, 7_919_393, 104_729)
    cust = np.where(signup, su_ids, cust)
    profile = population.label_profiles(people, orders.last_order, world.window.end)
    dropped = (~people.alive) & (n_orders > 0)
    n_cookies = np.bincount(web_info.cookie_used_by[0], minlength=n)
    return pa.table({
        "person_id": pa.array(people.person_id),
        "profile": tx.take(tx.vocab(population.PROFILES), profile),
        "is_prospect": pa.array(people.is_prospect),
        "is_b2b": pa.array(people.is_b2b),
        "is_test_account": pa.array(people.is_test),
        "is_guest_only": pa.array(people.guest_only),
        "preference": tx.take(tx.vocab(population.PREFS), people.pref),
        "home_country": tx.take(world.cc_iso2_vocab, people.country),
        "currency": tx.take(tx.vocab(world.currencies), people.currency),
        "utc_offset_std_minutes": pa.array(people.tz_std.astype(np.int32)),
        "first_name": tx.take(world.first_vocab, people.first),
        "last_name": tx.take(world.last_vocab, people.last),
        "gender": tx.take(tx.vocab(["F", "M", "X"]), people.gender),
        "birth_date": pa.array(people.birth_day.astype(np.int32)).cast(pa.date32()),
        "btyd_lambda": pa.array(people.lam),
        "btyd_p": pa.array(people.drop_p),
        "btyd_nu": pa.array(people.nu),
        "btyd_repeat_limit": pa.array(people.repeat_limit.astype(np.int64)),
        "btyd_repeat_opportunities": pa.array(people.arrivals.astype(np.int64)),
        "expected_spend_usd": pa.array(config.BTYD["p"] / people.nu),
        "acquisition_at": _ts(np.maximum(acq, 0), acq < 0),
        "n_orders": pa.array(n_orders.astype(np.int64)),
        "n_repeat_orders": pa.array(np.maximum(n_orders - 1, 0).astype(np.int64)),
        "first_order_at": _ts(np.maximum(orders.first_order, 0), orders.first_order < 0),
        "last_order_at": _ts(np.maximum(orders.last_order, 0), orders.last_order < 0),
        "is_alive_at_as_of": pa.array(~dropped),
        "dropout_at": _ts(np.maximum(orders.last_order, 0), ~dropped),
        "shop_customer_id": pa.array(np.maximum(cust, 0), mask=cust < 0),
        "account_id": crm_info.account_ids_of_persons,
        "is_web_tracked": pa.array(people.tracked),
        "n_cookies": pa.array(n_cookies.astype(np.int64)),
    })


def _ident_rows(kind: str, values: pa.Array, person: np.ndarray, shared: np.ndarray | None = None,
                normalized: pa.Array | None = None) -> pa.Table:
    n = len(values)
    return pa.table({
        "identifier_type": pa.array([kind] * n, type=pa.string()),
        "identifier_value": tx.plain(values),
        "person_id": pa.array(np.asarray(person, dtype=np.int64)),
        "is_shared": pa.array(np.zeros(n, bool) if shared is None else shared.astype(bool)),
        "normalized_value": tx.plain(values) if normalized is None else tx.plain(normalized),
    })


def _identifiers(world, people, ident, orders, crm_info, web_info, clicks, cust_info) -> pa.Table:
    pid = people.person_id
    parts = []
    parts.append(_ident_rows("crm_contact_id", crm_info.contact_ids, pid[crm_info.contact_person]))
    non_guest_codes = orders.email_codes[~orders.guest]
    email_codes = np.unique(np.concatenate([crm_info.email_codes, non_guest_codes,
                                            crm_info.ticket_email_codes, clicks["email_codes"],
                                            cust_info.email_codes]))
    person_of = email_codes // (2 * identity.N_EMAIL_VARIANTS)
    vals = ident.email_strings(email_codes)
    parts.append(_ident_rows("email", vals, pid[person_of], None,
                             pa.compute.utf8_lower(pa.compute.utf8_trim_whitespace(vals))))
    g = np.unique(orders.guest_email_codes)
    gvals = ident.email_strings(g)
    parts.append(_ident_rows("guest_email", gvals, pid[g // (2 * identity.N_EMAIL_VARIANTS)], None,
                             pa.compute.utf8_lower(pa.compute.utf8_trim_whitespace(gvals))))
    ph = np.unique(np.concatenate([crm_info.phone_codes, orders.phone_codes,
                                   cust_info.phone_codes]))
    pperson = ph // N_PHONE_FORMATS
    parts.append(_ident_rows("phone", ident.phone_strings(ph), pid[pperson], None,
                             ident.e164(pperson)))
    # registered buyers (on orders) and web sign-ups: every person with a shop customer record
    cust_persons = np.unique(np.concatenate([orders.owner[~orders.guest], cust_info.person]))
    parts.append(_ident_rows("shop_customer_id",
                             tx.int_str(shop_customers.shop_customer_ids(people)[cust_persons]),
                             pid[cust_persons]))
    u = web_info.user_ids_emitted
    parts.append(_ident_rows("web_user_id", tx.take(web_info.old_info["user_vocab"], u), pid[u]))
    cp, cc, sh = web_info.cookie_used_by
    parts.append(_ident_rows("cookie", tx.take(web_info.old_info["cookie_vocab"], cc), pid[cp], sh))
    return pa.concat_tables(parts)


def _dups(table: str, keys: pa.Array, kind: str, person: np.ndarray | None = None,
          related: pa.Array | None = None) -> pa.Table:
    n = len(keys)
    return pa.table({
        "table": pa.array([table] * n, type=pa.string()),
        "natural_key": tx.plain(keys).cast(pa.string()),
        "duplicate_kind": pa.array([kind] * n, type=pa.string()),
        "person_id": pa.array(person if person is not None else np.zeros(n, np.int64),
                              type=pa.int64(), mask=None if person is not None else np.ones(n, bool)),
        "related_key": tx.plain(related) if related is not None else pa.nulls(n, pa.string()),
    })


def _chunk_dups(people, orders, crm_info, web_info, clicks, cust_info) -> list[pa.Table]:
    out = [
        _dups("shopify.orders", pa.array(orders.old_version_ids).cast(pa.string()), "older_version"),
        _dups("shopify.orders", pa.array(orders.dup_ids).cast(pa.string()), "exact_duplicate"),
        _dups("crm.contacts", crm_info.old_ids, "older_version"),
        _dups("crm.contacts", crm_info.dup_ids, "exact_duplicate"),
        _dups("crm.accounts", crm_info.account_old_ids, "older_version"),
        _dups("crm.support_tickets", crm_info.ticket_old_ids, "older_version"),
        _dups("ga4.events", web_info.old_info["dup_event_ids"], "exact_duplicate"),
        _dups("marketing.email_events", clicks["dup_ids"], "exact_duplicate"),
        _dups("shopify.customers", pa.array(cust_info.old_version_ids).cast(pa.string()),
              "older_version"),
        _dups("shopify.customers", pa.array(cust_info.dup_ids).cast(pa.string()),
              "exact_duplicate"),
    ]
    sec = crm_info.contact_slot == 1
    sp = crm_info.contact_person[sec]
    prim_rows = crm_info.primary_contact[sp]
    out.append(_dups("crm.contacts", crm_info.contact_ids.take(pa.array(np.nonzero(sec)[0])),
                     "same_person_second_record", people.person_id[sp],
                     crm_info.contact_ids.take(pa.array(prim_rows))))
    return out


def _params(args: Args, world: World) -> dict:
    return {
        "btyd": config.BTYD,
        "btyd_notes": ("lambda ~ Gamma(shape=r, rate=alpha) per operational day; p ~ Beta(a, b), "
                       "drop-out right after a repeat purchase; order spend (USD merchandise "
                       "target) ~ Gamma(shape=p, rate=nu), nu ~ Gamma(shape=q, rate=gamma). "
                       "Operational days map onto the calendar through the daily seasonality "
                       "intensity (mean 1)."),
        "prospect_share": config.PROSPECT_SHARE,
        "b2b_person_share": config.B2B_PERSON_SHARE,
        "preference_shares": config.PREFERENCE_SHARES,
        "preference_signals": config.PREFERENCE_SIGNALS,
        "experiment_effects": config.EXPERIMENT_EFFECTS,
        "experiment_conversion_days": config.EXPERIMENT_CONVERSION_DAYS,
        "behaviour_shift": dict(config.BEHAVIOUR_SHIFT, from_date=(
            args.behaviour_shift_from.isoformat() if args.behaviour_shift_from else None)),
        "survey_respondent_share": config.SURVEY_RESPONDENT_SHARE,
        "launch_cohort_share": config.LAUNCH_COHORT_SHARE,
        "lapsed_after_days": config.LAPSED_AFTER_DAYS,
        "loyal": {"min_orders": config.LOYAL_MIN_ORDERS, "min_rate_per_day": config.LOYAL_MIN_RATE},
        "rates": config.RATES,
        "bad_row_reasons": {k: list(v) for k, v in config.BAD_ROW_REASONS.items()},
        "web": config.WEB,
        "orders": config.ORDERS,
        "seasonality": {"hour_weights_local": [round(float(x), 6) for x in HOUR_WEIGHTS],
                        "weekday_factor_mon_sun": WEEKDAY_FACTOR.tolist(),
                        "month_factor_jan_dec": MONTH_FACTOR.tolist()},
        "campaign_bursts": [{"campaign_id": c["id"], "burst": c["burst"]}
                            for c in world.campaigns if c["burst"] > 0],
        "window": {"start": world.window.start_date.isoformat(), "as_of": args.as_of.isoformat(),
                   "days": args.days},
        "seed": args.seed,
        "shop_time_zone": "America/New_York (UTC-05:00, US DST)",
        "ga4_property_time_zone": "UTC",
    }
