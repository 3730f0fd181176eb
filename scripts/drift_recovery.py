#!/usr/bin/env python3
"""Drift recovery: does the quarterly drift audit flag the behaviour shift the generator planted,
and nothing else?

    .venv/bin/python scripts/drift_recovery.py --warehouse W --truth T --quarter 2025-07-01
    .venv/bin/python scripts/drift_recovery.py ... --check   # exit 1 when a rule below fails

The generator can plant a behaviour shift (`--behaviour-shift-from DATE`, config.BEHAVIOUR_SHIFT,
recorded in truth/params.json): from that date the holders of one preference change how they buy.
Each segment_drift row of the quarter gets its planted share: the share of the segment's members at
the quarter's snapshot (segment_membership_log) whose truth person holds the shifted preference
(customers matched to persons as in scripts/identity_accuracy.py). The rules:
  - detection: when the shift starts in or before the quarter, every judged row (is_size_judged)
    whose members are mostly planted (share >= PLANTED_SHARE) is drifting, and there is one;
  - nowhere else: a drifting row has a planted share >= PLANTED_SHARE; without a shift, no row
    drifts at all.
A row with some planted members may move a little (sale-page browsers are a third bargain hunters):
the thresholds are set so that it does not fire (decision 66).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent))
from identity_accuracy import create_customer_owners

PLANTED_SHARE = 0.5


def planted_shift(truth: Path, quarter_start: dt.date) -> str | None:
    """The shifted preference when truth/params.json plants a shift starting by the quarter's end."""
    shift = json.loads((truth / "params.json").read_text(encoding="utf-8")).get("behaviour_shift") or {}
    if not shift.get("from_date"):
        return None
    quarter_end = (quarter_start.replace(day=1) + dt.timedelta(days=95)).replace(day=1)
    return shift["preference"] if dt.date.fromisoformat(shift["from_date"]) < quarter_end else None


def measure(warehouse: Path, truth: Path, quarter_start: dt.date, preference: str | None) -> list[dict]:
    """One dict per segment_drift row of the quarter, with the planted share of its members."""
    con = duckdb.connect()
    con.execute(f"attach '{warehouse}' as wh (read_only)")
    create_customer_owners(con, truth)
    rows = con.execute(f"""
        with members as (
            select drift.membership_basis, drift.segment_key, log.entity_key as customer_key
            from wh.marts.segment_drift as drift
            inner join wh.marts.segment_membership_log as log
                on log.as_of_date = drift.snapshot_date and log.segment_key = drift.segment_key
                and log.entity_type = 'customer'
                and (drift.membership_basis = 'member' or log.is_primary_segment)
            where drift.quarter_start = ?
        ),
        shares as (
            select members.membership_basis, members.segment_key,
                   avg(case when persons.preference = ? then 1.0 else 0.0 end) as planted_share
            from members
            left join customer_owner as owner on members.customer_key = owner.customer_key
            left join read_parquet('{truth / "persons.parquet"}') as persons on owner.person_id = persons.person_id
            group by all
        )
        select drift.membership_basis, drift.segment_key, drift.n_members, coalesce(shares.planted_share, 0),
               drift.is_size_judged, drift.is_drifting, drift.size_change_vs_population,
               drift.aov_change_vs_population, drift.revenue_per_member_change_vs_population,
               drift.max_feature_psi
        from wh.marts.segment_drift as drift
        left join shares using (membership_basis, segment_key)
        where drift.quarter_start = ?
        order by drift.membership_basis, drift.segment_key
    """, [quarter_start, preference or "", quarter_start]).fetchall()
    names = ["membership_basis", "segment_key", "n_members", "planted_share", "is_size_judged", "is_drifting",
             "size_change_vs_population", "aov_change_vs_population", "revenue_per_member_change_vs_population",
             "max_feature_psi"]
    return [dict(zip(names, row, strict=True)) for row in rows]


def failures(results: list[dict], preference: str | None) -> list[str]:
    """One line per broken rule."""
    lines = []
    if not results:
        return ["segment_drift has no row for the quarter: nothing was audited"]
    drifting = [r for r in results if r["is_drifting"]]
    if preference is None:
        lines += [f"{r['membership_basis']} / {r['segment_key']}: drifting although no shift was planted"
                  for r in drifting]
        return lines
    planted = [r for r in results if r["is_size_judged"] and r["planted_share"] >= PLANTED_SHARE]
    if not planted:
        lines.append(f"no judged segment is mostly '{preference}' (share >= {PLANTED_SHARE}): nothing to find")
    lines += [f"{r['membership_basis']} / {r['segment_key']}: planted share {r['planted_share']:.2f} "
              f"but not drifting" for r in planted if not r["is_drifting"]]
    lines += [f"{r['membership_basis']} / {r['segment_key']}: drifting with planted share "
              f"{r['planted_share']:.2f}" for r in drifting if r["planted_share"] < PLANTED_SHARE]
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--warehouse", type=Path, default=Path("data/warehouse.duckdb"))
    parser.add_argument("--truth", type=Path, default=Path("data/truth"))
    parser.add_argument("--quarter", type=dt.date.fromisoformat, required=True,
                        help="first day of the audited quarter, YYYY-MM-DD")
    parser.add_argument("--check", action="store_true", help="exit 1 when a rule fails")
    args = parser.parse_args(argv)
    for path, what in ((args.warehouse, "warehouse"), (args.truth / "params.json", "truth params")):
        if not path.exists():
            print(f"drift_recovery: error: no {what} at {path}", file=sys.stderr)
            return 2
    preference = planted_shift(args.truth, args.quarter)
    results = measure(args.warehouse, args.truth, args.quarter, preference)
    print(f"quarter {args.quarter}, planted shift: {preference or 'none'}")
    print(f"{'basis':8s} {'segment':27s} {'members':>7s} {'planted':>7s} {'size':>7s} {'aov':>7s} {'rev/m':>7s} "
          f"{'psi':>6s} drifting")

    def num(value: float | None) -> str:
        return f"{value:7.3f}" if value is not None else "      -"

    for r in results:
        print(f"{r['membership_basis']:8s} {r['segment_key']:27s} {r['n_members']:7d} {r['planted_share']:7.2f} "
              f"{num(r['size_change_vs_population'])} {num(r['aov_change_vs_population'])} "
              f"{num(r['revenue_per_member_change_vs_population'])} {num(r['max_feature_psi'])[1:]} "
              f"{'yes' if r['is_drifting'] else ''}")
    problems = failures(results, preference)
    for line in problems:
        print(f"FAIL {line}")
    return 1 if args.check and problems else 0


if __name__ == "__main__":
    sys.exit(main())
