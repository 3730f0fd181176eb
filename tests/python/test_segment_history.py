"""Segment history across runs: the project is built at four as-of dates in a row (2025-06-30,
2025-09-30, 2025-11-30, 2025-12-31) on a copy of the warehouse, and segment_membership_history and
segment_transitions must equal what this test derives on its own from segment_membership_log and
identity_merge_log: stays of consecutive logged dates, primary-segment moves between consecutive
dates, with past customer keys followed to today's. The KPI membership, the drift audit's flows and
every feature PSI are checked against the logs the same way. The hand-computed cases are dbt unit
tests (models/marts/*/_*__models.yml); this checks the incremental logs over real runs.

The drift audit (decision 66) must flag nothing in the third quarter of the demo data, and flag the
behaviour shift the generator plants when asked (bargain hunters trade up from 2025-07-02): the
shifted raw data are generated with the demo's arguments and built at 2025-09-30 on the warehouse as
it stood after the 2025-06-30 run (orders before the shift are the same, so that run's snapshot holds
for both); scripts/drift_recovery.py judges both, and fails against a truth without the shift or
with the shift moved to other people.

Needs `make build` (warehouse, raw data and truth); skips cleanly otherwise.
"""

from __future__ import annotations

import itertools
import json
import math
import os
import shutil
import subprocess
import sys
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

import drift_recovery  # scripts/ is on sys.path (conftest.py)
import duckdb
import pytest
from scipy import stats

ROOT = Path(__file__).resolve().parents[2]
DBT = Path(sys.executable).parent / "dbt"
WAREHOUSE = Path(os.environ.get("DUCKDB_PATH", ROOT / "data" / "warehouse.duckdb"))
RAW = Path(os.environ.get("RAW_DATA_ROOT", ROOT / "data" / "raw"))
TRUTH = Path(os.environ.get("DATA_DIR", ROOT / "data")) / "truth"
# the last three quarters, and two months in a row
AS_OF_DATES = ("2025-06-30", "2025-09-30", "2025-11-30", "2025-12-31")
QUARTERS = {date(2025, 7, 1): ("2025-06-30", "2025-09-30"), date(2025, 10, 1): ("2025-09-30", "2025-12-31")}
SHIFT_FROM, SHIFT_QUARTER = "2025-07-02", date(2025, 7, 1)  # the planted behaviour shift
DRIFT_MODELS = ("segment_kpis", "segment_feature_bins_log", "segment_feature_drift", "segment_drift")
PROJECT_PARTS = ("dbt_project.yml", "profiles.yml", "models", "macros", "seeds", "tests", "analyses")

pytestmark = pytest.mark.skipif(not WAREHOUSE.exists() or not RAW.is_dir() or not TRUTH.is_dir(),
                                reason="needs a built warehouse, raw data and truth: run `make build` first")


@pytest.fixture(scope="module")
def history(tmp_path_factory) -> Path:
    """The project folder: warehouse.duckdb built at every AS_OF_DATES date, after_first.duckdb as
    it stood after the first."""
    work = tmp_path_factory.mktemp("history")
    for part in PROJECT_PARTS:
        source = ROOT / part
        (shutil.copytree if source.is_dir() else shutil.copy2)(source, work / part)
    db = work / "warehouse.duckdb"
    shutil.copy2(WAREHOUSE, db)
    env = dict(os.environ, DO_NOT_TRACK="1", DBT_PROFILES_DIR=str(work), RAW_DATA_ROOT=str(RAW), DUCKDB_PATH=str(db))
    # only what depends on the as-of date (int_as_of_date+) is rebuilt: staging, identity and order
    # facts read no as-of date, and the copied warehouse holds them built from the same raw data
    for as_of in AS_OF_DATES:
        result = subprocess.run(
            [str(DBT), "run", "--select", "+segment_transitions,int_as_of_date+",
             "+segment_membership_history,int_as_of_date+", *DRIFT_MODELS,
             "--vars", f"{{as_of_date: {as_of}}}"],
            cwd=work, env=env, capture_output=True, text=True, timeout=900)
        assert result.returncode == 0, f"dbt run at {as_of} failed:\n{result.stdout[-3000:]}"
        if as_of == AS_OF_DATES[0]:
            shutil.copy2(db, work / "after_first.duckdb")
    return work


@pytest.fixture(scope="module")
def warehouse(history: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(history / "warehouse.duckdb"), read_only=True)
    yield con
    con.close()


