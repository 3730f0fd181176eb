"""Identity resolution checked against the generator's ground truth (scripts/identity_accuracy.py).

Needs `make build` (demo data in data/ and the DuckDB warehouse); skips cleanly otherwise.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(os.environ.get("DATA_DIR", ROOT / "data"))
TRUTH = DATA / "truth"
WAREHOUSE = Path(os.environ.get("DUCKDB_PATH", DATA / "warehouse.duckdb"))
SCRIPT = ROOT / "scripts" / "identity_accuracy.py"

sys.path.insert(0, str(ROOT / "scripts"))
import identity_accuracy  # noqa: E402 (needs the sys.path line)

MIN_PRECISION = 0.99
MIN_RECALL = 0.99


@pytest.fixture(scope="module")
def figures() -> dict[str, float | int]:
    if not (TRUTH / "identifiers.parquet").exists() or not WAREHOUSE.exists():
        pytest.skip("needs generated data and a built warehouse: run `make build` first")
    return identity_accuracy.score(WAREHOUSE, TRUTH)


@pytest.fixture(scope="module")
def con() -> duckdb.DuckDBPyConnection:
    if not (TRUTH / "identifiers.parquet").exists() or not WAREHOUSE.exists():
        pytest.skip("needs generated data and a built warehouse: run `make build` first")
    connection = duckdb.connect(str(WAREHOUSE), read_only=True)
    yield connection
    connection.close()


def test_pairwise_precision_and_recall_reach_the_target(figures: dict[str, float | int]) -> None:
    assert figures["precision"] >= MIN_PRECISION, figures
    assert figures["recall"] >= MIN_RECALL, figures


def test_nearly_every_person_identifier_is_resolved(figures: dict[str, float | int]) -> None:
    # Only blocked values (test accounts' placeholder emails) may stay unresolved; cookies of
    # anonymous visitors are not persons.
    assert figures["unresolved_person_identifiers"] <= 0.01 * figures["scored_identifiers"], figures


def test_test_account_emails_are_blocked_and_reported(con: duckdb.DuckDBPyConnection) -> None:
    truth = str(TRUTH)
    missing = con.execute(f"""
        select i.normalized_value
        from read_parquet('{truth}/identifiers.parquet') i
        join read_parquet('{truth}/persons.parquet') p using (person_id)
        where p.is_test_account and i.identifier_type in ('email', 'guest_email')
          and (i.normalized_value like 'test+%' or i.normalized_value like 'noreply+%')
        except
        select identifier_value from marts.identity_conflicts
        where rule_name = 'blocked_value' and identifier_type = 'email'
    """).fetchall()
    assert missing == []


def test_a_blocked_identifier_never_gets_a_customer_key(con: duckdb.DuckDBPyConnection) -> None:
    leaked = con.execute("""
        select count(*)
        from intermediate.int_identity_nodes n
        join intermediate.int_identity_identifiers i using (node_id)
        where n.is_blocked
    """).fetchone()[0]
    assert leaked == 0


def test_shared_devices_are_reported_and_do_not_link(con: duckdb.DuckDBPyConnection) -> None:
    shared = con.execute("""
        select count(*) from marts.identity_conflicts where rule_name = 'shared_device'
    """).fetchone()[0]
    assert shared > 0, "the demo data plants shared devices; none was detected"
    linked = con.execute("""
        select count(*)
        from marts.identity_conflicts c
        join intermediate.int_identity_identifiers i
          on i.identifier_type = c.identifier_type and i.identifier_value = c.identifier_value
        where c.rule_name = 'shared_device'
    """).fetchone()[0]
    assert linked == 0


def test_accuracy_cli_prints_figures_and_fails_cleanly_without_a_warehouse(tmp_path: Path) -> None:
    if not (TRUTH / "identifiers.parquet").exists() or not WAREHOUSE.exists():
        pytest.skip("needs generated data and a built warehouse: run `make build` first")
    ok = subprocess.run([sys.executable, str(SCRIPT), "--warehouse", str(WAREHOUSE), "--truth", str(TRUTH)],
                        capture_output=True, text=True, check=False)
    assert ok.returncode == 0, ok.stderr
    assert "pairwise precision" in ok.stdout and "pairwise recall" in ok.stdout
    bad = subprocess.run([sys.executable, str(SCRIPT), "--warehouse", str(tmp_path / "none.duckdb"),
                          "--truth", str(TRUTH)], capture_output=True, text=True, check=False)
    assert bad.returncode == 2
    assert "run `make build` first" in bad.stderr
    assert "Traceback" not in bad.stderr
