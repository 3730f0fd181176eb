"""Shopify orders, order lines, refunds and refund lines for one chunk of persons."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from . import config, vocab
from . import textops as tx
from .identity import Identity, draw_email_variant, draw_phone_format, email_code
from .population import People, repeat_times
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


def make_orders(world: World, people: People, ident: Identity, rng: np.random.Generator
                ) -> tuple[Orders, dict[str, pa.Table]]:
    w = world.window
    D = float(w.n_days)
    R = config.RATES
    O = config.ORDERS  # noqa: E741 (short aliases of the config tables, as D and R)
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

    # ---- who / where
    test = people.is_test[owner]
    guest = people.guest_only[owner] | ((rank > 0) & (rng.random(n) < R["guest_order_registered"])
                                        & ~test)
    store_shopper = rng.random(people.n) < 0.20
    pos = store_shopper[owner] & (rng.random(n) < config.ORDERS["pos_share"] / 0.20)
    cur = people.currency[owner]

    # ---- lines
    n_lines = np.minimum(rng.geometric(O["lines_geometric_p"], n), 6)
    line_start = np.concatenate([[0], np.cumsum(n_lines)[:-1]])
    L = int(n_lines.sum())
    lo = np.repeat(np.arange(n), n_lines)
    u = rng.random(L)
    qty = np.where(u < O["qty3_share"], 3, np.where(u < O["qty3_share"] + O["qty2_share"], 2, 1))
    spend = rng.gamma(config.BTYD["p"], 1.0 / people.nu[owner])  # USD per order (target)
    wts = rng.exponential(1.0, L)
    wsum = np.bincount(lo, weights=wts, minlength=n)
    target = spend[lo] * wts / wsum[lo] / qty * 100.0  # USD cents per unit
    K = 6
    pos0 = np.searchsorted(world.p_sorted_price, target)
    offs = rng.integers(-4, 3, size=(L, K))
    cand = world.p_by_price[np.clip(pos0[:, None] + offs, 0, len(world.p_by_price) - 1)]
    line_day = day[lo]
    line_ts = ts[lo]
    cand_price = world.p_usd_cents[cand]
    score = -3.0 * np.abs(np.log(cand_price / np.maximum(target[:, None], 1.0)))
    score += rng.gumbel(0.0, 0.7, size=(L, K))
    sale = world.on_sale_pct(cand, line_day[:, None]) > 0
    newish = (line_ts[:, None] - world.p_published[cand]) < 60 * DAY
    pref = people.pref[owner][lo][:, None]
    score += np.where(sale, 0.3 + 2.5 * (pref == 1), 0.0)
    score += np.where(newish, 2.5 * (pref == 2), 0.0)
    score -= 1e6 * (world.p_published[cand] > line_ts[:, None])
    best = cand[np.arange(L), np.argmax(score, axis=1)]
    unpublished = world.p_published[best] > line_ts
    if unpublished.any():  # fall back to the launch catalogue
        launch = np.nonzero(world.p_pub_day < 3)[0]
        best[unpublished] = launch[rng.integers(0, len(launch), int(unpublished.sum()))]
    product = best
    lcur = cur[lo]
    regular = world.to_local_cents(world.p_usd_cents[product], lcur, line_day)
    pct = world.on_sale_pct(product, line_day)
    zero = world.zero_decimal[lcur]
    sale_price = np.where(zero, np.round(regular * (1 - pct) / 100) * 100,
                          np.round(regular * (1 - pct))).astype(np.int64)
    price = np.where(pct > 0, sale_price, regular)
    on_sale = pct > 0
    gross = price * qty
    has_ldisc = rng.random(L) < O["line_discount_share"]
    ldisc = np.where(has_ldisc, np.round(gross * 0.10), 0).astype(np.int64)
    ldisc = np.where(zero, np.round(ldisc / 100) * 100, ldisc).astype(np.int64)
    net = gross - ldisc
    subtotal = np.bincount(lo, weights=net, minlength=n).astype(np.int64)

    # ---- discount codes
    codes = world.code_vocab_list
    code_idx = np.full(n, -1)
    welcome = (rank == 0) & ~guest & (rng.random(n) < O["welcome_code_share"])
    code_idx[welcome] = codes.index("WELCOME10")
    camp = world.day_code_campaign[np.clip(day, 0, w.n_days - 1)]
    use_camp = (camp >= 0) & (code_idx < 0) & (rng.random(n) < O["campaign_code_share"])
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

    # ---- shipping & tax
    sub_usd = subtotal * world.fx[cur, np.clip(day, 0, w.n_days - 1)] / 100.0
    ship_fee = world.to_local_cents(np.full(n, int(O["shipping_usd"] * 100)), cur, day, charm=False)
    shipping = np.where(pos | freeship | (sub_usd >= O["free_shipping_usd"]), 0, ship_fee)
    taxable = subtotal - disc + shipping
    tax = np.round(taxable * world.cc_tax[people.country[owner]]).astype(np.int64)
    tax = np.where(ozero, np.round(tax / 100) * 100, tax).astype(np.int64)
    total = subtotal - disc + shipping + tax

    # ---- lifecycle
    end = w.end
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

    # ---- ids
    oid_seq = world.counters.take("order", n)
    order_id = 5_800_000_000_000 + oid_seq * 7 + 3
    order_number = tx.join("#", tx.int_str(1001 + oid_seq))
    line_id = 13_000_000_000_000 + world.counters.take("order_line", L) * 3 + 1

    # ---- emails / phones
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

    # ---- text timestamps: shop offset; POS orders use the store's (person's) local offset
    off_shop = w.offset_minutes(ts, np.full(n, SHOP_TZ[0]), np.full(n, SHOP_TZ[1]))
    off_local = w.offset_minutes(ts, people.tz_std[owner], people.tz_rule[owner])
    off = np.where(pos, off_local, off_shop)
    var = alt_variant(rng, n)

    def iso(x: np.ndarray, mask: np.ndarray | None = None) -> pa.Array:
        return w.iso(x, off, var, mask)

    cur_idx = cur + np.where(rng.random(n) < R["currency_lower_case"], len(world.currencies), 0)
    cols = {
        "order_id": pa.array(order_id),
        "order_number": order_number,
        "customer_id": pa.array(people.customer_id[owner], mask=guest | (people.customer_id[owner] < 0)),
        "email": emails,
        "phone": phones,
        "created_at": iso(ts),
        "processed_at": iso(processed),
        "updated_at": iso(updated),
        "cancelled_at": iso(cancel_at, ~cancelled),
        "cancel_reason": tx.dict_str(rng.choice(len(vocab.CANCEL_REASONS), n,
                                                p=vocab.CANCEL_REASON_WEIGHTS), CANCEL_VOCAB,
                                     ~cancelled),
        "currency": tx.dict_str(cur_idx, world.currency_vocab),
        "subtotal_price": tx.money(subtotal),
        "total_discounts": tx.money(disc),
        "total_shipping": tx.money(shipping),
        "total_tax": tx.money(tax),
        "total_price": tx.money(total),
        "financial_status": tx.dict_str(fin, FIN_VOCAB),
        "fulfillment_status": tx.dict_str(np.maximum(ful, 0), FUL_VOCAB, ful < 0),
        "source_name": tx.dict_str(pos.astype(np.int32), SOURCE_VOCAB),
        "discount_codes": tx.dict_str(np.maximum(code_text_idx, 0), code_vocab, code_text_idx < 0),
        "shipping_country": tx.dict_str(people.country[owner], world.cc_iso2_vocab),
        "is_test": pa.array(test),
        "_loaded_at": w.loaded_at(loaded),
    }
    orders_tbl = pa.table(cols, schema=_dict_schema("shopify.orders", cols))

    # older versions (earlier updated_at, earlier status) and exact duplicate exports
    changed = np.nonzero(updated > processed + 3600)[0]
    n_old = min(round(R["order_older_version"] * n), len(changed))
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
    n_dup = round(R["order_exact_duplicate"] * n)
    dup_idx = np.sort(rng.choice(n, n_dup, replace=False)) if n_dup else np.zeros(0, int)
    dups = orders_tbl.take(pa.array(dup_idx))

    # ---- order lines
    lines_cols = {
        "order_line_id": pa.array(line_id),
        "order_id": pa.array(order_id[lo]),
        "product_id": pa.array(world.p_id[product]),
        "sku": tx.dict_str(product, world.sku_vocab),
        "quantity": pa.array(qty.astype(np.int32)),
        "price": tx.money(price),
        "compare_at_price": tx.money(regular, ~on_sale),
        "total_discount": tx.money(ldisc),
        "_loaded_at": w.loaded_at(ts[lo] + 1800),
    }
    lines_tbl = pa.table(lines_cols, schema=_dict_schema("shopify.order_lines", lines_cols))

    # ---- refunds (returns and refunded cancellations)
    ref_o = np.nonzero(refunded | cancel_refund)[0]
    R_n = len(ref_o)
    is_cancel_ref = cancel_refund[ref_o]
    ref_time = np.where(is_cancel_ref, cancel_at[ref_o], refund_at[ref_o])
    refund_id = 900_000_000_000 + world.counters.take("refund", R_n) * 11 + 5
    full_ref = full[ref_o] | is_cancel_ref
    # refund lines: choose lines of refunded orders
    rl_owner = np.repeat(np.arange(R_n), n_lines[ref_o])
    rl_line = np.repeat(line_start[ref_o], n_lines[ref_o]) + (
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
    rsub = np.floor(net[rl_line] * rq / q).astype(np.int64)
    rsub = np.where(world.zero_decimal[cur[ref_o]][rl_owner], rsub // 100 * 100, rsub)
    restock = np.where(is_cancel_ref[rl_owner], 1, np.where(rng.random(len(rq)) < 0.7, 0, 2))
    ship_ref = np.where(full_ref, shipping[ref_o], 0)
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
    rl_tbl = pa.table(rl_cols, schema=_dict_schema("shopify.refund_lines", rl_cols))

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

    info = Orders(owner=owner, rank=rank, ts=ts, order_id=order_id, guest=guest, pos=pos,
                  currency=cur, total_cents=total, cancelled=cancelled, refunded=refunded,
                  line_start=line_start, n_lines=n_lines, line_product=product, line_qty=qty,
                  line_price=price, line_on_sale=on_sale, email_codes=ecodes,
                  guest_email_codes=ecodes[guest], account_created=account_created,
                  first_order=first_order, last_order=last_order, spend_usd=spend)
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