@pytest.fixture(scope="module")
def shifted(history: Path, tmp_path_factory) -> tuple[Path, Path]:
    """(warehouse, truth) of the demo data regenerated with the behaviour shift, built at the end of
    the shifted quarter on top of the first run's warehouse."""
    out = tmp_path_factory.mktemp("shifted")
    arguments = json.loads((TRUTH / "manifest.json").read_text(encoding="utf-8"))["arguments"]
    generated = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "generate_data.py"), "--quiet", "--out", str(out),
         "--customers", str(arguments["customers"]), "--days", str(arguments["days"]),
         "--seed", str(arguments["seed"]), "--as-of", arguments["as_of"], "--behaviour-shift-from", SHIFT_FROM],
        capture_output=True, text=True, timeout=600)
    assert generated.returncode == 0, generated.stderr[-3000:]
    db = out / "warehouse.duckdb"
    shutil.copy2(history / "after_first.duckdb", db)
    env = dict(os.environ, DO_NOT_TRACK="1", DBT_PROFILES_DIR=str(history), RAW_DATA_ROOT=str(out / "raw"),
               DUCKDB_PATH=str(db))
    # the raw orders changed: staging is rebuilt in full (the logs are full_refresh false and keep
    # the first run's snapshot)
    result = subprocess.run(
        [str(DBT), "run", "--full-refresh", "--select", "+segment_drift", "--target-path", str(out / "target"),
         "--vars", f"{{as_of_date: {QUARTERS[SHIFT_QUARTER][1]}}}"],
        cwd=history, env=env, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, f"shifted dbt run failed:\n{result.stdout[-3000:]}"
    return db, out / "truth"


def current_keys(con: duckdb.DuckDBPyConnection) -> dict[str, str | None]:
    """Past customer key -> today's key (None: retired without a survivor), merges followed in a row."""
    merges = dict(con.execute(
        "select retired_customer_key, surviving_customer_key from marts.identity_merge_log").fetchall())

    def follow(key: str) -> str | None:
        seen = set()
        while key in merges and key not in seen:
            seen.add(key)
            key = merges[key]
            if key is None:
                return None
        return key

    return {key: follow(key) for key in merges}


def logged(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    remap = current_keys(con)
    rows = set()
    for as_of, entity_type, key, segment, is_primary in con.execute(
            "select as_of_date, entity_type, entity_key, segment_key, is_primary_segment"
            " from marts.segment_membership_log").fetchall():
        if entity_type == "customer" and key in remap:
            key = remap[key]
            if key is None:
                continue
        rows.add((as_of, entity_type, key, segment, is_primary))
    return sorted(rows)


def customers_by_basis(con: duckdb.DuckDBPyConnection) -> dict[tuple, set]:
    """(as_of, basis, segment) -> logged customers: every member ('member'), primary ones ('primary')."""
    members: dict[tuple, set] = defaultdict(set)
    for as_of, entity_type, key, segment, is_primary in logged(con):
        if entity_type == "customer":
            members[(as_of, "member", segment)].add(key)
            if is_primary:
                members[(as_of, "primary", segment)].add(key)
    return members


def test_three_runs_are_logged(warehouse: duckdb.DuckDBPyConnection) -> None:
    dates = [str(d) for (d,) in warehouse.execute(
        "select distinct as_of_date from marts.segment_membership_log order by 1").fetchall()]
    assert dates == list(AS_OF_DATES)
    per_date = dict(warehouse.execute(
        "select as_of_date, count(*) from marts.segment_membership_log group by 1").fetchall())
    assert all(n > 0 for n in per_date.values())


def test_history_matches_the_log(warehouse: duckdb.DuckDBPyConnection) -> None:
    dates = sorted({row[0] for row in logged(warehouse)})
    position = {d: i for i, d in enumerate(dates)}
    present = defaultdict(list)
    for as_of, entity_type, key, segment, _ in logged(warehouse):
        present[(entity_type, key, segment)].append(position[as_of])
    expected = set()
    for (entity_type, key, segment), positions in present.items():
        positions = sorted(set(positions))
        start = previous = positions[0]
        for p in [*positions[1:], None]:
            if p is not None and p == previous + 1:
                previous = p
                continue
            valid_to = dates[previous + 1] if previous + 1 < len(dates) else None
            expected.add((entity_type, key, segment, dates[start], valid_to, previous - start + 1))
            if p is not None:
                start = previous = p
    actual = set(warehouse.execute(
        "select entity_type, entity_key, segment_key, valid_from, valid_to, n_as_of_dates"
        " from marts.segment_membership_history").fetchall())
    assert actual == expected, (sorted(actual - expected)[:5], sorted(expected - actual)[:5])
    # the three runs moved people: some stays ended, some began after the first date
    assert any(row[4] is not None for row in actual) and any(row[3] != dates[0] for row in actual)


def test_transitions_match_the_log(warehouse: duckdb.DuckDBPyConnection) -> None:
    primaries: dict[tuple, str] = {}
    for as_of, entity_type, key, segment, is_primary in logged(warehouse):
        if is_primary:
            slot = (as_of, entity_type, key)
            primaries[slot] = min(segment, primaries.get(slot, segment))
    dates = sorted({slot[0] for slot in primaries})
    expected = Counter()
    for before, after in itertools.pairwise(dates):
        entities = {(e, k) for (d, e, k) in primaries if d in (before, after)}
        for entity_type, key in entities:
            expected[(before, after, entity_type, primaries.get((before, entity_type, key)),
                      primaries.get((after, entity_type, key)))] += 1
    actual = Counter({row[:5]: row[5] for row in warehouse.execute(
        "select from_as_of_date, to_as_of_date, entity_type, from_segment_key, to_segment_key, n_entities"
        " from marts.segment_transitions").fetchall()})
    assert actual == expected
    moved = sum(n for (_, _, _, f, t), n in actual.items() if f != t)
    assert moved > 0, "nobody changed primary segment over two months: the log did not move"


def test_kpi_membership_matches_the_log(warehouse: duckdb.DuckDBPyConnection) -> None:
    churned_segment = "lapsed_customers"  # var kpi_churned_segment_key
    members = customers_by_basis(warehouse)
    dates = sorted({key[0] for key in members})
    expected = {}
    for previous, snapshot in itertools.pairwise(dates):
        churned_before, churned_after = (members[(d, "member", churned_segment)] for d in (previous, snapshot))
        for basis, segment in {key[1:] for key in members}:
            now, before = members[(snapshot, basis, segment)], members[(previous, basis, segment)]
            expected[(snapshot, basis, segment)] = (
                len(now), len(before), len(now - before), len(before - now),
                len((before - churned_before) & churned_after))
    actual = {row[:3]: row[3:] for row in warehouse.execute(
        "select snapshot_date, membership_basis, segment_key, n_members, n_start_members, n_entrants, n_exits,"
        " n_churned from marts.segment_kpis where period_type = 'month' and previous_snapshot_date is not null"
        " and segment_key <> 'no_primary_segment'").fetchall()}
    # a segment without members on either date: zeros in the mart (or no row: primary basis of a
    # segment that is never primary), nothing to compare
    actual = {key: value for key, value in actual.items() if any(value)}
    expected = {key: value for key, value in expected.items() if any(value)}
    assert actual == expected, sorted(set(actual.items()) ^ set(expected.items()))[:5]
    assert sum(value[2] for value in actual.values()) > 0, "nobody entered a segment over two months"
    quarters = dict(warehouse.execute(
        "select distinct period_start, previous_snapshot_date from marts.segment_kpis"
        " where period_type = 'quarter'").fetchall())
    assert quarters == {date(2025, 4, 1): None, **{quarter: date.fromisoformat(dates[0])
                                                   for quarter, dates in QUARTERS.items()}}, quarters


@pytest.mark.parametrize("quarter", sorted(QUARTERS))
def test_drift_follows_the_log(warehouse: duckdb.DuckDBPyConnection, quarter: date) -> None:
    members = customers_by_basis(warehouse)
    start, end = (date.fromisoformat(d) for d in QUARTERS[quarter])
    expected = {}
    for basis, segment in {key[1:] for key in members}:
        now, before = members[(end, basis, segment)], members[(start, basis, segment)]
        if before and segment != "no_primary_segment":
            expected[(basis, segment)] = (len(now), len(before), len(now - before), len(before - now))
    actual = {row[:2]: row[2:] for row in warehouse.execute(
        "select membership_basis, segment_key, n_members, previous_n_members, n_entrants, n_exits"
        " from marts.segment_drift where quarter_start = ? and previous_n_members > 0", [quarter]).fetchall()}
    assert actual == expected, sorted(set(actual.items()) ^ set(expected.items()))[:5]
    # against all customers (the primary basis partitions them)
    customers = {d: sum(len(keys) for (as_of, basis, _), keys in members.items() if as_of == d and basis == "primary")
                 for d in (start, end)}
    population = {row[0] for row in warehouse.execute(
        "select distinct population_size_change_rate from marts.segment_drift where quarter_start = ?",
        [quarter]).fetchall()}
    assert population == {round(customers[end] / customers[start] - 1, 6)}, (population, customers)


@pytest.mark.parametrize("quarter", sorted(QUARTERS))
def test_feature_psi_follows_the_bins_log(warehouse: duckdb.DuckDBPyConnection, quarter: date) -> None:
    empty = 0.0001  # var drift_psi_empty_share
    shares: dict[tuple, dict] = defaultdict(dict)  # (as_of, segment, feature) -> bucket -> share
    sizes: Counter = Counter()  # (as_of, segment, feature) -> members
    for as_of, segment, feature, bucket, n_members, share in warehouse.execute(
            "select as_of_date, segment_key, feature_name, bucket, n_members, member_share"
            " from marts.segment_feature_bins_log").fetchall():
        shares[(str(as_of), segment, feature)][bucket] = share
        sizes[(str(as_of), segment, feature)] += n_members
    start, end = QUARTERS[quarter]
    expected = {}
    for (as_of, segment, feature), now in shares.items():
        before = shares.get((start, segment, feature))
        if as_of != end or before is None:
            continue
        psi = 0.0
        for bucket in set(now) | set(before):
            a, b = now.get(bucket) or empty, before.get(bucket) or empty
            psi += (a - b) * math.log(a / b)
        n, m = sizes[(end, segment, feature)], sizes[(start, segment, feature)]
        buckets = len(set(now) | set(before))
        expected[(segment, feature)] = (psi, stats.chi2.sf(psi * n * m / (n + m), buckets - 1) if buckets > 1 else 1.0)
    actual = {(row[0], row[1]): row[2:] for row in warehouse.execute(
        "select segment_key, feature_name, population_stability_index, psi_p_value from marts.segment_feature_drift"
        " where quarter_start = ?", [quarter]).fetchall()}
    assert expected and set(actual) == set(expected)
    assert all(abs(actual[key][0] - expected[key][0]) < 1e-5 for key in expected), \
        [(key, actual[key], expected[key]) for key in expected if abs(actual[key][0] - expected[key][0]) >= 1e-5][:5]
    # the p-value: exact for 1 and 2 degrees of freedom, the Wilson-Hilferty approximation above
    assert all(abs(actual[key][1] - expected[key][1]) < 0.01 for key in expected), \
        [(key, actual[key], expected[key]) for key in expected if abs(actual[key][1] - expected[key][1]) >= 0.01][:5]


def test_drift_flags_nothing_without_a_shift(history: Path, warehouse: duckdb.DuckDBPyConnection) -> None:
    results = drift_recovery.measure(history / "warehouse.duckdb", TRUTH, SHIFT_QUARTER, None)
    assert sum(r["is_size_judged"] for r in results) >= 20, "too few segments judged for the control to mean much"
    assert drift_recovery.failures(results, None) == []


def test_drift_flags_the_planted_shift(shifted: tuple[Path, Path]) -> None:
    db, truth = shifted
    preference = drift_recovery.planted_shift(truth, SHIFT_QUARTER)
    assert preference == "bargain"
    results = drift_recovery.measure(db, truth, SHIFT_QUARTER, preference)
    assert drift_recovery.failures(results, preference) == []
    flagged = {(r["membership_basis"], r["segment_key"]) for r in results if r["is_drifting"]}
    assert ("member", "bargain_hunters") in flagged, flagged


def test_drift_rules_fail_when_the_shift_is_removed_or_moved(shifted: tuple[Path, Path]) -> None:
    db, truth = shifted
    removed = drift_recovery.failures(drift_recovery.measure(db, truth, SHIFT_QUARTER, None), None)
    assert any("bargain_hunters: drifting although no shift" in line for line in removed), removed
    moved = drift_recovery.failures(drift_recovery.measure(db, truth, SHIFT_QUARTER, "new_arrival"), "new_arrival")
    assert any("bargain_hunters: drifting with planted share" in line for line in moved), moved

