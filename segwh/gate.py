"""The quality gate: Great Expectations suites run on the build store before anything is published.

One suite per public mart (a public mart without an entry in gate/suites.yml stops the gate):
- expectations derived from the mart's dbt tests in the manifest, so a rule is written once
  (not_null, unique, unique_combination_of_columns, accepted_values, accepted_range, not_negative,
  relationships; tests with a `where` or severity warn stay dbt's alone);
- what dbt's yml does not say, from gate/suites.yml: row counts against other tables, value sets
  read from other tables, ranges;
- cross-table checks from gate/suites.yml: a SQL query whose every row must hold its ranges
  (primary shares adding up to 1, KPIs reconciling with fct_orders).

GX reads pandas DataFrames (DuckDB's `.df()`): its SQL datasource does not work on DuckDB (decision
68). Results and GX Data Docs (HTML) go to <out>/gx/uncommitted/data_docs/local_site/index.html.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import yaml

from segwh import serving

ROOT = Path(__file__).resolve().parents[1]
SUITES = ROOT / "gate" / "suites.yml"
MART_KEYS = {"rows", "between", "in_set", "description"}
CHECK_KEYS = {"name", "description", "sql", "expect", "min_rows"}


class GateError(Exception):
    """The gate cannot run (bad suites file, a public mart without a suite): names what to fix."""


@dataclass
class GateResult:
    success: bool
    n_suites: int = 0
    n_expectations: int = 0
    failures: list[str] = field(default_factory=list)
    docs: Path | None = None
    seconds: float = 0.0


def load_suites(path: Path = SUITES) -> dict:
    try:
        spec = yaml.safe_load(path.read_text())
    except (OSError, yaml.YAMLError) as error:
        raise GateError(f"cannot read {path}: {error}") from None
    for mart, rules in (spec.get("marts") or {}).items():
        unknown = set(rules or {}) - MART_KEYS
        if unknown:
            raise GateError(f"{path}: marts.{mart}: unknown key(s) {sorted(unknown)} (allowed: {sorted(MART_KEYS)})")
    for check in spec.get("checks") or []:
        unknown = set(check) - CHECK_KEYS
        if unknown or "name" not in check or "sql" not in check:
            raise GateError(f"{path}: check {check.get('name', '?')}: needs name and sql; "
                            f"allowed keys {sorted(CHECK_KEYS)}")
    return spec


def bound(value, variables: dict):
    """A number, null, or 'var:<name>' (a var of dbt_project.yml)."""
    if isinstance(value, str) and value.startswith("var:"):
        name = value.removeprefix("var:")
        if name not in variables:
            raise GateError(f"gate/suites.yml names var {name}, which dbt_project.yml does not define")
        return variables[name]
    return value


def relation_sql(text: str, relations: dict[str, str]) -> str:
    """{{ name }} -> the built relation of model/seed `name` (schema.identifier)."""
    def swap(match: re.Match) -> str:
        name = match.group(1)
        if name not in relations:
            raise GateError(f"gate/suites.yml refers to {{{{ {name} }}}}, which is not a model or seed")
        return relations[name]
    return re.sub(r"\{\{\s*(\w+)\s*\}\}", swap, text)


def derived_expectations(manifest: dict, unique_id: str, relations: dict[str, str]) -> list[tuple[str, dict]]:
    """(GX expectation class name, kwargs) for the model's dbt tests that GX can state on one table."""
    found = []
    for test in manifest["nodes"].values():
        if test["resource_type"] != "test" or test.get("attached_node") != unique_id or not test.get("test_metadata"):
            continue
        if test["config"].get("where") or test["config"].get("severity", "error").lower() != "error":
            continue
        name, kwargs = test["test_metadata"]["name"], test["test_metadata"]["kwargs"]
        column = kwargs.get("column_name")
        if name == "not_null":
            found.append(("ExpectColumnValuesToNotBeNull", {"column": column}))
        elif name == "unique":
            found.append(("ExpectColumnValuesToBeUnique", {"column": column}))
        elif name == "unique_combination_of_columns":
            found.append(("ExpectCompoundColumnsToBeUnique", {"column_list": list(kwargs["columns"])}))
        elif name == "accepted_values":
            found.append(("ExpectColumnValuesToBeInSet", {"column": column, "value_set": list(kwargs["values"])}))
        elif name == "accepted_range":
            found.append(("ExpectColumnValuesToBeBetween",
                          {"column": column, "min_value": kwargs["min_value"], "max_value": kwargs["max_value"]}))
        elif name == "not_negative":
            found.append(("ExpectColumnValuesToBeBetween", {"column": column, "min_value": 0}))
        elif name == "relationships":
            target = re.fullmatch(r"ref\(['\"](\w+)['\"]\)", kwargs["to"].strip())
            if target and target.group(1) in relations:
                found.append(("ExpectColumnValuesToBeInSet", {
                    "column": column,
                    "value_set": ("sql", f"select distinct {kwargs['field']} from {relations[target.group(1)]}"),
                }))
    return found


def relations_of(manifest: dict) -> dict[str, str]:
    """{{ name }} -> relation; a versioned model's name means its latest version, as ref() does."""
    return {n["name"]: f'"{n["schema"]}"."{n["alias"] or n["name"]}"' for n in manifest["nodes"].values()
            if n["resource_type"] in ("model", "seed") and n.get("version") == n.get("latest_version")}


