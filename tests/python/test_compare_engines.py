"""Same answers on every engine (issue 14): the comparison script finds planted differences, and, after
`make test-spark`, the marts built on the Spark cluster equal the DuckDB marts built from the same raw data."""

from __future__ import annotations

import json
import os
from decimal import Decimal
from pathlib import Path

import compare_engines
import duckdb
import pytest

ROOT = Path(__file__).resolve().parents[2]


def manifest_with(marts: dict[str, list[str]]) -> dict:
    """A minimal manifest: one mart model per name, each with a unique test on its key column."""
    nodes = {}
    for name, keys in marts.items():
        model_id = f"model.p.{name}"
        nodes[model_id] = {"unique_id": model_id, "name": name, "resource_type": "model",
                           "original_file_path": f"models/marts/{name}.sql"}
        nodes[f"test.p.unique_{name}"] = {"unique_id": f"test.p.unique_{name}", "name": f"unique_{name}",
                                          "resource_type": "test", "attached_node": model_id,
                                          "column_name": keys[0], "test_metadata": {"name": "unique", "kwargs": {}}}
    return {"nodes": nodes}


@pytest.fixture
def engines(tmp_path: Path):
    """A DuckDB warehouse with marts.scores and an 'other engine' Parquet copy of it, to be altered."""
    warehouse = tmp_path / "wh.duckdb"
    con = duckdb.connect(str(warehouse))
    con.execute("create schema marts")
    con.execute("""
        create table marts.scores as
        select * from (values
            ('a', cast(10.25 as decimal(28, 6)), 0.1 + 0.2, timestamp '2025-01-01 10:00:00', true),
            ('b', cast(3.10 as decimal(28, 6)), 1e6 / 3, timestamp '2025-02-01 00:00:00', null)
        ) as t(customer_key, revenue, churn_probability, first_order_at, is_active)""")
    con.close()
    manifest = tmp_path / "manifest.json"
    manifest.write_text(json.dumps(manifest_with({"scores": ["customer_key"]})))
    other = tmp_path / "other"
    (other / "scores").mkdir(parents=True)

    def write(sql: str) -> list[str]:
        """Write the other engine's copy from a query over the warehouse table, compare, return the report."""
        with duckdb.connect() as c:
            c.execute(f"attach '{warehouse}' as wh (read_only)")
            target = other / "scores" / "part-0.parquet"
            c.execute(f"copy ({sql.format(t='wh.marts.scores')}) to '{target}' (format parquet)")
        return [str(warehouse), str(other), str(manifest)]

    return write


def run(capsys, paths: list[str]) -> tuple[int, str]:
    code = compare_engines.main(["--duckdb", paths[0], "--other", paths[1], "--manifest", paths[2]])
    return code, capsys.readouterr().out


def test_equal_marts_pass_within_the_float_tolerance(engines, capsys) -> None:
    # the same rows in another order, the double off in its 12th digit, types widened as Spark writes them
    paths = engines("""select customer_key, cast(revenue as decimal(38, 6)) as revenue,
                       churn_probability * (1 + 1e-12) as churn_probability, first_order_at, is_active
                       from {t} order by customer_key desc""")
    code, out = run(capsys, paths)
    assert code == 0, out
    assert "same  marts.scores: 2 rows, key customer_key" in out


@pytest.mark.parametrize(("change", "expected"), [
    ("revenue + 0.000001 as revenue", "revenue: 2 rows differ"),  # money must be exact, below the cent too
    ("churn_probability * 1.001 as churn_probability", "churn_probability: 2 rows differ"),
    ("first_order_at + interval 1 hour as first_order_at", "first_order_at: 2 rows differ"),
    ("coalesce(is_active, false) as is_active", "is_active: 1 rows differ"),  # null is not false
])
def test_a_changed_value_is_reported_with_its_key(engines, capsys, change: str, expected: str) -> None:
    column = change.split(" as ")[-1]
    others = ", ".join(c for c in ["revenue", "churn_probability", "first_order_at", "is_active"] if c != column)
    code, out = run(capsys, engines(f"select customer_key, {change}, {others} from {{t}}"))
    assert code == 1 and "DIFF  marts.scores" in out and expected in out, out
    assert "b: " in out  # the key of a differing row is shown


def test_missing_rows_and_columns_are_reported(engines, capsys) -> None:
    paths = engines("select customer_key, revenue, churn_probability, first_order_at from {t} where customer_key = 'a'")
    code, out = run(capsys, paths)
    assert code == 1
    assert "columns only on DuckDB: is_active" in out
    assert "2 rows on DuckDB, 1 on the other engine" in out
    assert "keys only on DuckDB: 1, only on the other engine: 0" in out


def test_usage_errors_name_what_is_missing(tmp_path: Path, capsys) -> None:
    code = compare_engines.main(["--duckdb", str(tmp_path / "none.duckdb")])
    assert code == 2 and "no DuckDB warehouse at" in capsys.readouterr().err


def test_decimal_values_survive_the_round_trip(engines) -> None:
    paths = engines("select * from {t}")
    got = duckdb.sql(f"select revenue from read_parquet('{paths[1]}/scores/*.parquet') order by 1").fetchall()
    assert got == [(Decimal("3.100000"),), (Decimal("10.250000"),)]


@pytest.mark.skipif(not os.environ.get("SPARK_MARTS"),
                    reason="set SPARK_MARTS=data/spark/marts after `make test-spark` (.ci/run does)")
def test_spark_marts_equal_the_duckdb_marts(capsys) -> None:
    """Every mart built on the Spark cluster equals the DuckDB mart built from the same raw data, but for
    the columns computed from the BTYD parameters (no Python fit on Spark)."""
    code = compare_engines.main(["--duckdb", os.environ.get("DUCKDB_PATH", str(ROOT / "data" / "warehouse.duckdb")),
                                 "--other", os.environ["SPARK_MARTS"],
                                 "--manifest", str(ROOT / "target" / "spark" / "manifest.json"),
                                 "--without-python-models"])
    out = capsys.readouterr().out
    print(out)
    assert code == 0, out


def test_an_ignored_column_is_not_compared_and_is_named(engines, capsys) -> None:
    paths = engines("select customer_key, revenue, churn_probability * 2 as churn_probability, first_order_at, "
                    "is_active from {t}")
    code = compare_engines.main(["--duckdb", paths[0], "--other", paths[1], "--manifest", paths[2],
                                 "--ignore", "scores.churn_probability"])
    out = capsys.readouterr().out
    assert code == 0 and "(not compared: churn_probability)" in out, out
    assert compare_engines.main(["--duckdb", paths[0], "--other", paths[1], "--manifest", paths[2],
                                 "--ignore", "nope.x"]) == 2
