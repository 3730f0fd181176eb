"""Shopify orders, order lines, refunds and refund lines for one chunk of persons."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pyarrow as pa

from . import config, vocab
from . import textops as tx
from .identity import Identity, draw_email_variant, draw_phone_format, email_code
from .population import BARGAIN, NEW_ARRIVAL, PREFS, People, repeat_times
from .schemas import SCHEMAS
from .timeutil import DAY, RULES
from .world import World

SHOP_TZ = (-300, RULES["us"])  # the shop's time zone: America/New_York
FIN_VOCAB = tx.vocab(("pending", "authorized", "paid", "partially_refunded", "refunded", "voided"))
FUL_VOCAB = tx.vocab(("fulfilled", "partial"))
SOURCE_VOCAB = tx.vocab(("web", "pos"))
CANCEL_VOCAB = tx.vocab(vocab.CANCEL_REASONS)
NOTE_VOCAB = tx.vocab(vocab.REFUND_NOTES)
RESTOCK_VOCAB = tx.vocab(("return", "cancel", "no_restock"))
CHOICE_NOISE = 0.7  # scale of the Gumbel noise on product-choice scores


@dataclass
class Orders:
    """What other systems need to know about the chunk's orders."""
    owner: np.ndarray
    rank: np.ndarray
    ts: np.ndarray
    order_id: np.ndarray
    guest: np.ndarray
    pos: np.ndarray
    currency: np.ndarray
    total_cents: np.ndarray
    cancelled: np.ndarray
    refunded: np.ndarray
    line_start: np.ndarray
    n_lines: np.ndarray
    line_product: np.ndarray
    line_qty: np.ndarray
    line_price: np.ndarray
    line_on_sale: np.ndarray
    email_codes: np.ndarray  # email code used on each order
    guest_email_codes: np.ndarray
    account_created: np.ndarray  # per person: first registered order time (or -1)
    first_order: np.ndarray
    last_order: np.ndarray
    spend_usd: np.ndarray  # Gamma-Gamma target per order
    phone_codes: np.ndarray | None = None
    old_version_ids: np.ndarray | None = None
    dup_ids: np.ndarray | None = None


def alt_variant(rng: np.random.Generator, n: int) -> np.ndarray:
    """Timestamp text variant: mostly 0, RATES['timestamp_alt_format'] spread over 1..3."""
    v = np.zeros(n, dtype=np.int8)
    m = rng.random(n) < config.RATES["timestamp_alt_format"]
    v[m] = rng.integers(1, 4, int(m.sum()))
    return v


@dataclass
class _Lines:
    """Order lines: order, product, quantity and (once priced) money in local cents."""
    n: np.ndarray  # lines per order
    start: np.ndarray  # first line of each order
    order: np.ndarray  # order row of each line
    qty: np.ndarray
    product: np.ndarray
    regular: np.ndarray | None = None  # regular unit price
    price: np.ndarray | None = None  # unit price paid
    on_sale: np.ndarray | None = None
    disc: np.ndarray | None = None  # line discount
    net: np.ndarray | None = None  # price * qty - disc


@dataclass
class _Money:
    """Order totals in local cents, and the discount codes used."""
    subtotal: np.ndarray
    disc: np.ndarray
    shipping: np.ndarray
    tax: np.ndarray
    total: np.ndarray
    code_text_idx: np.ndarray  # into code_vocab, -1 none
    code_vocab: pa.Array


@dataclass
class _Life:
    """What happened to each order after it was placed (UTC seconds, status codes)."""
    cancelled: np.ndarray
    cancel_at: np.ndarray
    cancel_refund: np.ndarray  # cancelled and refunded
    refund_at: np.ndarray
    refunded: np.ndarray
    full: np.ndarray  # fully refunded
    fin: np.ndarray  # index into FIN_VOCAB
    ful: np.ndarray  # index into FUL_VOCAB, -1 unfulfilled
    processed: np.ndarray
    updated: np.ndarray
    loaded: np.ndarray


