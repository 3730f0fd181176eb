"""`segwh run` end to end on a copy of the demo warehouse (`make build` first): the exit code of each
way a run stops, the artifacts it keeps, and that nothing but a whole successful run changes what
readers see. dbt builds a few models only (`-- --select ...`), which is enough to exercise every stage.
The gate's rules: test_gate.py. The serving store's own guarantees (reader isolation, killed
publishes): test_serving.py."""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).resolve().parents[2]
WAREHOUSE = Path(os.environ.get("DUCKDB_PATH", ROOT / "data" / "warehouse.duckdb"))
RAW = Path(os.environ.get("RAW_DATA_ROOT", ROOT / "data" / "raw"))
SELECT = ["--", "--select", "segment_catalog", "segment_overlap"]
FRESH = ["--freshness-reference", "2026-01-01T06:00"]  # the demo data ends on 2025-12-31

pytestmark = pytest.mark.skipif(not WAREHOUSE.exists() or not RAW.is_dir(), reason="needs `make build` first")


class Workspace:
    def __init__(self, root: Path):
        self.root = root
        self.db = root / "warehouse.duckdb"
        self.serving = root / "serving"
        self.runs = root / "runs"

    def command(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "segwh", "run", "--raw", str(RAW), "--db", str(self.db), "--serving",
                str(self.serving), "--runs", str(self.runs), "--target-path", str(self.root / "target"), *args]

    def run(self, *args: str, timeout: float = 600) -> subprocess.CompletedProcess:
        return subprocess.run(self.command(*args), cwd=ROOT, capture_output=True, text=True, timeout=timeout,
                              check=False)

    def seen_by_readers(self) -> tuple[str, str]:
        link = self.serving / "segments.duckdb"
        return str(link.readlink()), hashlib.sha256(link.read_bytes()).hexdigest()

    def run_folders(self) -> list[Path]:
        return sorted(p for p in self.runs.iterdir() if p.is_dir())

    def wait_for_lock(self, seconds: float = 300) -> None:
        """Until nobody (runner or an orphaned dbt) holds the run lock."""
        deadline = time.monotonic() + seconds
        with (self.runs / "run.lock").open("a") as handle:
            while True:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    fcntl.flock(handle, fcntl.LOCK_UN)
                    return
                except BlockingIOError:
                    assert time.monotonic() < deadline, "the run lock was never released"
                    time.sleep(0.5)


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    """A copy of the demo warehouse and one successful run (the publish the other tests must keep)."""
    workspace = Workspace(tmp_path_factory.mktemp("segwh"))
    shutil.copy(WAREHOUSE, workspace.db)
    state = WAREHOUSE.with_name(WAREHOUSE.name + ".build.json")
    if state.exists():
        shutil.copy(state, workspace.db.with_name(workspace.db.name + ".build.json"))
    first = workspace.run(*FRESH, *SELECT)
    assert first.returncode == 0, first.stdout[-3000:] + first.stderr[-3000:]
    return workspace


def test_a_run_publishes_and_keeps_its_artifacts(ws: Workspace) -> None:
    run = ws.run_folders()[-1]
    record = json.loads((run / "run.json").read_text())
    assert record["outcome"] == "ok" and record["exit_code"] == 0
    assert [s["stage"] for s in record["stages"]] == ["lock", "source freshness", "build", "quality gate", "publish"]
    assert all(s["status"] == "ok" for s in record["stages"])
    for artifact in ("sources.json", "run_results.json", "gate.json", "publish.json", "dbt.log"):
        assert (run / artifact).exists(), artifact
    assert (run / "gate" / "gx" / "uncommitted" / "data_docs" / "local_site" / "index.html").exists()
    published = json.loads((run / "publish.json").read_text())
    assert published["run_id"] == record["run_id"] and "segment_kpis" in published["tables"]
    assert str((ws.serving / "segments.duckdb").readlink()).endswith(published["publish_id"] + ".duckdb")


