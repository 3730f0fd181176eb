"""Global, scale-independent state: countries, currencies, catalogue, campaigns, vocabularies."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from . import config, vocab
from . import textops as tx
from .seeds import Seeds
from .timeutil import DAY, RULES, Window, epoch_day


def rng_for(seed: int, chunk: int, component: int) -> np.random.Generator:
    """Independent stream per (seed, chunk, component): reruns are identical."""
    return np.random.default_rng(np.random.SeedSequence(entropy=seed, spawn_key=(chunk, component)))


GLOBAL_CHUNK = 10**9  # spawn key of the global (non-person) tables


# The monthly campaigns, in their order within a month: (months, id suffix, name, channel,
# audience, anchor day, first and last day after the anchor, burst, code prefix). The anchor is
# the month's first day, its first Tuesday or Black Friday; a name's {y} is the year and {d} the
# month's first day; a code is its prefix and the two-digit year.
_MONTHLY = (
    (tuple(range(1, 13)), "newsletter", "Newsletter {d:%B %Y}", "email", "all", "tuesday", 0, 0, 0.0,
     None),
    ((3,), "spring_collection", "Spring {y} collection launch", "email", "all", "month", 2, 2, 0.25,
     None),
    ((9,), "fall_collection", "Fall {y} collection launch", "email", "all", "month", 2, 2, 0.25, None),
    ((3,), "spring_social", "Spring {y} collection (social)", "paid_social", "new_customers", "month",
     2, 16, 0.0, None),
    ((9,), "fall_social", "Fall {y} collection (social)", "paid_social", "new_customers", "month",
     2, 16, 0.0, None),
    ((3,), "spring_sale", "Spring sale {y}", "email", "all", "month", 14, 20, 0.35, "SPRING"),
    ((7,), "summer_sale", "Summer sale {y}", "email", "all", "month", 4, 13, 0.35, "SUMMER"),
    ((7,), "summer_social", "Summer sale {y} (social)", "paid_social", "all", "month", 4, 13, 0.0, None),
    ((11,), "vip_early_access", "VIP early access {y}", "email", "vip", "black_friday", -2, -1, 0.3,
     "VIP"),
    ((11,), "black_friday", "Black Friday {y}", "email", "all", "black_friday", 0, 3, 1.8, "BF"),
    ((11,), "black_friday_search", "Black Friday {y} (search)", "paid_search", "all", "black_friday",
     -3, 3, 0.0, None),
    ((11,), "black_friday_social", "Black Friday {y} (social)", "paid_social", "all", "black_friday",
     -3, 3, 0.0, None),
    ((11,), "black_friday_display", "Black Friday {y} (display)", "display", "all", "black_friday",
     0, 3, 0.0, None),
    ((12,), "holiday_gifts", "Holiday gift guide {y}", "email", "all", "month", 1, 19, 0.45, "GIFT"),
    ((12,), "holiday_social", "Holiday {y} (social)", "paid_social", "all", "month", 1, 20, 0.0, None),
    ((1,), "january_sale", "January sale {y}", "email", "all", "month", 1, 14, 0.30, "WINTER"),
    ((2, 5, 8, 11), "winback", "Win-back {d:%b %Y}", "email", "lapsed", "month", 9, 9, 0.0,
     "COMEBACK"),
    ((4, 10), "b2b_corporate_gifts", "Corporate gifting {d:%b %Y}", "email", "b2b", "month", 6, 6, 0.0,
     None),
    ((4, 10), "retargeting", "Retargeting {d:%b %Y}", "display", "all", "month", 0, 27, 0.0, None),
)


@dataclass
class Counters:
    """Running id counters; chunks are processed in order, so ids are deterministic."""
    values: dict[str, int] = field(default_factory=dict)

    def take(self, name: str, n: int) -> np.ndarray:
        start = self.values.get(name, 0)
        self.values[name] = start + int(n)
        return np.arange(start, start + int(n), dtype=np.int64)


class World:
    def __init__(self, seeds: Seeds, window: Window, seed: int, n_customers: int,
                 behaviour_shift_from: dt.date | None = None) -> None:
        self.seeds, self.window, self.seed, self.n_customers = seeds, window, seed, n_customers
        # first day index of config.BEHAVIOUR_SHIFT (past the window's end: no shift)
        self.shift_day = (window.n_days if behaviour_shift_from is None
                          else (behaviour_shift_from - window.start_date).days)
        self.counters = Counters()
        self._countries()
        self._names()
        self._currencies()
        rng = rng_for(seed, GLOBAL_CHUNK, 0)
        self._campaigns(rng)
        window.build_intensity([(c["start"], c["end"], c["burst"]) for c in self.campaigns
                                if c["burst"] > 0])
        self._catalogue(rng_for(seed, GLOBAL_CHUNK, 1))
        self._web_vocab()

    # ------------------------------------------------------------------ countries
    def _countries(self) -> None:
        codes = [c for c in vocab.COUNTRIES if c in self.seeds.countries]
        self.cc = codes
        w = np.array([vocab.COUNTRIES[c]["w"] for c in codes])
        self.cc_weights = w / w.sum()
        self.cc_tax = np.array([vocab.COUNTRIES[c]["tax"] for c in codes])
        ga4 = [vocab.COUNTRIES[c]["ga4"] for c in codes]
        for name in ga4:
            if name.lower() not in self.seeds.aliases:
                raise ValueError(f"GA4 country name {name!r} missing from seeds/country_aliases.csv")
        self.ga4_country_vocab = tx.vocab([*ga4, "(not set)"])
        self.cc_iso2_vocab = tx.vocab(codes)
        # Country spellings for the CRM: every lower-cased spelling is an alias in the seed.
        spellings, owner = [], []
        for i, c in enumerate(codes):
            forms = [a for a in self.seeds.aliases_of(c) if len(a) <= 20 and a != c.lower()
                     and a not in ("us of a", "northern ireland", "scotland", "wales")]
            variants: list[str] = []
            for a in forms:
                variants += [a.upper() if len(a) <= 3 else a.title(), a]
            for v in dict.fromkeys(variants):
                assert v.lower() in self.seeds.aliases
                spellings.append(v)
                owner.append(i)
        self.country_spelling_vocab = tx.vocab(spellings)
        owner_arr = np.array(owner)
        self.spell_start = np.searchsorted(owner_arr, np.arange(len(codes)))
        self.spell_count = np.bincount(owner_arr, minlength=len(codes))
        # cities
        rows = []
        for i, c in enumerate(codes):
            for city in vocab.CITIES[c]:
                rows.append((i, *city))
        self.city_country = np.array([r[0] for r in rows])
        self.city_vocab, self.city_code = tx.uvocab(r[1] for r in rows)
        self.region_vocab, self.region_code = tx.uvocab(r[2] for r in rows)
        self.pc_prefix_vocab, self.pc_prefix_code = tx.uvocab(r[3] for r in rows)
        self.pc_kind = np.array([r[4] for r in rows])
        self.city_tz = np.array([r[5] for r in rows], dtype=np.int64)
        self.city_rule = np.array([RULES[r[6]] for r in rows], dtype=np.int8)
        self.city_start = np.searchsorted(self.city_country, np.arange(len(codes)))
        self.city_count = np.bincount(self.city_country, minlength=len(codes))
        # phones
        self.cc_calling = [self.seeds.countries[c].calling_code for c in codes]
        self.cc_trunk = [self.seeds.countries[c].trunk_prefix for c in codes]
        # email domains
        doms, downer = [], []
        for i, c in enumerate(codes):
            for d in vocab.COUNTRIES[c]["domains"]:
                doms.append(d)
                downer.append(i)
        self.domain_vocab = tx.vocab([*doms, "northpeak-store.example", "example.com"])
        downer_arr = np.array(downer)
        self.dom_start = np.searchsorted(downer_arr, np.arange(len(codes)))
        self.dom_count = np.bincount(downer_arr, minlength=len(codes))

    def _names(self) -> None:
        groups = list(vocab.FIRST_NAMES)
        self.name_groups = groups
        firsts, lasts = [], []
        self.first_slices, self.last_slices = {}, {}
        for g in groups:
            fem, mal = vocab.FIRST_NAMES[g]
            s = len(firsts)
            firsts += list(fem)
            self.first_slices[(g, 0)] = (s, len(fem))
            s = len(firsts)
            firsts += list(mal)
            self.first_slices[(g, 1)] = (s, len(mal))
            s = len(lasts)
            lasts += list(vocab.LAST_NAMES[g])
            self.last_slices[g] = (s, len(vocab.LAST_NAMES[g]))
        firsts += ["Test", "QA"]
        lasts += ["Account", "Tester"]
        self.first_vocab = tx.vocab(firsts)
        self.last_vocab = tx.vocab(lasts)
        self.first_ascii = tx.vocab(vocab.ascii_fold(f) for f in firsts)
        self.last_ascii = tx.vocab(vocab.ascii_fold(f) for f in lasts)
        self.first_lower = tx.vocab(f.lower() for f in firsts)
        self.last_lower = tx.vocab(f.lower() for f in lasts)
        self.test_first = len(firsts) - 2
        self.test_last = len(lasts) - 2
        self.cc_group = np.array([groups.index(vocab.COUNTRIES[c]["names"]) for c in self.cc])

    # ------------------------------------------------------------------ money
    def _currencies(self) -> None:
        w = self.window
        codes = sorted({r.currency for r in self.seeds.fx})
        days = [w.start_date + dt.timedelta(days=i) for i in range(w.n_days)]
        rates = np.full((len(codes), w.n_days), np.nan)
        for ci, cur in enumerate(codes):
            for di, d in enumerate(days):
                r = self.seeds.rate(cur, d)
                if r is not None:
                    rates[ci, di] = r
        complete = ~np.isnan(rates).any(axis=1)
        if "USD" not in codes or not complete[codes.index("USD")]:
            raise ValueError("seeds/fx_rates.csv must give USD a rate on every day of the window")
        self.currencies = codes
        self.currency_vocab = tx.vocab(codes + [c.lower() for c in codes])
        self.fx = np.nan_to_num(rates, nan=1.0)  # USD per unit, [currency, day]
        usd = codes.index("USD")
        self.cc_currency = np.array([
            codes.index(vocab.COUNTRIES[c]["cur"]) if vocab.COUNTRIES[c]["cur"] in codes
            and complete[codes.index(vocab.COUNTRIES[c]["cur"])] else usd for c in self.cc])
        self.zero_decimal = np.array([c == "JPY" for c in codes])

    def to_local_cents(self, usd_cents: np.ndarray, currency: np.ndarray, day_idx: np.ndarray,
                       charm: bool = True) -> np.ndarray:
        """Convert USD cents to local cents at the day's seed rate; shop-style rounding."""
        rate = self.fx[currency, np.clip(day_idx, 0, self.window.n_days - 1)]
        local = np.asarray(usd_cents) / rate
        zero = self.zero_decimal[currency]
        if charm:  # x.95 style for catalogue prices
            whole = np.maximum(np.round(local / 100.0), 1.0)
            out = np.where(zero, np.round(local / 1000.0) * 1000.0, whole * 100 - 5)
        else:
            out = np.where(zero, np.round(local / 100.0) * 100.0, np.round(local))
        return np.maximum(out, np.where(zero, 100, 1)).astype(np.int64)

    # ------------------------------------------------------------------ campaigns
    def _campaigns(self, rng: np.random.Generator) -> None:
        """Make the campaign calendar, its daily indexes and the discount codes."""
        camps = _campaign_calendar(self.window)
        self.campaigns = camps
        self.campaign_vocab = tx.vocab([c["id"] for c in camps])
        self.email_campaigns = [i for i, c in enumerate(camps) if c["channel"] == "email"]
        self._campaign_days(camps)
        codes = sorted({c["code"] for c in camps if c["code"]})
        self.code_vocab_list = ["WELCOME10", "FREESHIP", "STAFF100", *codes]

    def _campaign_days(self, camps: list[dict]) -> None:
        """Make the daily indexes: campaign with a code, paid campaign per channel, sale share."""
        w = self.window
        # daily: which campaign (with a code) is running, for discount codes and attribution
        n = w.n_days
        self.day_code_campaign = np.full(n, -1)
        self.day_paid = {ch: np.full(n, -1) for ch in ("paid_search", "paid_social", "display",
                                                         "affiliate")}
        for i, c in enumerate(camps):
            lo, hi = c["start"] - w.day0, c["end"] - w.day0 + 1
            if c["code"] and c["audience"] == "all":
                self.day_code_campaign[lo:hi] = i
            if c["channel"] in self.day_paid:
                arr = self.day_paid[c["channel"]]
                if c["open_end"]:
                    arr[lo:hi] = np.where(arr[lo:hi] < 0, i, arr[lo:hi])
                else:
                    arr[lo:hi] = i
        # global sales (share of catalogue marked down during sale campaigns)
        self.day_sale_pct = np.zeros(n)
        for c in camps:
            if c["code"] and c["audience"] == "all":
                lo, hi = c["start"] - w.day0, c["end"] - w.day0 + 1
                self.day_sale_pct[lo:hi] = 0.30 if "black_friday" in c["id"] else 0.20

    # ------------------------------------------------------------------ catalogue
    def _catalogue(self, rng: np.random.Generator) -> None:
        """Make the product catalogue: types, prices, launch dates, titles, collections, popularity."""
        w = self.window
        n = config.N_PRODUCTS
        types = list(vocab.PRODUCT_TYPES)
        share = np.array([vocab.PRODUCT_TYPES[t][0] for t in types])
        ptype = rng.choice(len(types), size=n, p=share / share.sum())
        med = np.array([vocab.PRODUCT_TYPES[t][1] for t in types])[ptype]
        sd = np.array([vocab.PRODUCT_TYPES[t][2] for t in types])[ptype]
        usd = np.exp(np.log(med) + sd * rng.standard_normal(n))
        usd = np.clip(usd, 4.0, 2500.0)
        self.p_usd_cents = (np.maximum(np.round(usd), 1) * 100 - 5).astype(np.int64)
        self.p_type = ptype
        self.product_type_vocab = tx.vocab(types)
        self.p_id = 8_000_000_000 + np.arange(n, dtype=np.int64) * 37 + 11
        # launch dates: 40% at store launch, the rest spread over the window
        launch = rng.random(n) < 0.4
        pub_day = np.where(launch, rng.integers(0, 3, n), rng.integers(0, w.n_days, n))
        pub = w.start + pub_day * DAY + rng.integers(8 * 3600, 18 * 3600, n)
        self.p_published = pub
        self.p_pub_day = pub_day
        self.p_created = np.maximum(pub - rng.integers(1, 30, n) * DAY, w.start)
        self.p_updated = np.minimum(pub + rng.integers(0, 200, n) * DAY, w.end - 3600)
        self.p_new_arrival = (w.end - pub) < 60 * DAY
        self.p_sale_pool = rng.random(n) < 0.45
        clearance = rng.random(n) < 0.35
        self.p_clearance_day = np.where(clearance, pub_day + rng.integers(150, 400, n), 10**9)
        titles, skus = _product_titles(rng, types, ptype)
        self.p_title = titles
        self.title_vocab = tx.vocab(titles)
        assert len(set(titles)) == len(titles)
        self.sku_vocab = tx.vocab(skus)
        self.item_id_vocab = tx.vocab(str(x) for x in self.p_id)
        coll = _product_collections(rng, w, types, ptype, pub_day)
        self.p_collection = coll
        self.p_vendor = rng.integers(0, len(vocab.VENDORS), n)
        order = np.argsort(self.p_usd_cents, kind="stable")
        self.p_by_price = order
        self.p_sorted_price = self.p_usd_cents[order]
        # popularity for browsing
        pop = rng.pareto(1.2, n) + 1
        self.p_pop_cdf = np.cumsum(pop) / pop.sum()

    def on_sale_pct(self, product: np.ndarray, day_idx: np.ndarray) -> np.ndarray:
        d = np.clip(day_idx, 0, self.window.n_days - 1)
        glob = np.where(self.p_sale_pool[product], self.day_sale_pct[d], 0.0)
        clear = np.where(d >= self.p_clearance_day[product], 0.30, 0.0)
        return np.maximum(glob, clear)

    # ------------------------------------------------------------------ web
    def _web_vocab(self) -> None:
        n = config.N_PRODUCTS
        pages = [("/", "Northpeak - Outdoor & Everyday Goods"), ("/cart", "Your cart"),
                 ("/checkout", "Checkout"), ("/checkout/thank-you", "Thank you for your order"),
                 ("/account/login", "Log in"), ("/account/register", "Create account"),
                 ("/account", "My account"), ("/pages/shipping", "Shipping & returns"),
                 ("/pages/about", "About us")]
        self.page_fixed = {p: i for i, (p, _) in enumerate(pages)}
        self.page_coll0 = len(pages)
        pages += [(f"/collections/{c}", f"{c.replace('-', ' ').title()} - Northpeak")
                  for c in vocab.COLLECTION_PAGES]
        self.page_guide0 = len(pages)
        pages += [(f"/blogs/guides/{g}", f"{g.replace('-', ' ').capitalize()} - Guides")
                  for g in vocab.GUIDES]
        self.page_search0 = len(pages)
        pages += [(f"/search?q={t.replace(' ', '+')}", f"Search: {t}") for t in vocab.SEARCH_TERMS]
        self.page_product0 = len(pages)
        handles = [t.lower().replace(" - ", "-").replace(" ", "-") for t in self.p_title]
        pages += [(f"/products/{h}", f"{t} - Northpeak") for h, t in zip(handles, self.p_title, strict=True)]
        assert len(pages) == self.page_product0 + n
        self.page_paths = [p for p, _ in pages]
        self.page_vocab = tx.vocab(vocab.SITE + p for p, _ in pages)
        self.page_title_vocab = tx.vocab(t for _, t in pages)
        self.search_vocab = tx.vocab(vocab.SEARCH_TERMS)
        ext = [u for u in vocab.EXTERNAL_REFERRERS.values() if u]
        self.referrer_ext = {k: (ext.index(u) if u else -1) for k, u in
                             vocab.EXTERNAL_REFERRERS.items()}
        self.referrer_vocab = tx.vocab(ext + [vocab.SITE + p for p in self.page_paths])
        self.referrer_page0 = len(ext)
        # traffic sources: organic ones + (source, medium) of campaign channels
        self.traffic = [*vocab.TRAFFIC, ("newsletter", "email", "email", 0.0)]
        self.source_vocab, self.source_code = tx.uvocab(t[0] for t in self.traffic)
        self.medium_vocab, self.medium_code = tx.uvocab(t[1] for t in self.traffic)
        devs = list(vocab.DEVICES)
        self.n_human_devices = len(devs)
        dw = np.array([d[4] for d in devs])
        self.device_cdf = np.cumsum(dw / dw.sum())
        allv = [d[:4] for d in devs] + list(vocab.BOT_DEVICES)
        self.device_cat_vocab, self.device_cat_code = tx.uvocab(d[0] for d in allv)
        self.device_os_vocab, self.device_os_code = tx.uvocab(d[1] for d in allv)
        self.device_browser_vocab, self.device_browser_code = tx.uvocab(d[2] for d in allv)
        self.device_ua_vocab, self.device_ua_code = tx.uvocab(d[3] for d in allv)
        self.device_is_mobile = np.array([d[0] != "desktop" for d in allv])


