"""dbt metadata for BI and operations (issue 17): public marts carry contracts and no PII, dev targets
never write production's schemas, the named selectors select what they say, and a failing test's rows
stay inspectable (store_failures). The serving whitelist and the gate read the same `access: public`
(test_serving.py, test_gate.py). Needs `make build` first."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).resolve().parents[2]
MANIFEST = ROOT / "target" / "manifest.json"
WAREHOUSE = Path(os.environ.get("DUCKDB_PATH", ROOT / "data" / "warehouse.duckdb"))
DBT = Path(sys.executable).parent / "dbt"

pytestmark = pytest.mark.skipif(not MANIFEST.exists() or not WAREHOUSE.exists(), reason="needs `make build` first")


def dbt(*args: str, target_path: Path, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(DBT), *args, "--target-path", str(target_path), "--log-path", str(target_path)],
                          cwd=ROOT, env=dict(os.environ, DBT_PROFILES_DIR=str(ROOT), DO_NOT_TRACK="1", **env),
                          capture_output=True, text=True, check=False)


@pytest.fixture(scope="module")
def manifest() -> dict:
    return json.loads(MANIFEST.read_text())


def test_every_public_mart_has_a_contract_a_group_and_no_pii(manifest: dict) -> None:
    public = [n for n in manifest["nodes"].values() if n["resource_type"] == "model" and n.get("access") == "public"]
    assert len(public) >= 10
    for node in public:
        assert node["config"]["contract"]["enforced"], f"{node['name']} is public without an enforced contract"
        assert node["group"] and node["path"].startswith("marts/"), node["name"]
        pii = [c for c, spec in node["columns"].items() if spec.get("meta", {}).get("pii")
               or spec.get("config", {}).get("meta", {}).get("pii")]
        assert not pii, f"{node['name']} is public with PII columns {pii}"
    private_layers = [n["name"] for n in manifest["nodes"].values()
                      if n["resource_type"] == "model" and n.get("access") == "public"
                      and not n["path"].startswith("marts/")]
    assert not private_layers


def test_a_dev_target_never_writes_production_schemas(tmp_path: Path) -> None:
    schemas = {}
    for target in ("postgres", "postgres_dev"):
        done = dbt("parse", "--target", target, target_path=tmp_path / target, USER="alice")
        assert done.returncode == 0, done.stdout[-2000:]
        nodes = json.loads((tmp_path / target / "manifest.json").read_text())["nodes"]
        schemas[target] = {n["name"]: n["schema"] for n in nodes.values() if n["resource_type"] in ("model", "seed")}
    assert schemas["postgres"]["dim_customers"] == "marts"
    assert schemas["postgres"]["fx_rates"] == "reference"
    assert schemas["postgres_dev"]["dim_customers"] == "dev_alice_marts"
    assert schemas["postgres_dev"]["stg_crm__contacts"] == "dev_alice_staging"
    assert not set(schemas["postgres"].values()) & set(schemas["postgres_dev"].values())


def test_the_daily_selector_leaves_out_unit_tests_and_scores_only_the_scores(tmp_path: Path) -> None:
    def listed(selector: str) -> set[str]:
        done = dbt("ls", "--selector", selector, "--output", "json", "--output-keys", "unique_id",
                   "--quiet", target_path=tmp_path)
        assert done.returncode == 0, done.stdout[-2000:]
        return {json.loads(line)["unique_id"] for line in done.stdout.splitlines() if line.startswith("{")}

    daily, full, scores = listed("daily"), listed("full"), listed("scores_only")
    assert full - daily == {u for u in full if u.startswith("unit_test.")}
    assert daily and not any(u.startswith("unit_test.") for u in daily)
    assert "model.customer_segmentation.customer_rfm" in scores and "model.customer_segmentation.customer_clv" in scores
    assert "model.customer_segmentation.segment_kpis" not in scores


def test_a_failing_test_leaves_its_rows_to_inspect(tmp_path: Path) -> None:
    copy = tmp_path / "warehouse.duckdb"
    shutil.copy(WAREHOUSE, copy)
    with duckdb.connect(str(copy)) as con:
        key = con.execute("insert into marts.segment_catalog select * from marts.segment_catalog "
                          "order by segment_key limit 1 returning segment_key").fetchone()[0]
    done = dbt("test", "--select", "unique_segment_catalog_v1_segment_key", target_path=tmp_path / "target",
               DUCKDB_PATH=str(copy), RAW_DATA_ROOT=str(ROOT / "data" / "raw"))
    assert done.returncode == 1, done.stdout[-2000:]
    assert '"test_failures"."unique_segment_catalog_v1_segment_key"' in done.stdout  # dbt says where to look
    with duckdb.connect(str(copy), read_only=True) as con:
        rows = con.execute("select * from test_failures.unique_segment_catalog_v1_segment_key").fetchall()
    assert [r[0] for r in rows] == [key]