def make_orders(world: World, people: People, ident: Identity, rng: np.random.Generator
                ) -> tuple[Orders, dict[str, pa.Table]]:
    """Orders of the chunk's persons with lines, refunds, older versions and duplicate exports."""
    owner, rank, ts, day, counts, first_pos = _order_times(world, people, rng)
    n = len(owner)
    test, guest, pos = _channel(people, rng, owner, rank)
    cur = people.currency[owner]
    lines, spend = _line_products(world, people, rng, owner, day, ts)
    lines = _line_prices(world, rng, lines, cur, day)
    money = _order_money(world, people, rng, owner, rank, day, cur, guest, test, pos,
                         np.bincount(lines.order, weights=lines.net, minlength=n).astype(np.int64))
    life = _lifecycle(world, rng, ts, test, pos, lines.n)
    order_id, order_number, line_id = _order_ids(world, n, len(lines.order))
    ecodes, emails, phones, has_phone, pfmt = _emails_phones(people, ident, rng, owner, guest, pos)
    off, var = _text_offsets(world, people, rng, owner, ts, pos)
    orders_tbl = _orders_table(world, people, rng, owner, order_id, order_number, emails, phones,
                               ts, life, cur, money, guest, pos, test, off, var)
    old, old_idx = _older_versions(world, rng, orders_tbl, life, off, var)
    n_dup = round(config.RATES["order_exact_duplicate"] * n)
    dup_idx = np.sort(rng.choice(n, n_dup, replace=False)) if n_dup else np.zeros(0, int)
    dups = orders_tbl.take(pa.array(dup_idx))
    lines_tbl = _lines_table(world, lines, order_id, line_id, ts)
    refunds_tbl, rl_tbl = _refund_tables(world, rng, lines, life, money, order_id, line_id, cur,
                                         off, var)
    account_created, first_order, last_order = _person_dates(people, owner, ts, guest, counts,
                                                             first_pos)
    info = Orders(owner=owner, rank=rank, ts=ts, order_id=order_id, guest=guest, pos=pos,
                  currency=cur, total_cents=money.total, cancelled=life.cancelled,
                  refunded=life.refunded, line_start=lines.start, n_lines=lines.n,
                  line_product=lines.product, line_qty=lines.qty, line_price=lines.price,
                  line_on_sale=lines.on_sale, email_codes=ecodes, guest_email_codes=ecodes[guest],
                  account_created=account_created, first_order=first_order,
                  last_order=last_order, spend_usd=spend)
    tables = {
        "shopify.orders": pa.concat_tables([orders_tbl, old, dups]),
        "shopify.order_lines": lines_tbl,
        "shopify.refunds": refunds_tbl,
        "shopify.refund_lines": rl_tbl,
    }
    info.old_version_ids = order_id[old_idx]
    info.phone_codes = (owner * 5 + pfmt)[has_phone]
    info.dup_ids = order_id[dup_idx]
    return info, tables


