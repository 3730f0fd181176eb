"""Latent persons of one chunk: demographics, identity, profile and the BTYD buying process."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import config
from .world import World

PROFILES = ("loyal", "regular", "bargain_hunter", "new_arrival_chaser", "one_time", "lapsed",
            "prospect", "b2b")
PREFS = ("none", "bargain", "new_arrival")
BARGAIN, NEW_ARRIVAL = PREFS.index("bargain"), PREFS.index("new_arrival")


def preference_pull(q: float, n_options: int) -> float:
    """Share of uniform choices among n options to send to one option so it gets probability q.

    The rest stay uniform: q (at most 1) at or below 1/n gives 0, no pull.
    """
    return max(q - 1.0 / n_options, 0.0) / (1.0 - 1.0 / n_options)


def affine(x: np.ndarray, modulus: int, mult: int, add: int) -> np.ndarray:
    """Bijection on [0, modulus) (mult coprime with modulus): unique, unordered-looking ids."""
    return (np.asarray(x, dtype=np.int64) * mult + add) % modulus


@dataclass
class People:
    n: int
    pidx: np.ndarray  # global 0-based index
    person_id: np.ndarray
    country: np.ndarray
    city: np.ndarray
    tz_std: np.ndarray
    tz_rule: np.ndarray
    gender: np.ndarray  # 0 F, 1 M, 2 X
    first: np.ndarray
    last: np.ndarray
    birth_day: np.ndarray  # epoch day
    is_prospect: np.ndarray
    is_test: np.ndarray
    is_b2b: np.ndarray
    guest_only: np.ndarray
    pref: np.ndarray
    has_secondary: np.ndarray
    domain: np.ndarray
    domain2: np.ndarray
    email_style: np.ndarray
    currency: np.ndarray
    tracked: np.ndarray
    # BTYD latent draws
    lam: np.ndarray
    drop_p: np.ndarray
    nu: np.ndarray
    repeat_limit: np.ndarray  # K: drops out right after the K-th repeat purchase
    acq_op: np.ndarray  # acquisition (first purchase) in operational days; nan for prospects
    arrivals: np.ndarray  # N: repeat-purchase opportunities in the window
    n_repeat: np.ndarray  # x = min(N, K)
    alive: np.ndarray
    customer_id: np.ndarray  # -1 when none
    phone_nsn: list | None = None
    profile: np.ndarray | None = None


def make_people(world: World, rng: np.random.Generator, start: int, n: int) -> People:
    w = world.window
    pidx = start + np.arange(n, dtype=np.int64)
    country = rng.choice(len(world.cc), size=n, p=world.cc_weights)
    city = world.city_start[country] + (rng.random(n) * world.city_count[country]).astype(np.int64)
    gender = rng.choice(3, size=n, p=[0.49, 0.49, 0.02])
    group = world.cc_group[country]
    first = np.empty(n, dtype=np.int64)
    last = np.empty(n, dtype=np.int64)
    u1, u2 = rng.random(n), rng.random(n)
    for gi, g in enumerate(world.name_groups):
        m = group == gi
        for sex in (0, 1):
            ms = m & (np.minimum(gender, 1) == sex) if sex == 1 else m & (gender == 0)
            s, k = world.first_slices[(g, sex)]
            first[ms] = s + (u1[ms] * k).astype(np.int64)
        s, k = world.last_slices[g]
        last[m] = s + (u2[m] * k).astype(np.int64)
    age_years = np.clip(rng.gamma(6.0, 6.5, n) + 14, 16, 92)
    birth_day = (w.day0 + w.n_days) - (age_years * 365.25).astype(np.int64)

    is_prospect = rng.random(n) < config.PROSPECT_SHARE
    is_test = (rng.random(n) < config.RATES["test_account_person"]) & ~is_prospect
    is_b2b = (rng.random(n) < config.B2B_PERSON_SHARE) & ~is_prospect & ~is_test
    guest_only = (rng.random(n) < config.RATES["guest_only_buyer"]) & ~is_prospect & ~is_b2b & ~is_test
    shares = config.PREFERENCE_SHARES
    pref = rng.choice(3, size=n, p=[shares["none"], shares["bargain"], shares["new_arrival"]])
    pref[is_prospect] = 0
    first[is_test] = world.test_first + rng.integers(0, 2, int(is_test.sum()))
    last[is_test] = world.test_last + rng.integers(0, 2, int(is_test.sum()))

    domain = world.dom_start[country] + (rng.random(n) * world.dom_count[country]).astype(np.int64)
    domain2 = world.dom_start[country] + (rng.random(n) * world.dom_count[country]).astype(np.int64)
    has_secondary = rng.random(n) < config.RATES["secondary_email_person"]
    email_style = rng.choice(4, size=n, p=[0.45, 0.25, 0.15, 0.15])

    # ---- BTYD draws (population parameters in config.BTYD)
    bt = config.BTYD
    lam = rng.gamma(bt["r"], 1.0 / bt["alpha"], n)
    drop_p = rng.beta(bt["a"], bt["b"], n)
    nu = rng.gamma(bt["q"], 1.0 / bt["gamma"], n)
    repeat_limit = rng.geometric(np.clip(drop_p, 1e-9, 1.0))
    D = float(w.n_days)
    launch = rng.random(n) < config.LAUNCH_COHORT_SHARE
    acq = np.where(launch, rng.random(n) * config.LAUNCH_COHORT_DAYS,
                   D * rng.beta(1.0, 1.6, n))
    acq = np.minimum(acq, D - 1e-6)
    acq[is_prospect] = np.nan
    T = np.where(is_prospect, 0.0, D - np.nan_to_num(acq, nan=D))
    arrivals = rng.poisson(lam * T)
    n_repeat = np.minimum(arrivals, repeat_limit)
    n_repeat[is_prospect] = 0
    alive = repeat_limit > arrivals

    customer_id = np.where(guest_only | is_prospect, -1,
                           7_100_000_000_000 + affine(pidx, 10**10, 7_919_393, 104_729))
    tracked = rng.random(n) < config.WEB["tracked_person_share"]
    tracked |= is_test
    return People(
        n=n, pidx=pidx, person_id=pidx + 1, country=country, city=city,
        tz_std=world.city_tz[city], tz_rule=world.city_rule[city], gender=gender, first=first,
        last=last, birth_day=birth_day, is_prospect=is_prospect, is_test=is_test, is_b2b=is_b2b,
        guest_only=guest_only, pref=pref, has_secondary=has_secondary, domain=domain,
        domain2=domain2, email_style=email_style, currency=world.cc_currency[country],
        tracked=tracked, lam=lam, drop_p=drop_p, nu=nu, repeat_limit=repeat_limit, acq_op=acq,
        arrivals=arrivals, n_repeat=n_repeat, alive=alive, customer_id=customer_id)


def repeat_times(rng: np.random.Generator, people: People
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Operational times of every person's orders (first purchase + observed repeats).

    Repeats are the first x order statistics of N uniform arrivals on (acq, D): generated
    exactly from exponential spacings, S_j / (S_x + Gamma(N + 1 - x)).
    """
    x = people.n_repeat
    n_orders = np.where(people.is_prospect, 0, 1 + x)
    owner = np.repeat(np.arange(people.n), n_orders)
    first_pos = np.concatenate([[0], np.cumsum(n_orders)[:-1]])
    rank = np.arange(len(owner)) - first_pos[owner]  # 0 = acquisition order
    rep = rank > 0
    e = rng.exponential(1.0, size=len(owner))
    e[~rep] = 0.0
    cs = np.cumsum(e)
    base = cs[first_pos[owner]]  # cumulative sum at the person's first (zero) entry
    s = cs - base
    s_x = np.zeros(people.n)
    has = n_orders > 0
    s_x[has] = s[(first_pos + n_orders - 1)[has]]
    rest = rng.gamma(np.maximum(people.arrivals + 1 - x, 1e-9), 1.0)
    total = s_x + rest
    return owner, rank, s / np.where(total[owner] > 0, total[owner], 1.0)


def label_profiles(people: People, last_order_s: np.ndarray, end_s: int) -> np.ndarray:
    """Profile label from the latent draws and the simulated outcome (priority order)."""
    prof = np.full(people.n, PROFILES.index("regular"), dtype=np.int8)
    lapsed = (~people.alive) & (last_order_s < end_s - config.LAPSED_AFTER_DAYS * 86_400)
    loyal = (people.alive & (people.n_repeat + 1 >= config.LOYAL_MIN_ORDERS)
             & (people.lam >= config.LOYAL_MIN_RATE))
    prof[loyal] = PROFILES.index("loyal")
    prof[people.pref == 2] = PROFILES.index("new_arrival_chaser")
    prof[people.pref == 1] = PROFILES.index("bargain_hunter")
    prof[people.n_repeat == 0] = PROFILES.index("one_time")
    prof[lapsed] = PROFILES.index("lapsed")
    prof[people.is_b2b] = PROFILES.index("b2b")
    prof[people.is_prospect] = PROFILES.index("prospect")
    return prof
