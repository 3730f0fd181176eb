"""The serving store (segwh.serving, decision 67) on small hand-made build stores, no dbt: only public
models are served, PII is refused, a reader holding a connection through publishes is never blocked
and never sees a mix of two publishes, and a publish that fails or is killed leaves what readers see
byte-identical. The run entry point around it: test_segwh_run.py."""

from __future__ import annotations

import hashlib
import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from segwh import serving  # noqa: E402

TABLES = ["segment_catalog", "segment_kpis", "customer_segments"]


def node(name: str, access: str = "public", pii: tuple[str, ...] = ()) -> dict:
    return {
        "resource_type": "model", "name": name, "alias": name, "schema": "marts", "access": access,
        "group": "segments", "description": f"{name} for tests",
        "columns": {c: {"meta": {"pii": True}} for c in pii},
    }


def manifest(*nodes: dict) -> dict:
    return {"nodes": {f"model.customer_segmentation.{n['name']}": n for n in nodes}}


PUBLIC = manifest(*(node(t) for t in TABLES), node("dim_customers", access="protected", pii=("email",)))


def build_store(path: Path, version: int, rows: int = 20_000) -> Path:
    """Every table holds `rows` rows whose column v is `version`, so a reader can tell publishes apart."""
    path.unlink(missing_ok=True)
    with duckdb.connect(str(path)) as con:
        con.execute("create schema marts")
        for table in [*TABLES, "dim_customers"]:
            con.execute(f"create table marts.{table} as select range as id, {version} as v, "
                        f"'x' || range as email from range({rows})")
    return path


def digest(serving_dir: Path) -> tuple[str, str]:
    """What readers see: the link's target and the bytes of the file it names."""
    link = serving_dir / serving.SERVING_FILE
    return str(link.readlink()), hashlib.sha256(link.read_bytes()).hexdigest()


def test_only_public_models_are_served_with_their_publish_info(tmp_path: Path) -> None:
    store = build_store(tmp_path / "build.duckdb", 1, rows=10)
    result = serving.publish(store, tmp_path / "serving", PUBLIC, run_id="r1", keep=3)
    with duckdb.connect(str(tmp_path / "serving" / serving.SERVING_FILE), read_only=True) as con:
        tables = {r[0] for r in con.execute("select table_name from duckdb_tables()").fetchall()}
        assert tables == {*TABLES, serving.INFO_TABLE, serving.TABLES_TABLE}  # no dim_customers
        info = con.execute("select publish_id, run_id, n_tables from publish_info").fetchone()
        assert info == (result["publish_id"], "r1", 3)
        assert con.execute("select sum(n_rows) from served_tables").fetchone()[0] == 30
    assert result["tables"] == dict.fromkeys(sorted(TABLES), 10)


def test_a_public_model_with_pii_or_without_a_table_is_refused(tmp_path: Path) -> None:
    store = build_store(tmp_path / "build.duckdb", 1, rows=10)
    with pytest.raises(serving.PublishError, match=r"dim_customers .*PII column\(s\) email"):
        serving.publish(store, tmp_path / "serving", manifest(node("dim_customers", pii=("email",))))
    with pytest.raises(serving.PublishError, match=r"segment_drift is public but table marts\.segment_drift"):
        serving.publish(store, tmp_path / "serving", manifest(*(node(t) for t in [*TABLES, "segment_drift"])))
    with pytest.raises(serving.PublishError, match="nothing to serve"):
        serving.publish(store, tmp_path / "serving", manifest(node("segment_kpis", access="protected")))


def test_a_failed_publish_leaves_readers_on_the_previous_one(tmp_path: Path) -> None:
    serving_dir = tmp_path / "serving"
    serving.publish(build_store(tmp_path / "a.duckdb", 1, rows=10), serving_dir, PUBLIC)
    before = digest(serving_dir)
    # the last table in the copy order is missing: every table before it was already copied
    with pytest.raises(serving.PublishError):
        serving.publish(tmp_path / "a.duckdb", serving_dir, manifest(*(node(t) for t in [*TABLES, "zz_missing"])))
    assert digest(serving_dir) == before
    assert len(serving.list_publishes(serving_dir)) == 1
    assert not list((serving_dir / serving.PUBLISHES).glob(".*"))  # the half-written file is gone


def test_a_publish_killed_midway_leaves_readers_on_the_previous_one(tmp_path: Path) -> None:
    serving_dir = tmp_path / "serving"
    serving.publish(build_store(tmp_path / "a.duckdb", 1, rows=10), serving_dir, PUBLIC)
    before = digest(serving_dir)
    build_store(tmp_path / "b.duckdb", 2, rows=3_000_000)
    (tmp_path / "m.json").write_text(json.dumps(PUBLIC))
    code = (f"import json, sys; sys.path.insert(0, {str(ROOT)!r}); from segwh import serving; "
            f"serving.publish(__import__('pathlib').Path({str(tmp_path / 'b.duckdb')!r}), "
            f"__import__('pathlib').Path({str(serving_dir)!r}), json.load(open({str(tmp_path / 'm.json')!r})))")
    publisher = subprocess.Popen([sys.executable, "-c", code])
    staged = serving_dir / serving.PUBLISHES
    deadline = time.monotonic() + 60
    while not list(staged.glob(".*.tmp")) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert list(staged.glob(".*.tmp")), "the publisher never started writing"
    publisher.send_signal(signal.SIGKILL)
    publisher.wait()
    assert digest(serving_dir) == before
    # the next publish clears what the killed one left behind
    serving.publish(tmp_path / "a.duckdb", serving_dir, PUBLIC)
    assert not list(staged.glob(".*"))


