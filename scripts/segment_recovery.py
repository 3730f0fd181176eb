#!/usr/bin/env python3
"""Segment recovery: how well the shipped segments find the people the generator planted.

    .venv/bin/python scripts/segment_recovery.py --warehouse data/warehouse.duckdb --truth data/truth
    .venv/bin/python scripts/segment_recovery.py ... --json out.json --check   # exit 1 under a floor

Each resolved customer is matched to the truth person owning most of its identifiers (as in
scripts/identity_accuracy.py). For each check below, a customer is *planted* when its person has
the trait (a SQL predicate over truth/persons.parquet) and *found* when it is a member of the
segment (marts.segment_membership). Precision = planted among found, recall = found among planted,
both within the check's scope: customers of non-test persons, narrowed where a trait can only show
in behaviour (a preference for sale items needs orders to show). Lift = precision / the planted
share of the scope. The floors sit below the figures measured at 10k and 100k customers (seed 42);
tests/python/test_segment_recovery.py asserts them on the demo warehouse, and
docs/research/segments.md gives the figures.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent))
from identity_accuracy import create_customer_owners
from synthgen import config


@dataclass(frozen=True)
class Check:
    """One planted trait and the segment meant to find it."""

    name: str
    segment_key: str
    family: str
    planted: str  # SQL over the truth person p (persons.parquet) and as_of_date
    scope: str = "true"  # SQL over p: the customers the check counts
    min_precision: float = 0.0
    min_recall: float = 0.0
    min_lift: float = 0.0


# Planted traits, from the generator's own definitions (scripts/synthgen/config.py); a person's
# single `profile` label keeps only the first of several traits, so the checks read the traits.
LOYAL = (f"p.is_alive_at_as_of and p.n_orders >= {config.LOYAL_MIN_ORDERS}"
         f" and p.btyd_lambda >= {config.LOYAL_MIN_RATE}")
LAPSED = (f"not p.is_alive_at_as_of and p.n_orders >= 1"
          f" and p.last_order_at < as_of_date - interval {config.LAPSED_AFTER_DAYS} day")

CHECKS = (
    Check("prospect", "prospects", "lifecycle", "p.profile = 'prospect'",
          min_precision=0.90, min_recall=0.95),
    Check("b2b", "b2b_buyers", "behavioural", "p.profile = 'b2b'",
          min_precision=0.95, min_recall=0.90),
    Check("lapsed", "lapsed_customers", "lifecycle", LAPSED, min_precision=0.85, min_recall=0.85),
    Check("loyal", "loyal_customers", "behavioural", LOYAL, min_precision=0.40, min_recall=0.85),
    Check("one_time", "one_time_buyers", "behavioural", "p.n_orders = 1", min_precision=0.90, min_recall=0.90),
    Check("bargain_hunter", "bargain_hunters", "behavioural", "p.preference = 'bargain'",
          scope="p.n_orders >= 3", min_precision=0.50, min_recall=0.50),
    Check("new_arrival_chaser", "new_arrival_buyers", "behavioural", "p.preference = 'new_arrival'",
          scope="p.n_orders >= 2 and p.last_order_at >= as_of_date - interval 365 day",
          min_precision=0.80, min_recall=0.75),
    Check("deal_seeker", "deal_seekers", "psychographic", "p.preference = 'bargain'",
          scope="p.n_orders >= 1", min_precision=0.30, min_lift=2.0),
    Check("trend_follower", "trend_followers", "psychographic", "p.preference = 'new_arrival'",
          scope="p.n_orders >= 1", min_precision=0.25, min_lift=2.0),
    Check("young_adult", "young_adults", "demographic",
          "date_diff('year', p.birth_date, as_of_date) between 18 and 34", min_precision=0.8,
          min_recall=0.45),
    Check("north_american", "north_america", "geographic", "p.home_country in ('US', 'CA')",
          min_precision=0.95, min_recall=0.8),
)


def measure(warehouse: Path, truth: Path, checks: tuple[Check, ...] = CHECKS) -> list[dict]:
    """Precision, recall and lift of every check, measured on one warehouse against its truth."""
    con = duckdb.connect()
    con.execute(f"attach '{warehouse}' as wh (read_only)")
    create_customer_owners(con, truth)
    as_of = con.execute("select max(as_of_date) from wh.marts.segment_membership").fetchone()[0]
    results = []
    for check in checks:
        tp, fp, fn, n, planted = con.execute(f"""
            with scoped as (
                select owner.customer_key, coalesce({check.planted}, false) as is_planted
                from read_parquet('{truth / "persons.parquet"}') as p
                inner join customer_owner as owner on p.person_id = owner.person_id
                cross join (select date '{as_of}' as as_of_date) as as_of
                where not p.is_test_account and ({check.scope})
            ),
            found as (
                select entity_key as customer_key
                from wh.marts.segment_membership
                where entity_type = 'customer' and segment_key = '{check.segment_key}'
            )
            select
                count(*) filter (where scoped.is_planted and found.customer_key is not null),
                count(*) filter (where not scoped.is_planted and found.customer_key is not null),
                count(*) filter (where scoped.is_planted and found.customer_key is null),
                count(*),
                count(*) filter (where scoped.is_planted)
            from scoped
            left join found on scoped.customer_key = found.customer_key
        """).fetchone()
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        base = planted / n if n else 0.0
        results.append({**asdict(check), "customers_in_scope": n, "planted": planted, "found": tp + fp,
                         "true_positives": tp, "precision": round(precision, 3), "recall": round(recall, 3),
                         "lift": round(precision / base, 2) if base else 0.0})
    return results


def failures(results: list[dict]) -> list[str]:
    """One line per figure under its floor."""
    lines = []
    for r in results:
        for figure in ("precision", "recall", "lift"):
            if r[figure] < r[f"min_{figure}"]:
                lines.append(f"{r['name']} ({r['segment_key']}): {figure} {r[figure]} < floor {r[f'min_{figure}']}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--warehouse", type=Path, default=Path("data/warehouse.duckdb"))
    parser.add_argument("--truth", type=Path, default=Path("data/truth"))
    parser.add_argument("--json", type=Path, help="write the figures here")
    parser.add_argument("--check", action="store_true", help="exit 1 when a figure is under its floor")
    args = parser.parse_args(argv)
    for path, what in ((args.warehouse, "warehouse"), (args.truth / "persons.parquet", "truth persons table")):
        if not path.exists():
            print(f"segment_recovery: error: no {what} at {path} (run make build)", file=sys.stderr)
            return 2
    results = measure(args.warehouse, args.truth)
    print(f"{'check':20s} {'segment':22s} {'family':14s} {'scope':>8s} {'planted':>8s} {'found':>7s}"
          f" {'precision':>9s} {'recall':>7s} {'lift':>6s}")
    for r in results:
        print(f"{r['name']:20s} {r['segment_key']:22s} {r['family']:14s} {r['customers_in_scope']:8d}"
              f" {r['planted']:8d} {r['found']:7d} {r['precision']:9.3f} {r['recall']:7.3f} {r['lift']:6.2f}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    problems = failures(results)
    for line in problems:
        print(f"under the floor: {line}", file=sys.stderr)
    return 1 if args.check and problems else 0


if __name__ == "__main__":
    sys.exit(main())
