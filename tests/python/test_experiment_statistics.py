"""The statistics macros of the experiment readout against scipy.

macros/analytics/normal_upper_tail.sql and chi_square_upper_tail.sql are compiled by dbt
(`dbt compile --inline`) and run in DuckDB over a grid of statistics; the normal tail must match
scipy to 1e-12 (absolute) everywhere, the chi-square tail exactly for 1 and 2 degrees of freedom
and within 0.01 for 3 to 10 (Wilson-Hilferty).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

scipy_stats = pytest.importorskip("scipy.stats")

ROOT = Path(__file__).resolve().parents[2]
DBT = Path(sys.executable).parent / "dbt"
Z_VALUES = [-40, -8, -7.5, -7.0710678, -5, -3.2, -1.959964, -1, -0.3, 0, 0.3, 1, 1.959964, 2.5758, 3.2, 5,
            7.0710678, 7.5, 8, 12, 37.5]
CHI_SQUARE = [(x, df) for df in range(1, 11) for x in (0, 0.05, 0.5, 1, 2.5, 5, 10, 20, 40)]


def _compile(sql: str, tmp_path: Path) -> str:
    env = dict(os.environ, DO_NOT_TRACK="1", DBT_PROFILES_DIR=str(ROOT), DBT_TARGET="duckdb",
               DUCKDB_PATH=str(tmp_path / "compile.duckdb"))
    result = subprocess.run(
        [str(DBT), "compile", "--quiet", "--inline", sql, "--target-path", str(tmp_path / "target"),
         "--log-path", str(tmp_path / "logs"), "--vars", "{raw_sources: {}}"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result.stdout


@pytest.fixture(scope="module")
def tails(tmp_path_factory) -> dict[str, list[tuple]]:
    tmp_path = tmp_path_factory.mktemp("stats")
    z_rows = ", ".join(f"({z})" for z in Z_VALUES)
    chi_rows = ", ".join(f"({x}, {df})" for x, df in CHI_SQUARE)
    sql = (
        "select 'normal' as kind, z as x, 0 as df, {{ normal_upper_tail('z') }} as tail"
        f" from (values {z_rows}) as grid(z)"
        " union all "
        "select 'chi_square' as kind, x, df, {{ chi_square_upper_tail('x', 'df') }} as tail"
        f" from (values {chi_rows}) as grid(x, df)"
    )
    compiled = _compile(sql, tmp_path)
    rows = duckdb.connect().execute(compiled).fetchall()
    out: dict[str, list[tuple]] = {"normal": [], "chi_square": []}
    for kind, x, df, tail in rows:
        out[kind].append((float(x), int(df), float(tail)))
    return out


def test_normal_upper_tail_matches_scipy(tails):
    assert len(tails["normal"]) == len(Z_VALUES)
    for z, _, tail in tails["normal"]:
        assert tail == pytest.approx(scipy_stats.norm.sf(z), abs=1e-12), z


def test_chi_square_upper_tail_exact_for_one_and_two_degrees(tails):
    for x, df, tail in tails["chi_square"]:
        if df <= 2:
            assert tail == pytest.approx(scipy_stats.chi2.sf(x, df), abs=1e-12), (x, df)


def test_chi_square_upper_tail_close_above(tails):
    checked = 0
    for x, df, tail in tails["chi_square"]:
        if df >= 3:
            assert tail == pytest.approx(scipy_stats.chi2.sf(x, df), abs=0.01), (x, df)
            checked += 1
    assert checked == 8 * 9
