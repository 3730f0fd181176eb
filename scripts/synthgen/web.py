"""GA4 events, event items and experiment assignments for one chunk."""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np
import pyarrow as pa

from . import config, vocab
from . import textops as tx
from .population import BARGAIN, NEW_ARRIVAL, PREFS, People, affine, preference_pull
from .schemas import SCHEMAS
from .shop import Orders
from .timeutil import DAY
from .world import World

EVENT_NAMES = ("session_start", "page_view", "login", "sign_up", "view_item_list", "search",
               "view_item", "add_to_cart", "remove_from_cart", "begin_checkout", "purchase")
EV = {name: i for i, name in enumerate(EVENT_NAMES)}
STAGE = np.array([0, 3, 2, 2, 3, 3, 3, 4, 4.5, 5, 6])
ECOMMERCE = np.array([False, False, False, False, True, False, True, True, True, True, True])
EVENT_VOCAB = tx.vocab(EVENT_NAMES)
KIND_PURCHASE, KIND_BROWSE, KIND_PROSPECT, KIND_CLICK, KIND_ANON, KIND_BOT = range(6)
EXPERIMENTS = (("exp_checkout_button", ("control", "green_button"), 0.10, 0.35),
               ("exp_free_shipping_banner", ("control", "banner"), 0.30, 0.55),
               ("exp_recs_algo", ("control", "collab_filter", "trending"), 0.55, 0.80),
               ("exp_new_pdp", ("control", "new_pdp"), 0.85, 0.97))


@dataclass
class Web:
    cookie_person: np.ndarray  # owner of each chunk cookie (-1 anonymous / bot)
    cookie_used_by: np.ndarray  # (person, cookie, shared) triples of cookies seen with events
    signup_person: np.ndarray
    signup_time: np.ndarray
    user_ids_emitted: np.ndarray  # person locals whose user_id appears
    old_info: dict
    first_user_event: np.ndarray | None = None  # per person: first event with user_id (UTC s) or -1
    experiment_effects: list | None = None  # truth rows of the planted experiment effects


def prospect_plan(world: World, people: People, rng: np.random.Generator
                  ) -> tuple[np.ndarray, np.ndarray]:
    """Which tracked prospects sign up, and every prospect's first visit (UTC seconds, else -1)."""
    w = world.window
    n = people.n
    pros = people.is_prospect & people.tracked
    signup = pros & (rng.random(n) < config.WEB["prospect_signup_share"])
    day = rng.integers(0, w.n_days, n)
    first = w.local_time(rng, day, people.tz_std, people.tz_rule)
    return signup, np.where(pros, first, -1)


@dataclass
class _Devices:
    """Tracked persons' devices: one cookie each, the first one a person's primary device."""
    person: np.ndarray  # owner of each device cookie
    cookie: np.ndarray
    weight: np.ndarray  # weight of the device in its owner's choice of device per session
    profile: np.ndarray  # device profile of each cookie
    primary_cookie: np.ndarray  # per person: cookie of the primary device or -1


@dataclass
class _Sessions:
    """Session columns, one row a session; cookie is set once devices are chosen."""
    person: np.ndarray  # person local (-1 anonymous / bot)
    start: np.ndarray  # UTC seconds
    kind: np.ndarray  # KIND_*
    order: np.ndarray  # order row of purchase sessions, else -1
    state: np.ndarray  # 0 logged out, 1 logged in already, 2 logs in, 3 signs up
    cookie: np.ndarray | None = None


@dataclass
class _Events:
    """Event rows grouped by session, in time order within each session."""
    sess: np.ndarray  # session row of each event
    type: np.ndarray  # index into EVENT_NAMES
    k: np.ndarray  # rank among the session's events of the same type
    stage: np.ndarray  # position in the session's funnel
    pos: np.ndarray  # position in the session
    ts: np.ndarray  # UTC seconds
    person: np.ndarray  # person local (-1 anonymous / bot)


@dataclass
class _Products:
    """The product (and order line) each event is about."""
    osel: np.ndarray  # order row of the event's session (0 outside purchase sessions)
    line: np.ndarray  # order line of the event in purchase sessions
    in_purchase: np.ndarray
    product: np.ndarray
    rand: np.ndarray  # a published product drawn by popularity


@dataclass
class _Pages:
    """Page, location and referrer of each event."""
    page: np.ndarray
    term: np.ndarray  # search term (used on search events)
    loc_idx: np.ndarray
    loc_vocab: pa.Array
    ref_idx: np.ndarray  # referrer (-1 none)


@dataclass
class _Ids:
    """Who each event says it is: user_id when logged in, cookie ids and their text."""
    logged: np.ndarray
    cust_ok: np.ndarray  # per person: has a user_id to show
    user_vocab: pa.Array
    cookie_vocab: pa.Array


