"""Read the dbt seeds the generator depends on (the single source of truth for FX and countries)."""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

SEEDS_DIR = Path(__file__).resolve().parents[2] / "seeds"


def _rows(name: str, seeds_dir: Path) -> list[dict[str, str]]:
    with (seeds_dir / name).open(newline="", encoding="utf-8") as fh:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(fh)]


@dataclass(frozen=True)
class FxRate:
    currency: str
    valid_from: dt.date
    valid_to: dt.date
    rate_to_usd: float  # USD per unit of `currency` (the seed's quote currency must be USD)


@dataclass(frozen=True)
class Country:
    code: str
    alpha3: str
    name: str
    calling_code: str
    trunk_prefix: str


@dataclass(frozen=True)
class Seeds:
    fx: tuple[FxRate, ...]
    countries: dict[str, Country]
    aliases: dict[str, str]  # lower-case alias -> ISO-2
    reasons: tuple[str, ...]

    def rate(self, currency: str, day: dt.date) -> float | None:
        for r in self.fx:
            if r.currency == currency and r.valid_from <= day <= r.valid_to:
                return r.rate_to_usd
        return None

    def aliases_of(self, code: str) -> list[str]:
        return sorted(a for a, c in self.aliases.items() if c == code)


def load_seeds(seeds_dir: Path = SEEDS_DIR) -> Seeds:
    fx_rows = _rows("fx_rates.csv", seeds_dir)
    quotes = sorted({r["quote_currency_code"].upper() for r in fx_rows})
    if quotes != ["USD"]:
        raise ValueError(f"seeds/fx_rates.csv: the generator prices in USD and needs USD-quoted rates "
                         f"(quote_currency_code USD on every row), got {quotes}")
    fx = tuple(
        FxRate(r["currency_code"].upper(), dt.date.fromisoformat(r["valid_from"]),
               dt.date.fromisoformat(r["valid_to"]), float(r["rate_to_quote"]))
        for r in fx_rows
    )
    countries = {
        r["country_code"]: Country(r["country_code"], r["country_code_alpha3"], r["country_name"],
                                   r["calling_code"], r["trunk_prefix"])
        for r in _rows("country_codes.csv", seeds_dir)
    }
    aliases = {r["country_alias"].lower(): r["country_code"]
               for r in _rows("country_aliases.csv", seeds_dir)}
    reasons = tuple(r["reason_code"] for r in _rows("quarantine_reasons.csv", seeds_dir))
    return Seeds(fx=fx, countries=countries, aliases=aliases, reasons=reasons)
