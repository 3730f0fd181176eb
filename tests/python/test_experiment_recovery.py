"""The experiment readout by segment finds the effects the generator planted, and nothing else
(scripts/experiment_recovery.py): on the demo warehouse, the planted effect's expected lift lies in
the readout's (widened) interval in every row, every mostly-planted segment is significant after
adjustment, and no segment with few planted units is. Two more tests show the rules can fail: the
same readout judged against a truth without the effect, and against a truth that moves it to other
people.

Needs `make build` (demo data in data/ and the DuckDB warehouse); skips cleanly otherwise.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import experiment_recovery  # scripts/ is on sys.path (conftest.py)
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from synthgen import config

DATA = Path(os.environ.get("DATA_DIR", Path(__file__).resolve().parents[2] / "data"))
TRUTH, WAREHOUSE = DATA / "truth", Path(os.environ.get("DUCKDB_PATH", DATA / "warehouse.duckdb"))

pytestmark = pytest.mark.skipif(
    not (TRUTH / "experiment_effects.parquet").exists() or not WAREHOUSE.exists(),
    reason="needs generated data and a built warehouse: run `make build` first")


def test_the_demo_plants_an_effect() -> None:
    effects = pq.read_table(TRUTH / "experiment_effects.parquet").to_pylist()
    assert config.EXPERIMENT_EFFECTS and effects
    assert all(row["planted_relative_lift"] > 0 for row in effects), effects


def test_readout_finds_the_planted_effects_and_nothing_else() -> None:
    results = experiment_recovery.measure(WAREHOUSE, TRUTH)
    assert experiment_recovery.failures(results) == []
    found = [r for r in results if r["is_significant"]]
    assert found and all(r["planted_share"] >= experiment_recovery.PLANTED_SHARE for r in found), found


def _truth_copy(tmp_path: Path, effects: pa.Table) -> Path:
    truth = tmp_path / "truth"
    truth.mkdir()
    for name in ("persons.parquet", "identifiers.parquet"):
        shutil.copy2(TRUTH / name, truth / name)
    pq.write_table(effects, truth / "experiment_effects.parquet")
    return truth


def test_the_rules_fail_when_the_truth_claims_no_effect(tmp_path: Path) -> None:
    effects = pq.read_table(TRUTH / "experiment_effects.parquet")
    removed = effects.set_column(effects.schema.get_field_index("arm_shift"), "arm_shift",
                                 pa.array([0.0] * effects.num_rows))
    problems = experiment_recovery.failures(experiment_recovery.measure(WAREHOUSE, _truth_copy(tmp_path, removed)))
    assert any("outside the 99.9 % interval" in line for line in problems), problems


def test_the_rules_fail_when_the_effect_is_moved_to_other_people(tmp_path: Path) -> None:
    effects = pq.read_table(TRUTH / "experiment_effects.parquet")
    moved = effects.set_column(effects.schema.get_field_index("preference"), "preference",
                               pc.replace_substring(effects["preference"], "bargain", "new_arrival"))
    problems = experiment_recovery.failures(experiment_recovery.measure(WAREHOUSE, _truth_copy(tmp_path, moved)))
    assert problems, "a readout judged against a moved effect passed"
