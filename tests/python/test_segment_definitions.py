"""The segment rule language: bad definitions stop compilation with a message naming the segment
and the field; a new segment added by editing only the definitions file is built, sized and
documented.

Each case copies the dbt project into a temporary folder, rewrites
models/marts/segments/_segment_definitions.yml there and runs dbt on a copy of the built DuckDB
warehouse (which holds the vocabulary seeds). Needs `make build`; skips cleanly otherwise.
"""

from __future__ import annotations

import copy
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DBT = Path(sys.executable).parent / "dbt"
WAREHOUSE = Path(os.environ.get("DUCKDB_PATH", ROOT / "data" / "warehouse.duckdb"))
RAW = Path(os.environ.get("RAW_DATA_ROOT", ROOT / "data" / "raw"))
DEFINITIONS = Path("models/marts/segments/_segment_definitions.yml")
PROJECT_PARTS = ("dbt_project.yml", "profiles.yml", "models", "macros", "seeds", "tests", "analyses")

pytestmark = pytest.mark.skipif(not WAREHOUSE.exists(), reason="needs a built warehouse: run `make build` first")


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """A copy of the dbt project and of the warehouse, parsed once so later runs parse partially."""
    work = tmp_path_factory.mktemp("segments")
    for part in PROJECT_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, work / part)
        else:
            shutil.copy2(source, work / part)
    shutil.copy2(WAREHOUSE, work / "warehouse.duckdb")
    return work


def definitions() -> dict:
    return yaml.safe_load((ROOT / DEFINITIONS).read_text(encoding="utf-8"))


def segments_of(document: dict) -> list[dict]:
    return document["models"][0]["config"]["meta"]["segments"]


def run_dbt(project: Path, document: dict, *args: str) -> subprocess.CompletedProcess:
    (project / DEFINITIONS).write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    env = dict(os.environ, DO_NOT_TRACK="1", DBT_PROFILES_DIR=str(project), RAW_DATA_ROOT=str(RAW),
               DUCKDB_PATH=str(project / "warehouse.duckdb"))
    return subprocess.run([str(DBT), *args], cwd=project, env=env, capture_output=True, text=True, timeout=600)


def compile_with(project: Path, change) -> str:
    """Compile segment_definitions after `change` edited the definitions; return dbt's output."""
    document = copy.deepcopy(definitions())
    change(segments_of(document))
    result = run_dbt(project, document, "compile", "--select", "segment_definitions")
    assert result.returncode != 0, "dbt compiled a bad definition:\n" + result.stdout[-2000:]
    return result.stdout + result.stderr


def segment(key: str, rule: dict, **fields) -> dict:
    return {"key": key, "name": key.replace("_", " ").title(), "family": "behavioural", "entity": "customer",
            "description": "A test segment.", "rule": rule, "priority": 5000, "min_size": 0, "owner": "tests",
            "version": 1, **fields}


def add(*new: dict):
    return lambda segments: segments.extend(new)


