"""Shared by the bring-your-own-data tests: import a real dataset with one of the importers, then build
the whole project on it with scripts/build_warehouse.py, as a user would."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Warn-severity checks of the segment definitions against the data (docs/segments.md, "Tests"):
# segments tuned on the demo data may be small, empty or large on other data. That is advice for the
# owner of the definitions, not a fault of the build, so these warnings are allowed on real data.
SEGMENT_GUARDRAILS = frozenset({
    "segment_catalog_segments_reach_their_minimum_size", "segment_catalog_no_empty_segment",
    "segment_catalog_segments_stay_under_their_maximum_share", "segment_overlap_no_near_duplicates",
    "segment_primary_count_within_bounds",
})


def warned_nodes(run_results: Path) -> list[str]:
    """Names of the nodes of a dbt run that ended in a warning, the segment guardrails left out."""
    results = json.loads(run_results.read_text())["results"]
    names = (r["unique_id"].split(".")[2] for r in results if r["status"] == "warn")
    return sorted(name for name in names if name not in SEGMENT_GUARDRAILS)


def import_and_build(importer: str, importer_args: list[str], work: Path, build_args: list[str]) -> str:
    """Run scripts/<importer> --out work, then build_warehouse.py on work/raw into work/warehouse.duckdb
    (dbt artefacts under work); assert both succeed and return the build's output."""
    imported = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / importer), *importer_args, "--out", str(work)],
        check=False, capture_output=True, text=True, timeout=300,
    )
    assert imported.returncode == 0, imported.stderr
    built = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "build_warehouse.py"), "--raw", str(work / "raw"),
         "--db", str(work / "warehouse.duckdb"), *build_args,
         "--", "--target-path", str(work / "target"), "--log-path", str(work / "logs")],
        cwd=ROOT, env=dict(os.environ, DO_NOT_TRACK="1"), check=False, capture_output=True, text=True, timeout=1200,
    )
    assert built.returncode == 0, built.stdout[-4000:] + built.stderr[-2000:]
    return built.stdout
