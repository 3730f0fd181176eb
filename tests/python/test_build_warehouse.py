"""scripts/build_warehouse.py: what it reports about a raw folder, which raw_sources it declares,
and when it must rebuild incremental tables from scratch. No dbt run here (the source-subset and
BYOD tests build through the same declarations)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import build_warehouse  # scripts/ is on sys.path (conftest.py)
import duckdb

ROOT = Path(__file__).resolve().parents[2]


def write(path: Path, sql: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    duckdb.sql(f"copy ({sql}) to '{path}' (format parquet)")


def test_only_new_files_keep_the_incremental_tables() -> None:
    old = {"shopify/orders/a.parquet": [10, 1]}
    vars_ = {"raw_sources": {"shopify": "all"}}
    previous = {"files": old, "vars": vars_}
    reason = build_warehouse.full_refresh_reason
    assert reason(False, None, old, vars_) is None  # a new warehouse: nothing to refresh
    assert "no record" in reason(True, None, old, vars_)
    assert reason(True, previous, {**old, "shopify/orders/b.parquet": [5, 2]}, vars_) is None
    assert "changed or disappeared" in reason(True, previous, {"shopify/orders/a.parquet": [10, 9]}, vars_)
    assert "changed or disappeared" in reason(True, previous, {}, vars_)
    assert "vars changed" in reason(True, previous, old, {"raw_sources": {"shopify": ["orders"]}})


def test_dry_run_reports_the_raw_data_and_declares_the_tables_with_rows(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    write(raw / "shopify" / "orders" / "part-0.parquet",
          "select * from (values (1, '2011-01-02T10:00:00Z', 'GBP'), (2, '2011-03-04T10:00:00Z', 'gbp'), "
          "(3, '2011-05-06T10:00:00Z', 'EUR')) as t(order_id, created_at, currency)")
    write(raw / "shopify" / "order_lines" / "part-0.parquet", "select 1 as order_line_id limit 0")
    run = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "build_warehouse.py"), "--raw", str(raw), "--db",
         str(tmp_path / "w.duckdb"), "--base-currency", "GBP", "--dry-run"],
        capture_output=True, text=True, check=False,
    )
    assert run.returncode == 0, run.stderr
    out = run.stdout
    assert "shopify.orders" in out and "3 rows in 1 file(s)" in out
    assert "shopify.order_lines" in out and "empty" in out
    assert "orders: 2011-01-02 .. 2011-05-06; currencies (most orders first): GBP, EUR" in out
    assert '"raw_sources": {"shopify": ["orders"]}' in out
    assert '"base_currency": "GBP"' in out
    assert "--full-refresh" not in out  # no warehouse yet


def test_bad_input_is_a_message_not_a_traceback(tmp_path: Path) -> None:
    script = str(ROOT / "scripts" / "build_warehouse.py")
    missing = subprocess.run([sys.executable, script, "--raw", str(tmp_path / "nope"), "--db", str(tmp_path / "w")],
                             capture_output=True, text=True, check=False)
    assert missing.returncode == 2 and "does not exist" in missing.stderr and "Traceback" not in missing.stderr
    (tmp_path / "raw").mkdir()
    empty = subprocess.run([sys.executable, script, "--raw", str(tmp_path / "raw"), "--db", str(tmp_path / "w")],
                           capture_output=True, text=True, check=False)
    assert empty.returncode == 2 and "no raw table with rows" in empty.stderr and "Traceback" not in empty.stderr
    bad_vars = subprocess.run([sys.executable, script, "--raw", str(tmp_path / "raw"), "--db", str(tmp_path / "w"),
                               "--vars", "[1, 2]"], capture_output=True, text=True, check=False)
    assert bad_vars.returncode != 0 and "--vars must be a YAML mapping" in bad_vars.stderr
    assert "Traceback" not in bad_vars.stderr
