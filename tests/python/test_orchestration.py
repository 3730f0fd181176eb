"""The Dagster definitions (segwh/orchestration.py): they load, every dbt model is an asset with the
gate downstream of every public mart and the publish downstream of the gate, the daily schedule asks
for the job, and a run materializes in process on a copy of the demo warehouse (two marts rebuilt by
dbt, then the gate, then a publish readers can open). Needs `make build` first."""

from __future__ import annotations

import os
import shutil
import sys
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).resolve().parents[2]
WAREHOUSE = Path(os.environ.get("DUCKDB_PATH", ROOT / "data" / "warehouse.duckdb"))
RAW = Path(os.environ.get("RAW_DATA_ROOT", ROOT / "data" / "raw"))

pytestmark = pytest.mark.skipif(
    not WAREHOUSE.exists() or not (ROOT / "target" / "manifest.json").exists(), reason="needs `make build` first")


@pytest.fixture(scope="module")
def orchestration(tmp_path_factory: pytest.TempPathFactory):
    work = tmp_path_factory.mktemp("dagster")
    shutil.copy(WAREHOUSE, work / "warehouse.duckdb")
    saved = {k: os.environ.get(k) for k in ("SEGWH_DATA", "DUCKDB_PATH", "RAW_DATA_ROOT", "DAGSTER_HOME")}
    os.environ.update(SEGWH_DATA=str(work), DUCKDB_PATH=str(work / "warehouse.duckdb"), RAW_DATA_ROOT=str(RAW),
                      DAGSTER_HOME=str(work / "dagster_home"))
    (work / "dagster_home").mkdir()
    sys.path.insert(0, str(ROOT))
    from segwh import orchestration as module
    yield module, work
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


def test_the_definitions_load_with_the_gate_after_every_public_mart(orchestration) -> None:
    module, _ = orchestration
    import dagster as dg

    dg.Definitions.validate_loadable(module.defs)
    graph = module.defs.resolve_asset_graph()
    keys = {key.to_user_string() for key in graph.get_all_asset_keys()}
    assert {"customer_segments", "segment_kpis", "dim_customers", "quality_gate", "serving_store"} <= keys
    gate_parents = {key.to_user_string() for key in graph.get(dg.AssetKey("quality_gate")).parent_keys}
    assert gate_parents == {key.to_user_string() for key in module.public_mart_keys()}
    assert "segment_kpis" in gate_parents and "dim_customers" not in gate_parents  # public marts only
    assert {k.to_user_string() for k in graph.get(dg.AssetKey("serving_store")).parent_keys} == {"quality_gate"}


def test_the_daily_schedule_requests_the_whole_job(orchestration) -> None:
    module, _ = orchestration
    import dagster as dg

    schedule = module.defs.get_schedule_def("segmentation_daily_0530_utc")
    assert schedule.cron_schedule == "30 5 * * *" and schedule.execution_timezone == "UTC"
    assert schedule.job_name == "segmentation_daily"
    context = dg.build_schedule_context(scheduled_execution_time=datetime(2026, 1, 2, 5, 30, tzinfo=UTC))
    requests = schedule.evaluate_tick(context).run_requests
    assert len(requests) == 1


def test_a_run_materializes_dbt_then_the_gate_then_the_publish(orchestration) -> None:
    module, work = orchestration
    import dagster as dg

    selection = dg.AssetSelection.assets("segment_catalog", "segment_overlap", "quality_gate", "serving_store")
    result = dg.materialize(
        [module.segmentation_dbt_assets, module.quality_gate, module.serving_store],
        resources=module.defs.resources, selection=selection, instance=dg.DagsterInstance.ephemeral(),
    )
    assert result.success
    materialized = {e.asset_key.to_user_string() for e in result.get_asset_materialization_events()}
    assert {"segment_catalog", "segment_overlap", "quality_gate", "serving_store"} <= materialized
    assert "customer_segments" not in materialized  # only the selection is rebuilt
    published = result.asset_materializations_for_node("serving_store")[0].metadata["publish_id"].value
    with duckdb.connect(str(work / "serving" / "segments.duckdb"), read_only=True) as con:
        assert con.execute("select publish_id, run_id from publish_info").fetchone() == (published, result.run_id)
    gate = result.asset_materializations_for_node("quality_gate")[0].metadata
    assert gate["failures"].value == 0 and gate["expectations"].value > 200
