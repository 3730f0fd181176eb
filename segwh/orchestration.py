"""Dagster definitions: the dbt project as assets, the quality gate and the publish downstream, and a
daily schedule (docs/production.md, "Scheduling with Dagster").

    DUCKDB_PATH=... RAW_DATA_ROOT=... .venv/bin/dagster dev -m segwh.orchestration     # the UI
    .venv/bin/dagster job execute -m segwh.orchestration -j segmentation_daily         # one run

Every dbt model, seed and snapshot is an asset (dagster-dbt reads target/manifest.json; `dbt parse`
writes it), their dbt tests are asset checks. `quality_gate` depends on every public mart and
`serving_store` on the gate: the same order as `segwh run`, and the same run lock, so a scheduled
Dagster run and a `segwh run` never build at once. Paths come from the environment as for segwh:
DUCKDB_PATH (build store), RAW_DATA_ROOT, SEGWH_DATA (serving/ and runs/ under it).
"""

import json
import os
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, dbt_assets

from segwh import gate, run, serving

ROOT = Path(__file__).resolve().parents[1]
MANIFEST = ROOT / "target" / "manifest.json"
POOL = "segmentation_warehouse"  # one build at a time (instance pools; the run lock holds it anyway)


def data_dir() -> Path:
    return Path(os.environ.get("SEGWH_DATA", ROOT / "data"))


def build_store() -> Path:
    return Path(os.environ.get("DUCKDB_PATH", data_dir() / "warehouse.duckdb")).resolve()


def raw_root() -> Path:
    return Path(os.environ.get("RAW_DATA_ROOT", data_dir() / "raw")).resolve()


def dbt_vars() -> dict:
    """var raw_sources from the raw folder, as segwh run declares it (plus SEGWH_DBT_VARS, YAML)."""
    tables = run.build_warehouse.source_tables(ROOT)
    found = run.build_warehouse.inspect_raw(raw_root(), tables)
    chosen = run.build_warehouse.parse_vars(os.environ.get("SEGWH_DBT_VARS"))
    if "raw_sources" not in chosen:
        chosen["raw_sources"] = run.build_warehouse.declared_sources(found, tables)
    return chosen


def manifest() -> dict:
    if not MANIFEST.exists():
        raise FileNotFoundError(f"{MANIFEST} is missing: run `.venv/bin/dbt parse` (or make build) first")
    return json.loads(MANIFEST.read_text())


def public_mart_keys() -> list[dg.AssetKey]:
    return [dg.AssetKey([m.identifier]) for m in serving.served_models(manifest())]


class Translator(DagsterDbtTranslator):
    """Asset key = the model's (or seed's) name, as in `ref()`, with _v<n> for a version that is not
    the latest; sources keep [source, table]."""

    def get_asset_key(self, dbt_resource_props):
        if dbt_resource_props["resource_type"] in ("model", "seed", "snapshot"):
            name, version = dbt_resource_props["name"], dbt_resource_props.get("version")
            if version is not None and version != dbt_resource_props.get("latest_version"):
                name = f"{name}_v{version}"
            return dg.AssetKey([name])
        return super().get_asset_key(dbt_resource_props)


@dbt_assets(manifest=MANIFEST, pool=POOL, dagster_dbt_translator=Translator())
def segmentation_dbt_assets(context: dg.AssetExecutionContext, dbt: DbtCliResource) -> Iterator:
    """`dbt build` of the selected models into the build store, under the run lock."""
    runs = data_dir() / "runs"
    try:
        with run.run_lock(runs / "run.lock"):
            os.environ.setdefault("DUCKDB_PATH", str(build_store()))
            os.environ.setdefault("RAW_DATA_ROOT", str(raw_root()))
            yield from dbt.cli(["build", "--vars", json.dumps(dbt_vars())], context=context).stream()
    except run.StageFailed as locked:
        raise dg.Failure(f"locked: {locked}") from None


@dg.asset(deps=public_mart_keys(), pool=POOL, group_name="publish",
          description="Great Expectations suites on every public mart of the build store (segwh/gate.py).")
def quality_gate(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    out = data_dir() / "runs" / f"dagster-{context.run_id}" / "gate"
    result = gate.run_gate(build_store(), manifest(), out, run.project_vars(), progress=context.log.info)
    metadata = {"suites": result.n_suites, "expectations": result.n_expectations,
                "failures": len(result.failures), "data_docs": dg.MetadataValue.path(str(result.docs))}
    if not result.success:
        raise dg.Failure(f"{len(result.failures)} expectations failed", metadata={
            **metadata, "first_failures": dg.MetadataValue.text("\n".join(result.failures[:20]))})
    return dg.MaterializeResult(metadata=metadata)


@dg.asset(deps=[quality_gate], pool=POOL, group_name="publish",
          description="The public marts published to the serving store readers use (segwh/serving.py).")
def serving_store(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    keep = int(run.project_vars()["serving_publishes_keep"])
    with run.run_lock(data_dir() / "runs" / "run.lock"):
        published = serving.publish(build_store(), data_dir() / "serving", manifest(), run_id=context.run_id,
                                    keep=keep, root=ROOT, progress=context.log.info)
    return dg.MaterializeResult(metadata={
        "publish_id": published["publish_id"], "tables": len(published["tables"]),
        "rows": sum(published["tables"].values()), "seconds": published["seconds"],
        "readers": dg.MetadataValue.path(str(data_dir() / "serving" / serving.SERVING_FILE))})


segmentation_daily = dg.define_asset_job(
    "segmentation_daily", selection=dg.AssetSelection.all(),
    description="Every dbt asset, then the quality gate, then the publish.",
    tags={"segmentation/job": "daily"},
)

daily_schedule = dg.ScheduleDefinition(
    name="segmentation_daily_0530_utc", job=segmentation_daily, cron_schedule="30 5 * * *",
    execution_timezone="UTC", default_status=dg.DefaultScheduleStatus.RUNNING,
)

defs = dg.Definitions(
    assets=[segmentation_dbt_assets, quality_gate, serving_store],
    jobs=[segmentation_daily],
    schedules=[daily_schedule],
    resources={"dbt": DbtCliResource(project_dir=str(ROOT), profiles_dir=str(ROOT), dbt_executable=str(run.DBT))},
)
