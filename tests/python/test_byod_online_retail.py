"""Bring your own data: the real UCI Online Retail dataset, imported as Shopify-shaped raw tables,
builds through staging with every dbt test passing and reproduces the dataset's published figures.

Skips cleanly when ../shared/datasets is absent (the data is never committed here).
"""

from __future__ import annotations

import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).resolve().parents[2]
CSV = Path(os.environ.get("SHARED_DATASETS", ROOT.parent / "shared" / "datasets")) / "online_retail" / "online_retail.csv.gz"
DBT = Path(sys.executable).parent / "dbt"

# Published reference figures (shared/datasets/README.md): customer id present, Quantity > 0, UnitPrice > 0.
REFERENCE_ROWS = 397_884
REFERENCE_CUSTOMERS = 4_338
REFERENCE_INVOICES = 18_532
REFERENCE_REVENUE = Decimal("8911407.90")
REFERENCE_TOP_CUSTOMERS = [(14646, Decimal("280206.02")), (18102, Decimal("259657.30")), (17450, Decimal("194550.79"))]
CANCELLATION_LINES = 9_288

pytestmark = pytest.mark.skipif(not CSV.exists(), reason=f"UCI Online Retail not found at {CSV}")


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> duckdb.DuckDBPyConnection:
    work = tmp_path_factory.mktemp("online_retail")
    imported = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "import_online_retail.py"), "--csv", str(CSV), "--out", str(work)],
        check=False, capture_output=True, text=True, timeout=300,
    )
    assert imported.returncode == 0, imported.stderr
    env = dict(os.environ, DO_NOT_TRACK="1", DBT_PROFILES_DIR=str(ROOT),
               RAW_DATA_ROOT=str(work / "raw"), DUCKDB_PATH=str(work / "warehouse.duckdb"))
    built = subprocess.run(
        [str(DBT), "build", "--select", "+models/staging", "--indirect-selection", "cautious",
         "--vars", "{raw_sources: {shopify: [orders, order_lines, products]}}",
         "--target-path", str(work / "target"), "--log-path", str(work / "logs")],
        cwd=ROOT, env=env, check=False, capture_output=True, text=True, timeout=900,
    )
    # every data test (reconciliation included) must pass on real data
    assert built.returncode == 0, built.stdout[-4000:]
    con = duckdb.connect(str(work / "warehouse.duckdb"), read_only=True)
    yield con
    con.close()


def _sub_cent_lines() -> int:
    """Lines priced below half a cent: Shopify stores prices in cents, so they become 0.00."""
    return duckdb.sql(
        f"""select count(*) from read_csv('{CSV}', all_varchar = true)
            where CustomerID is not null and cast(Quantity as int) > 0
              and cast(UnitPrice as double) > 0 and cast(UnitPrice as double) < 0.005"""
    ).fetchone()[0]


def test_reference_figures_are_reproduced(warehouse: duckdb.DuckDBPyConnection) -> None:
    rows, customers, invoices, revenue = warehouse.execute(
        """
        select count(*), count(distinct orders.customer_id), count(distinct orders.order_id),
               sum(lines.quantity * lines.price_local)
        from staging.stg_shopify__order_lines as lines
        inner join staging.stg_shopify__orders as orders on lines.order_id = orders.order_id
        where orders.customer_id is not null and lines.quantity > 0 and lines.price_local > 0
        """
    ).fetchone()
    assert rows == REFERENCE_ROWS - _sub_cent_lines()
    assert customers == REFERENCE_CUSTOMERS
    assert invoices == REFERENCE_INVOICES
    assert revenue == REFERENCE_REVENUE  # to the cent


def test_top_customers_by_revenue(warehouse: duckdb.DuckDBPyConnection) -> None:
    top = warehouse.execute(
        """
        select orders.customer_id, sum(lines.quantity * lines.price_local) as revenue
        from staging.stg_shopify__order_lines as lines
        inner join staging.stg_shopify__orders as orders on lines.order_id = orders.order_id
        where orders.customer_id is not null and lines.quantity > 0 and lines.price_local > 0
        group by orders.customer_id
        order by revenue desc, orders.customer_id
        limit 3
        """
    ).fetchall()
    assert top == REFERENCE_TOP_CUSTOMERS


def test_cancellation_lines_are_quarantined_not_lost(warehouse: duckdb.DuckDBPyConnection) -> None:
    """Credit notes ("C…" invoices, negative quantities) land in quarantine with a reason."""
    n = warehouse.execute(
        """
        select count(*) from staging.quarantine_rows
        where source_table = 'order_lines' and reason_code = 'negative_amount'
          and cast(json_extract_string(raw_payload, '$.order_id') as bigint) between 10000000 and 19999999
        """
    ).fetchone()[0]
    assert n == CANCELLATION_LINES
