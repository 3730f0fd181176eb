"""CRM: contacts, accounts, technographics, surveys, consent and support tickets."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from . import config, vocab
from . import textops as tx
from .identity import Identity, draw_email_variant, draw_phone_format, email_code
from .population import BARGAIN, NEW_ARRIVAL, People, affine, preference_pull
from .schemas import SCHEMAS
from .shop import Orders, _set, alt_variant
from .timeutil import DAY
from .world import World

STATUS_VOCAB = tx.vocab(("granted", "Granted", "GRANTED", "withdrawn", "Withdrawn", "WITHDRAWN"))
CONSENT_COMBOS = (("email", "marketing", 0.65), ("sms", "marketing", 0.15),
                  ("push", "marketing", 0.10), ("ads", "personalization", 0.35),
                  ("email", "personalization", 0.25), ("phone", "marketing", 0.05),
                  ("ads", "analytics", 0.30))


@dataclass
class Crm:
    contact_person: np.ndarray  # person local of each base contact row (primary + duplicates)
    contact_slot: np.ndarray
    contact_ids: pa.Array
    primary_contact: np.ndarray  # per person: contact row index or -1
    email_codes: np.ndarray
    phone_codes: np.ndarray  # person * N_PHONE_FORMATS + fmt for contacts with a phone
    subscribed_from: np.ndarray  # per person: email-marketing grant time or -1
    subscribed_until: np.ndarray  # per person: withdrawal time or end
    account_of: np.ndarray  # per person: account row or -1
    old_ids: pa.Array
    dup_ids: pa.Array
    second_contact_person: np.ndarray
    ticket_email_codes: np.ndarray
    account_old_ids: pa.Array
    account_ids_of_persons: pa.Array
    ticket_old_ids: pa.Array


def contact_id_strings(pidx: np.ndarray, slot: np.ndarray, n_total: int) -> pa.Array:
    width = max(7, len(str(2 * n_total)))
    mod = 10**width
    num = affine(pidx * 2 + slot, mod, 7_654_321 if mod % 7 else 7_654_323, 1_000_003)
    return tx.join("C", tx.zpad(num, width))


@dataclass
class _Contacts:
    """Contact rows (primary + duplicate records), one row a contact_id."""
    person: np.ndarray  # person local of each row
    slot: np.ndarray  # 0 primary, 1 duplicate record
    second: np.ndarray  # persons with a duplicate record
    primary: np.ndarray  # per person: primary contact row or -1
    ids: pa.Array
    created: np.ndarray
    updated: np.ndarray
    ecodes: np.ndarray
    has_phone: np.ndarray
    pfmt: np.ndarray
    off: np.ndarray  # offset (minutes) at creation
    off_u: np.ndarray  # offset (minutes) at update
    var: np.ndarray  # text timestamp variant


def make_crm(world: World, people: People, orders: Orders, ident: Identity, web_signup: tuple,
             rng: np.random.Generator) -> tuple[Crm, dict[str, pa.Table]]:
    """CRM tables of the chunk's persons, and what other systems need to know about them."""
    registered, has_contact, created = _first_touch(world, people, orders, rng, web_signup)
    con = _contact_rows(world, people, rng, has_contact, created)
    demo, income_idx = _demographics(world, people, rng, con.person)
    account_of, acc_tables, acc_id_vocab, acc_old_ids = _account_links(world, people, rng, created)
    contacts = _contacts_table(world, ident, rng, con, registered, demo, income_idx,
                               account_of[con.person], acc_id_vocab)
    contacts, old_idx, dup_idx = _contact_versions(world, rng, contacts, con)
    tables = {"crm.contacts": contacts, **acc_tables}
    tables["crm.survey_responses"] = _surveys(world, rng, con, people.pref)
    tables["crm.consent_events"], subscribed_from, subscribed_until = _consent(world, people, rng,
                                                                               con)
    tables["crm.support_tickets"], tcodes, ticket_old_ids = _tickets(world, orders, ident, rng,
                                                                     con.ids, con.primary)
    info = Crm(contact_person=con.person, contact_slot=con.slot, contact_ids=con.ids,
               primary_contact=con.primary, email_codes=con.ecodes,
               phone_codes=con.person[con.has_phone] * 5 + con.pfmt[con.has_phone],
               subscribed_from=subscribed_from, subscribed_until=subscribed_until,
               account_of=account_of, old_ids=tx.take(con.ids, old_idx),
               dup_ids=tx.take(con.ids, dup_idx), second_contact_person=con.second,
               ticket_email_codes=tcodes, account_old_ids=acc_old_ids,
               account_ids_of_persons=tx.take(acc_id_vocab, np.maximum(account_of, 0),
                                              account_of < 0),
               ticket_old_ids=ticket_old_ids)
    return info, tables


