"""Staging checked against the generator's ground truth: every planted bad row is quarantined with
the planted reason, nothing else is, and every planted re-export is deduplicated.

Needs `make build` (demo data in data/ and the DuckDB warehouse); skips cleanly otherwise.
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(os.environ.get("DATA_DIR", ROOT / "data"))
TRUTH = DATA / "truth"
WAREHOUSE = Path(os.environ.get("DUCKDB_PATH", DATA / "warehouse.duckdb"))


@pytest.fixture(scope="module")
def con() -> duckdb.DuckDBPyConnection:
    if not (TRUTH / "planted_bad_rows.parquet").exists() or not WAREHOUSE.exists():
        pytest.skip("needs generated data and a built warehouse: run `make build` first")
    connection = duckdb.connect(str(WAREHOUSE), read_only=True)
    yield connection
    connection.close()


def test_every_planted_bad_row_is_quarantined_with_its_reason(con: duckdb.DuckDBPyConnection) -> None:
    missed = con.execute(
        f"""
        select planted."table", planted.natural_key, planted.reason_code, quarantined.reason_code as got
        from read_parquet('{TRUTH / "planted_bad_rows.parquet"}') as planted
        left join staging.quarantine_rows as quarantined
            on planted."table" = quarantined.source_system || '.' || quarantined.source_table
            and planted.natural_key = quarantined.natural_key
            and quarantined.disposition = 'quarantined'
        where planted.natural_key is not null
            and quarantined.reason_code is distinct from planted.reason_code
        order by 1, 2
        """
    ).fetchall()
    assert not missed, f"{len(missed)} planted bad rows not quarantined as planted, e.g. {missed[:5]}"


def test_quarantine_counts_equal_planted_counts(con: duckdb.DuckDBPyConnection) -> None:
    """Both directions: no planted row slips through, and no good row is quarantined."""
    diff = con.execute(
        f"""
        with planted as (
            select "table" as source, reason_code, count(*) as n_planted
            from read_parquet('{TRUTH / "planted_bad_rows.parquet"}')
            group by all
        ),
        quarantined as (
            select source_system || '.' || source_table as source, reason_code, count(*) as n_quarantined
            from staging.quarantine_rows
            where disposition = 'quarantined'
            group by all
        )
        select
            coalesce(planted.source, quarantined.source) as source,
            coalesce(planted.reason_code, quarantined.reason_code) as reason_code,
            coalesce(n_planted, 0) as n_planted,
            coalesce(n_quarantined, 0) as n_quarantined
        from planted
        full outer join quarantined
            on planted.source = quarantined.source and planted.reason_code = quarantined.reason_code
        where coalesce(n_planted, 0) is distinct from coalesce(n_quarantined, 0)
        order by 1, 2
        """
    ).fetchall()
    assert not diff, "planted vs quarantined per (table, reason):\n" + "\n".join(map(str, diff))


def test_planted_re_exports_are_deduplicated(con: duckdb.DuckDBPyConnection) -> None:
    diff = con.execute(
        f"""
        with planted_rows as (
            select "table" as source, natural_key
            from read_parquet('{TRUTH / "planted_duplicates.parquet"}')
            where duplicate_kind in ('exact_duplicate', 'older_version')
        ),
        -- a re-delivered GA4 event repeats its items: one extra item row per item of the event
        items_of_duplicated_events as (
            select 'ga4.event_items' as source, count(*) as n_planted
            from planted_rows
            inner join (select distinct event_id, item_index from raw_ga4.event_items) as items
                on planted_rows.natural_key = items.event_id
            where planted_rows.source = 'ga4.events'
                and items.event_id || '|' || items.item_index not in (
                    select natural_key from read_parquet('{TRUTH / "planted_bad_rows.parquet"}')
                    where "table" = 'ga4.event_items' and natural_key is not null
                )
        ),
        planted as (
            select source, count(*) as n_planted from planted_rows group by all
            union all
            select source, n_planted from items_of_duplicated_events where n_planted > 0
        ),
        deduplicated as (
            select source_system || '.' || source_table as source, count(*) as n_deduplicated
            from staging.quarantine_rows
            where disposition = 'deduplicated'
            group by all
        )
        select coalesce(planted.source, deduplicated.source), n_planted, n_deduplicated
        from planted
        full outer join deduplicated on planted.source = deduplicated.source
        where coalesce(n_planted, 0) is distinct from coalesce(n_deduplicated, 0)
        order by 1
        """
    ).fetchall()
    assert not diff, "planted re-exports vs deduplicated rows per table:\n" + "\n".join(map(str, diff))


def test_older_versions_lose_to_the_latest(con: duckdb.DuckDBPyConnection) -> None:
    """For every planted older contact version, staging keeps the version with the latest updated_at."""
    rows = con.execute(
        f"""
        with planted as (
            select natural_key as contact_id
            from read_parquet('{TRUTH / "planted_duplicates.parquet"}')
            where "table" = 'crm.contacts' and duplicate_kind = 'older_version'
        ),
        raw_versions as (
            select trim(contact_id) as contact_id, max(try_cast(updated_at as timestamptz)) as latest
            from raw_crm.contacts
            group by all
        )
        select planted.contact_id, kept.updated_at, timezone('UTC', raw_versions.latest) as latest
        from planted
        left join staging.stg_crm__contacts as kept on planted.contact_id = kept.contact_id
        left join raw_versions on planted.contact_id = raw_versions.contact_id
        """
    ).fetchall()
    assert rows, "the demo data should plant older contact versions"
    wrong = [row for row in rows if row[1] is None or row[1] != row[2]]
    assert not wrong, f"{len(wrong)} contacts did not keep their latest version, e.g. {wrong[:5]}"


def test_every_shop_customer_has_exactly_one_staged_customer(con: duckdb.DuckDBPyConnection) -> None:
    """Each person with a shop customer id (buyers, test accounts, web sign-ups) has one row in
    stg_shopify__customers, whose email is one of that person's addresses; no row lacks a person."""
    rows = con.execute(
        f"""
        with persons as (
            select person_id, shop_customer_id
            from read_parquet('{TRUTH / "persons.parquet"}')
            where shop_customer_id is not null
        ),
        staged as (
            select customer_id, count(*) as n_rows, any_value(email) as email
            from staging.stg_shopify__customers
            group by all
        ),
        emails as (
            select distinct normalized_value as email, person_id
            from read_parquet('{TRUTH / "identifiers.parquet"}')
            where identifier_type = 'email'
        )
        select
            coalesce(persons.shop_customer_id, staged.customer_id) as customer_id,
            persons.person_id,
            coalesce(staged.n_rows, 0) as n_rows,
            staged.email,
            emails.person_id as email_person_id
        from persons
        full outer join staged on persons.shop_customer_id = staged.customer_id
        left join emails on staged.email = emails.email
        where persons.person_id is null
            or coalesce(staged.n_rows, 0) <> 1
            or emails.person_id is distinct from persons.person_id
        order by 1
        """
    ).fetchall()
    n_persons = con.execute(
        f"select count(*) from read_parquet('{TRUTH / 'persons.parquet'}') where shop_customer_id is not null"
    ).fetchone()[0]
    assert n_persons > 0
    assert not rows, f"{len(rows)} shop customers without exactly one staged row of their own, e.g. {rows[:5]}"


def test_customers_register_before_their_first_order(con: duckdb.DuckDBPyConnection) -> None:
    late = con.execute(
        """
        select count(*)
        from staging.stg_shopify__customers as customers
        inner join (
            select customer_id, min(created_at) as first_order_at
            from staging.stg_shopify__orders
            where customer_id is not null
            group by all
        ) as orders on customers.customer_id = orders.customer_id
        where customers.created_at > orders.first_order_at
        """
    ).fetchone()[0]
    assert late == 0, f"{late} customers registered after their first order"
