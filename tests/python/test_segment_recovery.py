"""The shipped segments find the people the generator planted (scripts/segment_recovery.py).

One test per check of segment_recovery.CHECKS: its precision, recall and lift on the demo warehouse
stay at or above the floors, which sit below the figures measured at 10k and 100k customers
(docs/research/segments.md, "Recovery of planted traits"). A last test shows the floors can fail:
the catch-all segment everyone_else (every customer) meets none of them.

Needs `make build` (demo data in data/ and the DuckDB warehouse); skips cleanly otherwise.
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pytest
import segment_recovery  # scripts/ is on sys.path (conftest.py)

# the demo data of `make build`, or DATA_DIR / DUCKDB_PATH as the build used them
DATA = Path(os.environ.get("DATA_DIR", Path(__file__).resolve().parents[2] / "data"))
TRUTH, WAREHOUSE = DATA / "truth", Path(os.environ.get("DUCKDB_PATH", DATA / "warehouse.duckdb"))


@pytest.fixture(scope="module")
def figures() -> dict[str, dict]:
    if not (TRUTH / "persons.parquet").exists() or not WAREHOUSE.exists():
        pytest.skip("needs generated data and a built warehouse: run `make build` first")
    return {r["name"]: r for r in segment_recovery.measure(WAREHOUSE, TRUTH)}


@pytest.mark.parametrize("check", segment_recovery.CHECKS, ids=lambda check: check.name)
def test_segment_recovers_its_planted_trait(figures: dict[str, dict], check: segment_recovery.Check) -> None:
    result = figures[check.name]
    assert result["planted"] > 0 and result["found"] > 0, result
    assert segment_recovery.failures([result]) == [], result


def test_the_floors_fail_for_a_segment_of_everyone() -> None:
    if not (TRUTH / "persons.parquet").exists() or not WAREHOUSE.exists():
        pytest.skip("needs generated data and a built warehouse: run `make build` first")
    everyone = tuple(dataclasses.replace(check, segment_key="everyone_else") for check in segment_recovery.CHECKS)
    results = segment_recovery.measure(WAREHOUSE, TRUTH, everyone)
    passing = [r["name"] for r in results if not segment_recovery.failures([r])]
    assert passing == [], f"these floors hold even for every customer: {passing}"
