"""Shared by the bring-your-own-data tests: import a real dataset with one of the importers, then build
the whole project on it with scripts/build_warehouse.py, as a user would."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


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
