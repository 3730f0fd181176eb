#!/usr/bin/env python3
"""Compare the marts of another engine's build with the DuckDB warehouse built from the same raw data.

    python scripts/compare_engines.py --duckdb data/warehouse.duckdb --other data/spark/marts

--other holds one Parquet folder per mart, named after the model (scripts/spark/export_marts.py
writes them). Each mart is matched row by row on its key (the column(s) of its unique or
unique_combination_of_columns test in the manifest), then cell by cell:
- text, booleans, dates, integers and decimals (money) must be equal;
- timestamps are compared as UTC instants;
- floating-point columns (scores, CLV, probabilities) may differ by a relative --float-tolerance
  (the engines sum and take logarithms in different orders).
Both sides are read through DuckDB. One line per mart; for a difference, the columns, the count and
a few keys with both values. --ignore MART.COLUMN leaves out a column that differs by design (a
documented engine exception, such as the BTYD parameters fitted in Python on DuckDB only); the SQL
each engine compiled a segment rule to (segment_definitions.rule_sql) is never compared.

Exit status: 0 every mart equal; 1 differences; 2 usage error (missing warehouse, folder or mart).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import duckdb

EXIT_OK, EXIT_DIFFERENT, EXIT_USAGE = 0, 1, 2
# Columns computed from the BTYD parameters: fitted by a Python model on DuckDB, taken from var
# clv_fallback_parameters where dbt runs no Python models (PostgreSQL, Spark). With the same parameters
# (a DuckDB build with clv_fit_with_python false) they agree too (docs/research/spark.md).
BTYD_PARAMETER_COLUMNS = [
    "customer_clv.p_alive", "customer_clv.expected_purchases", "customer_clv.expected_order_value",
    "customer_clv.expected_spend", "customer_clv.predicted_clv", "customer_clv.parameter_source",
    "customer_churn_risk.p_alive", "customer_churn_risk.churn_score", "customer_churn_risk.churn_band",
    # a membership reason shows feature values such as p_alive to 4 decimals: the 6-digit fallback
    # parameters move a few in the last digit (which members a segment has is still compared)
    "segment_membership.reason",
    # segment analytics read predicted CLV: the KPI mean and everything the budget splits by it
    "segment_kpis.predicted_clv_amount",
    "segment_budget_recommendation.mean_predicted_clv_amount",
    "segment_budget_recommendation.expected_incremental_value_amount",
    "segment_budget_recommendation.budget_share", "segment_budget_recommendation.budget_amount",
    "segment_budget_recommendation.is_at_cap", "segment_budget_recommendation.is_at_floor",
]
# Marts with one row per feature: the rows of the features that are BTYD parameter columns above
# (seed feature_catalog: model.column_name) are left out; their buckets differ with the parameters.
BTYD_PARAMETER_FEATURE_ROWS = ["segment_feature_bins_log"]
# SQL text an engine compiles its own way (segment rules: dateadd, position, string literals).
ENGINE_SQL_COLUMNS = ["segment_definitions.rule_sql"]
FLOAT_TYPES = {"DOUBLE", "FLOAT", "REAL"}


def mart_models(manifest: dict) -> list[dict]:
    """The manifest nodes of the marts: the enabled models under models/marts/, sorted by name."""
    return sorted((n for n in manifest["nodes"].values()
                   if n["resource_type"] == "model" and n["original_file_path"].startswith("models/marts/")),
                  key=lambda n: n["name"])


def mart_keys(manifest: dict) -> dict[str, list[str]]:
    """{mart model name: key columns}, from the first uniqueness test of each mart (sorted by test name)."""
    marts = {n["unique_id"]: n["name"] for n in mart_models(manifest)}
    keys: dict[str, list[str]] = {}
    tests = sorted((n for n in manifest["nodes"].values() if n["resource_type"] == "test"), key=lambda n: n["name"])
    for test in tests:
        meta = test.get("test_metadata") or {}
        model = marts.get(test.get("attached_node") or "")
        if model is None or model in keys:
            continue
        if meta.get("name") == "unique" and test.get("column_name"):
            keys[model] = [test["column_name"]]
        elif meta.get("name") == "unique_combination_of_columns":
            keys[model] = list(meta["kwargs"]["columns"])
    return {name: keys.get(name, []) for name in sorted(marts.values())}


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def same(column: str, duck_type: str, tolerance: float) -> str:
    """SQL: the DuckDB value d.<column> and the other engine's o.<column> agree."""
    d, o = f"d.{quote(column)}", f"o.{quote(column)}"
    if duck_type in FLOAT_TYPES:
        o = f"try_cast({o} as double)"
        return f"({d} is null and {o} is null) or abs({d} - {o}) <= {tolerance} * greatest(1, abs({d}))"
    if duck_type.startswith("TIMESTAMP"):
        return f"cast({d} as timestamptz) is not distinct from cast({o} as timestamptz)"
    return f"{d} is not distinct from try_cast({o} as {duck_type})"