def _first_touch(world: World, people: People, orders: Orders, rng: np.random.Generator,
                 web_signup: tuple) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Make per person: registered (shop or web account), has a contact, and its creation time."""
    w = world.window
    n = people.n
    end = w.end
    signup_person, signup_time = web_signup
    account_at = orders.account_created.copy()
    account_at[signup_person] = signup_time
    registered = account_at >= 0
    u = rng.random(n)
    has_contact = ((registered & (u < 0.85)) | (people.guest_only & (u < 0.30))
                   | (people.is_prospect & (u < 0.60)) | people.is_b2b | people.is_test)
    first_touch = np.where(account_at >= 0, account_at, orders.first_order)
    random_touch = w.start + (rng.random(n) * (end - w.start - DAY)).astype(np.int64)
    created = np.where(first_touch >= 0, first_touch - rng.integers(0, 7200, n), random_touch)
    created = np.clip(created, w.start, end - 3600)
    return registered, has_contact, created


def _contact_rows(world: World, people: People, rng: np.random.Generator,
                  has_contact: np.ndarray, created: np.ndarray) -> _Contacts:
    """Make base contacts + duplicate records (a second contact_id of the same person)."""
    w = world.window
    R = config.RATES
    end = w.end
    prim = np.nonzero(has_contact)[0]
    second = prim[rng.random(len(prim)) < R["duplicate_contact_person"]]
    cp = np.concatenate([prim, second])
    slot = np.concatenate([np.zeros(len(prim), int), np.ones(len(second), int)])
    order = np.lexsort((slot, cp))
    cp, slot = cp[order], slot[order]
    C = len(cp)
    c_created = created[cp] + np.where(slot == 1, rng.integers(DAY, 200 * DAY, C), 0)
    c_created = np.minimum(c_created, end - 3600)
    c_updated = c_created + (rng.random(C) * (end - 60 - c_created)).astype(np.int64)
    contact_ids = contact_id_strings(people.pidx[cp], slot, world.n_customers)
    ev = draw_email_variant(rng, C, R["email_case_whitespace_variant"])
    dup_variant = np.where(ev == 0, 1 + rng.integers(0, 5, C), ev)
    use_second = (slot == 1) & people.has_secondary[cp] & (rng.random(C) < 0.5)
    ev = np.where((slot == 1) & ~use_second & (rng.random(C) < 0.5), dup_variant, ev)
    ecodes = email_code(cp, use_second.astype(int), ev)
    has_phone = rng.random(C) < R["phone_on_contact"]
    pfmt = draw_phone_format(rng, C)
    off = w.offset_minutes(c_created, people.tz_std[cp], people.tz_rule[cp])
    off_u = w.offset_minutes(c_updated, people.tz_std[cp], people.tz_rule[cp])
    var = alt_variant(rng, C)
    primary_contact = np.full(people.n, -1)
    primary_contact[cp[slot == 0]] = np.nonzero(slot == 0)[0]
    return _Contacts(person=cp, slot=slot, second=second, primary=primary_contact,
                     ids=contact_ids, created=c_created, updated=c_updated, ecodes=ecodes,
                     has_phone=has_phone, pfmt=pfmt, off=off, off_u=off_u, var=var)


def _demographics(world: World, people: People, rng: np.random.Generator, cp: np.ndarray
                  ) -> tuple[dict[str, pa.Array], np.ndarray]:
    """Make contacts' names, birth date, gender, address and job title as typed.

    Also returns each contact's income band (its mask is drawn with the table).
    """
    w = world.window
    C = len(cp)
    gtext = []
    gowner = []
    for g, spell in enumerate((vocab.GENDER_TEXT["F"], vocab.GENDER_TEXT["M"],
                               vocab.GENDER_TEXT["X"], vocab.GENDER_UNKNOWN_TEXT)):
        gtext += list(spell)
        gowner += [g] * len(spell)
    gender_vocab = tx.vocab(gtext)
    gowner = np.array(gowner)
    gsel = np.where(rng.random(C) < 0.12, 3, people.gender[cp])
    gstart = np.searchsorted(gowner, gsel)
    gcount = np.bincount(gowner)[gsel]
    gidx = gstart + np.minimum(rng.geometric(0.45, C) - 1, gcount - 1)
    bd_known = rng.random(C) < 0.7
    bd_day = people.birth_day[cp] - w._fmt_day0
    bd_text = tx.take(_birth_vocab(w), bd_day - _birth_vocab.offset, ~bd_known)
    bad_bd = bd_known & (rng.random(C) < 0.02)
    if bad_bd.any():  # typed day-first, or an impossible date: staging nulls these
        alt = tx.join(pa.compute.utf8_slice_codeunits(bd_text, 8, 10), "/",
                      pa.compute.utf8_slice_codeunits(bd_text, 5, 7), "/",
                      pa.compute.utf8_slice_codeunits(bd_text, 0, 4))
        bd_text = tx.where(bad_bd, alt, bd_text)
    city = people.city[cp]
    pc_kind = world.pc_kind[city]
    suffix = _postcode_suffix(rng, pc_kind)
    postcode = tx.join(tx.take(world.pc_prefix_vocab, world.pc_prefix_code[city]), suffix)
    country = _country_text(world, rng, people.country[cp])
    income_idx = rng.integers(0, len(vocab.INCOME_BANDS), C)
    jobs = list(vocab.JOB_TITLES) + list(vocab.B2B_JOB_TITLES)
    job_idx = np.where(people.is_b2b[cp], len(vocab.JOB_TITLES)
                       + rng.integers(0, len(vocab.B2B_JOB_TITLES), C),
                       rng.integers(0, len(vocab.JOB_TITLES), C))
    job_mask = ~people.is_b2b[cp] & (rng.random(C) < 0.45)
    first_txt = tx.take(world.first_vocab, people.first[cp])
    last_txt = tx.take(world.last_vocab, people.last[cp])
    lower_name = rng.random(C) < 0.03
    first_txt = tx.where(lower_name, tx.take(world.first_lower, people.first[cp]), first_txt)
    last_txt = tx.where(lower_name, tx.take(world.last_lower, people.last[cp]), last_txt)
    return {
        "first_name": first_txt,
        "last_name": last_txt,
        "birth_date": bd_text,
        "gender": tx.dict_str(gidx, gender_vocab),
        "city": tx.dict_str(world.city_code[city], world.city_vocab),
        "region": tx.dict_str(world.region_code[city], world.region_vocab),
        "postcode": postcode,
        "country": country,
        "job_title": tx.dict_str(job_idx, tx.vocab(jobs), job_mask),
    }, income_idx


def _account_links(world: World, people: People, rng: np.random.Generator, created: np.ndarray
                   ) -> tuple[np.ndarray, dict[str, pa.Table], pa.Array, pa.Array]:
    """Make accounts (B2B persons grouped into companies) and each person's account row or -1.

    Returns the account tables, the account id of each row and the ids of older versions.
    """
    n = people.n
    b2b = np.nonzero(people.is_b2b)[0]
    n_acc = int(np.ceil(len(b2b) / 2.5)) if len(b2b) else 0
    account_of = np.full(n, -1)
    acc_tables: dict[str, pa.Table] = {}
    if n_acc:
        account_of[b2b] = np.concatenate([np.arange(n_acc), rng.integers(0, n_acc, len(b2b) - n_acc)]
                                         ) if len(b2b) >= n_acc else np.arange(len(b2b))
        acc_tables = _accounts(world, people, rng, account_of, n_acc, created)
    acc_id_vocab = acc_tables.pop("_ids", tx.vocab(["A000000"]))
    acc_old_ids = acc_tables.pop("_old_ids", pa.array([], pa.string()))
    return account_of, acc_tables, acc_id_vocab, acc_old_ids


def _contacts_table(world: World, ident: Identity, rng: np.random.Generator, con: _Contacts,
                    registered: np.ndarray, demo: dict[str, pa.Array], income_idx: np.ndarray,
                    acc_idx: np.ndarray, acc_id_vocab: pa.Array) -> pa.Table:
    """Make the crm.contacts table (current version of every contact)."""
    w = world.window
    cp = con.person
    C = len(cp)
    email_verified = np.where(registered[cp], rng.random(C) < 0.85, rng.random(C) < 0.4)
    cols = {
        "contact_id": con.ids,
        "email": ident.emails(con.ecodes),
        "phone": tx.where(con.has_phone, ident.phones(cp, con.pfmt), pa.nulls(C, pa.string())),
        **demo,
        "income_band": tx.dict_str(income_idx, tx.vocab(vocab.INCOME_BANDS),
                                   rng.random(C) < 0.5),
        "account_id": tx.dict_str(np.maximum(acc_idx, 0), acc_id_vocab, acc_idx < 0),
        "email_verified": pa.array(email_verified),
        "created_at": w.iso(con.created, con.off, con.var),
        "updated_at": w.iso(con.updated, con.off_u, con.var),
        "_loaded_at": w.loaded_at(con.updated + rng.integers(600, 20 * 3600, C)),
    }
    return _table("crm.contacts", cols)


def _contact_versions(world: World, rng: np.random.Generator, contacts: pa.Table, con: _Contacts
                      ) -> tuple[pa.Table, np.ndarray, np.ndarray]:
    """Make an older export of some contacts and exact duplicate rows, appended to the table.

    Also returns the rows given an older version and the rows duplicated.
    """
    w = world.window
    R = config.RATES
    C = len(con.person)
    c_created, c_updated = con.created, con.updated
    n_old = round(R["contact_older_version"] * C)
    old_idx = np.sort(rng.choice(C, n_old, replace=False)) if n_old else np.zeros(0, int)
    old_upd = c_created[old_idx] + (rng.random(n_old) * (c_updated[old_idx] - c_created[old_idx])
                                    ).astype(np.int64)
    old_upd = np.minimum(old_upd, c_updated[old_idx] - 1)
    old = contacts.take(pa.array(old_idx))
    old = _set(old, "updated_at", w.iso(old_upd, con.off_u[old_idx], con.var[old_idx]))
    old = _set(old, "email_verified", pa.array(np.zeros(n_old, bool)))
    old = _set(old, "_loaded_at", w.loaded_at(old_upd + 900))
    n_dup = round(R["contact_exact_duplicate"] * C)
    dup_idx = np.sort(rng.choice(C, n_dup, replace=False)) if n_dup else np.zeros(0, int)
    return pa.concat_tables([contacts, old, contacts.take(pa.array(dup_idx))]), old_idx, dup_idx


def _surveys(world: World, rng: np.random.Generator, con: _Contacts, pref: np.ndarray) -> pa.Table:
    """Make crm.survey_responses: 1-3 answers, given at once, from a share of the contacts.

    Answers are uniform, except that preference holders lean to the answers of their preference.
    """
    w = world.window
    c_created = con.created
    resp_c = np.nonzero(rng.random(len(con.person)) < config.SURVEY_RESPONDENT_SHARE)[0]
    nq = rng.integers(1, 4, len(resp_c))
    rc = np.repeat(resp_c, nq)
    qk = (np.arange(len(rc)) - np.repeat(np.cumsum(nq) - nq, nq)) % 3
    qkeys = list(vocab.SURVEY_QUESTIONS)
    answers = [a for q in qkeys for a in vocab.SURVEY_QUESTIONS[q]]
    a_start = np.cumsum([0] + [len(vocab.SURVEY_QUESTIONS[q]) for q in qkeys])[:-1]
    a_cnt = np.array([len(vocab.SURVEY_QUESTIONS[q]) for q in qkeys])
    ans = a_start[qk] + _survey_answers(rng.random(len(rc)), qk, a_cnt[qk], qkeys,
                                        pref[con.person[rc]])
    r_at = c_created[rc] + (rng.random(len(rc)) * (w.end - 60 - c_created[rc])).astype(np.int64)
    # a respondent answers all their questions in one sitting, at the time drawn for the first; the
    # other draws are still taken, so the stream's later numbers stay as they were (generator 1.3.0)
    r_at = r_at[np.repeat(np.cumsum(nq) - nq, nq)]
    rseq = world.counters.take("survey", len(rc))
    return _table("crm.survey_responses", {
        "response_id": tx.join("R", tx.zpad(rseq + 1, 8)),
        "contact_id": tx.take(con.ids, rc),
        "question_key": tx.dict_str(qk, tx.vocab(qkeys)),
        "answer": tx.dict_str(ans, tx.vocab(answers)),
        "responded_at": w.iso(r_at, con.off[rc], con.var[rc]),
        "_loaded_at": w.loaded_at(r_at + 7200),
    })


# (preference, question, answer, config.PREFERENCE_SIGNALS key of the answer's probability)
_SURVEY_LEANINGS = ((BARGAIN, "values", "price", "bargain_values_price"),
                    (BARGAIN, "motivations", "deal", "bargain_motivations_deal"),
                    (NEW_ARRIVAL, "motivations", "trend", "new_arrival_motivations_trend"),
                    (NEW_ARRIVAL, "values", "quality", "new_arrival_values_quality"))


def _survey_answers(u: np.ndarray, qk: np.ndarray, n_ans: np.ndarray, qkeys: list[str],
                    pref: np.ndarray) -> np.ndarray:
    """Answer (index among the n_ans of its question) of each row from a uniform u in [0, 1).

    Uniform over the question's answers, except that a pulled share of a preference holder's
    answers (u below the pull) is the preference's answer; the rest reuse u rescaled, so without
    a pull every answer is as it would be without preference signals.
    """
    pull = np.zeros(len(u))
    target = np.zeros(len(u), dtype=np.int64)
    for who, question, answer, key in _SURVEY_LEANINGS:
        options = vocab.SURVEY_QUESTIONS[question]
        m = (pref == who) & (qk == qkeys.index(question))
        pull[m] = preference_pull(config.PREFERENCE_SIGNALS[key], len(options))
        target[m] = options.index(answer)
    pulled = u < pull
    rest = ((u - pull) / (1.0 - pull) * n_ans).astype(np.int64)
    return np.where(pulled, target, np.minimum(rest, n_ans - 1))


def _consent(world: World, people: People, rng: np.random.Generator, con: _Contacts
             ) -> tuple[pa.Table, np.ndarray, np.ndarray]:
    """Make crm.consent_events of primary contacts (grants and withdrawals).

    Also returns per person the email-marketing grant time (or -1) and withdrawal time (or end).
    """
    w = world.window
    end = w.end
    n = people.n
    cp, c_created = con.person, con.created
    pc_rows = np.nonzero(con.slot == 0)[0]
    ce_c, ce_combo, ce_status, ce_at = [], [], [], []
    subscribed_from = np.full(n, -1, dtype=np.int64)
    subscribed_until = np.full(n, end, dtype=np.int64)
    for ci, (_ch, _pu, share) in enumerate(CONSENT_COMBOS):
        g = pc_rows[rng.random(len(pc_rows)) < share]
        g_at = c_created[g] + rng.integers(0, 600, len(g))
        wd = rng.random(len(g)) < (0.12 if ci == 0 else 0.08)
        wd_at = g_at + (rng.random(len(g)) * (end - 60 - g_at)).astype(np.int64)
        wd &= wd_at > g_at + 3600
        ce_c += [g, g[wd]]
        ce_combo += [np.full(len(g), ci), np.full(int(wd.sum()), ci)]
        ce_status += [np.zeros(len(g), int), np.ones(int(wd.sum()), int)]
        ce_at += [g_at, wd_at[wd]]
        if ci == 0:
            subscribed_from[cp[g]] = g_at
            subscribed_until[cp[g[wd]]] = wd_at[wd]
    ce_c = np.concatenate(ce_c)
    ce_combo = np.concatenate(ce_combo)
    ce_status = np.concatenate(ce_status)
    ce_at = np.concatenate(ce_at)
    case = np.where(rng.random(len(ce_c)) < 0.85, 0, rng.integers(1, 3, len(ce_c)))
    ceseq = world.counters.take("consent", len(ce_c))
    ch_vocab, ch_code = tx.uvocab(c[0] for c in CONSENT_COMBOS)
    pu_vocab, pu_code = tx.uvocab(c[1] for c in CONSENT_COMBOS)
    table = _table("crm.consent_events", {
        "consent_event_id": tx.join("CE", tx.zpad(ceseq + 1, 9)),
        "contact_id": tx.take(con.ids, ce_c),
        "channel": tx.dict_str(ch_code[ce_combo], ch_vocab),
        "purpose": tx.dict_str(pu_code[ce_combo], pu_vocab),
        "status": tx.dict_str(ce_status * 3 + case, STATUS_VOCAB),
        "occurred_at": w.iso(ce_at, w.offset_minutes(ce_at, people.tz_std[cp[ce_c]],
                                                     people.tz_rule[cp[ce_c]]), con.var[ce_c]),
        "_loaded_at": w.loaded_at(ce_at + rng.integers(600, 10 * 3600, len(ce_c))),
    })
    return table, subscribed_from, subscribed_until


def _tickets(world: World, orders: Orders, ident: Identity, rng: np.random.Generator,
             contact_ids: pa.Array, primary_contact: np.ndarray
             ) -> tuple[pa.Table, np.ndarray, pa.Array]:
    """Make crm.support_tickets: returns on refunded orders + random questions from buyers.

    Solved tickets may also appear in an older (open) version. Also returns the tickets' email
    codes and the ids of the tickets with an older version.
    """
    w = world.window
    end = w.end
    ref_orders = np.nonzero((orders.refunded | orders.cancelled) & (rng.random(len(orders.owner))
                                                                    < 0.5))[0]
    buyers = np.nonzero(orders.first_order >= 0)[0]
    extra = buyers[rng.random(len(buyers)) < 0.15]
    t_person = np.concatenate([orders.owner[ref_orders], extra])
    t_time = np.concatenate([orders.ts[ref_orders] + rng.integers(2 * DAY, 20 * DAY, len(ref_orders)),
                             orders.first_order[extra] + (rng.random(len(extra)) * (
                                 end - orders.first_order[extra])).astype(np.int64)])
    t_cat = np.concatenate([np.where(rng.random(len(ref_orders)) < 0.7, 1, 5),
                            rng.choice([0, 2, 3, 4, 5], len(extra), p=[.35, .15, .3, .12, .08])])
    keep = t_time < end - 3600
    t_person, t_time, t_cat = t_person[keep], t_time[keep], t_cat[keep]
    T = len(t_person)
    t_contact = primary_contact[t_person]
    t_upd = np.minimum(t_time + rng.integers(600, 6 * DAY, T), end - 60)
    status = np.where(t_upd > end - 2 * DAY, rng.integers(0, 2, T), rng.integers(2, 4, T))
    sentiment = np.clip(np.round((rng.normal(0.1, 0.45, T) - 0.35 * (t_cat == 5)) * 100), -100, 100)
    tev = draw_email_variant(rng, T, config.RATES["email_case_whitespace_variant"])
    tcodes = email_code(t_person, 0, tev)
    toff = w.offset_minutes(t_time, np.full(T, 0), np.full(T, 1))  # support desk in London
    tvar = alt_variant(rng, T)
    tseq = world.counters.take("ticket", T)
    tickets = _table("crm.support_tickets", {
        "ticket_id": tx.join("T", tx.zpad(tseq + 1, 8)),
        "contact_id": tx.take(contact_ids, np.maximum(t_contact, 0), t_contact < 0),
        "email": ident.emails(tcodes),
        "category": tx.dict_str(t_cat, tx.vocab(vocab.TICKET_CATEGORIES)),
        "sentiment_score": tx.money(sentiment.astype(np.int64)),
        "status": tx.dict_str(status, tx.vocab(vocab.TICKET_STATUSES)),
        "created_at": w.iso(t_time, toff, tvar),
        "updated_at": w.iso(t_upd, toff, tvar),
        "_loaded_at": w.loaded_at(t_upd + 1800),
    })
    solved = np.nonzero((status >= 2) & (rng.random(T) < config.RATES["ticket_older_version"] / 0.8))[0]
    t_old_upd = t_time[solved] + (t_upd[solved] - t_time[solved]) // 3
    t_old = tickets.take(pa.array(solved))
    t_old = _set(t_old, "status", tx.dict_str(np.zeros(len(solved), int),
                                              tx.vocab(vocab.TICKET_STATUSES)))
    t_old = _set(t_old, "updated_at", w.iso(t_old_upd, toff[solved], tvar[solved]))
    t_old = _set(t_old, "_loaded_at", w.loaded_at(t_old_upd + 1800))
    old_ids = tx.plain(tickets.column("ticket_id").combine_chunks()).take(pa.array(solved))
    return pa.concat_tables([tickets, t_old]), tcodes, old_ids


def _accounts(world: World, people: People, rng: np.random.Generator, account_of: np.ndarray,
              n_acc: int, created: np.ndarray) -> dict[str, pa.Table]:
    w = world.window
    seq = world.counters.take("account", n_acc)
    ids = tx.join("A", tx.zpad(seq + 1, 6))
    members = np.nonzero(account_of >= 0)[0]
    lead = np.full(n_acc, -1)
    lead[account_of[members][::-1]] = members[::-1]
    country = people.country[lead]
    acc_created = np.full(n_acc, w.end, dtype=np.int64)
    np.minimum.at(acc_created, account_of[members], created[members])
    acc_created = np.maximum(acc_created - rng.integers(0, 30 * DAY, n_acc), w.start)
    acc_upd = acc_created + (rng.random(n_acc) * (w.end - 60 - acc_created)).astype(np.int64)
    names = tx.join(tx.take(tx.vocab(vocab.COMPANY_WORDS),
                            rng.integers(0, len(vocab.COMPANY_WORDS), n_acc)), " ",
                    tx.take(tx.vocab(vocab.COMPANY_KIND), rng.integers(0, len(vocab.COMPANY_KIND),
                                                                        n_acc)), " ",
                    tx.take(tx.vocab([vocab.COMPANY_SUFFIX.get(c, "Ltd") for c in world.cc]),
                            country))
    off = w.offset_minutes(acc_created, people.tz_std[lead], people.tz_rule[lead])
    var = alt_variant(rng, n_acc)
    acc = _table("crm.accounts", {
        "account_id": ids,
        "account_name": names,
        "industry": tx.dict_str(rng.integers(0, len(vocab.INDUSTRIES), n_acc),
                                tx.vocab(vocab.INDUSTRIES)),
        "employee_band": tx.dict_str(rng.choice(5, n_acc, p=[.3, .3, .2, .12, .08]),
                                     tx.vocab(vocab.EMPLOYEE_BANDS)),
        "revenue_band": tx.dict_str(rng.choice(4, n_acc, p=[.35, .35, .2, .1]),
                                    tx.vocab(vocab.REVENUE_BANDS)),
        "country": _country_text(world, rng, country),
        "created_at": w.iso(acc_created, off, var),
        "updated_at": w.iso(acc_upd, off, var),
        "_loaded_at": w.loaded_at(acc_upd + 3600),
    })
    n_old = round(config.RATES["account_older_version"] * n_acc)
    old_idx = np.sort(rng.choice(n_acc, n_old, replace=False)) if n_old else np.zeros(0, int)
    old_upd = acc_created[old_idx] + (acc_upd[old_idx] - acc_created[old_idx]) // 2
    old = acc.take(pa.array(old_idx))
    old = _set(old, "updated_at", w.iso(old_upd, off[old_idx], var[old_idx]))
    old = _set(old, "_loaded_at", w.loaded_at(old_upd + 3600))
    # technographics: 2-6 technologies per account
    k = rng.integers(2, 7, n_acc)
    scores = rng.random((n_acc, len(vocab.TECHNOLOGIES)))
    ranks = np.argsort(scores, axis=1)
    ta = np.repeat(np.arange(n_acc), k)
    tj = np.arange(len(ta)) - np.repeat(np.cumsum(k) - k, k)
    tech = ranks[ta, tj]
    first_det = acc_created[ta] + (rng.random(len(ta)) * (w.end - acc_created[ta]) * 0.5).astype(np.int64)
    last_det = first_det + (rng.random(len(ta)) * (w.end - 60 - first_det)).astype(np.int64)
    tech_tbl = _table("crm.account_technologies", {
        "account_id": tx.take(ids, ta),
        "technology": tx.dict_str(tech, tx.vocab(t[0] for t in vocab.TECHNOLOGIES)),
        "technology_category": tx.dict_str(
            tx.uvocab(t[1] for t in vocab.TECHNOLOGIES)[1][tech],
            tx.uvocab(t[1] for t in vocab.TECHNOLOGIES)[0]),
        "first_detected_at": w.iso(first_det, np.zeros(len(ta), np.int64), np.ones(len(ta), np.int8)),
        "last_detected_at": w.iso(last_det, np.zeros(len(ta), np.int64), np.ones(len(ta), np.int8)),
        "_loaded_at": w.loaded_at(last_det + DAY // 2),
    })
    return {"crm.accounts": pa.concat_tables([acc, old]), "crm.account_technologies": tech_tbl,
            "_ids": ids, "_old_ids": tx.take(ids, old_idx)}


def _country_text(world: World, rng: np.random.Generator, country: np.ndarray) -> pa.Array:
    """Country as typed: upper ISO-2 or one of the seed's aliases in mixed case."""
    n = len(country)
    other = rng.random(n) < config.RATES["country_not_iso2"]
    j = world.spell_start[country] + (rng.random(n) * world.spell_count[country]).astype(np.int64)
    spelled = tx.take(world.country_spelling_vocab, j)
    return tx.where(other, spelled, tx.take(world.cc_iso2_vocab, country))


