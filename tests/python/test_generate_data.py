"""Tests of the synthetic data generator (scripts/generate_data.py, scripts/synthgen).

Small scales only: the whole file runs in well under a minute.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
import yaml
from synthgen import config
from synthgen.generator import Args, generate
from synthgen.schemas import SCHEMAS
from synthgen.seeds import load_seeds

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "generate_data.py"
SOURCES = sorted((ROOT / "models" / "staging").glob("*/_*__sources.yml"))
YML_TYPES = {"varchar": pa.string(), "bigint": pa.int64(), "integer": pa.int32(),
             "double": pa.float64(), "boolean": pa.bool_(), "timestamp": pa.timestamp("us")}
N, DAYS, AS_OF = 1_600, 240, dt.date(2025, 12, 31)


@pytest.fixture(scope="session")
def data(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("gen") / "data"
    generate(Args(customers=N, days=DAYS, seed=7, as_of=AS_OF, out=out), quiet=True)
    return out


@pytest.fixture(scope="session")
def multi(tmp_path_factory) -> Path:
    """A run with several chunks (small chunk size) to exercise part files."""
    out = tmp_path_factory.mktemp("multi") / "data"
    generate(Args(customers=900, days=60, seed=3, as_of=AS_OF, out=out, chunk_size=300),
             quiet=True)
    return out


def read(root: Path, key: str) -> pa.Table:
    system, name = key.split(".")
    return pq.read_table(root / "raw" / system / name)


def truth(root: Path, name: str) -> pa.Table:
    return pq.read_table(root / "truth" / f"{name}.parquet")


def contract() -> dict[str, list[tuple[str, pa.DataType]]]:
    out = {}
    for path in SOURCES:
        doc = yaml.safe_load(path.read_text())
        for src in doc["sources"]:
            for tbl in src["tables"]:
                out[f"{src['name']}.{tbl['name']}"] = [
                    (c["name"], YML_TYPES[c["data_type"]]) for c in tbl["columns"]]
    return out


def bad_keys(root: Path, key: str) -> set[str]:
    b = truth(root, "planted_bad_rows").to_pylist()
    return {r["natural_key"] for r in b if r["table"] == key and r["natural_key"] is not None}


# ------------------------------------------------------------------------------------ contract
def test_contract_covers_every_table_in_the_yml():
    assert SOURCES, "no sources yml found"
    assert set(contract()) == set(SCHEMAS)


def test_package_schemas_equal_the_yml_contract():
    for key, cols in contract().items():
        assert [(f.name, f.type) for f in SCHEMAS[key]] == cols, key


def test_written_parquet_schemas_equal_the_yml_contract(data, multi):
    for root in (data, multi):
        for key, cols in contract().items():
            system, name = key.split(".")
            files = sorted((root / "raw" / system / name).glob("part-*.parquet"))
            assert files and files[0].name == "part-00000.parquet", key
            for f in files:
                schema = pq.read_schema(f)
                assert [(x.name, x.type) for x in schema] == cols, f


def test_multi_chunk_run_writes_numbered_parts(multi):
    assert len(list((multi / "raw" / "ga4" / "events").glob("part-*.parquet"))) == 3
    manifest = json.loads((multi / "truth" / "manifest.json").read_text())
    assert manifest["parts"]["shopify.orders"] == 3
    assert manifest["row_counts"]["shopify.orders"] == read(multi, "shopify.orders").num_rows


# ------------------------------------------------------------------------------------ determinism
def _digest(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_same_seed_gives_identical_bytes_and_other_seed_differs(tmp_path):
    a, b, c = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    for out, seed in ((a, 11), (b, 11), (c, 12)):
        generate(Args(customers=400, days=45, seed=seed, as_of=AS_OF, out=out), quiet=True)
    da, db, dc = _digest(a), _digest(b), _digest(c)
    assert da == db
    assert set(da) == set(dc)
    assert da["raw/shopify/orders/part-00000.parquet"] != dc["raw/shopify/orders/part-00000.parquet"]


def test_behaviour_shift_changes_only_the_shifted_orders(tmp_path):
    """--behaviour-shift-from: orders before the date, and every table but the order-driven ones,
    stay byte-identical; after it, bargain hunters spend more per order and nobody else changes."""
    base, shifted = tmp_path / "base", tmp_path / "shifted"
    shift_from = AS_OF - dt.timedelta(days=40)
    generate(Args(customers=1_200, days=120, seed=5, as_of=AS_OF, out=base), quiet=True)
    generate(Args(customers=1_200, days=120, seed=5, as_of=AS_OF, out=shifted, behaviour_shift_from=shift_from),
             quiet=True)
    before, after = _digest(base / "raw"), _digest(shifted / "raw")
    changed = {path.split("/")[0] + "." + path.split("/")[1] for path in before if before[path] != after[path]}
    assert changed <= {"shopify.orders", "shopify.order_lines", "shopify.refunds", "shopify.refund_lines",
                       "ga4.events", "ga4.event_items"}, changed
    assert "shopify.orders" in changed
    assert json.loads((shifted / "truth" / "params.json").read_text())["behaviour_shift"]["from_date"] \
        == shift_from.isoformat()
    con = duckdb.connect()
    totals = {}
    for name, root in (("base", base), ("shifted", shifted)):
        con.execute(f"create view orders_{name} as select * exclude (_loaded_at) from "
                    f"read_parquet('{root}/raw/shopify/orders/*.parquet')")
        totals[name] = dict(con.execute(f"""
            select o.created_at >= '{shift_from + dt.timedelta(days=1)}' and p.preference = 'bargain',
                   sum(try_cast(o.subtotal_price as double))
            from orders_{name} as o
            join read_parquet('{root}/truth/identifiers.parquet') as i
                on i.identifier_type = 'shop_customer_id' and i.identifier_value = cast(o.customer_id as varchar)
            join read_parquet('{root}/truth/persons.parquet') as p using (person_id)
            where o.created_at < '{shift_from - dt.timedelta(days=1)}'
                or o.created_at >= '{shift_from + dt.timedelta(days=1)}'
            group by 1""").fetchall())
    # the UTC date and the shop's local date differ by up to a day: a day either side is left out
    assert totals["shifted"][False] == pytest.approx(totals["base"][False], rel=1e-9)
    assert totals["shifted"][True] > 1.5 * totals["base"][True], totals
    early = con.execute(f"""select count(*) from (
        select * from orders_shifted where created_at < '{shift_from - dt.timedelta(days=1)}'
        except select * from orders_base)""").fetchone()[0]
    assert early == 0


def test_rerun_replaces_previous_output(tmp_path):
    out = tmp_path / "d"
    generate(Args(customers=400, days=30, seed=1, out=out, chunk_size=100), quiet=True)
    generate(Args(customers=300, days=30, seed=1, out=out), quiet=True)
    assert len(list((out / "raw" / "shopify" / "orders").glob("*.parquet"))) == 1
    assert truth(out, "persons").num_rows == 300


# ------------------------------------------------------------------------------------ invariants
def test_good_orders_add_up_to_the_cent(data):
    con = duckdb.connect()
    o = read(data, "shopify.orders")
    lines = read(data, "shopify.order_lines")
    bad_o = bad_keys(data, "shopify.orders")
    bad_l = bad_keys(data, "shopify.order_lines")
    con.register("o", o)
    con.register("l", lines)
    con.register("bo", pa.table({"k": pa.array(sorted(bad_o), pa.string())}))
    con.register("bl", pa.table({"k": pa.array(sorted(bad_l), pa.string())}))
    con.sql("""
        create view good as select * from o
        where order_id is not null and cast(order_id as varchar) not in (select k from bo)
    """)
    n_good = con.sql("select count(*) from good").fetchone()[0]
    assert n_good > 0.99 * (o.num_rows - len(bad_o))
    mism = con.sql("""
        select count(*) from good where cast(total_price as decimal(18,2)) <>
          cast(subtotal_price as decimal(18,2)) - cast(total_discounts as decimal(18,2))
          + cast(total_shipping as decimal(18,2)) + cast(total_tax as decimal(18,2))""").fetchone()[0]
    assert mism == 0
    mism_lines = con.sql("""
        with gl as (select * from l where order_line_id is not null
                    and cast(order_line_id as varchar) not in (select k from bl)),
        s as (select order_id, sum(cast(price as decimal(18,2)) * quantity
                                   - cast(total_discount as decimal(18,2))) as net
              from gl group by order_id)
        select count(*) from good join s using (order_id)
        where cast(good.subtotal_price as decimal(18,2)) <> s.net""").fetchone()[0]
    assert mism_lines == 0
    # sale lines carry compare_at_price above price; others none
    sale = con.sql("""select count(*) from l where compare_at_price is not null
                      and try_cast(compare_at_price as decimal(18,2)) <= try_cast(price as decimal(18,2))
                      and order_line_id is not null""").fetchone()[0]
    assert sale == 0


def test_refunds_never_exceed_the_line(data):
    con = duckdb.connect()
    con.register("l", read(data, "shopify.order_lines"))
    con.register("rl", read(data, "shopify.refund_lines"))
    over = con.sql("""
        select count(*) from rl join l using (order_line_id)
        where rl.refund_line_id is not null and try_cast(rl.subtotal as decimal(18,2)) >= 0
          and try_cast(rl.subtotal as decimal(18,2)) > cast(l.price as decimal(18,2)) * l.quantity
                                               - cast(l.total_discount as decimal(18,2))""").fetchone()[0]
    assert over == 0


def test_currencies_come_from_the_fx_seed(data):
    seeds = load_seeds()
    known = {r.currency for r in seeds.fx}
    cur = read(data, "shopify.orders").column("currency").to_pylist()
    bad = {c for c in cur if c.upper() not in known}
    assert bad == {"XXX"}
    assert len({c.upper() for c in cur} & known) >= 5


def test_timestamps_inside_the_window_except_planted(data):
    start = dt.datetime.combine(AS_OF - dt.timedelta(days=DAYS), dt.time())
    end = dt.datetime.combine(AS_OF + dt.timedelta(days=1), dt.time())
    ev = read(data, "ga4.events")
    bad = bad_keys(data, "ga4.events")
    ts = ev.column("event_timestamp").to_numpy()
    ids = ev.column("event_id").to_pylist()
    lo, hi = start.timestamp() * 1e6, end.timestamp() * 1e6
    outside = [i for i, t in zip(ids, ts, strict=True) if not lo <= t < hi]
    assert outside and all(i in bad for i in outside)
    for key in SCHEMAS:
        la = read(data, key).column("_loaded_at")
        if len(la):
            assert pc.max(la).as_py() < end and pc.min(la).as_py() >= start, key
    con = duckdb.connect()
    con.register("o", read(data, "shopify.orders"))
    bo = bad_keys(data, "shopify.orders")
    rows = con.sql("""select cast(order_id as varchar), try_cast(created_at as timestamptz)
                      from o where order_id is not null""").fetchall()
    for k, t in rows:
        if k not in bo:
            assert start.timestamp() <= t.timestamp() < end.timestamp(), k


def test_identifiers_in_truth_appear_in_raw(data):
    ids = truth(data, "identifiers")
    raw_emails = set()
    for key, col in (("crm.contacts", "email"), ("shopify.orders", "email"),
                     ("crm.support_tickets", "email"), ("marketing.email_events", "email"),
                     ("shopify.customers", "email")):
        raw_emails |= set(read(data, key).column(col).to_pylist())
    cookies = set(read(data, "ga4.events").column("user_pseudo_id").to_pylist())
    phones = (set(read(data, "crm.contacts").column("phone").to_pylist())
              | set(read(data, "shopify.orders").column("phone").to_pylist())
              | set(read(data, "shopify.customers").column("phone").to_pylist()))
    contact_ids = set(read(data, "crm.contacts").column("contact_id").to_pylist())
    user_ids = set(read(data, "ga4.events").column("user_id").to_pylist())
    cust = {str(x) for x in read(data, "shopify.customers").column("customer_id").to_pylist()}
    by_type: dict[str, set] = {}
    for t, v in zip(ids.column("identifier_type").to_pylist(),
                    ids.column("identifier_value").to_pylist(), strict=True):
        by_type.setdefault(t, set()).add(v)
    assert by_type["email"] <= raw_emails
    assert by_type["guest_email"] <= raw_emails
    assert by_type["cookie"] <= cookies
    assert by_type["phone"] <= phones
    assert by_type["crm_contact_id"] <= contact_ids
    assert by_type["web_user_id"] <= user_ids
    assert by_type["shop_customer_id"] <= cust
    # one person per identifier, except cookies flagged as shared
    t = ids.to_pylist()
    owners: dict[tuple, set] = {}
    for r in t:
        owners.setdefault((r["identifier_type"], r["identifier_value"]), set()).add(r["person_id"])
    multi = {k for k, v in owners.items() if len(v) > 1}
    assert multi and all(k[0] == "cookie" for k in multi)
    shared = {(r["identifier_type"], r["identifier_value"]) for r in t if r["is_shared"]}
    assert multi <= shared


def test_countries_are_known_aliases(data):
    aliases = load_seeds().aliases
    for key, col in (("crm.contacts", "country"), ("crm.accounts", "country"),
                     ("shopify.customers", "default_address_country")):
        vals = {v for v in read(data, key).column(col).to_pylist() if v is not None}
        assert {v.lower() for v in vals} <= set(aliases), key
    geo = {v for v in read(data, "ga4.events").column("geo_country").to_pylist()
           if v not in (None, "(not set)")}
    assert {v.lower() for v in geo} <= set(aliases)


def test_planted_bad_rows_are_present_with_known_codes(data):
    reasons = set(load_seeds().reasons)
    b = truth(data, "planted_bad_rows").to_pylist()
    assert b
    assert {r["reason_code"] for r in b} <= reasons
    for key, allowed in config.BAD_ROW_REASONS.items():
        got = {r["reason_code"] for r in b if r["table"] == key}
        assert got <= set(allowed), key
    # every planted row is at its recorded place, with its recorded key
    from synthgen.schemas import NATURAL_KEYS
    parts: dict[str, pa.Table] = {}
    for r in b:
        if r["part_file"] not in parts:
            parts[r["part_file"]] = pq.read_table(data / r["part_file"])
        row = parts[r["part_file"]].slice(r["row_in_part"], 1).to_pylist()[0]
        keys = NATURAL_KEYS[r["table"]]
        if r["reason_code"] == "missing_key":
            assert row[keys[0]] is None
        else:
            assert "|".join(str(row[k]) for k in keys) == r["natural_key"]
        if r["bad_value"] is not None and r["column_name"] in row:
            assert str(row[r["column_name"]]) == r["bad_value"]
    # natural keys of good rows stay unique per table apart from planted duplicates
    o = read(data, "shopify.orders")
    ids = [x for x in o.column("order_id").to_pylist() if x is not None]
    dups = truth(data, "planted_duplicates").to_pylist()
    dup_orders = {d["natural_key"] for d in dups if d["table"] == "shopify.orders"}
    counts: dict[int, int] = {}
    for x in ids:
        counts[x] = counts.get(x, 0) + 1
    assert {str(k) for k, v in counts.items() if v > 1} == dup_orders


def test_every_shop_customer_id_has_one_customer_record(data):
    """Registered buyers, test accounts and web sign-ups have a record; guest-only buyers none."""
    con = duckdb.connect()
    con.register("c", read(data, "shopify.customers"))
    con.register("p", truth(data, "persons"))
    con.register("bad", pa.table({"k": pa.array(sorted(bad_keys(data, "shopify.customers")),
                                                pa.string())}))
    con.register("dups", truth(data, "planted_duplicates"))
    con.sql("""create view good as select * from c
               where customer_id is not null and cast(customer_id as varchar) not in (select k from bad)""")
    missing, extra = con.sql("""
        select
            (select count(*) from p where shop_customer_id is not null
               and shop_customer_id not in (select customer_id from good)),
            (select count(*) from good where customer_id not in (
               select shop_customer_id from p where shop_customer_id is not null))""").fetchone()
    assert (missing, extra) == (0, 0)
    guest_only = con.sql("""select count(*) from p where is_guest_only
                            and shop_customer_id is not null""").fetchone()[0]
    assert guest_only == 0
    # every extra row of a customer_id is a planted re-export, and every planted one is there
    repeated = {r[0] for r in con.sql("""select cast(customer_id as varchar) from good
                                         group by all having count(*) > 1""").fetchall()}
    planted = {r[0] for r in con.sql("""select natural_key from dups
                                        where "table" = 'shopify.customers'""").fetchall()}
    assert repeated == planted and planted
    kinds = {r[0] for r in con.sql("""select distinct is_prospect from p
                                      where shop_customer_id is not null""").fetchall()}
    assert kinds == {True, False}  # buyers and web sign-ups both have records


def test_customers_register_before_their_first_order_and_login(data):
    con = duckdb.connect()
    con.register("c", read(data, "shopify.customers"))
    con.register("o", read(data, "shopify.orders"))
    con.register("e", read(data, "ga4.events"))
    con.register("b", truth(data, "planted_bad_rows"))
    late = con.sql("""
        with good as (
            select customer_id, min(try_cast(created_at as timestamptz)) as created_at from c
            where customer_id is not null and cast(customer_id as varchar) not in (
                select natural_key from b where "table" = 'shopify.customers' and natural_key is not null)
            group by all
        ),
        first_order as (
            select customer_id, min(try_cast(created_at as timestamptz)) as at from o
            where customer_id is not null and cast(order_id as varchar) not in (
                select natural_key from b where "table" = 'shopify.orders' and natural_key is not null)
            group by all
        ),
        first_login as (
            select cast(user_id as bigint) as customer_id, min(make_timestamptz(event_timestamp)) as at
            from e
            where user_id is not null and event_id not in (
                select natural_key from b where "table" = 'ga4.events' and natural_key is not null)
            group by all
        )
        select
            (select count(*) from good join first_order using (customer_id)
             where good.created_at > first_order.at),
            (select count(*) from good join first_login using (customer_id)
             where good.created_at > first_login.at),
            (select count(*) from good join first_order using (customer_id))""").fetchone()
    assert late[:2] == (0, 0) and late[2] > 0


# ------------------------------------------------------------------------------------ planted rates
def _close(measured: float, expected: float, rel: float = 0.35, abs_: float = 0.002) -> bool:
    return abs(measured - expected) <= max(rel * expected, abs_)


def test_planted_rates_match_the_documented_constants(data):
    R = config.RATES
    ev = read(data, "ga4.events")
    n_ev = ev.num_rows
    uniq_ev = len(set(ev.column("event_id").to_pylist()))
    dup_rate = (n_ev - uniq_ev) / uniq_ev
    assert _close(dup_rate, R["event_duplicate_delivery"])
    late = pc.sum(pc.greater(pc.subtract(ev.column("_loaded_at").cast(pa.int64()),
                                         ev.column("event_timestamp")),
                             2 * 86_400 * 1_000_000 - 1)).as_py()
    assert _close(late / n_ev, R["event_late_arrival"], rel=0.5)

    o = read(data, "shopify.orders")
    n_o = o.num_rows
    b = truth(data, "planted_bad_rows").to_pylist()
    n_bad_o = sum(r["table"] == "shopify.orders" for r in b)
    assert _close(n_bad_o / n_o, R["bad_row"], rel=0.2, abs_=0.0005)
    n_bad_e = sum(r["table"] == "ga4.events" for r in b)
    assert _close(n_bad_e / n_ev, R["bad_row"], rel=0.2, abs_=0.0005)
    test_share = pc.mean(o.column("is_test").cast(pa.float64())).as_py()
    assert 0 < test_share < 0.02
    cancelled = pc.sum(pc.is_valid(o.column("cancelled_at"))).as_py() / n_o
    assert _close(cancelled, R["cancelled_order"], rel=0.4)
    cur = o.column("currency").to_pylist()
    lower = sum(c.islower() for c in cur) / n_o
    assert _close(lower, R["currency_lower_case"], rel=0.4)

    c = read(data, "crm.contacts")
    emails = [e for e in c.column("email").to_pylist() if e is not None]
    variant = sum(e != e.strip().lower() for e in emails) / len(emails)
    # contact variants come from the email rate plus duplicate records' variants
    assert _close(variant, R["email_case_whitespace_variant"], rel=0.35)
    country = [x for x in c.column("country").to_pylist() if x]
    not_iso2 = sum(not (len(x) == 2 and x.isupper()) for x in country) / len(country)
    assert _close(not_iso2, R["country_not_iso2"], rel=0.15)
    dups = truth(data, "planted_duplicates").to_pylist()
    n_contacts = len({x for x in c.column("contact_id").to_pylist() if x})
    second = sum(d["duplicate_kind"] == "same_person_second_record" for d in dups)
    assert _close(second / n_contacts, R["duplicate_contact_person"], rel=0.5)
    exact = sum(d["table"] == "crm.contacts" and d["duplicate_kind"] == "exact_duplicate"
                for d in dups)
    assert _close(exact / n_contacts, R["contact_exact_duplicate"], rel=0.5, abs_=0.004)

    cu = read(data, "shopify.customers")
    n_cu = len({x for x in cu.column("customer_id").to_pylist() if x is not None})
    for kind, rate in (("older_version", R["customer_older_version"]),
                       ("exact_duplicate", R["customer_exact_duplicate"])):
        got = sum(d["table"] == "shopify.customers" and d["duplicate_kind"] == kind for d in dups)
        assert _close(got / n_cu, rate, rel=0.5, abs_=0.004), kind
    n_bad_cu = sum(r["table"] == "shopify.customers" for r in b)
    assert _close(n_bad_cu / cu.num_rows, R["bad_row"], rel=0.35, abs_=0.001)
    phones = pc.mean(pc.is_valid(cu.column("phone")).cast(pa.float64())).as_py()
    assert _close(phones, R["phone_on_customer"], rel=0.2)
    cu_emails = [e for e in cu.column("email").to_pylist() if e is not None]
    cu_variant = sum(e != e.strip().lower() for e in cu_emails) / len(cu_emails)
    assert _close(cu_variant, R["email_case_whitespace_variant"], rel=0.35)

    persons = truth(data, "persons").to_pylist()
    buyers = [p for p in persons if p["n_orders"] > 0]
    guest_only = sum(p["is_guest_only"] for p in buyers) / len(buyers)
    assert _close(guest_only, R["guest_only_buyer"] / (1 - config.PROSPECT_SHARE) * 0.9, rel=0.35)
    guests = pc.sum(pc.is_null(o.column("customer_id"))).as_py() / n_o
    assert 0.05 < guests < 0.35


def test_latent_process_shapes(data):
    persons = truth(data, "persons")
    p = persons.to_pylist()
    buyers = [r for r in p if r["n_orders"] > 0]
    one_time = sum(r["n_orders"] == 1 for r in buyers) / len(buyers)
    assert 0.2 < one_time < 0.5
    profiles = {r["profile"] for r in p}
    assert {"loyal", "regular", "one_time", "lapsed", "prospect", "b2b", "bargain_hunter",
            "new_arrival_chaser"} <= profiles
    end = dt.datetime.combine(AS_OF + dt.timedelta(days=1), dt.time())
    for r in p:
        if r["profile"] == "lapsed":  # lapsed by construction: dropped out long before as-of
            assert not r["is_alive_at_as_of"]
            assert (end - r["dropout_at"]).days >= config.LAPSED_AFTER_DAYS
        if r["profile"] == "prospect":
            assert r["n_orders"] == 0
    params = json.loads((data / "truth" / "params.json").read_text())
    assert params["btyd"] == config.BTYD
    lam = np.array([r["btyd_lambda"] for r in p])
    bt = config.BTYD
    assert abs(lam.mean() - bt["r"] / bt["alpha"]) < 0.5 * bt["r"] / bt["alpha"]


# ------------------------------------------------------------------------------------ CLI
def _cli(*args: str, tmp: Path | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, DO_NOT_TRACK="1")
    return subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True,
                          env=env, cwd=tmp or ROOT, timeout=120, check=False)


@pytest.mark.parametrize("args", [
    ["--customers", "0"], ["--customers", "-5"], ["--customers", "abc"], ["--customers", "1.5"],
    ["--days", "0"], ["--days", "x"], ["--as-of", "2025-02-30"], ["--as-of", "31/12/2025"],
    ["--as-of", "2025-13-01"], ["--seed", "-1"], ["--bogus"],
])
def test_bad_arguments_exit_2_with_one_line(args, tmp_path):
    r = _cli(*args, "--out", str(tmp_path / "o"))
    assert r.returncode == 2, r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "error" in lines[0]
    assert "Traceback" not in r.stderr


def test_out_path_that_is_a_file_is_rejected(tmp_path):
    f = tmp_path / "file.txt"
    f.write_text("x")
    for out in (f, f / "sub"):
        r = _cli("--customers", "10", "--out", str(out))
        assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1
        assert "Traceback" not in r.stderr


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere")
def test_unwritable_out_is_rejected(tmp_path):
    d = tmp_path / "ro"
    d.mkdir()
    d.chmod(0o500)
    r = _cli("--customers", "10", "--out", str(d / "x"))
    assert r.returncode == 2


def test_cli_runs_and_reports_progress(tmp_path):
    r = _cli("--customers", "300", "--days", "30", "--out", str(tmp_path / "o"))
    assert r.returncode == 0, r.stderr
    assert "chunk 1/1" in r.stderr and "shopify.orders" in r.stderr
    assert r.stdout == ""
    assert (tmp_path / "o" / "truth" / "manifest.json").exists()
    h = _cli("--help")
    assert h.returncode == 0 and "--customers" in h.stdout


# ------------------------------------------------------------------------------------ preference signals
@pytest.fixture(scope="session")
def signals(tmp_path_factory) -> duckdb.DuckDBPyConnection:
    """A two-year run (sales and new arrivals all year round), its raw tables tied to the truth.

    Views: persons; lines (order lines of identified buyers: on_sale, newish); codes (orders:
    campaign code used); views (collection page views of tracked persons); answers (survey answers).
    """
    out = tmp_path_factory.mktemp("signals") / "data"
    generate(Args(customers=3_000, days=730, seed=7, as_of=AS_OF, out=out), quiet=True)
    con = duckdb.connect()
    raw = {k: read(out, k) for k in ("shopify.orders", "shopify.order_lines", "shopify.products",
                                      "ga4.events", "crm.survey_responses")}
    for key, tbl in raw.items():
        con.register(key.replace(".", "_"), tbl)
    con.register("persons", truth(out, "persons"))
    con.register("ids", truth(out, "identifiers"))
    new_days = config.PREFERENCE_SIGNALS["new_arrival_days"]
    con.sql("""create view orders as
        select distinct on (o.order_id) o.order_id, i.person_id, o.discount_codes,
               try_cast(o.created_at as timestamptz) as created_at
        from shopify_orders o join ids i on i.identifier_type in ('email', 'guest_email')
          and i.normalized_value = lower(trim(o.email))
        where o.order_id is not null and not o.is_test and try_cast(o.created_at as timestamptz) is not null""")
    con.sql(f"""create view lines as
        with p as (select product_id, min(try_cast(published_at as timestamptz)) as published_at
                   from shopify_products group by all)
        select distinct on (l.order_line_id) l.order_line_id, o.order_id, o.person_id,
               l.compare_at_price is not null as on_sale,
               o.created_at >= p.published_at
               and o.created_at < p.published_at + interval {new_days} day as newish
        from shopify_order_lines l join orders o using (order_id) join p using (product_id)
        where l.order_line_id is not null""")
    con.sql("""create view codes as select person_id, regexp_replace(coalesce(discount_codes, ''),
        '(WELCOME10|FREESHIP|STAFF100|,)', '', 'g') <> '' as campaign_code from orders""")
    con.sql("""create view views as select i.person_id, e.page_location from ga4_events e
        join ids i on i.identifier_type = 'cookie' and not i.is_shared and i.identifier_value = e.user_pseudo_id
        where e.event_id is not null and e.page_location like '%/collections/%'""")
    con.sql("""create view answers as select i.person_id, s.question_key, s.answer
        from crm_survey_responses s join ids i on i.identifier_type = 'crm_contact_id'
          and i.identifier_value = s.contact_id where s.response_id is not null""")
    return con


def _by_preference(con: duckdb.DuckDBPyConnection, sql: str) -> dict[str, float]:
    """{preference: value} of a query returning (preference, value) rows."""
    return dict(con.sql(sql).fetchall())


def _person_share(con: duckdb.DuckDBPyConnection, flag: str, min_orders: int) -> dict[str, float]:
    """Mean over buyers with at least min_orders orders of their share of lines with flag set."""
    return _by_preference(con, f"""
        select preference, avg(share) from (
            select person_id, avg({flag}::int) as share from lines group by all
            having count(distinct order_id) >= {min_orders})
        join persons using (person_id) group by all""")


def test_bargain_hunters_buy_on_sale(signals):
    share = _person_share(signals, "on_sale", 3)
    assert share["bargain"] - share["none"] >= 0.25, share
    assert share["bargain"] >= 0.5, share


def test_new_arrival_chasers_buy_new_products(signals):
    share = _person_share(signals, "newish", 2)
    assert share["new_arrival"] - share["none"] >= 0.25, share
    assert share["new_arrival"] >= 0.5, share


def test_bargain_hunters_use_campaign_codes_more(signals):
    rate = _by_preference(signals, """select preference, avg(campaign_code::int) from codes
                                      join persons using (person_id) group by all""")
    assert rate["bargain"] >= 2 * rate["none"] > 0, rate
    assert rate["new_arrival"] < 1.5 * rate["none"], rate


def test_preference_holders_view_their_collection(signals):
    rates = signals.sql("""
        select preference, avg((page_location like '%/collections/sale%')::int),
               avg((page_location like '%/collections/new-arrivals%')::int)
        from views join persons using (person_id) group by all""").fetchall()
    sale = {p: s for p, s, _ in rates}
    new = {p: n for p, _, n in rates}
    assert sale["bargain"] - sale["none"] >= 0.3, sale
    assert new["new_arrival"] - new["none"] >= 0.3, new


def test_survey_answers_follow_preference(signals):
    def gap(preference: str, question: str, answer: str) -> float:
        share = _by_preference(signals, f"""
            select preference, avg((answer = '{answer}')::int) from answers
            join persons using (person_id) where question_key = '{question}' group by all""")
        return share[preference] - share["none"]

    price = gap("bargain", "values", "price")
    assert price >= 0.25, price
    others = [gap("bargain", "motivations", "deal"), gap("new_arrival", "motivations", "trend"),
              gap("new_arrival", "values", "quality")]
    assert sum(others) / len(others) >= 0.2, others
