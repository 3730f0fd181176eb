"""Window, time zones (with DST) and the seasonality warp of operational time onto the calendar."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from . import textops as tx

DAY = 86_400
RULES = {"none": 0, "eu": 1, "us": 2, "au": 3}

# Local hour-of-day weights for orders and sessions (consumer shop: lunch and evening peaks).
HOUR_WEIGHTS = np.array([0.6, 0.35, 0.2, 0.15, 0.15, 0.25, 0.6, 1.2, 2.0, 3.0, 3.8, 4.4,
                         4.9, 4.8, 4.4, 4.2, 4.1, 4.3, 4.7, 5.2, 5.6, 5.0, 3.6, 1.7])
HOUR_WEIGHTS = HOUR_WEIGHTS / HOUR_WEIGHTS.sum()
WEEKDAY_FACTOR = np.array([1.00, 1.03, 1.06, 1.18, 1.00, 0.86, 0.80])  # Monday..Sunday
MONTH_FACTOR = np.array([0.85, 0.80, 0.90, 0.95, 0.97, 0.92, 0.90, 0.93, 1.00, 1.05, 1.35, 1.45])


def epoch_day(d: dt.date) -> int:
    return (d - dt.date(1970, 1, 1)).days


def _nth_sunday(year: int, month: int, n: int) -> dt.date:
    first = dt.date(year, month, 1)
    first_sun = first + dt.timedelta(days=(6 - first.weekday()) % 7)
    return first_sun + dt.timedelta(weeks=n - 1)


def _last_sunday(year: int, month: int) -> dt.date:
    nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
    last = nxt - dt.timedelta(days=1)
    return last - dt.timedelta(days=(last.weekday() + 1) % 7)


@dataclass
class Window:
    as_of: dt.date
    days: int

    def __post_init__(self) -> None:
        self.start_date = self.as_of - dt.timedelta(days=self.days)
        self.n_days = self.days + 1  # inclusive of both ends
        self.start = epoch_day(self.start_date) * DAY
        self.end = (epoch_day(self.as_of) + 1) * DAY  # exclusive
        self.day0 = epoch_day(self.start_date)
        self._build_dst()
        self._formatter()

    # ------------------------------------------------------------------ time zones
    def _build_dst(self) -> None:
        years = list(range(self.start_date.year - 1, self.as_of.year + 3))
        self._years = np.array([epoch_day(dt.date(y, 1, 1)) * DAY for y in years], dtype=np.int64)
        eu_s, eu_e, us_s, us_e, au_e, au_s = [], [], [], [], [], []
        for y in years:
            eu_s.append(epoch_day(_last_sunday(y, 3)) * DAY + 3600)
            eu_e.append(epoch_day(_last_sunday(y, 10)) * DAY + 3600)
            us_s.append(epoch_day(_nth_sunday(y, 3, 2)) * DAY + 2 * 3600)  # local standard time
            us_e.append(epoch_day(_nth_sunday(y, 11, 1)) * DAY + 1 * 3600)
            au_e.append(epoch_day(_nth_sunday(y, 4, 1)) * DAY + 2 * 3600)
            au_s.append(epoch_day(_nth_sunday(y, 10, 1)) * DAY + 2 * 3600)
        self._dst = {k: np.array(v, dtype=np.int64) for k, v in
                     {"eu_s": eu_s, "eu_e": eu_e, "us_s": us_s, "us_e": us_e, "au_e": au_e, "au_s": au_s}.items()}

    def offset_minutes(self, utc_s: np.ndarray, std_min: np.ndarray, rule: np.ndarray) -> np.ndarray:
        """UTC offset in minutes at utc_s for zones given by standard offset and DST rule."""
        utc_s = np.asarray(utc_s, dtype=np.int64)
        std_min = np.asarray(std_min, dtype=np.int64)
        rule = np.asarray(rule)
        yi = np.clip(np.searchsorted(self._years, utc_s, side="right") - 1, 0, len(self._years) - 1)
        d = self._dst
        local_std = utc_s + std_min * 60
        eu = (utc_s >= d["eu_s"][yi]) & (utc_s < d["eu_e"][yi])
        us = (local_std >= d["us_s"][yi]) & (local_std < d["us_e"][yi])
        au = (local_std < d["au_e"][yi]) | (local_std >= d["au_s"][yi])
        dst = np.where(rule == 1, eu, np.where(rule == 2, us, np.where(rule == 3, au, False)))
        return std_min + 60 * dst.astype(np.int64)

    # ------------------------------------------------------------------ seasonality
    def build_intensity(self, bursts: list[tuple[int, int, float]]) -> None:
        """Daily intensity = month x weekday x (1 + campaign bursts), normalized to mean 1."""
        days = np.arange(self.n_days) + self.day0
        dates = days.astype("datetime64[D]")
        months = dates.astype("datetime64[M]").astype(int) % 12
        weekday = (days + 3) % 7  # 1970-01-01 was a Thursday (weekday 3)
        w = MONTH_FACTOR[months] * WEEKDAY_FACTOR[weekday]
        boost = np.ones(self.n_days)
        for first, last, factor in bursts:
            lo, hi = max(first - self.day0, 0), min(last - self.day0 + 1, self.n_days)
            if lo < hi:
                boost[lo:hi] += factor
        w = w * boost
        self.intensity = w / w.mean()
        self.cum = np.concatenate([[0.0], np.cumsum(self.intensity)])

    def op_to_day(self, u: np.ndarray) -> np.ndarray:
        """Operational days in [0, n_days) -> calendar day index (seasonality warp)."""
        return np.clip(np.searchsorted(self.cum, u, side="right") - 1, 0, self.n_days - 1)

    def day_to_op(self, day_idx: np.ndarray) -> np.ndarray:
        return self.cum[np.clip(day_idx, 0, self.n_days)]

    def local_time(self, rng: np.random.Generator, day_idx: np.ndarray, std_min: np.ndarray,
                   rule: np.ndarray, hour_weights: np.ndarray = HOUR_WEIGHTS) -> np.ndarray:
        """UTC seconds for a local calendar day and a local hour drawn from hour_weights."""
        n = len(day_idx)
        hour = rng.choice(24, size=n, p=hour_weights)
        sod = hour * 3600 + rng.integers(0, 3600, size=n)
        local = self.start + np.asarray(day_idx, dtype=np.int64) * DAY + sod
        approx = local - np.asarray(std_min, dtype=np.int64) * 60
        utc = local - self.offset_minutes(approx, std_min, rule) * 60
        return np.clip(utc, self.start, self.end - 1)

    # ------------------------------------------------------------------ text
    def _formatter(self) -> None:
        self._fmt_day0 = self.day0 - 3
        n = self.n_days + 3 + 800
        dates = (np.arange(n) + self._fmt_day0).astype("datetime64[D]").astype(str)
        self.date_vocab = pa.array(dates, type=pa.string())
        self.yyyymmdd_vocab = pa.array(np.char.replace(dates, "-", ""), type=pa.string())
        sod = np.arange(DAY)
        hh, mm, ss = sod // 3600, (sod // 60) % 60, sod % 60
        self.time_vocab = pa.array([f"{h:02d}:{m:02d}:{s:02d}" for h, m, s in zip(hh, mm, ss, strict=True)],
                                   type=pa.string())
        offs = np.arange(-12 * 60, 14 * 60 + 1, 15)
        labels = [f"{'+' if o >= 0 else '-'}{abs(o) // 60:02d}:{abs(o) % 60:02d}" for o in offs]
        self.offset_vocab = pa.array([*labels, "Z"], type=pa.string())

    def day_index(self, utc_s: np.ndarray) -> np.ndarray:
        return (np.asarray(utc_s, dtype=np.int64) // DAY) - self._fmt_day0

    def event_date(self, utc_s: np.ndarray, null_mask: np.ndarray | None = None) -> pa.Array:
        return tx.dict_str(self.day_index(utc_s), self.yyyymmdd_vocab, null_mask)

    def date_text(self, utc_s: np.ndarray, null_mask: np.ndarray | None = None) -> pa.Array:
        return tx.dict_str(self.day_index(utc_s), self.date_vocab, null_mask)

    def iso(self, utc_s: np.ndarray, offset_min: np.ndarray, variant: np.ndarray | None = None,
            null_mask: np.ndarray | None = None) -> pa.Array:
        """ISO 8601 text with offset.  variant: 0 +hh:mm, 1 Z (UTC), 2 fractional seconds,
        3 +00:00 (UTC)."""
        utc_s = np.asarray(utc_s, dtype=np.int64)
        off = np.asarray(offset_min, dtype=np.int64)
        if np.ndim(off) == 0:
            off = np.full(len(utc_s), int(off))
        if variant is None:
            variant = np.zeros(len(utc_s), dtype=np.int8)
        utc_variant = (variant == 1) | (variant == 3)
        off = np.where(utc_variant, 0, off)
        local = utc_s + off * 60
        day = local // DAY - self._fmt_day0
        day = np.clip(day, 0, len(self.date_vocab) - 1)
        off_idx = np.where(variant == 1, len(self.offset_vocab) - 1, (off + 720) // 15)
        frac = np.where(variant == 2, ".000", "")
        return tx.join(tx.take(self.date_vocab, day, null_mask), "T",
                       tx.take(self.time_vocab, local % DAY), pa.array(frac, type=pa.string()),
                       tx.take(self.offset_vocab, off_idx))

    def loaded_at(self, utc_s: np.ndarray) -> pa.Array:
        """Microsecond naive-UTC timestamps, clipped to the window end."""
        s = np.minimum(np.asarray(utc_s, dtype=np.int64), self.end - 1)
        return pa.array(s * 1_000_000, type=pa.timestamp("us"))