def make_web(world: World, people: People, orders: Orders, clicks: dict, rng: np.random.Generator,
             signup: np.ndarray, first_visit: np.ndarray) -> tuple[Web, dict[str, pa.Table]]:
    """Sessions of the chunk's persons, anonymous visitors and bots; their events and items."""
    dev = _devices(world, people, rng)
    account_at = orders.account_created.copy()
    purchases = _purchase_sessions(people, orders, rng, account_at)
    browses = _browse_sessions(world, people, orders, rng, purchases.person)
    prospects = _prospect_sessions(world, people, rng, signup, first_visit, account_at)
    cm = people.tracked[clicks["person"]]
    click_campaign = clicks["campaign"][cm]
    sess = _concat([purchases, browses, prospects, _click_sessions(clicks, cm)])
    sess.state = _login_state(rng, sess, account_at)
    sess.cookie = _session_cookies(rng, dev, sess.person, people.n)
    shared = _shared_device_sessions(world, people, rng, dev, account_at)
    visitors, profile, bot_pages = _anon_and_bot_sessions(world, people.n, rng, dev)
    sess = _concat([sess, shared, visitors])
    cookie_person = np.concatenate([dev.person, np.full(len(profile) - len(dev.person), -1)])
    tr, camp_s = _traffic(world, rng, sess, click_campaign)
    cnt = _event_counts(rng, sess, orders, bot_pages)
    ev, sess.start = _timeline(world, rng, sess, orders, cnt)
    prod = _event_products(world, rng, orders, sess, ev)
    pages = _pages(world, rng, orders, sess, ev, prod, tr, camp_s, people.pref)
    ids = _identity(world, people, signup, sess, ev, len(profile))
    events, event_id, loaded, late = _events_table(world, people, orders, rng, sess, ev, prod,
                                                   pages, ids, profile, tr, camp_s)
    items, ie = _items_table(world, people, orders, rng, ev, prod, event_id, loaded)
    events, items, dup = _duplicate_deliveries(rng, events, items, ie, len(ev.sess))
    exp_rows, effects = _experiments(world, rng, sess.start, sess.cookie, sess.person, sess.state,
                                     sess.kind, ids.cookie_vocab, ids.user_vocab, ids.cust_ok,
                                     _PlantedOutcome(people.pref, orders.owner, orders.ts, orders.cancelled))
    info = _web_info(people, sess, ev, ids, cookie_person, account_at, signup,
                     {"dup_event_ids": tx.take(event_id, dup), "late": int(late.sum()),
                      "n_events": len(ev.sess), "event_id": event_id})
    info.experiment_effects = effects
    return info, {"ga4.events": events, "ga4.event_items": items,
                  "marketing.experiment_assignments": exp_rows}


def _devices(world: World, people: People, rng: np.random.Generator) -> _Devices:
    """Make each tracked person's devices and their cookies (primary device first)."""
    n = people.n
    n_dev = np.where(people.tracked, 1 + rng.binomial(2, config.WEB["extra_devices_p"], n), 0)
    ent_person = np.repeat(np.arange(n), n_dev)
    E = len(ent_person)
    ent_rank = np.arange(E) - np.repeat(np.cumsum(n_dev) - n_dev, n_dev)
    ent_cookie = np.arange(E)
    ent_weight = np.where(ent_rank == 0, 3.0, 1.0)
    dev_profile = np.searchsorted(world.device_cdf, rng.random(E))
    primary_cookie = np.full(n, -1)
    primary_cookie[ent_person[ent_rank == 0]] = ent_cookie[ent_rank == 0]
    return _Devices(person=ent_person, cookie=ent_cookie, weight=ent_weight, profile=dev_profile,
                    primary_cookie=primary_cookie)


def _block(person: np.ndarray, start: np.ndarray, kind: int, order: np.ndarray | None = None,
           state: np.ndarray | None = None, cookie: np.ndarray | None = None) -> _Sessions:
    """Make a block of sessions of one kind (no order and logged out unless given)."""
    m = len(person)
    return _Sessions(person=person, start=start, kind=np.full(m, kind),
                     order=np.full(m, -1) if order is None else order,
                     state=np.zeros(m, dtype=np.int64) if state is None else state, cookie=cookie)


def _concat(blocks: list[_Sessions]) -> _Sessions:
    """Stack session blocks in order (cookies only when every block has them)."""
    cols = {}
    for f in fields(_Sessions):
        parts = [getattr(b, f.name) for b in blocks]
        cols[f.name] = None if any(p is None for p in parts) else np.concatenate(parts)
    return _Sessions(**cols)


def _purchase_sessions(people: People, orders: Orders, rng: np.random.Generator,
                       account_at: np.ndarray) -> _Sessions:
    """Make the purchase sessions: web orders that reach GA4 (start re-anchored later)."""
    om = (~orders.pos) & people.tracked[orders.owner] & (rng.random(len(orders.owner))
                                                         < config.WEB["tracked_order_share"])
    oi = np.nonzero(om)[0]
    first_reg = (orders.ts[oi] == account_at[orders.owner[oi]]) & ~orders.guest[oi]
    st = np.where(orders.guest[oi], 0, np.where(rng.random(len(oi)) < 0.6, 1, 2))
    st = np.where(first_reg, 3, st)
    # provisional start: re-anchored to the purchase time by _timeline
    return _block(orders.owner[oi], orders.ts[oi], KIND_PURCHASE, order=oi, state=st)


def _browse_sessions(world: World, people: People, orders: Orders, rng: np.random.Generator,
                     purchase_person: np.ndarray) -> _Sessions:
    """Make the browsing sessions of buyers around their active period."""
    w = world.window
    W = config.WEB
    n = people.n
    web_orders = np.bincount(purchase_person, minlength=n)
    buyer = people.tracked & ~people.is_prospect
    nb = np.where(buyer, rng.poisson(W["browse_sessions_base"]
                                     + W["browse_sessions_per_order"] * web_orders), 0)
    bp = np.repeat(np.arange(n), nb)
    lo = np.maximum(orders.first_order[bp] - 30 * DAY, w.start)
    hi = np.where(people.alive[bp], w.end - 1,
                  np.minimum(orders.last_order[bp] + 30 * DAY, w.end - 1))
    hi = np.maximum(hi, lo + 1)
    bday = ((lo + rng.random(len(bp)) * (hi - lo)) - w.start) // DAY
    bstart = w.local_time(rng, bday, people.tz_std[bp], people.tz_rule[bp])
    return _block(bp, bstart, KIND_BROWSE)