def _postcode_suffix(rng: np.random.Generator, kind: np.ndarray) -> pa.Array:
    n = len(kind)
    letters = tx.vocab(chr(65 + i) + chr(65 + j) for i in range(26) for j in range(26))
    d1 = tx.int_str(rng.integers(0, 10, n))
    ll = tx.take(letters, rng.integers(0, 676, n))
    out = tx.zpad(rng.integers(0, 100, n), 2)
    out = tx.where(kind == "d3", tx.zpad(rng.integers(0, 1000, n), 3), out)
    out = tx.where(kind == "d4", tx.zpad(rng.integers(0, 10000, n), 4), out)
    out = tx.where(kind == "gb", tx.join(d1, ll), out)
    out = tx.where(kind == "ca", tx.join(d1, pa.compute.utf8_slice_codeunits(ll, 0, 1),
                                         tx.int_str(rng.integers(0, 10, n))), out)
    out = tx.where(kind == "nl", tx.join(tx.zpad(rng.integers(0, 100, n), 2), " ", ll), out)
    out = tx.where(kind == "se", tx.join(tx.int_str(rng.integers(0, 10, n)), " ",
                                         tx.zpad(rng.integers(0, 100, n), 2)), out)
    out = tx.where(kind == "ie", tx.join(tx.int_str(rng.integers(1, 10, n)), " ", ll,
                                         tx.zpad(rng.integers(0, 100, n), 2)), out)
    return out


class _BirthVocab:
    """ISO date strings for every day from 1920 to the window end (birth dates)."""

    def __init__(self) -> None:
        self.cache: dict[int, pa.Array] = {}
        self.offset = 0

    def __call__(self, window) -> pa.Array:
        key = window.day0
        if key not in self.cache:
            lo = -18_300  # 1919-11-06
            hi = window.day0 + window.n_days + 1
            self.cache[key] = pa.array((np.arange(lo, hi)).astype("datetime64[D]").astype(str),
                                       type=pa.string())
            self._lo = lo
        self.offset = self._lo - window._fmt_day0
        return self.cache[key]


_birth_vocab = _BirthVocab()


def _table(key: str, cols: dict) -> pa.Table:
    fields = []
    for f in SCHEMAS[key]:
        arr = cols[f.name]
        fields.append(pa.field(f.name, arr.type if pa.types.is_dictionary(arr.type) else f.type))
    return pa.table(cols, schema=pa.schema(fields))