def compare_mart(con, name: str, keys: list[str], folder: Path, tolerance: float, examples: int,
                 ignored: set[str] = frozenset(), left_out_rows: str | None = None) -> list[str]:
    """Differences between marts.<name> in the warehouse and the Parquet folder, as report lines.
    Columns in `ignored` are left out of the cell comparison (not of the column-set check); rows
    matching the SQL predicate `left_out_rows` are left out on both sides."""
    keep = f" where not coalesce({left_out_rows}, false)" if left_out_rows else ""
    con.execute(f"create or replace temp view other as select * from read_parquet('{folder}/*.parquet'){keep}")
    con.execute(f"create or replace temp view duck as select * from wh.marts.{quote(name)}{keep}")
    duck_cols = dict(con.execute("select column_name, column_type from (describe duck)").fetchall())
    other_cols = [r[0] for r in con.execute("describe other").fetchall()]
    problems = []
    if missing := [c for c in duck_cols if c not in other_cols]:
        problems.append(f"columns only on DuckDB: {', '.join(missing)}")
    if extra := [c for c in other_cols if c not in duck_cols]:
        problems.append(f"columns only on the other engine: {', '.join(extra)}")
    n_duck, n_other = (con.execute(f"select count(*) from {t}").fetchone()[0] for t in ("duck", "other"))
    if n_duck != n_other:
        problems.append(f"{n_duck} rows on DuckDB, {n_other} on the other engine")
    if not keys:
        return [*problems, "no uniqueness test in the manifest: cannot match rows"]
    on = " and ".join(f"d.{quote(k)} is not distinct from o.{quote(k)}" for k in keys)
    key_text = " || ' / ' || ".join(f"coalesce(cast(coalesce(d.{quote(k)}, o.{quote(k)}) as varchar), 'null')"
                                     for k in keys)
    joined = f"duck as d full join other as o on {on}"
    only = con.execute(f"""
        select
            count(*) filter (where o.{quote(keys[0])} is null and d.{quote(keys[0])} is not null),
            count(*) filter (where d.{quote(keys[0])} is null and o.{quote(keys[0])} is not null)
        from {joined}""").fetchone()
    if only[0] or only[1]:
        problems.append(f"keys only on DuckDB: {only[0]}, only on the other engine: {only[1]}")
    compared = [c for c in duck_cols if c in other_cols and c not in keys and c not in ignored]
    if not compared:
        return problems
    matched = " and ".join(f"d.{quote(k)} is not null and o.{quote(k)} is not null" for k in keys)
    counts = con.execute("select " + ", ".join(
        f"count(*) filter (where not coalesce({same(c, duck_cols[c], tolerance)}, false))" for c in compared)
        + f" from {joined} where {matched}").fetchone()
    for column, n in zip(compared, counts, strict=True):
        if not n:
            continue
        rows = con.execute(f"""
            select {key_text}, cast(d.{quote(column)} as varchar), cast(o.{quote(column)} as varchar)
            from {joined}
            where {matched} and not coalesce({same(column, duck_cols[column], tolerance)}, false)
            order by 1 limit {examples}""").fetchall()
        shown = "; ".join(f"{k}: {dv} vs {ov}" for k, dv, ov in rows)
        problems.append(f"{column}: {n} rows differ (key: DuckDB vs other) {shown}")
    return problems


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--duckdb", type=Path, default=Path("data/warehouse.duckdb"), help="the DuckDB warehouse")
    p.add_argument("--other", type=Path, default=Path("data/spark/marts"),
                   help="one Parquet folder per mart from the other engine (default: data/spark/marts)")
    p.add_argument("--manifest", type=Path, default=Path("target/manifest.json"),
                   help="a manifest of the project, for the marts and their keys (default: target/manifest.json)")
    p.add_argument("--float-tolerance", type=float, default=1e-9, help="relative, for floating-point columns")
    p.add_argument("--examples", type=int, default=3, help="differing rows shown per column")
    p.add_argument("--ignore", action="append", default=[], metavar="MART.COLUMN",
                   help="a column not compared, for a documented engine exception (repeatable)")
    p.add_argument("--without-python-models", action="store_true",
                   help="the other engine ran no Python models: leave out the BTYD parameter columns")
    args = p.parse_args(argv)
    implicit = [*ENGINE_SQL_COLUMNS, *(BTYD_PARAMETER_COLUMNS if args.without_python_models else [])]
    for path, what in ((args.duckdb, "DuckDB warehouse"), (args.manifest, "manifest")):
        if not path.is_file():
            print(f"compare_engines: error: no {what} at {path}", file=sys.stderr)
            return EXIT_USAGE
    if not args.other.is_dir():
        print(f"compare_engines: error: no folder {args.other} (scripts/spark/export_marts.py writes it)",
              file=sys.stderr)
        return EXIT_USAGE
    marts = mart_keys(json.loads(args.manifest.read_text()))
    ignored: dict[str, set[str]] = {}
    for item in args.ignore:
        mart, _, column = item.partition(".")
        if mart not in marts or not column:
            print(f"compare_engines: error: --ignore {item}: not <mart>.<column> of a mart in the manifest",
                  file=sys.stderr)
            return EXIT_USAGE
        ignored.setdefault(mart, set()).add(column)
    for item in implicit:  # exceptions of marts this manifest has
        mart, _, column = item.partition(".")
        if mart in marts:
            ignored.setdefault(mart, set()).add(column)
    absent = [m for m in marts if not any((args.other / m).glob("*.parquet"))]
    if absent:
        print(f"compare_engines: error: no Parquet files for {', '.join(absent)} under {args.other}", file=sys.stderr)
        return EXIT_USAGE

    con = duckdb.connect()
    con.execute("set TimeZone = 'UTC'")
    con.execute(f"attach '{args.duckdb}' as wh (read_only)")
    left_out = {}
    if args.without_python_models:
        btyd_features = [row[0] for row in con.execute(
            "select feature_name from wh.reference.feature_catalog where model || '.' || column_name in ("
            + ", ".join(f"'{c}'" for c in BTYD_PARAMETER_COLUMNS) + ") order by 1").fetchall()]
        for mart in BTYD_PARAMETER_FEATURE_ROWS:
            if mart in marts and btyd_features:
                left_out[mart] = "feature_name in (" + ", ".join(f"'{f}'" for f in btyd_features) + ")"
    different = 0
    for name, keys in marts.items():
        try:
            problems = compare_mart(con, name, keys, (args.other / name).resolve(), args.float_tolerance,
                                    args.examples, ignored.get(name, set()), left_out.get(name))
        except duckdb.Error as e:
            problems = [f"could not compare: {str(e).splitlines()[0]}"]
        if problems:
            different += 1
            print(f"DIFF  marts.{name}")
            for line in problems:
                print(f"      {line}")
        else:
            rows = con.execute("select count(*) from duck").fetchone()[0]
            skipped = f" (not compared: {', '.join(sorted(ignored[name]))})" if name in ignored else ""
            skipped += f" (rows left out: {left_out[name]})" if name in left_out else ""
            print(f"same  marts.{name}: {rows} rows, key {', '.join(keys)}{skipped}")
    print(f"compare_engines: {len(marts) - different} of {len(marts)} marts equal")
    return EXIT_DIFFERENT if different else EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