def _order_times(world: World, people: People, rng: np.random.Generator
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Make every order's owner, rank, time and day (sorted by owner, then time).

    Also returns each person's order count and first order row.
    """
    w = world.window
    D = float(w.n_days)
    owner, rank, frac = repeat_times(rng, people)
    acq = people.acq_op[owner]
    op = np.where(rank == 0, acq, acq + frac * (D - acq))
    day = w.op_to_day(op)
    ts = w.local_time(rng, day, people.tz_std[owner], people.tz_rule[owner])
    order = np.lexsort((ts, owner))
    owner, ts = owner[order], ts[order]
    n = len(owner)
    counts = np.bincount(owner, minlength=people.n)
    first_pos = np.concatenate([[0], np.cumsum(counts)[:-1]])
    rank = np.arange(n) - first_pos[owner]
    day = (ts - w.start) // DAY
    return owner, rank, ts, day, counts, first_pos


def _channel(people: People, rng: np.random.Generator, owner: np.ndarray, rank: np.ndarray
             ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Make which orders are test orders, guest checkouts and in-store (POS) orders."""
    n = len(owner)
    test = people.is_test[owner]
    guest = people.guest_only[owner] | ((rank > 0) & (rng.random(n)
                                                      < config.RATES["guest_order_registered"])
                                        & ~test)
    store_shopper = rng.random(people.n) < 0.20
    pos = store_shopper[owner] & (rng.random(n) < config.ORDERS["pos_share"] / 0.20)
    return test, guest, pos


def _line_products(world: World, people: People, rng: np.random.Generator, owner: np.ndarray,
                   day: np.ndarray, ts: np.ndarray) -> tuple[_Lines, np.ndarray]:
    """Make order lines: quantity and a published product near each line's spend target.

    Also returns each order's spend target (USD).
    """
    O = config.ORDERS  # noqa: E741 (short alias of the config table)
    n = len(owner)
    n_lines = np.minimum(rng.geometric(O["lines_geometric_p"], n), 6)
    line_start = np.concatenate([[0], np.cumsum(n_lines)[:-1]])
    L = int(n_lines.sum())
    lo = np.repeat(np.arange(n), n_lines)
    u = rng.random(L)
    qty = np.where(u < O["qty3_share"], 3, np.where(u < O["qty3_share"] + O["qty2_share"], 2, 1))
    spend = rng.gamma(config.BTYD["p"], 1.0 / people.nu[owner])  # USD per order (target)
    shift = config.BEHAVIOUR_SHIFT
    shifted = (people.pref[owner] == PREFS.index(shift["preference"])) & (day >= world.shift_day)
    spend = spend * np.where(shifted, shift["spend_factor"], 1.0)
    wts = rng.exponential(1.0, L)
    wsum = np.bincount(lo, weights=wts, minlength=n)
    target = spend[lo] * wts / wsum[lo] / qty * 100.0  # USD cents per unit
    K = 6
    pos0 = np.searchsorted(world.p_sorted_price, target)
    offs = rng.integers(-4, 3, size=(L, K))
    cand = world.p_by_price[np.clip(pos0[:, None] + offs, 0, len(world.p_by_price) - 1)]
    line_day, line_ts = day[lo], ts[lo]
    pref = people.pref[owner][lo]
    score = _choice_scores(world, cand, target, line_day, line_ts, pref)
    score += rng.gumbel(0.0, CHOICE_NOISE, size=(L, K))
    pick = np.argmax(score, axis=1)
    best, best_score = cand[np.arange(L), pick], score[np.arange(L), pick]
    unpublished = world.p_published[best] > line_ts
    if unpublished.any():  # fall back to the launch catalogue
        launch = np.nonzero(world.p_pub_day < 3)[0]
        best[unpublished] = launch[rng.integers(0, len(launch), int(unpublished.sum()))]
    sel = np.nonzero(pref > 0)[0]  # preference holders also weigh extra candidates
    xbest, xscore = _extra_candidates(world, rng.spawn(1)[0], pos0[sel], target[sel],
                                      line_day[sel], line_ts[sel], pref[sel])
    better = (xscore > best_score[sel]) & (xscore > -1e5)
    best[sel[better]] = xbest[better]
    return _Lines(n=n_lines, start=line_start, order=lo, qty=qty, product=best), spend


def _choice_scores(world: World, cand: np.ndarray, target: np.ndarray, line_day: np.ndarray,
                   line_ts: np.ndarray, pref: np.ndarray) -> np.ndarray:
    """Score candidate products (lines x candidates) without noise: price fit and preference.

    Products not yet published score -1e6.
    """
    P = config.PREFERENCE_SIGNALS
    score = -3.0 * np.abs(np.log(world.p_usd_cents[cand] / np.maximum(target[:, None], 1.0)))
    sale = world.on_sale_pct(cand, line_day[:, None]) > 0
    age = line_ts[:, None] - world.p_published[cand]
    newish = age < P["new_arrival_days"] * DAY
    pref = pref[:, None]
    shift = config.BEHAVIOUR_SHIFT
    shifted = (line_day[:, None] >= world.shift_day) & (pref == PREFS.index(shift["preference"]))
    bargain = P["bargain_sale_score"] * np.where(shifted, shift["sale_score_factor"], 1.0)
    score += np.where(sale, P["sale_score"] + bargain * (pref == BARGAIN), 0.0)
    score += np.where(newish, P["new_arrival_score"] * (pref == NEW_ARRIVAL), 0.0)
    return score - 1e6 * (age < 0)


def _extra_candidates(world: World, rng: np.random.Generator, pos0: np.ndarray, target: np.ndarray,
                      line_day: np.ndarray, line_ts: np.ndarray, pref: np.ndarray
                      ) -> tuple[np.ndarray, np.ndarray]:
    """Best of extra candidates from a wider band of the price-sorted catalogue, and its score.

    Preference holders look further for a sale / new product near the target price; candidates
    too far from it (config.PREFERENCE_SIGNALS) score -1e6. rng is a stream of its own (spawned),
    so the chunk's shop stream draws the same numbers as without preference signals.
    """
    P = config.PREFERENCE_SIGNALS
    L, K, R = len(pos0), P["extra_candidates"], P["extra_candidate_ranks"]
    if K == 0:
        return np.zeros(L, dtype=np.int64), np.full(L, -np.inf)
    offs = rng.integers(-R, R + 1, size=(L, K))
    cand = world.p_by_price[np.clip(pos0[:, None] + offs, 0, len(world.p_by_price) - 1)]
    score = _choice_scores(world, cand, target, line_day, line_ts, pref)
    score += rng.gumbel(0.0, CHOICE_NOISE, size=(L, K))
    far = np.abs(np.log(world.p_usd_cents[cand] / np.maximum(target[:, None], 1.0)))
    score -= 1e6 * (far > P["extra_candidate_max_log_ratio"])
    pick = np.argmax(score, axis=1)
    return cand[np.arange(L), pick], score[np.arange(L), pick]


def _line_prices(world: World, rng: np.random.Generator, lines: _Lines, cur: np.ndarray,
                 day: np.ndarray) -> _Lines:
    """Make each line's regular and paid unit price, sale flag, line discount and net amount."""
    product = lines.product
    line_day = day[lines.order]
    lcur = cur[lines.order]
    regular = world.to_local_cents(world.p_usd_cents[product], lcur, line_day)
    pct = world.on_sale_pct(product, line_day)
    zero = world.zero_decimal[lcur]
    sale_price = np.where(zero, np.round(regular * (1 - pct) / 100) * 100,
                          np.round(regular * (1 - pct))).astype(np.int64)
    price = np.where(pct > 0, sale_price, regular)
    gross = price * lines.qty
    has_ldisc = rng.random(len(lines.order)) < config.ORDERS["line_discount_share"]
    ldisc = np.where(has_ldisc, np.round(gross * 0.10), 0).astype(np.int64)
    ldisc = np.where(zero, np.round(ldisc / 100) * 100, ldisc).astype(np.int64)
    return replace(lines, regular=regular, price=price, on_sale=pct > 0, disc=ldisc,
                   net=gross - ldisc)


def _order_money(world: World, people: People, rng: np.random.Generator, owner: np.ndarray,
                 rank: np.ndarray, day: np.ndarray, cur: np.ndarray, guest: np.ndarray,
                 test: np.ndarray, pos: np.ndarray, subtotal: np.ndarray) -> _Money:
    """Make each order's discount codes, discount, shipping, tax and total."""
    w = world.window
    O = config.ORDERS  # noqa: E741 (short alias of the config table)
    n = len(owner)
    codes = world.code_vocab_list
    code_idx = np.full(n, -1)
    welcome = (rank == 0) & ~guest & (rng.random(n) < O["welcome_code_share"])
    code_idx[welcome] = codes.index("WELCOME10")
    camp = world.day_code_campaign[np.clip(day, 0, w.n_days - 1)]
    use_camp = (camp >= 0) & (code_idx < 0) & (rng.random(n) < _campaign_code_share(people, owner))
    camp_codes = np.array([codes.index(c["code"]) if c["code"] else -1 for c in world.campaigns])
    code_idx[use_camp] = camp_codes[camp[use_camp]]
    staff = test & (rng.random(n) < 0.5)
    code_idx[staff] = codes.index("STAFF100")
    freeship = (~pos) & (rng.random(n) < 0.03)
    code_pct = np.zeros(len(codes))
    for i, c in enumerate(codes):
        code_pct[i] = (1.0 if c == "STAFF100" else 0.10 if c == "WELCOME10" else
                       0.25 if c.startswith("BF") else 0.0 if c == "FREESHIP" else 0.15)
    pct_o = np.where(code_idx >= 0, code_pct[np.maximum(code_idx, 0)], 0.0)
    disc = np.round(subtotal * pct_o).astype(np.int64)
    ozero = world.zero_decimal[cur]
    disc = np.where(ozero, np.round(disc / 100) * 100, disc).astype(np.int64)
    code_vocab = tx.vocab(codes + [c + ",FREESHIP" for c in codes])
    fs = codes.index("FREESHIP")
    code_text_idx = np.where(code_idx >= 0, code_idx + np.where(freeship, len(codes), 0),
                             np.where(freeship, fs, -1))
    # shipping & tax
    sub_usd = subtotal * world.fx[cur, np.clip(day, 0, w.n_days - 1)] / 100.0
    ship_fee = world.to_local_cents(np.full(n, int(O["shipping_usd"] * 100)), cur, day, charm=False)
    shipping = np.where(pos | freeship | (sub_usd >= O["free_shipping_usd"]), 0, ship_fee)
    taxable = subtotal - disc + shipping
    tax = np.round(taxable * world.cc_tax[people.country[owner]]).astype(np.int64)
    tax = np.where(ozero, np.round(tax / 100) * 100, tax).astype(np.int64)
    total = subtotal - disc + shipping + tax
    return _Money(subtotal=subtotal, disc=disc, shipping=shipping, tax=tax, total=total,
                  code_text_idx=code_text_idx, code_vocab=code_vocab)


def _campaign_code_share(people: People, owner: np.ndarray) -> np.ndarray:
    """Each order's chance of using a running campaign's code: higher for bargain hunters."""
    share = config.ORDERS["campaign_code_share"]
    P = config.PREFERENCE_SIGNALS
    bargain = min(share * P["bargain_code_factor"], max(P["bargain_code_share_cap"], share))
    return np.where(people.pref[owner] == BARGAIN, bargain, share)


def _lifecycle(world: World, rng: np.random.Generator, ts: np.ndarray, test: np.ndarray,
               pos: np.ndarray, n_lines: np.ndarray) -> _Life:
    """Make cancellations, refunds, fulfilment, statuses and update / load times."""
    R = config.RATES
    end = world.window.end
    n = len(ts)
    cancelled = (rng.random(n) < R["cancelled_order"]) & ~test
    cancel_at = np.minimum(ts + rng.integers(600, 36 * 3600, n), end - 60)
    cancel_refund = cancelled & (rng.random(n) < 0.4)
    refund_at = ts + rng.integers(5 * DAY, 40 * DAY, n)
    refunded = (~cancelled) & (rng.random(n) < R["refunded_order"]) & (refund_at < end - 3600) & ~test
    full = refunded & (rng.random(n) < R["full_refund_share"])
    recent = ts > end - 3 * DAY
    fulfil_at = ts + rng.integers(6 * 3600, 3 * DAY, n)
    fulfilled = (~cancelled) & (fulfil_at < end - 60)
    partial_f = fulfilled & (n_lines > 1) & (rng.random(n) < 0.03)
    fin = np.full(n, 2)  # paid
    pend = recent & ~cancelled & (rng.random(n) < 0.4)
    fin[pend] = np.where(rng.random(int(pend.sum())) < 0.5, 0, 1)
    fin[refunded & ~full] = 3
    fin[full] = 4
    fin[cancelled] = np.where(cancel_refund[cancelled], 4, 5)
    fulfilled &= ~pend
    ful = np.where(partial_f, 1, np.where(fulfilled, 0, -1))
    processed = ts + np.where(pos, 0, rng.integers(1, 90, n))
    updated = np.maximum(processed, np.where(fulfilled, fulfil_at, 0))
    updated = np.maximum(updated, np.where(cancelled, cancel_at, 0))
    updated = np.maximum(updated, np.where(refunded, refund_at, 0))
    updated = np.minimum(updated, end - 60)
    loaded = np.minimum(updated + rng.integers(300, 6 * 3600, n), end - 1)
    return _Life(cancelled=cancelled, cancel_at=cancel_at, cancel_refund=cancel_refund,
                 refund_at=refund_at, refunded=refunded, full=full, fin=fin, ful=ful,
                 processed=processed, updated=updated, loaded=loaded)


def _order_ids(world: World, n: int, n_lines: int) -> tuple[np.ndarray, pa.Array, np.ndarray]:
    """Make order ids, order numbers and order line ids from the running counters."""
    oid_seq = world.counters.take("order", n)
    order_id = 5_800_000_000_000 + oid_seq * 7 + 3
    order_number = tx.join("#", tx.int_str(1001 + oid_seq))
    line_id = 13_000_000_000_000 + world.counters.take("order_line", n_lines) * 3 + 1
    return order_id, order_number, line_id


def _text_offsets(world: World, people: People, rng: np.random.Generator, owner: np.ndarray,
                  ts: np.ndarray, pos: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Make each order's text-timestamp offset (minutes) and format variant.

    Web orders use the shop's offset; POS orders the store's (person's) local offset.
    """
    w = world.window
    n = len(owner)
    off_shop = w.offset_minutes(ts, np.full(n, SHOP_TZ[0]), np.full(n, SHOP_TZ[1]))
    off_local = w.offset_minutes(ts, people.tz_std[owner], people.tz_rule[owner])
    off = np.where(pos, off_local, off_shop)
    return off, alt_variant(rng, n)


def _emails_phones(people: People, ident: Identity, rng: np.random.Generator, owner: np.ndarray,
                   guest: np.ndarray, pos: np.ndarray
                   ) -> tuple[np.ndarray, pa.Array, pa.Array, np.ndarray, np.ndarray]:
    """Make each order's email (code and text) and phone (text, presence and format)."""
    R = config.RATES
    n = len(owner)
    person_local = owner
    slot = np.where(guest & people.has_secondary[owner] & ~people.guest_only[owner]
                    & (rng.random(n) < 0.5), 1, 0)
    ev = draw_email_variant(rng, n, R["email_case_whitespace_variant"])
    ecodes = email_code(person_local, slot, ev)
    emails = ident.emails(ecodes)
    has_phone = (rng.random(n) < R["phone_on_order"]) & ~pos
    pfmt = draw_phone_format(rng, n)
    phones = ident.phones(person_local, pfmt)
    phones = tx.where(has_phone, phones, pa.nulls(n, pa.string()))
    return ecodes, emails, phones, has_phone, pfmt


def _orders_table(world: World, people: People, rng: np.random.Generator, owner: np.ndarray,
                  order_id: np.ndarray, order_number: pa.Array, emails: pa.Array, phones: pa.Array,
                  ts: np.ndarray, life: _Life, cur: np.ndarray, money: _Money, guest: np.ndarray,
                  pos: np.ndarray, test: np.ndarray, off: np.ndarray, var: np.ndarray) -> pa.Table:
    """Make the shopify.orders table (current version of every order)."""
    w = world.window
    n = len(owner)
    cancelled = life.cancelled
    cur_idx = cur + np.where(rng.random(n) < config.RATES["currency_lower_case"],
                             len(world.currencies), 0)
    cols = {
        "order_id": pa.array(order_id),
        "order_number": order_number,
        "customer_id": pa.array(people.customer_id[owner], mask=guest | (people.customer_id[owner] < 0)),
        "email": emails,
        "phone": phones,
        "created_at": w.iso(ts, off, var),
        "processed_at": w.iso(life.processed, off, var),
        "updated_at": w.iso(life.updated, off, var),
        "cancelled_at": w.iso(life.cancel_at, off, var, ~cancelled),
        "cancel_reason": tx.dict_str(rng.choice(len(vocab.CANCEL_REASONS), n,
                                                p=vocab.CANCEL_REASON_WEIGHTS), CANCEL_VOCAB,
                                     ~cancelled),
        "currency": tx.dict_str(cur_idx, world.currency_vocab),
        "subtotal_price": tx.money(money.subtotal),
        "total_discounts": tx.money(money.disc),
        "total_shipping": tx.money(money.shipping),
        "total_tax": tx.money(money.tax),
        "total_price": tx.money(money.total),
        "financial_status": tx.dict_str(life.fin, FIN_VOCAB),
        "fulfillment_status": tx.dict_str(np.maximum(life.ful, 0), FUL_VOCAB, life.ful < 0),
        "source_name": tx.dict_str(pos.astype(np.int32), SOURCE_VOCAB),
        "discount_codes": tx.dict_str(np.maximum(money.code_text_idx, 0), money.code_vocab,
                                      money.code_text_idx < 0),
        "shipping_country": tx.dict_str(people.country[owner], world.cc_iso2_vocab),
        "is_test": pa.array(test),
        "_loaded_at": w.loaded_at(life.loaded),
    }
    return pa.table(cols, schema=_dict_schema("shopify.orders", cols))


def _older_versions(world: World, rng: np.random.Generator, orders_tbl: pa.Table, life: _Life,
                    off: np.ndarray, var: np.ndarray) -> tuple[pa.Table, np.ndarray]:
    """Make older exports of some changed orders (earlier updated_at, earlier status)."""
    w = world.window
    processed, updated = life.processed, life.updated
    changed = np.nonzero(updated > processed + 3600)[0]
    n_old = min(round(config.RATES["order_older_version"] * len(processed)), len(changed))
    old_idx = np.sort(rng.choice(changed, n_old, replace=False)) if n_old else np.zeros(0, int)
    old_upd = processed[old_idx] + (rng.random(n_old) * (updated[old_idx] - processed[old_idx])
                                    ).astype(np.int64)
    old_upd = np.minimum(old_upd, updated[old_idx] - 60)
    old = orders_tbl.take(pa.array(old_idx))
    old = _set(old, "updated_at", w.iso(old_upd, off[old_idx], var[old_idx]))
    old = _set(old, "financial_status", tx.dict_str(np.full(n_old, 2), FIN_VOCAB))
    old = _set(old, "fulfillment_status", pa.nulls(n_old, pa.string()))
    old = _set(old, "cancelled_at", pa.nulls(n_old, pa.string()))
    old = _set(old, "cancel_reason", pa.nulls(n_old, pa.string()))
    old = _set(old, "_loaded_at", w.loaded_at(old_upd + 600))
    return old, old_idx


def _lines_table(world: World, lines: _Lines, order_id: np.ndarray, line_id: np.ndarray,
                 ts: np.ndarray) -> pa.Table:
    """Make the shopify.order_lines table."""
    lo = lines.order
    lines_cols = {
        "order_line_id": pa.array(line_id),
        "order_id": pa.array(order_id[lo]),
        "product_id": pa.array(world.p_id[lines.product]),
        "sku": tx.dict_str(lines.product, world.sku_vocab),
        "quantity": pa.array(lines.qty.astype(np.int32)),
        "price": tx.money(lines.price),
        "compare_at_price": tx.money(lines.regular, ~lines.on_sale),
        "total_discount": tx.money(lines.disc),
        "_loaded_at": world.window.loaded_at(ts[lo] + 1800),
    }
    return pa.table(lines_cols, schema=_dict_schema("shopify.order_lines", lines_cols))


def _refund_tables(world: World, rng: np.random.Generator, lines: _Lines, life: _Life,
                   money: _Money, order_id: np.ndarray, line_id: np.ndarray, cur: np.ndarray,
                   off: np.ndarray, var: np.ndarray) -> tuple[pa.Table, pa.Table]:
    """Make shopify.refunds and shopify.refund_lines (returns and refunded cancellations)."""
    w = world.window
    n_lines, qty = lines.n, lines.qty
    ref_o = np.nonzero(life.refunded | life.cancel_refund)[0]
    R_n = len(ref_o)
    is_cancel_ref = life.cancel_refund[ref_o]
    ref_time = np.where(is_cancel_ref, life.cancel_at[ref_o], life.refund_at[ref_o])
    refund_id = 900_000_000_000 + world.counters.take("refund", R_n) * 11 + 5
    full_ref = life.full[ref_o] | is_cancel_ref
    # refund lines: choose lines of refunded orders
    rl_owner = np.repeat(np.arange(R_n), n_lines[ref_o])
    rl_line = np.repeat(lines.start[ref_o], n_lines[ref_o]) + (
        np.arange(len(rl_owner)) - np.repeat(np.cumsum(n_lines[ref_o]) - n_lines[ref_o],
                                             n_lines[ref_o]))
    pick = full_ref[rl_owner] | (rng.random(len(rl_owner)) < 0.5)
    # guarantee at least one line per partial refund: the first line
    first_of = np.concatenate([[True], rl_owner[1:] != rl_owner[:-1]]) if len(rl_owner) else pick
    none_picked = np.bincount(rl_owner, weights=pick, minlength=R_n) == 0
    pick |= first_of & none_picked[rl_owner]
    rl_owner, rl_line = rl_owner[pick], rl_line[pick]
    q = qty[rl_line]
    rq = np.where(full_ref[rl_owner], q, 1 + (rng.random(len(q)) * q).astype(np.int64))
    rq = np.minimum(rq, q)
    rsub = np.floor(lines.net[rl_line] * rq / q).astype(np.int64)
    rsub = np.where(world.zero_decimal[cur[ref_o]][rl_owner], rsub // 100 * 100, rsub)
    restock = np.where(is_cancel_ref[rl_owner], 1, np.where(rng.random(len(rq)) < 0.7, 0, 2))
    ship_ref = np.where(full_ref, money.shipping[ref_o], 0)
    note_idx = np.where(is_cancel_ref, vocab.REFUND_NOTES.index("Order cancelled"),
                        rng.integers(0, len(vocab.REFUND_NOTES), R_n))
    ref_off = off[ref_o]
    refunds_cols = {
        "refund_id": pa.array(refund_id),
        "order_id": pa.array(order_id[ref_o]),
        "created_at": w.iso(ref_time, ref_off, var[ref_o]),
        "note": tx.dict_str(note_idx, NOTE_VOCAB),
        "shipping_refund": tx.money(ship_ref),
        "_loaded_at": w.loaded_at(ref_time + 1200),
    }
    refunds_tbl = pa.table(refunds_cols, schema=_dict_schema("shopify.refunds", refunds_cols))
    rl_cols = {
        "refund_line_id": pa.array(950_000_000_000 + world.counters.take("refund_line",
                                                                         len(rl_line)) * 13 + 7),
        "refund_id": pa.array(refund_id[rl_owner]),
        "order_line_id": pa.array(line_id[rl_line]),
        "quantity": pa.array(rq.astype(np.int32)),
        "subtotal": tx.money(rsub),
        "restock_type": tx.dict_str(restock, RESTOCK_VOCAB),
        "_loaded_at": w.loaded_at(ref_time[rl_owner] + 1200),
    }
    return refunds_tbl, pa.table(rl_cols, schema=_dict_schema("shopify.refund_lines", rl_cols))


def _person_dates(people: People, owner: np.ndarray, ts: np.ndarray, guest: np.ndarray,
                  counts: np.ndarray, first_pos: np.ndarray
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Make per person: account creation (first registered order), first and last order (or -1)."""
    account_created = np.full(people.n, -1, dtype=np.int64)
    reg = ~guest & ~people.guest_only[owner]
    reg_first = np.full(people.n, np.iinfo(np.int64).max)
    np.minimum.at(reg_first, owner[reg], ts[reg])
    has_acc = reg_first < np.iinfo(np.int64).max
    account_created[has_acc] = reg_first[has_acc]
    first_order = np.full(people.n, -1, dtype=np.int64)
    last_order = np.full(people.n, -1, dtype=np.int64)
    has = counts > 0
    first_order[has] = ts[first_pos[has]]
    last_order[has] = ts[(first_pos + counts - 1)[has]]
    return account_created, first_order, last_order


def _dict_schema(key: str, cols: dict) -> pa.Schema:
    """The contract schema, with string fields typed as the arrays actually are (dictionary)."""
    base = SCHEMAS[key]
    fields = []
    for f in base:
        arr = cols[f.name]
        fields.append(pa.field(f.name, arr.type if pa.types.is_dictionary(arr.type) else f.type))
    return pa.schema(fields)


def _set(tbl: pa.Table, name: str, arr: pa.Array) -> pa.Table:
    """Replace a column keeping the table's column type (plain or dictionary string)."""
    i = tbl.schema.get_field_index(name)
    field = tbl.schema.field(i)
    if arr.type != field.type:
        arr = tx.plain(arr).dictionary_encode() if pa.types.is_dictionary(field.type) else tx.plain(arr)
    assert arr.type == field.type, (name, arr.type, field.type)
    return tbl.set_column(i, field, arr)