def test_a_second_run_exits_at_once_as_locked(ws: Workspace) -> None:
    before = ws.run_folders()
    with (ws.runs / "run.lock").open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        began = time.monotonic()
        second = ws.run(*FRESH, *SELECT)
        took = time.monotonic() - began
    assert second.returncode == 3, second.stderr
    assert "locked" in second.stderr and "run.lock" in second.stderr and "Traceback" not in second.stderr
    assert took < 20
    assert ws.run_folders() == before  # a refused run leaves no artifacts


def test_stale_sources_stop_the_run_before_the_build(ws: Workspace) -> None:
    before = ws.seen_by_readers()
    stale = ws.run("--freshness-reference", "2026-01-10", *SELECT)
    assert stale.returncode == 4, stale.stderr
    assert "shopify.orders: last loaded 2025-12-31" in stale.stderr and "error after 2 days" in stale.stderr
    assert "crm.accounts" not in stale.stderr  # freshness: null (edited by hand, rarely)
    record = json.loads((ws.run_folders()[-1] / "run.json").read_text())
    assert [s["stage"] for s in record["stages"]] == ["lock", "source freshness"]
    assert ws.seen_by_readers() == before


def test_a_failed_build_publishes_nothing(ws: Workspace) -> None:
    before = ws.seen_by_readers()
    failed = ws.run("--skip-freshness", "--vars", "{drift_psi_alpha: 7}", *SELECT)
    assert failed.returncode == 5, failed.stderr
    assert "build_failed" in failed.stderr and "drift_psi_alpha" in failed.stdout
    assert ws.seen_by_readers() == before


@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGKILL], ids=["terminated", "killed"])
def test_a_run_stopped_mid_build_leaves_the_serving_store_as_it_was(ws: Workspace, how: signal.Signals) -> None:
    before = ws.seen_by_readers()
    folders = set(ws.run_folders())
    runner = subprocess.Popen(ws.command("--skip-freshness", "--", "--select", "segment_catalog+"), cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 180
    log = None
    while time.monotonic() < deadline:
        new = set(ws.run_folders()) - folders
        log = next(iter(new)) / "dbt.log" if new else None
        if log and log.exists() and " START sql " in log.read_text():
            break
        time.sleep(0.2)
    else:
        pytest.fail("dbt never started a model")
    runner.send_signal(how)
    code = runner.wait(timeout=120)
    ws.wait_for_lock()
    assert ws.seen_by_readers() == before
    if how == signal.SIGTERM:
        assert code == 130, runner.stderr.read()
        assert json.loads((log.parent / "run.json").read_text())["outcome"] == "interrupted"
    # the lock is free again: the next run goes ahead
    again = ws.run(*FRESH, *SELECT)
    assert again.returncode == 0, again.stderr[-2000:]
    assert ws.seen_by_readers() != before


def test_a_failed_gate_publishes_nothing(ws: Workspace) -> None:
    """One customer too many in rfm_grid, a mart this run does not rebuild: the selected models' dbt
    tests pass; the gate's check that the grid counts every scored customer does not."""
    before = ws.seen_by_readers()
    shift = "update marts.rfm_grid set n_customers = n_customers + ? where r_score = 0 and f_score = 0"
    with duckdb.connect(str(ws.db)) as con:
        assert con.execute(shift, [1]).fetchone()[0] == 1
    try:
        failed = ws.run("--skip-freshness", *SELECT)
        assert failed.returncode == 6, failed.stderr[-2000:]
        assert "gate_failed" in failed.stderr and "check__rfm_grid_counts_every_scored_customer" in failed.stderr
        assert ws.seen_by_readers() == before
        record = json.loads((ws.run_folders()[-1] / "gate.json").read_text())
        assert not record["success"] and Path(record["data_docs"]).exists()
    finally:
        with duckdb.connect(str(ws.db)) as con:
            con.execute(shift, [-1])
