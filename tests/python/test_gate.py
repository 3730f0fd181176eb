"""The quality gate (segwh/gate.py, gate/suites.yml): the demo warehouse passes, and each kind of rule
fails when it is broken in a copy of the warehouse: a dbt test carried into GX, a value set and a row
count from gate/suites.yml, and the cross-table checks (shares adding up, KPIs reconciling to the
cent). A public mart without a suite stops the gate. Needs `make build` first."""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from segwh import gate, run  # noqa: E402

WAREHOUSE = Path(os.environ.get("DUCKDB_PATH", ROOT / "data" / "warehouse.duckdb"))
MANIFEST = ROOT / "target" / "manifest.json"

pytestmark = pytest.mark.skipif(not WAREHOUSE.exists() or not MANIFEST.exists(), reason="needs `make build` first")


@pytest.fixture(scope="module")
def manifest() -> dict:
    return json.loads(MANIFEST.read_text())


def test_the_demo_warehouse_passes_the_gate_and_gets_data_docs(tmp_path: Path, manifest: dict) -> None:
    result = gate.run_gate(WAREHOUSE, manifest, tmp_path, run.project_vars(), progress=lambda _: None)
    assert result.success, result.failures
    public = {n["name"] for n in manifest["nodes"].values() if n.get("access") == "public"}
    assert result.n_suites == len(public) + len(gate.load_suites()["checks"])
    assert result.n_expectations > 10 * len(public)  # the marts' dbt tests came along
    html = result.docs.read_text()
    assert result.docs.name == "index.html" and "customer_segments" in html and "check__primary_shares" in html


BREAKS = {
    # dbt's unique test on segment_catalog.segment_key, carried into the suite
    "duplicate_key": ("insert into marts.segment_catalog select * from marts.segment_catalog limit 1",
                      "segment_catalog", "expect_column_values_to_be_unique"),
    # gate/suites.yml: in_set read from segment_catalog
    "unknown_segment": ("update marts.customer_segments set primary_segment_key = 'no_such_segment' "
                        "where customer_key = (select min(customer_key) from marts.customer_segments)",
                        "customer_segments", "expect_column_values_to_be_in_set"),
    # gate/suites.yml: rows equal dim_customers' real customers
    "lost_customer": ("delete from marts.customer_segments "
                      "where customer_key = (select min(customer_key) from marts.customer_segments)",
                      "customer_segments", "expect_table_row_count_to_equal"),
    "shares_off": ("update marts.segment_kpis set member_share = member_share + 0.001 "
                   "where membership_basis = 'primary' and segment_key = 'everyone_else'",
                   "check__primary_shares_add_up_to_one", "share_sum_error"),
    "one_cent": ("update marts.segment_kpis set net_revenue_amount = net_revenue_amount + 0.01 "
                 "where segment_kpi_id = (select min(segment_kpi_id) from marts.segment_kpis "
                 "where membership_basis = 'primary' and n_orders > 0)",
                 "check__kpi_orders_and_revenue_reconcile_with_fct_orders", "revenue_difference"),
}


@pytest.mark.parametrize("case", sorted(BREAKS))
def test_a_broken_rule_fails_the_gate(tmp_path: Path, manifest: dict, case: str) -> None:
    sql, suite, words = BREAKS[case]
    copy = tmp_path / "warehouse.duckdb"
    shutil.copy(WAREHOUSE, copy)
    with duckdb.connect(str(copy)) as con:
        assert con.execute(sql).fetchone()[0] >= 1  # rows inserted, updated or deleted
    result = gate.run_gate(copy, manifest, tmp_path / "gate", run.project_vars(), progress=lambda _: None,
                           only={suite})
    assert not result.success
    assert any(f.startswith(f"{suite}: ") and words in f for f in result.failures), result.failures


def test_every_public_mart_needs_a_suite(tmp_path: Path, manifest: dict) -> None:
    spec = gate.load_suites()
    del spec["marts"]["segment_kpis"]
    spec["marts"]["dim_customers"] = {}
    path = tmp_path / "suites.yml"
    path.write_text(json.dumps(spec))
    with pytest.raises(gate.GateError, match=r"no suite for public mart.*segment_kpis.*dim_customers, which are not"):
        gate.run_gate(WAREHOUSE, manifest, tmp_path / "gate", run.project_vars(), suites_path=path)
    spec["marts"]["segment_kpis"] = {"row": {"min": 1}}
    path.write_text(json.dumps(spec))
    with pytest.raises(gate.GateError, match=r"marts\.segment_kpis: unknown key\(s\) \['row'\]"):
        gate.run_gate(WAREHOUSE, manifest, tmp_path / "gate", run.project_vars(), suites_path=path)