def _prospect_sessions(world: World, people: People, rng: np.random.Generator, signup: np.ndarray,
                       first_visit: np.ndarray, account_at: np.ndarray) -> _Sessions:
    """Make prospects' sessions: a first visit, then a few more within ~90 days.

    Prospects who sign up get their account at the first visit (written into account_at).
    """
    w = world.window
    pp = np.nonzero(people.is_prospect & people.tracked)[0]
    first_visit_day = (first_visit[pp] - w.start) // DAY
    npv = 1 + rng.poisson(config.WEB["prospect_sessions_mean"] - 1, len(pp))
    rp = np.repeat(np.arange(len(pp)), npv)
    k = np.arange(len(rp)) - np.repeat(np.cumsum(npv) - npv, npv)
    pday = np.minimum(first_visit_day[rp] + np.where(k == 0, 0, rng.integers(0, 90, len(rp))),
                      w.n_days - 1)
    pperson = pp[rp]
    pstart = w.local_time(rng, pday, people.tz_std[pperson], people.tz_rule[pperson])
    pstart = np.where(k == 0, first_visit[pperson], pstart)
    pstate = np.where((k == 0) & signup[pperson], 3, 0)
    su = (k == 0) & signup[pperson]
    account_at[pperson[su]] = pstart[su]
    return _block(pperson, pstart, KIND_PROSPECT, state=pstate)


def _click_sessions(clicks: dict, cm: np.ndarray) -> _Sessions:
    """Make a session for each tracked person's email click (5 s after the click)."""
    return _block(clicks["person"][cm], clicks["ts"][cm] + 5, KIND_CLICK)


def _login_state(rng: np.random.Generator, sess: _Sessions, account_at: np.ndarray) -> np.ndarray:
    """Make the logged-in state of non-purchase sessions once the person has an account."""
    W = config.WEB
    has_acc = (account_at[sess.person] >= 0) & (sess.start > account_at[sess.person])
    u = rng.random(len(sess.person))
    auto = np.where(u < W["logged_in_already"], 1,
                    np.where(u < W["logged_in_already"] + W["login_in_session"], 2, 0))
    return np.where((sess.kind != KIND_PURCHASE) & (sess.state == 0) & has_acc, auto, sess.state)


def _session_cookies(rng: np.random.Generator, dev: _Devices, person_s: np.ndarray,
                     n: int) -> np.ndarray:
    """Make the cookie of each person session (weighted choice among the person's devices)."""
    wsum = np.bincount(dev.person, weights=dev.weight, minlength=n)
    cum = np.cumsum(dev.weight) / 1.0
    base = np.concatenate([[0.0], np.cumsum(wsum)])[:-1]
    pick = np.searchsorted(cum, base[person_s] + rng.random(len(person_s)) * wsum[person_s],
                           side="right")
    return dev.cookie[np.minimum(pick, len(dev.person) - 1)]


def _shared_device_sessions(world: World, people: People, rng: np.random.Generator, dev: _Devices,
                            account_at: np.ndarray) -> _Sessions:
    """Make sessions of account holders logging in on another person's primary device."""
    w = world.window
    end = w.end
    holders = np.nonzero(people.tracked & (account_at >= 0) & (dev.primary_cookie >= 0))[0]
    n_sh = round(config.RATES["shared_device_person"] * len(holders))
    sh_b = rng.choice(holders, n_sh, replace=False) if n_sh and len(holders) > 1 else np.zeros(0, int)
    sh_a = holders[rng.integers(0, len(holders), len(sh_b))] if len(sh_b) else sh_b
    ok = sh_a != sh_b
    sh_a, sh_b = sh_a[ok], sh_b[ok]
    nsh = 1 + rng.poisson(1.0, len(sh_b))
    shp = np.repeat(sh_b, nsh)
    sha = np.repeat(sh_a, nsh)
    lo = np.maximum(account_at[shp] + 3600, w.start)
    shday = np.minimum((lo + rng.random(len(shp)) * np.maximum(end - 1 - lo, 1) - w.start) // DAY,
                       w.n_days - 1)
    shstart = np.maximum(w.local_time(rng, shday, people.tz_std[shp], people.tz_rule[shp]), lo)
    return _block(shp, np.minimum(shstart, end - 1), KIND_BROWSE, state=np.full(len(shp), 2),
                  cookie=dev.primary_cookie[sha])