def _campaign_calendar(w: Window) -> list[dict]:
    """Make the window's campaigns: the always-on programmes, then month by month."""
    first, last = w.day0, w.day0 + w.n_days - 1
    camps: list[dict] = []

    def add(cid, name, channel, audience, start, end, burst=0.0, code=None, open_end=False):
        if end < first or start > last:
            return
        camps.append({"id": cid, "name": name, "channel": channel, "audience": audience,
                      "start": max(start, first), "end": min(end, last), "burst": burst,
                      "code": code, "open_end": open_end})

    add("brand_search_always_on", "Brand search (always on)", "paid_search", "all", first, last,
        open_end=True)
    add("affiliate_always_on", "Affiliate programme", "affiliate", "all", first, last,
        open_end=True)
    d = dt.date.fromordinal(w.start_date.toordinal()).replace(day=1)
    while d <= w.as_of:
        _month_campaigns(add, d)
        d = (d + dt.timedelta(days=32)).replace(day=1)
    return camps


def _month_campaigns(add: Callable[..., None], d: dt.date) -> None:
    """Add the campaigns of the month that starts on d, in _MONTHLY order."""
    y, m = d.year, d.month
    tue = d + dt.timedelta(days=(1 - d.weekday()) % 7)
    anchors = {"month": epoch_day(d), "tuesday": epoch_day(tue),
               "black_friday": epoch_day(d + dt.timedelta(days=(3 - d.weekday()) % 7 + 21)) + 1}
    for months, key, name, channel, audience, anchor, lo, hi, burst, code in _MONTHLY:
        if m in months:
            day = anchors[anchor]
            add(f"cmp_{y}{m:02d}_{key}", name.format(y=y, d=d), channel, audience, day + lo, day + hi,
                burst, f"{code}{y % 100}" if code else None)


