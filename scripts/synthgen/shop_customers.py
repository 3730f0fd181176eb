"""Shopify customers: one record per person with a shop customer id, for one chunk of persons.

Who gets a record: every registered buyer (b2b and staff test accounts included) and every
prospect who signed up on the web — exactly the persons whose shop customer id appears on orders
or as GA4 user_id. Guest-only buyers have none. The record carries the person's primary email, so
a sign-up who never orders can still be linked to their CRM contact.

created_at is the registration moment: the first GA4 event carrying the user_id (the sign_up) or,
without one, a few minutes before the first registered order — never after the first order.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from . import config
from . import textops as tx
from .crm import Crm, _country_text
from .identity import Identity, draw_email_variant, draw_phone_format, email_code
from .population import People, affine
from .shop import SHOP_TZ, Orders, _dict_schema, _set, alt_variant
from .timeutil import DAY
from .web import Web
from .world import World

STATES = ("enabled", "disabled", "invited", "declined")
STATE_VOCAB = tx.vocab(STATES)
TAG_VOCAB = tx.vocab(("wholesale", "staff, test", "vip", "wholesale, vip"))
KEY = "shopify.customers"


@dataclass
class ShopCustomers:
    """What the truth needs to know about the chunk's customer records."""
    person: np.ndarray  # person local of each base record
    customer_id: np.ndarray
    email_codes: np.ndarray
    phone_codes: np.ndarray  # person * N_PHONE_FORMATS + fmt for records with a phone
    old_version_ids: np.ndarray
    dup_ids: np.ndarray


def shop_customer_ids(people: People) -> np.ndarray:
    """The shop customer id every person would get (same formula as population / web)."""
    return 7_100_000_000_000 + affine(people.pidx, 10**10, 7_919_393, 104_729)