def _anon_and_bot_sessions(world: World, n: int, rng: np.random.Generator, dev: _Devices
                           ) -> tuple[_Sessions, np.ndarray, np.ndarray]:
    """Make anonymous visitors' and bots' sessions, on cookies of their own with no person.

    Returns the sessions, the device profile of every cookie (devices' first) and the page
    views of each bot session.
    """
    w = world.window
    W = config.WEB
    n_dev = len(dev.person)
    n_anon = int(rng.poisson(W["anonymous_visitors_per_person"] * n))
    n_bot = max(1, int(rng.poisson(W["bots_per_person"] * n)))
    anon_cookie = n_dev + np.arange(n_anon)
    bot_cookie = n_dev + n_anon + np.arange(n_bot)
    profile = np.concatenate([dev.profile, np.searchsorted(world.device_cdf, rng.random(n_anon)),
                              world.n_human_devices + rng.integers(0, 5, n_bot)])
    bot_events = rng.poisson(W["bot_events_mean"], n_bot) + 20
    bot_sessions = np.maximum(bot_events // 25, 1)
    bcook = np.repeat(bot_cookie, bot_sessions)
    anon_day = rng.integers(0, w.n_days, n_anon)
    anon_start = w.start + anon_day * DAY + rng.integers(0, DAY, n_anon)
    bot_start = w.start + rng.integers(0, w.n_days * DAY - 3600, len(bcook))
    visitors = _concat([_block(np.full(n_anon, -1), anon_start, KIND_ANON, cookie=anon_cookie),
                        _block(np.full(len(bcook), -1), bot_start, KIND_BOT, cookie=bcook)])
    return visitors, profile, np.repeat(bot_events // bot_sessions, bot_sessions)


def _traffic(world: World, rng: np.random.Generator, sess: _Sessions, click_campaign: np.ndarray
             ) -> tuple[np.ndarray, np.ndarray]:
    """Make each session's traffic source (index into world.traffic) and campaign (-1 none)."""
    w = world.window
    S = len(sess.person)
    kind_s = sess.kind
    traffic = np.array([t[3] for t in world.traffic])
    tr = np.searchsorted(np.cumsum(traffic / traffic.sum()), rng.random(S))
    tr = np.minimum(tr, len(world.traffic) - 1)
    sday = np.clip((sess.start - w.start) // DAY, 0, w.n_days - 1)
    camp_s = np.full(S, -1)
    for ti, t in enumerate(world.traffic):
        if t[2] in world.day_paid:
            m = tr == ti
            camp_s[m] = world.day_paid[t[2]][sday[m]]
            bad = m & (camp_s < 0)
            tr[bad] = 0  # no paid campaign running that day: direct
    newsletter = len(world.traffic) - 1
    click = kind_s == KIND_CLICK
    tr[click] = newsletter
    camp_s[click] = click_campaign if len(click_campaign) else camp_s[click]
    tr[(kind_s == KIND_BOT) | (kind_s == KIND_ANON) & (rng.random(S) < 0.5)] = 0
    camp_s[kind_s == KIND_BOT] = -1
    return tr, camp_s


def _event_counts(rng: np.random.Generator, sess: _Sessions, orders: Orders,
                  bot_pages: np.ndarray) -> np.ndarray:
    """Make the number of events of each type (rows, EVENT_NAMES order) in each session."""
    S = len(sess.person)
    kind_s = sess.kind
    S_lines = np.where(sess.order >= 0, orders.n_lines[np.maximum(sess.order, 0)], 0)
    purchase = kind_s == KIND_PURCHASE
    browse = (kind_s == KIND_BROWSE) | (kind_s == KIND_PROSPECT) | (kind_s == KIND_CLICK)
    anon = kind_s == KIND_ANON
    bot = kind_s == KIND_BOT
    cnt = np.zeros((len(EVENT_NAMES), S), dtype=np.int64)
    cnt[EV["session_start"]] = 1
    extra_pv = np.where(purchase, rng.poisson(0.1, S), np.where(browse, rng.poisson(1.0, S),
                        np.where(anon, rng.integers(0, 3, S), 0)))
    bot_pv = np.zeros(S, dtype=np.int64)
    if bot.any():
        bot_pv[bot] = bot_pages
    cnt[EV["page_view"]] = 1 + extra_pv + bot_pv
    cnt[EV["login"]] = sess.state == 2
    cnt[EV["sign_up"]] = sess.state == 3
    cnt[EV["view_item_list"]] = (browse & (rng.random(S) < 0.35)) | (purchase & (rng.random(S) < 0.1))
    cnt[EV["search"]] = browse & (rng.random(S) < 0.15)
    cnt[EV["view_item"]] = np.where(purchase, rng.random(S) < 0.6, np.where(browse, rng.poisson(0.8, S),
                                                          (anon & (rng.random(S) < 0.4))))
    cnt[EV["add_to_cart"]] = np.where(purchase, S_lines, browse & (rng.random(S) < 0.1))
    cnt[EV["remove_from_cart"]] = browse & (cnt[EV["add_to_cart"]] > 0) & (rng.random(S) < 0.2)
    cnt[EV["begin_checkout"]] = purchase
    cnt[EV["purchase"]] = purchase
    return cnt


def _timeline(world: World, rng: np.random.Generator, sess: _Sessions, orders: Orders,
              cnt: np.ndarray) -> tuple[_Events, np.ndarray]:
    """Make the event rows in funnel order with their times, and the sessions' final starts.

    Purchase sessions are re-anchored so that the purchase event is at the order time.
    """
    w = world.window
    S = len(sess.person)
    purchase = sess.kind == KIND_PURCHASE
    bot = sess.kind == KIND_BOT
    ev_sess, ev_type, ev_k = [], [], []
    for t in range(len(EVENT_NAMES)):
        c = cnt[t]
        sidx = np.repeat(np.arange(S), c)
        ev_sess.append(sidx)
        ev_type.append(np.full(len(sidx), t, dtype=np.int8))
        ev_k.append(np.arange(len(sidx)) - np.repeat(np.cumsum(c) - c, c))
    ev_sess = np.concatenate(ev_sess)
    ev_type = np.concatenate(ev_type)
    ev_k = np.concatenate(ev_k)
    stage = STAGE[ev_type] + np.where((ev_type == EV["page_view"]) & (ev_k == 0), -2.0, 0.0)
    stage = stage + np.where(stage == 3, rng.random(len(stage)) * 0.9, 0.0)
    order = np.lexsort((stage, ev_sess))
    ev_sess, ev_type, ev_k, stage = ev_sess[order], ev_type[order], ev_k[order], stage[order]
    N = len(ev_sess)
    s_cnt = np.bincount(ev_sess, minlength=S)
    s_first = np.concatenate([[0], np.cumsum(s_cnt)[:-1]])
    pos_in = np.arange(N) - s_first[ev_sess]
    gap = np.where(pos_in == 0, 0, np.where((ev_type == EV["page_view"]) & (ev_k == 0), 0,
                                            2 + rng.exponential(35.0, N).astype(np.int64)))
    gap = np.where(bot[ev_sess] & (pos_in > 0), 1 + rng.integers(0, 4, N), gap)
    csum = np.cumsum(gap)
    offset = csum - csum[s_first[ev_sess]]
    dur = offset[s_first + s_cnt - 1]
    start_s = np.where(purchase, orders.ts[np.maximum(sess.order, 0)] - dur, sess.start)
    start_s = np.maximum(start_s, w.start)
    ts = np.minimum(start_s[ev_sess] + offset, w.end - 1)
    return _Events(sess=ev_sess, type=ev_type, k=ev_k, stage=stage, pos=pos_in, ts=ts,
                   person=sess.person[ev_sess]), start_s


def _event_products(world: World, rng: np.random.Generator, orders: Orders, sess: _Sessions,
                    ev: _Events) -> _Products:
    """Make the product of each event: the order's lines in purchase sessions, else by popularity."""
    N = len(ev.sess)
    osel = np.maximum(sess.order[ev.sess], 0)
    line_of_event = orders.line_start[osel] + np.where(
        ev.type == EV["add_to_cart"], ev.k, 0) % np.maximum(orders.n_lines[osel], 1)
    rand_prod = np.searchsorted(world.p_pop_cdf, rng.random(N))
    rand_prod = np.minimum(rand_prod, len(world.p_id) - 1)
    unpub = world.p_published[rand_prod] > ev.ts
    launch_products = np.nonzero(world.p_pub_day < 3)[0]
    rand_prod = np.where(unpub, launch_products[rng.integers(0, len(launch_products), N)],
                         rand_prod)
    in_purchase = (sess.kind == KIND_PURCHASE)[ev.sess]
    ev_product = np.where(in_purchase, orders.line_product[line_of_event], rand_prod)
    return _Products(osel=osel, line=line_of_event, in_purchase=in_purchase, product=ev_product,
                     rand=rand_prod)


def _pages(world: World, rng: np.random.Generator, orders: Orders, sess: _Sessions, ev: _Events,
           prod: _Products, tr: np.ndarray, camp_s: np.ndarray, pref: np.ndarray) -> _Pages:
    """Make each event's page, landing-page utm location and referrer.

    pref is each chunk person's preference: it pulls their collection pages to their collection.
    """
    N, S = len(ev.sess), len(sess.person)
    ev_type, ev_sess = ev.type, ev.sess
    click = sess.kind == KIND_CLICK
    purchase = sess.kind == KIND_PURCHASE
    page = np.zeros(N, dtype=np.int64)
    pf = world.page_fixed
    u = rng.random(N)
    rand_page = np.where(u < 0.5, world.page_product0 + prod.rand,
                         np.where(u < 0.75, world.page_coll0 + rng.integers(0, 13, N),
                                  np.where(u < 0.87, world.page_guide0 + rng.integers(0, 8, N),
                                           np.where(u < 0.95, pf["/"], pf["/pages/shipping"]))))
    page = rand_page
    page = np.where(np.isin(ev_type, (EV["view_item"], EV["add_to_cart"])),
                    world.page_product0 + prod.product, page)
    page = np.where(ev_type == EV["view_item_list"], world.page_coll0 + rng.integers(0, 13, N), page)
    term = rng.integers(0, len(world.search_vocab), N)
    page = np.where(ev_type == EV["search"], world.page_search0 + term, page)
    page = np.where(ev_type == EV["login"], pf["/account/login"], page)
    page = np.where(ev_type == EV["sign_up"], pf["/account/register"], page)
    page = np.where(ev_type == EV["begin_checkout"], pf["/checkout"], page)
    page = np.where(ev_type == EV["purchase"], pf["/checkout/thank-you"], page)
    page = np.where(ev_type == EV["remove_from_cart"], pf["/cart"], page)
    pull_rng = rng.spawn(1)[0]  # a stream of its own: rng draws as without preference signals
    page = _preferred_collection(world, pull_rng, page, ev.person, pref)
    # landing page shared by session_start and the first page_view
    landing = np.where(click, world.page_coll0 + rng.integers(0, 2, S),
                       np.where(rng.random(S) < 0.4, pf["/"], world.page_product0 + np.searchsorted(
                           world.p_pop_cdf, rng.random(S)).clip(0, len(world.p_id) - 1)))
    landing = np.where(purchase & (rng.random(S) < 0.5),
                       world.page_product0 + orders.line_product[orders.line_start[np.maximum(sess.order, 0)]],
                       landing)
    landing = _preferred_collection(world, pull_rng, landing, sess.person, pref)
    is_landing = (ev_type == EV["session_start"]) | ((ev_type == EV["page_view"]) & (ev.k == 0))
    page = np.where(is_landing, landing[ev_sess], page)
    # utm query on landing pages of campaign sessions
    utm = is_landing & (camp_s[ev_sess] >= 0)
    key = np.where(utm, (page * 64 + tr[ev_sess]) * 4096 + camp_s[ev_sess], -1)
    ukeys, uinv = np.unique(key[utm], return_inverse=True)
    upage = ukeys // 4096 // 64
    utr = (ukeys // 4096) % 64
    ucamp = ukeys % 4096
    utm_strings = tx.join(tx.take(world.page_vocab, upage), "?utm_source=",
                          tx.take(world.source_vocab, world.source_code[utr]), "&utm_medium=",
                          tx.take(world.medium_vocab, world.medium_code[utr]), "&utm_campaign=",
                          tx.take(world.campaign_vocab, ucamp))
    loc_vocab = pa.concat_arrays([world.page_vocab, utm_strings])
    loc_idx = page.copy()
    loc_idx[utm] = len(world.page_vocab) + uinv
    prev_page = np.concatenate([[0], page[:-1]])
    ext = np.array([world.referrer_ext.get(t[0], -1) for t in world.traffic])[tr[ev_sess]]
    ref_idx = np.where(ev.pos <= 1, ext, world.referrer_page0 + prev_page)
    ref_idx = np.where(is_landing, ext, ref_idx)
    return _Pages(page=page, term=term, loc_idx=loc_idx, loc_vocab=loc_vocab, ref_idx=ref_idx)


def _preferred_collection(world: World, rng: np.random.Generator, page: np.ndarray,
                          person: np.ndarray, pref: np.ndarray) -> np.ndarray:
    """Send some collection pages of preference holders to /collections/sale or /new-arrivals.

    person is the chunk person of each page (-1 anonymous / bot); the shares are in
    config.PREFERENCE_SIGNALS.
    """
    P = config.PREFERENCE_SIGNALS
    n_coll = len(vocab.COLLECTION_PAGES)
    coll = (page >= world.page_coll0) & (page < world.page_coll0 + n_coll) & (person >= 0)
    p_pref = np.where(person >= 0, pref[np.maximum(person, 0)], 0)
    u = rng.random(len(page))
    for who, key, name in ((BARGAIN, "bargain_sale_page", "sale"),
                           (NEW_ARRIVAL, "new_arrival_page", "new-arrivals")):
        pull = coll & (p_pref == who) & (u < preference_pull(P[key], n_coll))
        page = np.where(pull, world.page_coll0 + vocab.COLLECTION_PAGES.index(name), page)
    return page


def _identity(world: World, people: People, signup: np.ndarray, sess: _Sessions, ev: _Events,
              n_cookies: int) -> _Ids:
    """Make which events carry a user_id, and the user_id and cookie id texts."""
    person_e = ev.person
    login_pos = np.where(sess.state == 1, 0, np.where(sess.state >= 2, 2.0, 99.0))
    logged = ev.stage >= login_pos[ev.sess]
    logged &= person_e >= 0
    cust_ok = (people.customer_id >= 0) | signup
    su_ids = 7_100_000_000_000 + affine(people.pidx, 10**10, 7_919_393, 104_729)
    # persons without an account get a unique negative placeholder (always masked)
    user_vocab = tx.int_str(np.where(signup, su_ids, np.where(people.customer_id >= 0,
                                                              people.customer_id,
                                                              -1 - people.pidx)))
    logged &= cust_ok[np.maximum(person_e, 0)]
    cookie_used = np.zeros(n_cookies, dtype=bool)
    cookie_used[sess.cookie] = True
    cookie_first = np.full(n_cookies, world.window.end, dtype=np.int64)
    np.minimum.at(cookie_first, sess.cookie, sess.start)
    cookie_num = 1_000_000_000 + affine(world.counters.take("cookie", n_cookies), 9 * 10**8,
                                        104_723, 15_485_863)
    cookie_vocab = tx.join(tx.int_str(cookie_num), ".", tx.int_str(np.where(cookie_used,
                                                                            cookie_first, 0)))
    return _Ids(logged=logged, cust_ok=cust_ok, user_vocab=user_vocab, cookie_vocab=cookie_vocab)


def _events_table(world: World, people: People, orders: Orders, rng: np.random.Generator,
                  sess: _Sessions, ev: _Events, prod: _Products, pages: _Pages, ids: _Ids,
                  profile: np.ndarray, tr: np.ndarray, camp_s: np.ndarray
                  ) -> tuple[pa.Table, pa.Array, np.ndarray, np.ndarray]:
    """Make the ga4.events table; also returns event ids, load times and the late mask."""
    w = world.window
    end = w.end
    N = len(ev.sess)
    ts, person_e, ev_type, osel = ev.ts, ev.person, ev.type, prod.osel
    ev_cookie = sess.cookie[ev.sess]
    prof = profile[ev_cookie]
    ecommerce = ECOMMERCE[ev_type] & (person_e >= 0)
    cur_e = people.currency[np.maximum(person_e, 0)]
    is_purchase_ev = ev_type == EV["purchase"]
    revenue = np.where(is_purchase_ev, orders.total_cents[osel] / 100.0, np.nan)
    eseq = world.counters.take("event", N)
    event_id = tx.int_str(10**13 + affine(eseq, 9 * 10**13, 2_654_435_761, 97_531))
    late = (rng.random(N) < config.RATES["event_late_arrival"]) & (ts < end - 2 * DAY)
    delay = np.where(late, rng.integers(2 * DAY, 10 * DAY, N), rng.integers(3600, 20 * 3600, N))
    loaded = np.minimum(ts + delay, end - 1)
    geo_mask = person_e < 0
    city = people.city[np.maximum(person_e, 0)]
    anon_country = rng.choice(len(world.cc), N, p=world.cc_weights)
    country_idx = np.where(person_e >= 0, people.country[np.maximum(person_e, 0)], anon_country)
    country_idx = np.where((sess.kind == KIND_BOT)[ev.sess], len(world.cc), country_idx)
    camp_vocab = pa.concat_arrays([world.campaign_vocab, tx.vocab(["(direct)", "(organic)",
                                                                   "(referral)"])])
    medium = np.array([t[1] for t in world.traffic])[tr]
    camp_fill = np.where(medium == "(none)", 0, np.where(medium == "organic", 1, 2))
    camp_col = np.where(camp_s >= 0, camp_s, len(world.campaign_vocab) + camp_fill)
    order_vocab = tx.int_str(orders.order_id)
    cols = {
        "event_id": event_id,
        "event_date": w.event_date(ts),
        "event_timestamp": pa.array(ts * 1_000_000 + rng.integers(0, 1_000_000, N)),
        "event_name": tx.dict_str(ev_type, EVENT_VOCAB),
        "user_pseudo_id": tx.dict_str(ev_cookie, ids.cookie_vocab),
        "user_id": tx.dict_str(np.maximum(person_e, 0), ids.user_vocab, ~ids.logged),
        "ga_session_id": pa.array(sess.start[ev.sess]),
        "page_location": tx.dict_str(pages.loc_idx, pages.loc_vocab),
        "page_referrer": tx.dict_str(np.maximum(pages.ref_idx, 0), world.referrer_vocab,
                                     pages.ref_idx < 0),
        "page_title": tx.dict_str(pages.page, world.page_title_vocab),
        "search_term": tx.dict_str(pages.term, world.search_vocab, ev_type != EV["search"]),
        "traffic_source": tx.dict_str(world.source_code[tr[ev.sess]], world.source_vocab),
        "traffic_medium": tx.dict_str(world.medium_code[tr[ev.sess]], world.medium_vocab),
        "traffic_campaign": tx.dict_str(camp_col[ev.sess], camp_vocab),
        "device_category": tx.dict_str(world.device_cat_code[prof], world.device_cat_vocab),
        "device_operating_system": tx.dict_str(world.device_os_code[prof], world.device_os_vocab),
        "device_browser": tx.dict_str(world.device_browser_code[prof], world.device_browser_vocab),
        "device_user_agent": tx.dict_str(world.device_ua_code[prof], world.device_ua_vocab),
        "geo_country": tx.dict_str(country_idx, world.ga4_country_vocab),
        "geo_region": tx.dict_str(world.region_code[city], world.region_vocab, geo_mask),
        "geo_city": tx.dict_str(world.city_code[city], world.city_vocab, geo_mask),
        "transaction_id": tx.dict_str(osel, order_vocab, ~is_purchase_ev),
        "purchase_revenue": pa.array(revenue, mask=~is_purchase_ev),
        "currency": tx.dict_str(cur_e, world.currency_vocab, ~ecommerce),
        "_loaded_at": w.loaded_at(loaded),
    }
    return pa.table(cols, schema=_dict_schema("ga4.events", cols)), event_id, loaded, late


def _items_table(world: World, people: People, orders: Orders, rng: np.random.Generator,
                 ev: _Events, prod: _Products, event_id: pa.Array, loaded: np.ndarray
                 ) -> tuple[pa.Table, np.ndarray]:
    """Make the ga4.event_items table; also returns the event row of each item."""
    w = world.window
    N = len(ev.sess)
    ev_type, person_e, osel = ev.type, ev.person, prod.osel
    cur_e = people.currency[np.maximum(person_e, 0)]
    eday = np.clip((ev.ts - w.start) // DAY, 0, w.n_days - 1)
    it_types = (EV["view_item"], EV["add_to_cart"], EV["remove_from_cart"], EV["view_item_list"],
                EV["purchase"])
    is_purchase_ev = ev_type == EV["purchase"]
    n_items = np.zeros(N, dtype=np.int64)
    n_items[np.isin(ev_type, it_types[:3])] = 1
    n_items[ev_type == EV["view_item_list"]] = 3
    n_items[is_purchase_ev] = orders.n_lines[osel[is_purchase_ev]]
    n_items[person_e < 0] = np.minimum(n_items[person_e < 0], 1)
    ie = np.repeat(np.arange(N), n_items)
    iidx = np.arange(len(ie)) - np.repeat(np.cumsum(n_items) - n_items, n_items)
    ityp = ev_type[ie]
    from_order = prod.in_purchase[ie] & np.isin(ityp, (EV["purchase"], EV["add_to_cart"],
                                                       EV["view_item"]))
    oline = np.where(ityp == EV["purchase"], orders.line_start[osel[ie]] + iidx, prod.line[ie])
    lst = np.searchsorted(world.p_pop_cdf, rng.random(len(ie))).clip(0, len(world.p_id) - 1)
    iprod = np.where(from_order, orders.line_product[oline],
                     np.where(ityp == EV["view_item_list"], lst, prod.product[ie]))
    icur = cur_e[ie]
    reg = world.to_local_cents(world.p_usd_cents[iprod], icur, eday[ie])
    pct = world.on_sale_pct(iprod, eday[ie])
    iprice = np.where(from_order, orders.line_price[oline], np.round(reg * (1 - pct)))
    isale = np.where(from_order, orders.line_on_sale[oline], pct > 0)
    iqty = np.where(from_order & (ityp != EV["view_item"]), orders.line_qty[oline], 1)
    icols = {
        "event_id": tx.take(event_id, ie),
        "item_index": pa.array(iidx.astype(np.int32)),
        "item_id": tx.dict_str(iprod, world.item_id_vocab),
        "item_name": tx.dict_str(iprod, world.title_vocab),
        "item_category": tx.dict_str(world.p_type[iprod], world.product_type_vocab),
        "price": pa.array(iprice / 100.0),
        "quantity": pa.array(iqty.astype(np.int32)),
        "item_on_sale": pa.array(isale.astype(bool)),
        "_loaded_at": w.loaded_at(loaded[ie]),
    }
    return pa.table(icols, schema=_dict_schema("ga4.event_items", icols)), ie


def _duplicate_deliveries(rng: np.random.Generator, events: pa.Table, items: pa.Table,
                          ie: np.ndarray, N: int) -> tuple[pa.Table, pa.Table, np.ndarray]:
    """Make duplicate deliveries: identical event rows (and their items) appended."""
    n_dup = round(config.RATES["event_duplicate_delivery"] * N)
    dup = np.sort(rng.choice(N, n_dup, replace=False)) if n_dup else np.zeros(0, int)
    dup_items = np.nonzero(np.isin(ie, dup))[0]
    events = pa.concat_tables([events, events.take(pa.array(dup))])
    items = pa.concat_tables([items, items.take(pa.array(dup_items))])
    return events, items, dup


def _web_info(people: People, sess: _Sessions, ev: _Events, ids: _Ids, cookie_person: np.ndarray,
              account_at: np.ndarray, signup: np.ndarray, counts: dict) -> Web:
    """Make what other systems need to know: cookies seen per person, sign-ups, user_ids shown."""
    person_e, logged, ts = ev.person, ids.logged, ev.ts
    ev_cookie = sess.cookie[ev.sess]
    used = np.unique(np.stack([person_e[person_e >= 0], ev_cookie[person_e >= 0]]), axis=1)
    shared = cookie_person[used[1]] != used[0]
    shared_cookie = np.zeros(len(cookie_person), dtype=bool)
    shared_cookie[used[1][shared]] = True
    # the shop account exists by the first event that carries its user_id (shop customers need it)
    first_user_event = np.full(people.n, np.iinfo(np.int64).max)
    np.minimum.at(first_user_event, person_e[logged], ts[logged])
    first_user_event[first_user_event == np.iinfo(np.int64).max] = -1
    return Web(cookie_person=cookie_person,
               cookie_used_by=np.stack([used[0], used[1], shared_cookie[used[1]]]),
               signup_person=np.nonzero(signup)[0], signup_time=account_at[signup],
               user_ids_emitted=np.unique(person_e[logged]),
               old_info={"cookie_vocab": ids.cookie_vocab, "user_vocab": ids.user_vocab, **counts},
               first_user_event=first_user_event)


@dataclass
class _PlantedOutcome:
    """What planting an experiment effect needs: each person's preference and the chunk's orders."""
    pref: np.ndarray
    owner: np.ndarray
    ts: np.ndarray
    cancelled: np.ndarray

    def converts(self, person: np.ndarray, at: np.ndarray) -> np.ndarray:
        """Per unit: the person has an order that is not cancelled within the conversion window."""
        keep = ~self.cancelled.astype(bool)
        key = np.sort((self.owner[keep].astype(np.int64) << 34) + self.ts[keep].astype(np.int64))
        base = person.astype(np.int64) << 34
        lo = np.searchsorted(key, base + at, side="left")
        hi = np.searchsorted(key, base + at + config.EXPERIMENT_CONVERSION_DAYS * DAY, side="left")
        return (person >= 0) & (hi > lo)


def _planted_arms(rng: np.random.Generator, arms: np.ndarray, variants: tuple, effect: dict,
                  planted: np.ndarray, converted: np.ndarray) -> tuple[np.ndarray, dict]:
    """Re-draw the arm of the planted units of a two-arm experiment so that the treatment shows
    effect['relative_lift'] for them: P(treatment) = 1/2 + d for a converting unit and 1/2 - d * c /
    (1 - c) for the others (c: their conversion rate), which keeps the arms' expected sizes equal and
    gives treatment / control rates (1 + 2d) / (1 - 2d) = 1 + relative lift."""
    c = float(converted[planted].mean()) if planted.any() else 0.0
    lift = effect["relative_lift"]
    d = lift / (2 * (2 + lift))
    d = min(d, 0.5 * (1 - c) / c) if c > 0 else 0.0  # the non-converters' probability stays >= 0
    truth = {"n_planted_units": int(planted.sum()), "planted_conversion_rate": c, "arm_shift": d,
             "planted_relative_lift": (1 + 2 * d) / (1 - 2 * d) - 1}
    if len(variants) != 2 or d == 0:
        return arms, {**truth, "arm_shift": 0.0, "planted_relative_lift": 0.0}
    p_treat = np.where(converted, 0.5 + d, 0.5 - d * c / (1 - c))
    treat = variants.index(effect["variant"])
    drawn = np.where(rng.random(len(arms)) < p_treat, treat, 1 - treat)
    return np.where(planted, drawn, arms), truth


def _experiments(world: World, rng: np.random.Generator, start_s, cookie_s, person_s, state_s,
                 kind_s, cookie_vocab, user_vocab, cust_ok, outcome: _PlantedOutcome
                 ) -> tuple[pa.Table, list[dict]]:
    """One assignment per cookie and experiment: its first session in the experiment's period, a
    random arm; config.EXPERIMENT_EFFECTS plants effects on some persons' arms (_planted_arms)."""
    effect_rng = rng.spawn(1)[0]  # a stream of its own: the unplanted draws stay as they were
    effects = []
    w = world.window
    span = w.end - w.start
    parts = []
    for name, variants, f0, f1 in EXPERIMENTS:
        lo, hi = w.start + int(f0 * span), w.start + int(f1 * span)
        m = (start_s >= lo) & (start_s < hi) & (kind_s != KIND_BOT)
        idx = np.nonzero(m)[0]
        if not len(idx):
            continue
        order = np.lexsort((start_s[idx], cookie_s[idx]))
        idx = idx[order]
        firsts = idx[np.concatenate([[True], cookie_s[idx][1:] != cookie_s[idx][:-1]])]
        parts.append((name, variants, firsts))
    n_total = sum(len(p[2]) for p in parts)
    seq = world.counters.take("assignment", n_total)
    tables, k = [], 0
    for name, variants, firsts in parts:
        m = len(firsts)
        var = rng.integers(0, len(variants), m)
        pers = person_s[firsts]
        logged = (pers >= 0) & (state_s[firsts] == 1) & cust_ok[np.maximum(pers, 0)]
        at = start_s[firsts] + rng.integers(0, 5, m)
        if name in config.EXPERIMENT_EFFECTS:
            effect = config.EXPERIMENT_EFFECTS[name]
            planted = (pers >= 0) & (outcome.pref[np.maximum(pers, 0)] == PREFS.index(effect["preference"]))
            var, truth = _planted_arms(effect_rng, var, variants, effect, planted, outcome.converts(pers, at))
            effects.append({"experiment_id": name, "variant": effect["variant"],
                            "preference": effect["preference"],
                            "requested_relative_lift": float(effect["relative_lift"]), **truth})
        off = np.zeros(m, dtype=np.int64)
        cols = {
            "assignment_id": tx.join("asg_", tx.int_str(seq[k:k + m])),
            "experiment_id": pa.array([name] * m, type=pa.string()),
            "variant": tx.dict_str(var, tx.vocab(variants)),
            "user_pseudo_id": tx.take(cookie_vocab, cookie_s[firsts]),
            "user_id": tx.take(user_vocab, np.maximum(pers, 0), ~logged),
            "assigned_at": w.iso(at, off, np.ones(m, dtype=np.int8)),
            "_loaded_at": w.loaded_at(at + 3600),
        }
        k += m
        tables.append(pa.table({c: tx.plain(v) for c, v in cols.items()},
                               schema=SCHEMAS["marketing.experiment_assignments"]))
    if not tables:
        return SCHEMAS["marketing.experiment_assignments"].empty_table(), effects
    return pa.concat_tables(tables), effects


def _dict_schema(key: str, cols: dict) -> pa.Schema:
    fields = []
    for f in SCHEMAS[key]:
        arr = cols[f.name]
        fields.append(pa.field(f.name, arr.type if pa.types.is_dictionary(arr.type) else f.type))
    return pa.schema(fields)
