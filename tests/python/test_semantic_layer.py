"""The semantic layer (models/marts/analytics/_analytics__semantic.yml) gives a MetricFlow client the
numbers of segment_kpis: `mf query` per segment and quarter on the primary basis against the mart's
own columns, and over all segments against the mart's rows re-aggregated as sums and ratios of sums.
Runs on a copy of the demo warehouse named warehouse.duckdb (the catalog name the semantic manifest
carries). Needs `make build` first (target/semantic_manifest.json and the warehouse)."""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).resolve().parents[2]
WAREHOUSE = Path(os.environ.get("DUCKDB_PATH", ROOT / "data" / "warehouse.duckdb"))
SEMANTIC = ROOT / "target" / "semantic_manifest.json"
MF = Path(sys.executable).parent / "mf"
METRICS = {  # metric -> the segment_kpis column it must reproduce
    "segment_members": "n_members",
    "net_revenue": "net_revenue_amount",
    "average_order_value": "aov_amount",
    "session_conversion_rate": "session_conversion_rate",
    "churn_rate": "churn_rate",
    "predicted_clv": "predicted_clv_amount",
    "historical_clv": "historical_clv_amount",
}
FILTERS = ["--where", "{{ Dimension('segment_kpi__membership_basis') }} = 'primary'",
           "--where", "{{ Dimension('segment_kpi__period_type') }} = 'quarter'"]

pytestmark = pytest.mark.skipif(not WAREHOUSE.exists() or not SEMANTIC.exists(), reason="needs `make build` first")


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy with churn on every primary quarter row (the demo has one snapshot, so no churn):
    n_churned = members mod 7 of n_churn_candidates = members, churn_rate their ratio as the mart
    rounds it, so the churn metric has numbers to reproduce."""
    copy = tmp_path_factory.mktemp("semantic") / "warehouse.duckdb"
    shutil.copy(WAREHOUSE, copy)
    with duckdb.connect(str(copy)) as con:
        con.execute("""update marts.segment_kpis
                       set n_churn_candidates = n_members, n_churned = n_members % 7,
                           churn_rate = case when n_members > 0 then round((n_members % 7) / n_members, 6) end""")
    return copy


def mf_query(warehouse: Path, group_by: str, out: Path) -> list[dict]:
    env = dict(os.environ, DUCKDB_PATH=str(warehouse), DBT_PROFILES_DIR=str(ROOT), DO_NOT_TRACK="1")
    done = subprocess.run([str(MF), "query", "--metrics", ",".join(METRICS), "--group-by", group_by, *FILTERS,
                           "--csv", str(out)], cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0 and out.exists(), done.stdout[-2000:] + done.stderr[-2000:]
    with out.open() as handle:
        return list(csv.DictReader(handle))


def close(metric: str, got: str, want) -> bool:
    if want is None or got == "":
        return want is None and got == ""
    tolerance = Decimal("0.005") if metric == "net_revenue" else Decimal("0.000001")
    return abs(Decimal(got) - Decimal(str(want))) <= tolerance * max(1, abs(Decimal(str(want))))


def test_each_segment_and_quarter_matches_the_mart(warehouse: Path, tmp_path: Path) -> None:
    rows = mf_query(warehouse, "segment,metric_time__day", tmp_path / "by_segment.csv")
    columns = ", ".join(METRICS.values())
    with duckdb.connect(str(warehouse), read_only=True) as con:
        mart = {(r[0], str(r[1])): r[2:] for r in con.execute(
            f"select segment_key, period_start, {columns} from marts.segment_kpis "
            "where membership_basis = 'primary' and period_type = 'quarter'").fetchall()}
    assert len(rows) == len(mart) > 5
    for row in rows:
        want = dict(zip(METRICS, mart[(row["segment"], row["metric_time__day"][:10])], strict=True))
        for metric in METRICS:
            assert close(metric, row[metric], want[metric]), (row["segment"], metric, row[metric], want[metric])
    assert any(row["churn_rate"] not in ("", "0.0", "0") for row in rows)


def test_all_segments_together_are_sums_and_ratios_of_sums(warehouse: Path, tmp_path: Path) -> None:
    """A rate over all segments is not the mean of the segments' rates: AOV is all revenue over all
    orders, conversion all converted sessions over all sessions."""
    rows = mf_query(warehouse, "metric_time__day", tmp_path / "total.csv")
    with duckdb.connect(str(warehouse), read_only=True) as con:
        totals = con.execute("""
            select period_start, sum(n_members), sum(net_revenue_amount), sum(net_revenue_amount) / sum(n_orders),
                   sum(n_converted_sessions) / sum(n_sessions), sum(n_churned) / sum(n_churn_candidates),
                   sum(predicted_clv_amount * n_members_with_clv) / nullif(sum(n_members_with_clv), 0),
                   sum(historical_clv_amount * n_members) / sum(n_members),
                   avg(aov_amount)
            from marts.segment_kpis where membership_basis = 'primary' and period_type = 'quarter'
            group by period_start""").fetchall()
    want = {str(t[0]): dict(zip(METRICS, t[1:8], strict=True)) for t in totals}
    assert len(rows) == len(want)
    for row in rows:
        for metric in METRICS:
            assert close(metric, row[metric], want[row["metric_time__day"][:10]][metric]), (metric, row[metric])
    mean_of_rates = totals[0][8]
    assert not close("average_order_value", rows[0]["average_order_value"], mean_of_rates)
