"""The Spark helpers fail with one clear line, never a traceback, when their input or the cluster is
missing (the cluster itself is exercised by `make spark-up spark-build`, not here)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[2]
REGISTER = ROOT / "scripts" / "spark" / "register_raw.py"
CLUSTER = ROOT / "scripts" / "spark" / "cluster.sh"


def run(args: list[str], **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(args, capture_output=True, text=True, check=False, timeout=120,
                          env=dict(os.environ, **env))


def test_register_raw_without_a_root_or_a_server_says_so(tmp_path: Path) -> None:
    missing = run([sys.executable, str(REGISTER), "--root", str(tmp_path / "nope")])
    assert missing.returncode == 2 and "is not a directory" in missing.stderr
    (tmp_path / "raw").mkdir()
    empty = run([sys.executable, str(REGISTER), "--root", str(tmp_path / "raw")])
    assert empty.returncode == 2 and "no <system>/<table>/*.parquet" in empty.stderr
    table = tmp_path / "raw" / "shopify" / "orders"
    table.mkdir(parents=True)
    duckdb.sql(f"copy (select 1 as order_id) to '{table / 'part-0.parquet'}' (format parquet)")
    no_server = run([sys.executable, str(REGISTER), "--root", str(tmp_path / "raw")], SPARK_THRIFT_PORT="1")
    assert no_server.returncode == 2 and "no Spark Thrift server at 127.0.0.1:1" in no_server.stderr
    assert "cluster.sh start" in no_server.stderr
    for result in (missing, empty, no_server):
        assert "Traceback" not in result.stderr


def test_cluster_script_rejects_an_unknown_action() -> None:
    bad = run(["bash", str(CLUSTER), "restart-everything"])
    assert bad.returncode == 2 and "usage:" in bad.stderr


def test_export_marts_without_a_manifest_or_a_server_says_so(tmp_path: Path) -> None:
    export = ROOT / "scripts" / "spark" / "export_marts.py"
    no_manifest = run([sys.executable, str(export), "--manifest", str(tmp_path / "none.json")])
    assert no_manifest.returncode == 2 and "no manifest at" in no_manifest.stderr
    manifest = tmp_path / "manifest.json"
    manifest.write_text('{"nodes": {}}')
    no_server = run([sys.executable, str(export), "--manifest", str(manifest), "--out", str(tmp_path / "out")],
                    SPARK_THRIFT_PORT="1")
    assert no_server.returncode == 2 and "no Spark Thrift server at 127.0.0.1:1" in no_server.stderr
    for result in (no_manifest, no_server):
        assert "Traceback" not in result.stderr


def test_cluster_script_executors_needs_an_application(tmp_path: Path) -> None:
    none_yet = run(["bash", str(CLUSTER), "executors"], SPARK_RUN_DIR=str(tmp_path))
    assert none_yet.returncode == 1 and "no Spark application has run yet" in none_yet.stderr
    (tmp_path / "work" / "app-1" / "0").mkdir(parents=True)
    (tmp_path / "work" / "app-1" / "0" / "stderr").write_text("INFO Executor: Finished task 0.0\n" * 3)
    seen = run(["bash", str(CLUSTER), "executors"], SPARK_RUN_DIR=str(tmp_path))
    assert seen.returncode == 0 and "executor 0 of app-1: 3 tasks finished" in seen.stdout
