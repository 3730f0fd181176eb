"""Emails and phones as typed: canonical forms plus case / whitespace / format variants.

Every emitted value is addressed by an integer code (person, slot, variant) so the truth can list
exactly the distinct raw values that were written, without string de-duplication.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from . import textops as tx
from .population import People, affine
from .world import World

N_EMAIL_VARIANTS = 6  # 0 canonical lower-case, 1 Title.Case, 2 UPPER, 3 " lead", 4 "trail ", 5 Title + trail
# phone formats: 0 E.164, 1 +cc spaced, 2 national (trunk / NANP parentheses), 3 national dashed / compact,
# 4 00cc spaced
N_PHONE_FORMATS = 5
EMAIL_VARIANT_WEIGHTS = np.array([0.0, 0.35, 0.15, 0.15, 0.25, 0.10])
PHONE_FORMAT_WEIGHTS = np.array([0.30, 0.20, 0.30, 0.10, 0.10])


def email_code(person_local: np.ndarray, slot: np.ndarray | int, variant: np.ndarray) -> np.ndarray:
    return (np.asarray(person_local, dtype=np.int64) * 2 + slot) * N_EMAIL_VARIANTS + variant


def draw_email_variant(rng: np.random.Generator, n: int, rate: float) -> np.ndarray:
    var = np.zeros(n, dtype=np.int64)
    m = rng.random(n) < rate
    var[m] = rng.choice(N_EMAIL_VARIANTS, size=int(m.sum()), p=EMAIL_VARIANT_WEIGHTS)
    return var


def draw_phone_format(rng: np.random.Generator, n: int) -> np.ndarray:
    return rng.choice(N_PHONE_FORMATS, size=n, p=PHONE_FORMAT_WEIGHTS)


class Identity:
    """Per-chunk builder of email / phone strings."""

    def __init__(self, world: World, people: People, rng: np.random.Generator) -> None:
        self.world, self.people = world, people
        self._canonical = [self._canonical_emails(0), self._canonical_emails(1)]
        self._nsn = self._phone_nsn(rng)

    # ------------------------------------------------------------------ emails
    def _canonical_emails(self, slot: int) -> pa.Array:
        w, p = self.world, self.people
        n = p.n
        num = affine(p.pidx * 2 + slot, 10**7, 7_654_321, 1_234_567)  # unique per (person, slot)
        first = tx.take(w.first_ascii, p.first)
        last = tx.take(w.last_ascii, p.last)
        initial = pc.utf8_slice_codeunits(first, 0, 1)
        style = (p.email_style + slot) % 4
        sep = np.where(style == 1, "_", np.where(style == 2, "", "."))
        head_a = tx.where(style == 3, initial, first)
        local = tx.join(head_a, pa.array(sep, type=pa.string()), last, tx.int_str(num))
        dom = tx.take(w.domain_vocab, p.domain if slot == 0 else p.domain2)
        email = tx.join(local, "@", dom)
        if p.is_test.any():
            kind = np.where(num % 2 == 0, "test+", "noreply+")
            test = tx.join(pa.array(kind, type=pa.string()), tx.int_str(num),
                           "@northpeak-store.example")
            email = tx.where(p.is_test, test, email)
        assert len(email) == n
        return email

    def emails(self, codes: np.ndarray) -> pa.Array:
        """Raw email strings for codes from email_code (dictionary-encoded)."""
        codes = np.asarray(codes, dtype=np.int64)
        uniq, inv = np.unique(codes, return_inverse=True)
        return tx.dict_str(inv, self.email_strings(uniq))

    def email_strings(self, uniq_codes: np.ndarray) -> pa.Array:
        variant = uniq_codes % N_EMAIL_VARIANTS
        slot = (uniq_codes // N_EMAIL_VARIANTS) % 2
        person = uniq_codes // (2 * N_EMAIL_VARIANTS)
        base = tx.where(slot == 1, tx.take(self._canonical[1], person),
                        tx.take(self._canonical[0], person))
        title = pc.utf8_title(base)
        upper = pc.utf8_upper(base)
        out = base
        out = tx.where(variant == 1, title, out)
        out = tx.where(variant == 2, upper, out)
        out = tx.where(variant == 3, tx.join(" ", base), out)
        out = tx.where(variant == 4, tx.join(base, " "), out)
        out = tx.where(variant == 5, tx.join(title, "  "), out)
        return out

    def canonical_email(self, person_local: np.ndarray, slot: np.ndarray | int = 0) -> pa.Array:
        return self.email_strings(email_code(person_local, slot, 0))

    # ------------------------------------------------------------------ phones
    def _phone_nsn(self, rng: np.random.Generator) -> pa.Array:
        """National significant number per person: prefix + filler + 7 unique digits."""
        from . import vocab

        w, p = self.world, self.people
        uniq7 = 2_000_000 + affine(p.pidx, 8_000_000, 3_141_593, 2_718_281)
        nsn = np.zeros(p.n, dtype=np.int64)
        lens = np.zeros(p.n, dtype=np.int64)
        for ci, code in enumerate(w.cc):
            m = p.country == ci
            if not m.any():
                continue
            nsn_len, prefixes, _groups = vocab.COUNTRIES[code]["phone"]
            k = int(m.sum())
            if prefixes is None:  # NANP: area code (2-9)(0-8)(0-9) then 7 digits (exchange 2-9)
                area = (rng.integers(2, 10, k) * 100 + rng.integers(0, 9, k) * 10
                        + rng.integers(0, 10, k))
                nsn[m] = area * 10**7 + uniq7[m]
            else:
                j = rng.integers(0, len(prefixes), k)
                pre = np.array([int(x) for x in prefixes], dtype=np.int64)[j]
                pre_len = np.array([len(x) for x in prefixes], dtype=np.int64)[j]
                fill_len = np.maximum(nsn_len - pre_len - 7, 0)
                fill = rng.integers(0, 10**9, k) % (10 ** fill_len)
                tail = uniq7[m] % (10 ** np.minimum(7, nsn_len - pre_len))
                nsn[m] = (pre * 10 ** (nsn_len - pre_len) + fill * 10 ** np.minimum(
                    7, nsn_len - pre_len) + tail)
            lens[m] = nsn_len
        self._nsn_len = lens
        return tx.int_str(nsn)

    def phones(self, person_local: np.ndarray, fmt: np.ndarray) -> pa.Array:
        """Raw phone strings (dictionary-encoded) for persons in the given formats."""
        codes = np.asarray(person_local, dtype=np.int64) * N_PHONE_FORMATS + fmt
        uniq, inv = np.unique(codes, return_inverse=True)
        return tx.dict_str(inv, self.phone_strings(uniq))

    def phone_strings(self, uniq_codes: np.ndarray) -> pa.Array:
        from . import vocab

        w, p = self.world, self.people
        person = uniq_codes // N_PHONE_FORMATS
        fmt = uniq_codes % N_PHONE_FORMATS
        country = p.country[person]
        nsn = tx.take(self._nsn, person)
        out = pa.array([""] * len(uniq_codes), type=pa.string())
        for ci, code in enumerate(w.cc):
            m = country == ci
            if not m.any():
                continue
            idx = np.nonzero(m)[0]
            s = nsn.take(pa.array(idx))
            _len, _pre, groups = vocab.COUNTRIES[code]["phone"]
            parts, pos = [], 0
            for g in groups:
                parts.append(pc.utf8_slice_codeunits(s, pos, pos + g))
                pos += g
            pieces: list = []
            for pt in parts[:-1]:
                pieces += [pt, " "]
            spaced = tx.join(*pieces, parts[-1])
            cc = w.cc_calling[ci]
            trunk = w.cc_trunk[ci]
            f = fmt[m]
            if cc == "1":
                national = tx.join("(", parts[0], ") ", parts[1], "-", *parts[2:])
                compact = tx.join(parts[0], "-", parts[1], "-", *parts[2:])
            else:
                national = tx.join(trunk, spaced)
                compact = tx.join(trunk, s)
            cand = [tx.join("+" + cc, s), tx.join("+" + cc + " ", spaced), national, compact,
                    tx.join("00" + cc + " ", spaced)]
            val = cand[0]
            for k in range(1, len(cand)):
                val = tx.where(f == k, cand[k], val)
            out = pc.replace_with_mask(out, pa.array(m), val)
        return out

    def e164(self, person_local: np.ndarray) -> pa.Array:
        cc = pa.array([self.world.cc_calling[c] for c in range(len(self.world.cc))])
        return tx.join("+", tx.take(cc, self.people.country[person_local]),
                       tx.take(self._nsn, person_local))