def make_customers(world: World, people: People, orders: Orders, crm_info: Crm, web_info: Web,
                   ident: Identity, signup: np.ndarray, first_visit: np.ndarray,
                   rng: np.random.Generator) -> tuple[ShopCustomers, dict[str, pa.Table]]:
    w = world.window
    R = config.RATES
    C = config.CUSTOMERS
    end = w.end
    big = np.iinfo(np.int64).max

    # ---- who, and when they registered
    cp = np.nonzero((people.customer_id >= 0) | signup)[0]
    n = len(cp)
    is_pros = signup[cp]
    reg = ~orders.guest
    first_reg = np.full(people.n, big)
    last_reg = np.full(people.n, -1, dtype=np.int64)
    np.minimum.at(first_reg, orders.owner[reg], orders.ts[reg])
    np.maximum.at(last_reg, orders.owner[reg], orders.ts[reg])
    n_reg = np.bincount(orders.owner[reg], minlength=people.n)[cp]
    web_first = web_info.first_user_event[cp]
    checkout = first_reg[cp] - rng.integers(30, 900, n)  # account made at checkout, before paying
    created = np.where(is_pros, first_visit[cp], np.where(first_reg[cp] < big, checkout, big))
    created = np.where(web_first >= 0, np.minimum(created, web_first), created)
    assert (created < big).all(), "every shop customer has a registration time"
    created = np.maximum(created, w.start)

    # ---- state, verification, marketing consent, tags
    logged_in = web_first >= 0
    shares = C["state_shares"]
    state = rng.choice(len(STATES), n, p=[shares[s] for s in STATES])
    state = np.where(logged_in | is_pros | people.is_test[cp], 0, state)
    verified = rng.random(n) < np.array([C["verified_share"][s] for s in STATES])[state]
    sub_from = crm_info.subscribed_from[cp]
    sub_until = crm_info.subscribed_until[cp]
    subscribed = (sub_from >= 0) & (sub_until >= end)
    accepts = rng.random(n) < np.where(subscribed, C["accepts_marketing_subscribed"],
                                       C["accepts_marketing_other"])
    withdrawn = (sub_from >= 0) & (sub_until < end)
    am_at = np.where(accepts, np.maximum(np.where(sub_from >= 0, sub_from, created), created),
                     np.where(withdrawn, np.maximum(sub_until, created), -1))
    vip = (n_reg >= C["vip_min_orders"]) & (rng.random(n) < C["vip_tag_share"])
    b2b = people.is_b2b[cp]
    tag = np.where(people.is_test[cp], 1, np.where(b2b & vip, 3, np.where(b2b, 0,
                                                                          np.where(vip, 2, -1))))

    # ---- updated_at: the record changes with every registered order, consent and profile edit
    upd = np.maximum(created + rng.integers(0, 120, n), last_reg[cp] + rng.integers(60, 7200, n))
    upd = np.maximum(upd, am_at)
    edit = rng.random(n) < C["profile_edit_share"]
    upd = np.where(edit, upd + (rng.random(n) * np.maximum(end - upd, 0)).astype(np.int64), upd)
    upd = np.maximum(np.minimum(upd, end - 60), created)
    am_at = np.minimum(am_at, upd)
    loaded = np.maximum(np.minimum(upd + rng.integers(300, 6 * 3600, n), end - 1), upd)

    # ---- identity columns as typed
    ev = draw_email_variant(rng, n, R["email_case_whitespace_variant"])
    ecodes = email_code(cp, 0, ev)
    has_phone = rng.random(n) < R["phone_on_customer"]
    pfmt = draw_phone_format(rng, n)
    no_name = is_pros & (rng.random(n) < C["prospect_no_name_share"])
    lower_name = rng.random(n) < 0.03
    first_txt = tx.where(lower_name, tx.take(world.first_lower, people.first[cp]),
                         tx.take(world.first_vocab, people.first[cp]))
    last_txt = tx.where(lower_name, tx.take(world.last_lower, people.last[cp]),
                        tx.take(world.last_vocab, people.last[cp]))
    no_address = is_pros & (rng.random(n) < C["prospect_no_address_share"])
    country = _country_text(world, rng, people.country[cp])

    off = w.offset_minutes(created, np.full(n, SHOP_TZ[0]), np.full(n, SHOP_TZ[1]))
    off_u = w.offset_minutes(upd, np.full(n, SHOP_TZ[0]), np.full(n, SHOP_TZ[1]))
    off_m = w.offset_minutes(np.maximum(am_at, 0), np.full(n, SHOP_TZ[0]), np.full(n, SHOP_TZ[1]))
    var = alt_variant(rng, n)
    customer_id = shop_customer_ids(people)[cp]
    cols = {
        "customer_id": pa.array(customer_id),
        "email": ident.emails(ecodes),
        "phone": tx.where(has_phone, ident.phones(cp, pfmt), pa.nulls(n, pa.string())),
        "first_name": tx.where(no_name, pa.nulls(n, pa.string()), first_txt),
        "last_name": tx.where(no_name, pa.nulls(n, pa.string()), last_txt),
        "state": tx.dict_str(state, STATE_VOCAB),
        "verified_email": pa.array(verified),
        "accepts_marketing": pa.array(accepts),
        "accepts_marketing_updated_at": w.iso(np.maximum(am_at, 0), off_m, var, am_at < 0),
        "tags": tx.dict_str(np.maximum(tag, 0), TAG_VOCAB, tag < 0),
        "currency": tx.dict_str(people.currency[cp], world.currency_vocab),
        "default_address_country": tx.where(no_address, pa.nulls(n, pa.string()), country),
        "created_at": w.iso(created, off, var),
        "updated_at": w.iso(upd, off_u, var),
        "_loaded_at": w.loaded_at(loaded),
    }
    table = pa.table(cols, schema=_dict_schema(KEY, cols))

    # older exports (earlier updated_at: before later orders, consent changes and edits) and
    # identical re-exports
    changed = np.nonzero(upd > created + 3600)[0]
    n_old = min(round(R["customer_older_version"] * n), len(changed))
    old_idx = np.sort(rng.choice(changed, n_old, replace=False)) if n_old else np.zeros(0, int)
    old_upd = created[old_idx] + (rng.random(n_old) * (upd[old_idx] - created[old_idx])
                                  ).astype(np.int64)
    old_upd = np.minimum(old_upd, upd[old_idx] - 60)
    old_am = am_at[old_idx]
    old = table.take(pa.array(old_idx))
    old = _set(old, "updated_at", w.iso(old_upd, off_u[old_idx], var[old_idx]))
    old = _set(old, "verified_email", pa.array(np.zeros(n_old, bool)))
    old = _set(old, "accepts_marketing_updated_at",
               w.iso(np.maximum(old_am, 0), off_m[old_idx], var[old_idx],
                     (old_am < 0) | (old_am > old_upd)))
    old = _set(old, "tags", pa.nulls(n_old, pa.string()))
    old = _set(old, "_loaded_at", w.loaded_at(old_upd + rng.integers(300, DAY // 4, n_old)))
    n_dup = round(R["customer_exact_duplicate"] * n)
    dup_idx = np.sort(rng.choice(n, n_dup, replace=False)) if n_dup else np.zeros(0, int)
    dups = table.take(pa.array(dup_idx))

    info = ShopCustomers(person=cp, customer_id=customer_id, email_codes=ecodes,
                         phone_codes=(cp * 5 + pfmt)[has_phone],
                         old_version_ids=customer_id[old_idx], dup_ids=customer_id[dup_idx])
    return info, {KEY: pa.concat_tables([table, old, dups])}
