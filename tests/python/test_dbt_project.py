"""Project conventions checked against dbt's manifest and the built DuckDB warehouse.

Runs after `dbt build` (make test orders it so); skips when no build is there. What the metadata
linters hold is not repeated here: descriptions and owners (dbt-score, `make score`), the layer rule,
model names and a primary-key test per model (dbt-bouncer, `make conventions`).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).resolve().parents[2]
MANIFEST = ROOT / "target" / "manifest.json"
WAREHOUSE = Path(os.environ.get("DUCKDB_PATH", ROOT / "data" / "warehouse.duckdb"))


@pytest.fixture(scope="module")
def manifest() -> dict:
    if not MANIFEST.exists():
        pytest.skip("no target/manifest.json: run `make build` first")
    return json.loads(MANIFEST.read_text())


@pytest.fixture(scope="module")
def models(manifest: dict) -> list[dict]:
    return [
        node
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node["package_name"] == "customer_segmentation"
    ]


@pytest.fixture(scope="module")
def warehouse_columns() -> dict[tuple[str, str], set[str]]:
    if not WAREHOUSE.exists():
        pytest.skip(f"no warehouse at {WAREHOUSE}: run `make build` first")
    with duckdb.connect(str(WAREHOUSE), read_only=True) as con:
        rows = con.execute(
            "select table_schema, table_name, column_name from information_schema.columns"
        ).fetchall()
    columns: dict[tuple[str, str], set[str]] = {}
    for schema, table, column in rows:
        columns.setdefault((schema, table), set()).add(column)
    return columns


def _tests_by_model(manifest: dict) -> dict[str, list[dict]]:
    found: dict[str, list[dict]] = {}
    for node in manifest["nodes"].values():
        if node["resource_type"] == "test":
            for parent in node["depends_on"]["nodes"]:
                found.setdefault(parent, []).append(node)
    return found


def test_every_built_column_is_documented(models: list[dict], warehouse_columns: dict) -> None:
    problems = []
    for model in models:
        built = warehouse_columns.get((model["schema"], model["alias"]))
        if built is None:
            problems.append(f"{model['name']}: not in the warehouse")
            continue
        documented = {name for name, col in model["columns"].items() if col["description"].strip()}
        if built - documented:
            problems.append(f"{model['name']}: undocumented {sorted(built - documented)}")
        if set(model["columns"]) - built:
            problems.append(f"{model['name']}: documented but not built {sorted(set(model['columns']) - built)}")
    assert not problems, "\n".join(problems)


def test_every_model_has_a_data_test(manifest: dict, models: list[dict]) -> None:
    tested = _tests_by_model(manifest)
    untested = [m["name"] for m in models if not tested.get(m["unique_id"])]
    assert not untested, f"models without any data test: {untested}"


def test_every_staging_model_reconciles_with_its_source(manifest: dict, models: list[dict]) -> None:
    tested = _tests_by_model(manifest)
    missing = []
    for model in models:
        if not model["name"].startswith("stg_"):
            continue
        names = {t.get("test_metadata", {}).get("name") for t in tested.get(model["unique_id"], [])}
        if "rows_reconcile_with_source" not in names:
            missing.append(model["name"])
    assert not missing, f"staging models without rows_reconcile_with_source: {missing}"


def test_pii_source_columns_stay_tagged_downstream(manifest: dict, models: list[dict]) -> None:
    """A column tagged pii in a source keeps the tag in every staging model that exposes it by name."""
    pii_names = {
        name
        for source in manifest["sources"].values()
        for name, col in source["columns"].items()
        if col.get("meta", {}).get("pii") or col.get("config", {}).get("meta", {}).get("pii")
    }
    problems = []
    for model in models:
        for name, col in model["columns"].items():
            tagged = col.get("meta", {}).get("pii") or col.get("config", {}).get("meta", {}).get("pii")
            if name in pii_names and not tagged:
                problems.append(f"{model['name']}.{name}")
    assert not problems, f"PII columns not tagged pii: {problems}"


def test_every_var_has_a_rule_and_every_rule_a_var() -> None:
    """validate_vars() checks each var of dbt_project.yml against var_rules(): none may be missed."""
    import re

    import yaml

    project_vars = set(yaml.safe_load((ROOT / "dbt_project.yml").read_text())["vars"])
    rules_text = (ROOT / "macros" / "project" / "var_rules.sql").read_text()
    rules = set(re.findall(r"^\s+'([a-z_]+)': ", rules_text, re.MULTILINE))
    assert project_vars - rules == set(), "vars without a rule in macros/project/var_rules.sql"
    assert rules - project_vars == set(), "rules for vars that dbt_project.yml does not define"


def test_relation_names_fit_postgres(manifest: dict) -> None:
    """PostgreSQL truncates identifiers at 63 bytes, and a unit test builds a relation named after itself."""
    nodes = list(manifest["nodes"].values()) + list(manifest.get("unit_tests", {}).values())
    too_long = sorted(n["name"] for n in nodes
                      if n["resource_type"] in {"model", "seed", "unit_test"} and len(n["name"]) > 63)
    assert not too_long, f"names longer than 63 characters (PostgreSQL's limit): {too_long}"


def test_models_do_not_fork_on_the_engine() -> None:
    """Engine differences live in dispatched macros (issue 14), not in `target.type` checks in models.

    The one exception: whether the Python fit exists (dbt runs Python models on DuckDB only here), which
    must match the `enabled` config of int_btyd_parameters_fitted in yml, where macros cannot be called.
    """
    allowed = {"models/intermediate/scoring/int_btyd_parameters.sql"}
    forks = [str(path.relative_to(ROOT)) for path in sorted((ROOT / "models").rglob("*.sql"))
             if "target.type" in path.read_text() and str(path.relative_to(ROOT)) not in allowed]
    assert not forks, f"models that check target.type (use adapter.dispatch in a macro): {forks}"