def run_gate(
    build_db: Path,
    manifest: dict,
    out: Path,
    variables: dict,
    suites_path: Path = SUITES,
    progress: Callable[[str], None] = print,
    only: set[str] | None = None,
) -> GateResult:
    """Validate every suite (or the suites named in `only`: a mart, or check__<name>)."""
    started = time.monotonic()
    spec = load_suites(suites_path)
    marts_spec = spec.get("marts") or {}
    public = serving.served_models(manifest)
    # one suite per model name: it holds for every version served (each keeps its own dbt tests)
    missing = sorted({m.name for m in public} - set(marts_spec))
    extra = sorted(set(marts_spec) - {m.name for m in public})
    if missing or extra:
        raise GateError(f"{suites_path}: " + "; ".join(
            ([f"no suite for public mart(s) {', '.join(missing)}"] if missing else [])
            + ([f"suite(s) for {', '.join(extra)}, which are not public marts"] if extra else [])))
    relations = relations_of(manifest)

    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
    import great_expectations as gx  # slow to import: only when the gate runs

    out.mkdir(parents=True, exist_ok=True)
    context = gx.get_context(mode="file", project_root_dir=str(out))
    context.variables.progress_bars = {"globally": False, "metric_calculations": False}
    source = context.data_sources.add_pandas("build_store")
    result = GateResult(success=True)
    con = duckdb.connect(str(build_db), read_only=True)

    def values(sql: str) -> list:
        return [r[0] for r in con.execute(relation_sql(sql, relations)).fetchall()]

    def scalar(sql):
        return sql if isinstance(sql, int | float) else con.execute(relation_sql(str(sql), relations)).fetchone()[0]

    suites: list[tuple[str, str, list[tuple[str, dict]]]] = []
    for model in public:
        rules = marts_spec[model.name] or {}
        expectations = derived_expectations(manifest, model.unique_id, relations)
        for column, (low, high) in (rules.get("between") or {}).items():
            expectations.append(("ExpectColumnValuesToBeBetween", {
                "column": column, "min_value": bound(low, variables), "max_value": bound(high, variables)}))
        for column, sql in (rules.get("in_set") or {}).items():
            expectations.append(("ExpectColumnValuesToBeInSet", {"column": column, "value_set": ("sql", sql)}))
        rows = rules.get("rows") or {}
        if "equal" in rows:
            expectations.append(("ExpectTableRowCountToEqual", {"value": ("scalar", rows["equal"])}))
        if "min" in rows or "max" in rows:
            expectations.append(("ExpectTableRowCountToBeBetween", {
                "min_value": ("scalar", rows["min"]) if "min" in rows else None,
                "max_value": ("scalar", rows["max"]) if "max" in rows else None}))
        name = model.name if model.identifier == model.name else model.identifier
        suites.append((name, f'select * from "{model.schema}"."{model.identifier}"', expectations))
    for check in spec.get("checks") or []:
        expectations = [("ExpectTableRowCountToBeBetween", {"min_value": check.get("min_rows", 1)})]
        for column, (low, high) in (check.get("expect") or {}).items():
            expectations.append(("ExpectColumnValuesToNotBeNull", {"column": column}))
            expectations.append(("ExpectColumnValuesToBeBetween", {
                "column": column, "min_value": bound(low, variables), "max_value": bound(high, variables)}))
        suites.append((f"check__{check['name']}", check["sql"], expectations))

    if only is not None:
        suites = [suite for suite in suites if suite[0] in only]
    try:
        for name, sql, expectations in suites:
            frame = con.execute(relation_sql(sql, relations)).df()
            suite = context.suites.add(gx.ExpectationSuite(name=name))
            for class_name, kwargs in expectations:
                resolved = {}
                for key, value in kwargs.items():
                    if isinstance(value, tuple) and value[0] == "sql":
                        resolved[key] = values(value[1])
                    elif isinstance(value, tuple) and value[0] == "scalar":
                        resolved[key] = scalar(value[1])
                    else:
                        resolved[key] = value
                suite.add_expectation(getattr(gx.expectations, class_name)(**resolved))
            batch = source.add_dataframe_asset(name).add_batch_definition_whole_dataframe("whole")
            validation = context.validation_definitions.add(gx.ValidationDefinition(name=name, data=batch, suite=suite))
            checkpoint = context.checkpoints.add(gx.Checkpoint(
                name=name, validation_definitions=[validation],
                actions=[gx.checkpoint.UpdateDataDocsAction(name="data_docs")]))
            outcome = checkpoint.run(batch_parameters={"dataframe": frame})
            result.n_suites += 1
            for run in outcome.run_results.values():
                for item in run.results:
                    result.n_expectations += 1
                    if not item.success:
                        config = item.expectation_config
                        detail = {k: v for k, v in config.kwargs.items() if k not in ("batch_id", "value_set")}
                        observed = item.result.get("observed_value", item.result.get("unexpected_count"))
                        result.failures.append(f"{name}: {config.type} {detail} (observed {observed})")
            progress(f"gate: {name}: {len(frame):,} rows, {len(expectations)} expectations"
                     + ("" if outcome.success else " FAILED"))
    finally:
        con.close()
    result.success = not result.failures
    sites = context.get_docs_sites_urls()
    result.docs = Path(sites[0]["site_url"].removeprefix("file://")) if sites else None
    result.seconds = round(time.monotonic() - started, 3)
    return result