def _product_titles(rng: np.random.Generator, types: list[str], ptype: np.ndarray
                    ) -> tuple[list[str], list[str]]:
    """Make product titles (unique: a colour suffix where repeated) and SKUs."""
    n = len(ptype)
    adjs = vocab.PRODUCT_ADJECTIVES
    titles, skus = [], []
    adj_i = rng.integers(0, len(adjs), n)
    noun_u = rng.random(n)
    for i in range(n):
        nouns = vocab.PRODUCT_NOUNS[types[ptype[i]]]
        titles.append(f"{adjs[adj_i[i]]} {nouns[int(noun_u[i] * len(nouns))]}")
        skus.append(f"{types[ptype[i]][:3].upper()}-{i:05d}")
    # make titles unique-ish with a colour suffix where repeated
    colours = ("Black", "Navy", "Olive", "Sand", "Rust", "Grey", "White", "Forest", "Plum")
    seen: dict[str, int] = {}
    for i, t in enumerate(titles):
        k = seen.get(t, 0)
        seen[t] = k + 1
        if k:
            titles[i] = f"{t} - {colours[k % len(colours)]}" + (f" {k // len(colours) + 1}"
                                                              if k >= len(colours) else "")
    return titles, skus


def _product_collections(rng: np.random.Generator, w: Window, types: list[str], ptype: np.ndarray,
                         pub_day: np.ndarray) -> list[str]:
    """Make each product's collection: guides, a standing collection, or its launch season."""
    coll = []
    for i in range(len(ptype)):
        pd_ = w.start_date + dt.timedelta(days=int(pub_day[i]))
        if types[ptype[i]] == "books" and rng.random() < 0.6:
            coll.append("Guides")
        elif pub_day[i] < 3:
            coll.append(vocab.STANDING_COLLECTIONS[i % 3])
        else:
            season = "Spring" if pd_.month in (2, 3, 4, 5) else (
                "Summer" if pd_.month in (6, 7, 8) else ("Fall" if pd_.month in (9, 10) else
                                                        "Holiday"))
            year = pd_.year + (1 if pd_.month == 1 and season == "Holiday" else 0)
            coll.append(f"{season} {year if pd_.month != 1 else pd_.year - 1}")
    return coll