READER = """
import duckdb, json, sys, time
path, out, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3])
tables = {tables!r}
query = "select " + ", ".join(f"(select min(v) from {{t}}), (select max(v) from {{t}})" for t in tables) + \\
    ", (select publish_id from publish_info)"
held = duckdb.connect(path, read_only=True)
samples, end = [], time.monotonic() + seconds
while time.monotonic() < end:
    for mode in ("held", "fresh"):
        began = time.monotonic()
        try:
            con = held if mode == "held" else duckdb.connect(path, read_only=True)
            row = con.execute(query).fetchone()
            if mode == "fresh":
                con.close()
            samples.append([mode, time.monotonic() - began, sorted(set(row[:-1])), row[-1], None])
        except Exception as error:
            samples.append([mode, time.monotonic() - began, [], None, str(error)])
    time.sleep(0.005)
json.dump(samples, open(out, "w"))
"""


def test_a_reader_is_never_blocked_and_never_sees_two_publishes_at_once(tmp_path: Path) -> None:
    serving_dir = tmp_path / "serving"
    stores = [build_store(tmp_path / f"{v}.duckdb", v) for v in (1, 2)]
    first = serving.publish(stores[0], serving_dir, PUBLIC, keep=10)
    script = tmp_path / "reader.py"
    script.write_text(READER.format(tables=TABLES))
    out = tmp_path / "samples.json"
    reader = subprocess.Popen([sys.executable, str(script), str(serving_dir / serving.SERVING_FILE), str(out), "6"])
    time.sleep(1)  # the reader has its connection open
    published = [first["publish_id"]]
    for i in range(4):
        published.append(serving.publish(stores[(i + 1) % 2], serving_dir, PUBLIC, keep=10)["publish_id"])
    assert reader.wait(timeout=60) == 0
    samples = json.loads(out.read_text())
    errors = [s for s in samples if s[4]]
    assert not errors, errors[:3]
    assert all(len(s[2]) == 1 for s in samples), "a query saw two versions at once"
    held = [s for s in samples if s[0] == "held"]
    fresh = [s for s in samples if s[0] == "fresh"]
    # the held connection keeps the publish it opened; reconnecting readers move on, in order
    assert {s[3] for s in held} == {first["publish_id"]} and {tuple(s[2]) for s in held} == {(1,)}
    seen = [s[3] for s in fresh]
    assert set(seen) <= set(published) and len(set(seen)) > 1
    assert seen == sorted(seen)
    assert max(s[1] for s in samples) < 1.0, "a reader waited on the publish"


def test_rollback_points_readers_at_an_earlier_publish_and_prune_keeps_it(tmp_path: Path) -> None:
    serving_dir = tmp_path / "serving"
    stores = [build_store(tmp_path / f"{v}.duckdb", v, rows=10) for v in (1, 2)]
    ids = [serving.publish(stores[i % 2], serving_dir, PUBLIC, keep=2)["publish_id"] for i in range(3)]
    assert serving.list_publishes(serving_dir) == ids[1:]
    serving.point_to(serving_dir, ids[1])
    with duckdb.connect(str(serving_dir / serving.SERVING_FILE), read_only=True) as con:
        assert con.execute("select distinct v from segment_kpis").fetchall() == [(2,)]
    # pruning never deletes the publish readers are on, even when it is not among the newest
    assert serving.prune(serving_dir, 1) == []
    assert serving.list_publishes(serving_dir) == ids[1:]
    with pytest.raises(serving.PublishError, match="no publish nope"):
        serving.point_to(serving_dir, "nope")


def test_status_and_rollback_on_the_command_line(tmp_path: Path) -> None:
    serving_dir = tmp_path / "serving"
    stores = [build_store(tmp_path / f"{v}.duckdb", v, rows=10) for v in (1, 2)]
    ids = [serving.publish(stores[i], serving_dir, PUBLIC, keep=5)["publish_id"] for i in range(2)]

    def segwh(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "segwh", *args, "--serving", str(serving_dir)], cwd=ROOT,
                              capture_output=True, text=True, check=False)

    status = segwh("status")
    assert status.returncode == 0 and f"* {ids[1]}" in status.stdout and f"  {ids[0]}" in status.stdout
    back = segwh("rollback")
    assert back.returncode == 0 and f"now see publish {ids[0]} (was {ids[1]})" in back.stdout
    assert serving.current_publish(serving_dir) == ids[0]
    again = segwh("rollback")  # nothing before the oldest: a message and exit 7, no traceback
    assert again.returncode == 7 and "no publish before" in again.stderr and "Traceback" not in again.stderr
    wrong = segwh("rollback", "20200101T000000000000Z")
    assert wrong.returncode == 7 and "no publish 20200101T000000000000Z" in wrong.stderr