BAD_DEFINITIONS = {
    "unknown feature": (
        add(segment("big_spenders", {"all": [{"feature": "lifetime_spend", "op": ">", "value": 500}]})),
        "Segment definition 'big_spenders', field 'rule.all[0].feature': unknown feature \"lifetime_spend\""),
    "unknown operator": (
        add(segment("big_spenders", {"feature": "net_revenue_amount", "op": "=>", "value": 500})),
        "Segment definition 'big_spenders', field 'rule.op': unknown operator \"=>\""),
    "operator on the wrong type": (
        add(segment("big_spenders", {"feature": "net_revenue_amount", "op": "contains", "value": "5"})),
        "field 'rule.op': operator 'contains' does not apply to feature 'net_revenue_amount' of type decimal"),
    "type mismatch": (
        add(segment("big_spenders", {"feature": "net_revenue_amount", "op": ">", "value": "lots"})),
        "Segment definition 'big_spenders', field 'rule.value': type mismatch: feature 'net_revenue_amount' is"
        " decimal, the value \"lots\" is not"),
    "unknown event": (
        add(segment("wishers", {"event": "add_to_wishlist", "in_last_days": 7})),
        "Segment definition 'wishers', field 'rule.event': unknown event \"add_to_wishlist\""),
    "unknown property": (
        add(segment("wishers", {"event": "add_to_cart", "where": [{"property": "colour", "op": "=", "value": "red"}]})),
        "Segment definition 'wishers', field 'rule.where[0].property': unknown property \"colour\" of event"
        " 'add_to_cart'"),
    "bad count": (
        add(segment("wishers", {"event": "add_to_cart", "at_least": -1})),
        "Segment definition 'wishers', field 'rule.at_least': a whole number, 0 or more is needed"),
    "duplicate key": (
        lambda segments: segments.append(dict(segments[0], priority=1)),
        f"Segment definition '{segments_of(definitions())[0]['key']}', field 'key': duplicate key"),
    "cycle": (
        add(segment("chicken", {"in_segment": "egg"}), segment("egg", {"all": [{"in_segment": "chicken"}]})),
        "cycle of segment references: chicken -> egg -> chicken"),
    "unknown segment": (
        add(segment("chicken", {"not_in_segment": "dinosaur"})),
        "Segment definition 'chicken', field 'rule.not_in_segment': unknown segment \"dinosaur\""),
    "unknown field": (
        add(dict(segment("typo", {"all": []}), priorty=3)),
        "Segment definition 'typo', field 'priorty': unknown field"),
    "missing field": (
        lambda segments: segments.append({k: v for k, v in segment("no_owner", {"all": []}).items() if k != "owner"}),
        "Segment definition 'no_owner', field 'owner': missing"),
    "share out of range": (
        add(segment("everybody", {"all": []}, max_share=1.5)),
        "Segment definition 'everybody', field 'max_share': must be a share above 0 and at most 1, not 1.5"),
    "unknown family": (
        add(segment("astrology", {"all": []}, family="zodiac")),
        "Segment definition 'astrology', field 'family': unknown family 'zodiac'"),
    "two kinds in one condition": (
        add(segment("muddled", {"feature": "n_orders", "op": ">", "value": 1, "event": "order"})),
        "Segment definition 'muddled', field 'rule': a condition is a mapping with exactly one of"),
}


@pytest.mark.parametrize("case", sorted(BAD_DEFINITIONS))
def test_bad_definition_stops_compilation_naming_segment_and_field(project: Path, case: str) -> None:
    change, message = BAD_DEFINITIONS[case]
    output = compile_with(project, change)
    assert message in " ".join(output.split()), output[-3000:]


@pytest.mark.skipif(not RAW.is_dir(), reason=f"no raw data in {RAW}: run `make data` first")
def test_a_new_segment_needs_only_its_definition(project: Path) -> None:
    """Add 'Weekend Sale Fans' (a rule on a feature, an event with a property filter and a nested
    segment reference) by editing the definitions only: it is built, sized and documented."""
    document = copy.deepcopy(definitions())
    segments_of(document).append(segment(
        "sale_fans_not_lapsed",
        {"all": [
            {"feature": "on_sale_item_share", "op": ">=", "value": 0.5},
            {"event": "order_line", "at_least": 1, "where": [{"property": "is_on_sale", "op": "=", "value": True}]},
            {"not_in_segment": "lapsed_customers"},
        ]},
        name="Sale Fans (not lapsed)", description="Buy mostly on sale and are not lapsed.", min_size=1))
    result = run_dbt(project, document, "build", "--select", "segment_definitions", "segment_membership",
                     "segment_catalog", "--indirect-selection", "cautious")
    assert result.returncode == 0, result.stdout[-3000:]

    con = duckdb.connect(str(project / "warehouse.duckdb"), read_only=True)
    row = con.execute("""
        select segment_name, description, n_members, member_share
        from marts.segment_catalog where segment_key = 'sale_fans_not_lapsed'
    """).fetchone()
    expected = con.execute("""
        select count(*)
        from marts.customer_features as f
        join marts.customer_clv as c using (customer_key)
        join marts.dim_customers as d using (customer_key)
        where not d.is_test_account and f.on_sale_item_share >= 0.5
            -- lapsed_customers: no order for 180 days and p_alive under 0.5
            and not (coalesce(f.days_since_last_order >= 180, false) and coalesce(c.p_alive < 0.5, false))
            and exists (select 1 from marts.fct_order_lines as o
                        where o.customer_key = f.customer_key and o.is_on_sale and o.is_counted_order)
    """).fetchone()[0]
    reasons = con.execute("""
        select reason from marts.segment_membership
        where segment_key = 'sale_fans_not_lapsed' order by entity_key limit 1
    """).fetchone()
    con.close()
    assert row is not None, "the new segment is missing from segment_catalog"
    assert row[:2] == ("Sale Fans (not lapsed)", "Buy mostly on sale and are not lapsed.")
    assert expected > 0 and row[2] == expected
    assert 0 < row[3] < 1
    assert reasons[0].startswith("on_sale_item_share = ") and "in lapsed_customers = no" in reasons[0]
