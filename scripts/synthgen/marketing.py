"""Marketing: ESP email events (per chunk); campaigns, ad spend and products (global tables)."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from . import config, vocab
from . import textops as tx
from .crm import Crm, _table
from .identity import Identity, draw_email_variant, email_code
from .population import People
from .shop import Orders, _set
from .timeutil import DAY
from .world import World

EVENT_TYPES = ("send", "open", "click", "unsubscribe", "bounce")
ET_VOCAB = tx.vocab(list(EVENT_TYPES) + [e.title() for e in EVENT_TYPES]
                    + [e.upper() for e in EVENT_TYPES])
AUDIENCE_SHARE = {"all": 0.20, "vip": 0.85, "lapsed": 0.70, "b2b": 0.90, "new_customers": 0.5}


def make_email_events(world: World, people: People, orders: Orders, crm: Crm, ident: Identity,
                      rng: np.random.Generator) -> tuple[dict, dict[str, pa.Table]]:
    w = world.window
    R = config.RATES
    sub = np.nonzero(crm.subscribed_from >= 0)[0]
    camps = world.email_campaigns
    send_p, send_c, send_t = [], [], []
    for ci in camps:
        c = world.campaigns[ci]
        t0 = c["start"] * DAY + 14 * 3600
        m = (crm.subscribed_from[sub] < t0) & (crm.subscribed_until[sub] > t0)
        aud = c["audience"]
        if aud == "vip":
            m &= people.lam[sub] > 0.05
        elif aud == "lapsed":
            m &= (orders.last_order[sub] >= 0) & (orders.last_order[sub] < t0 - 120 * DAY)
        elif aud == "b2b":
            m &= people.is_b2b[sub]
        m &= rng.random(len(sub)) < AUDIENCE_SHARE.get(aud, 0.2)
        p = sub[m]
        send_p.append(p)
        send_c.append(np.full(len(p), ci))
        send_t.append(t0 + rng.integers(0, 3 * 3600, len(p)))
    sp = np.concatenate(send_p) if send_p else np.zeros(0, int)
    sc = np.concatenate(send_c) if send_c else np.zeros(0, int)
    st = np.concatenate(send_t) if send_t else np.zeros(0, int)
    n = len(sp)
    bounce = rng.random(n) < 0.015
    opened = ~bounce & (rng.random(n) < 0.28)
    clicked = opened & (rng.random(n) < 0.12)
    open_t = st + rng.exponential(6 * 3600, n).astype(np.int64) + 30
    click_t = open_t + rng.integers(5, 600, n)
    # unsubscribes: the last send before the person's withdrawal
    until = crm.subscribed_until[sp]
    wd = until < w.end
    order = np.lexsort((st, sp))
    last_before = np.zeros(n, dtype=bool)
    if n:
        ps, ok = sp[order], (st[order] < until[order]) & wd[order]
        nxt_same = np.concatenate([ps[1:] == ps[:-1], [False]])
        nxt_ok = np.concatenate([ok[1:], [False]])
        last_before[order] = ok & ~(nxt_same & nxt_ok)
    unsub_t = np.maximum(until, st + 60)
    kinds = [(np.ones(n, bool), st, 0), (bounce, st + 5, 4), (opened, open_t, 1),
             (clicked, click_t, 2), (last_before & ~bounce, unsub_t, 3)]
    e_idx, e_type, e_t = [], [], []
    for m, t, k in kinds:
        ii = np.nonzero(m & (t < w.end))[0]
        e_idx.append(ii)
        e_type.append(np.full(len(ii), k))
        e_t.append(t[ii])
    e_idx = np.concatenate(e_idx)
    e_type = np.concatenate(e_type)
    e_t = np.concatenate(e_t)
    order = np.lexsort((e_t, e_idx))
    e_idx, e_type, e_t = e_idx[order], e_type[order], e_t[order]
    E = len(e_idx)
    case = np.where(rng.random(E) < 0.9, 0, rng.integers(1, 3, E))
    ev = draw_email_variant(rng, E, R["esp_email_variant"])
    codes = email_code(sp[e_idx], 0, ev)
    seq = world.counters.take("email_event", E)
    is_click = e_type == 2
    url = tx.join(world.page_vocab[world.page_coll0 + 1].as_py() + "?utm_source=newsletter"
                  "&utm_medium=email&utm_campaign=", tx.take(world.campaign_vocab, sc[e_idx]))
    url = tx.where(is_click, url, pa.nulls(E, pa.string()))
    var = np.where(rng.random(E) < 0.8, 1, 3).astype(np.int8)
    tbl = _table("marketing.email_events", {
        "email_event_id": tx.join("ee_", tx.int_str(seq + 1)),
        "campaign_id": tx.dict_str(sc[e_idx], world.campaign_vocab),
        "email": ident.emails(codes),
        "event_type": tx.dict_str(e_type + 5 * case, ET_VOCAB),
        "occurred_at": w.iso(e_t, np.zeros(E, np.int64), var),
        "url": url,
        "_loaded_at": w.loaded_at(e_t + rng.integers(60, 4 * 3600, E)),
    })
    n_dup = round(R["email_event_duplicate"] * E)
    dup = np.sort(rng.choice(E, n_dup, replace=False)) if n_dup else np.zeros(0, int)
    dup_ids = tx.take(tbl.column("email_event_id").combine_chunks(), dup)
    tbl = pa.concat_tables([tbl, tbl.take(pa.array(dup))])
    ci = np.nonzero(clicked & (click_t < w.end))[0]
    clicks = {"person": sp[ci], "ts": click_t[ci], "campaign": sc[ci], "email_codes": codes,
              "dup_ids": dup_ids}
    return clicks, {"marketing.email_events": tbl}


def global_tables(world: World, rng: np.random.Generator) -> tuple[dict[str, pa.Table], dict]:
    """Products, campaigns and ad spend (not per person)."""
    w = world.window
    n = len(world.p_id)
    off = w.offset_minutes(world.p_published, np.full(n, -300), np.full(n, 2))
    var = np.zeros(n, dtype=np.int8)
    colls, ccode = tx.uvocab(world.p_collection)
    products = _table("shopify.products", {
        "product_id": pa.array(world.p_id),
        "title": world.title_vocab,
        "product_type": tx.dict_str(world.p_type, world.product_type_vocab),
        "collection": tx.dict_str(ccode, colls),
        "vendor": tx.dict_str(world.p_vendor, tx.vocab(vocab.VENDORS)),
        "is_new_arrival": pa.array(world.p_new_arrival),
        "published_at": w.iso(world.p_published, off, var),
        "created_at": w.iso(world.p_created, off, var),
        "updated_at": w.iso(world.p_updated, off, var),
        "_loaded_at": w.loaded_at(np.full(n, w.end - 3 * 3600)),
    })
    changed = np.nonzero(world.p_updated > world.p_published + DAY)[0]
    n_old = min(len(changed), round(config.RATES["product_older_version"] * n))
    old_idx = np.sort(rng.choice(changed, n_old, replace=False))
    old_upd = world.p_published[old_idx] + 3600
    old = products.take(pa.array(old_idx))
    old = _set(old, "updated_at", w.iso(old_upd, off[old_idx], var[old_idx]))
    old = _set(old, "is_new_arrival", pa.array(np.ones(n_old, bool)))
    old = _set(old, "_loaded_at", w.loaded_at(old_upd + 7200))
    products = pa.concat_tables([products, old])

    camps = world.campaigns
    start = np.array([c["start"] for c in camps]) * DAY
    endd = np.array([c["end"] for c in camps]) * DAY
    open_end = np.array([c["open_end"] for c in camps])
    campaigns = _table("marketing.campaigns", {
        "campaign_id": world.campaign_vocab,
        "campaign_name": tx.vocab(c["name"] for c in camps),
        "channel": tx.vocab(c["channel"] for c in camps),
        "target_audience": tx.vocab(c["audience"] for c in camps),
        "start_date": tx.take(w.date_vocab, w.day_index(start)),
        "end_date": tx.take(w.date_vocab, w.day_index(endd), open_end),
        "_loaded_at": w.loaded_at(np.minimum(start + 3600, w.end - 1)),
    })

    # daily spend for paid campaigns, scaled with the size of the customer base
    scale = max(world.n_customers / 10_000, 0.05)
    platforms = {"paid_search": ("google_ads",), "paid_social": ("meta_ads", "tiktok_ads"),
                 "display": ("google_ads",), "affiliate": ("affiliate_network",)}
    base = {"paid_search": 180.0, "paid_social": 140.0, "display": 60.0, "affiliate": 40.0}
    cpm = {"paid_search": 25.0, "paid_social": 8.0, "display": 3.0, "affiliate": 5.0}
    ctr = {"paid_search": 0.05, "paid_social": 0.012, "display": 0.004, "affiliate": 0.02}
    rows_d, rows_c, rows_p, rows_cur, rows_cents, rows_imp, rows_clk = [], [], [], [], [], [], []
    plat_vocab = ["google_ads", "meta_ads", "tiktok_ads", "affiliate_network"]
    for i, c in enumerate(camps):
        ch = c["channel"]
        if ch not in platforms:
            continue
        days = np.arange(c["start"], c["end"] + 1)
        di = days - w.day0
        for pi, plat in enumerate(platforms[ch]):
            amt = base[ch] * scale * w.intensity[di] * rng.lognormal(0, 0.25, len(days))
            amt *= 0.6 if pi else 1.0
            cur = "EUR" if plat == "tiktok_ads" and "EUR" in world.currencies else "USD"
            usd_per = world.fx[world.currencies.index(cur), di]
            cents = np.round(amt / usd_per * 100).astype(np.int64)
            imp = rng.poisson(amt / cpm[ch] * 1000)
            clk = rng.binomial(imp, ctr[ch])
            rows_d.append(days)
            rows_c.append(np.full(len(days), i))
            rows_p.append(np.full(len(days), plat_vocab.index(plat)))
            rows_cur.append(np.full(len(days), world.currencies.index(cur)))
            rows_cents.append(cents)
            rows_imp.append(imp)
            rows_clk.append(clk)
    d = np.concatenate(rows_d) * DAY
    ad = _table("marketing.ad_spend", {
        "spend_date": tx.take(w.date_vocab, w.day_index(d)),
        "campaign_id": tx.dict_str(np.concatenate(rows_c), world.campaign_vocab),
        "platform": tx.dict_str(np.concatenate(rows_p), tx.vocab(plat_vocab)),
        "currency": tx.dict_str(np.concatenate(rows_cur), world.currency_vocab),
        "spend": tx.money(np.concatenate(rows_cents)),
        "impressions": pa.array(np.concatenate(rows_imp).astype(np.int64)),
        "clicks": pa.array(np.concatenate(rows_clk).astype(np.int64)),
        "_loaded_at": w.loaded_at(d + DAY + 6 * 3600),
    })
    extra = {"product_old_ids": world.p_id[old_idx]}
    return {"shopify.products": products, "marketing.campaigns": campaigns,
            "marketing.ad_spend": ad}, extra
