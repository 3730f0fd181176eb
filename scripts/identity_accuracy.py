#!/usr/bin/env python3
"""Score the resolved identity graph against the generator's ground truth.

Reads the crosswalk ``int_identity_identifiers`` from the DuckDB warehouse and ``truth/identifiers.parquet``
written by ``scripts/generate_data.py``, and prints pairwise precision and recall over identifiers:

* a *pair* is two identifiers; it is *predicted* when both got the same customer_key and *true* when
  both belong to the same generated person;
* precision = true predicted pairs / predicted pairs; recall = true predicted pairs / true pairs;
* an *over-merged* customer holds identifiers of two or more persons; an *under-merged* person is
  split over two or more customers.

Scope: identifiers that exist in both (the truth lists raw variants, which are compared on their
normalized value), excluding truth identifiers shared by several persons (shared devices) and
identifiers the graph deliberately leaves unresolved (blocked values, anonymous cookies); both
exclusions are counted in the report.

    python scripts/identity_accuracy.py --warehouse data/warehouse.duckdb --truth data/truth
    python scripts/identity_accuracy.py ... --json    # machine-readable
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import duckdb

# Ground-truth identifier types -> node types of int_identity_nodes.
TRUTH_TYPE_TO_NODE_TYPE = {
    "crm_contact_id": "crm_contact_id",
    "email": "email",
    "guest_email": "email",
    "phone": "phone",
    "shop_customer_id": "shop_customer_id",
    "web_user_id": "web_user_id",
    "cookie": "cookie",
}


def create_customer_owners(con: duckdb.DuckDBPyConnection, truth_dir: Path, warehouse: str = "wh",
                           schema: str = "intermediate") -> None:
    """Temp table customer_owner(customer_key, person_id): each resolved customer_key with the truth
    person owning most of its identifiers (cookies excluded: they can be shared; ties to the lowest
    person_id). The warehouse must be attached as ``warehouse``. For tests that score customers
    against the generator's truth (churn, RFM/lifecycle/value recovery)."""
    mapping = ", ".join(f"('{t}', '{n}')" for t, n in TRUTH_TYPE_TO_NODE_TYPE.items() if n != "cookie")
    con.execute(f"""
        create or replace temp table customer_owner as
        with truth as (
            select m.node_type, coalesce(t.normalized_value, t.identifier_value) as identifier_value,
                   t.person_id
            from read_parquet('{truth_dir / "identifiers.parquet"}') t
            join (values {mapping}) m(truth_type, node_type) on m.truth_type = t.identifier_type
        ),
        votes as (
            select r.customer_key, truth.person_id, count(*) as n_identifiers
            from truth
            join {warehouse}.{schema}.int_identity_identifiers r
              on r.identifier_type = truth.node_type and r.identifier_value = truth.identifier_value
            where r.customer_key is not null
            group by r.customer_key, truth.person_id
        )
        select customer_key, person_id
        from votes
        qualify row_number() over (partition by customer_key order by n_identifiers desc, person_id) = 1
    """)


def _pairs(column: str) -> str:
    """SQL: number of unordered pairs inside groups of size ``column``."""
    return f"sum({column} * ({column} - 1) / 2)"


def score(warehouse: Path, truth_dir: Path, schema: str = "intermediate") -> dict[str, float | int]:
    """Compute the accuracy figures; see the module docstring for definitions."""
    con = duckdb.connect()
    con.execute(f"attach '{warehouse}' as wh (read_only)")
    mapping = ", ".join(f"('{t}', '{n}')" for t, n in TRUTH_TYPE_TO_NODE_TYPE.items())
    con.execute(f"""
        create temp table truth as
        with mapped as (
            select m.node_type, coalesce(t.normalized_value, t.identifier_value) as identifier_value,
                   t.person_id
            from read_parquet('{truth_dir / "identifiers.parquet"}') t
            join (values {mapping}) m(truth_type, node_type) on m.truth_type = t.identifier_type
        )
        select node_type, identifier_value,
               min(person_id) as person_id, count(distinct person_id) as n_persons
        from mapped group by node_type, identifier_value
    """)
    con.execute(f"""
        create temp table joined as
        select t.node_type, t.identifier_value, t.person_id, t.n_persons, r.customer_key,
               r.identifier_type is not null as in_graph
        from truth t
        left join wh.{schema}.int_identity_identifiers r
          on r.identifier_type = t.node_type and r.identifier_value = t.identifier_value
    """)
    counts = con.execute("""
        select count(*),
               count(*) filter (where n_persons > 1),
               count(*) filter (where n_persons = 1 and customer_key is null),
               count(*) filter (where n_persons = 1 and customer_key is null and node_type <> 'cookie'),
               count(*) filter (where n_persons = 1 and customer_key is not null)
        from joined
    """).fetchone()
    con.execute("create temp table scored as select * from joined where n_persons = 1 and customer_key is not null")
    return {
        "truth_identifiers": counts[0],
        "excluded_shared_identifiers": counts[1],
        "unresolved_identifiers": counts[2],
        "unresolved_person_identifiers": counts[3],
        "scored_identifiers": counts[4],
        **pairwise_scores(con, "scored"),
    }


def pairwise_scores(con: duckdb.DuckDBPyConnection, table: str) -> dict[str, float | int]:
    """Pairwise precision and recall of ``table`` (one row per scored item, with its predicted
    ``customer_key`` and its true ``person_id``), plus over- and under-merge counts. With no
    predicted pair, precision is 1.0 (nothing wrongly merged); with no true pair, recall is 1.0."""
    pairs = con.execute(f"""
        with cells as (select customer_key, person_id, count(*) n from {table} group by all),
             customers as (select customer_key, count(*) n, count(distinct person_id) k from {table} group by all),
             persons as (select person_id, count(*) n, count(distinct customer_key) k from {table} group by all)
        select (select {_pairs('n')} from cells),
               (select {_pairs('n')} from customers),
               (select {_pairs('n')} from persons),
               (select count(*) from customers where k > 1),
               (select count(*) from persons where k > 1),
               (select count(*) from customers),
               (select count(*) from persons)
    """).fetchone()
    true_predicted, predicted, true_pairs, over, under, n_customers, n_persons = (int(x or 0) for x in pairs)
    return {
        "customers": n_customers,
        "persons": n_persons,
        "predicted_pairs": predicted,
        "true_pairs": true_pairs,
        "true_predicted_pairs": true_predicted,
        "precision": true_predicted / predicted if predicted else 1.0,
        "recall": true_predicted / true_pairs if true_pairs else 1.0,
        "over_merged_customers": over,
        "under_merged_persons": under,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--warehouse", type=Path, default=Path("data/warehouse.duckdb"),
                        help="DuckDB warehouse built by dbt (default: data/warehouse.duckdb)")
    parser.add_argument("--truth", type=Path, default=Path("data/truth"),
                        help="the generator's truth folder (default: data/truth)")
    parser.add_argument("--schema", default="intermediate", help="schema of int_identity_identifiers")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    if not args.warehouse.is_file():
        parser.error(f"no warehouse at {args.warehouse}: run `make build` first")
    if not (args.truth / "identifiers.parquet").is_file():
        parser.error(f"no identifiers.parquet in {args.truth}: point --truth at the generator's truth folder")
    try:
        result = score(args.warehouse, args.truth, args.schema)
    except duckdb.CatalogException as exc:
        print(f"error: {exc}\nBuild the identity models first: dbt build --select +int_identity_identifiers",
              file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    print(f"pairwise precision  {result['precision']:.5f}  ({result['true_predicted_pairs']:,} of "
          f"{result['predicted_pairs']:,} predicted pairs are true)")
    print(f"pairwise recall     {result['recall']:.5f}  ({result['true_predicted_pairs']:,} of "
          f"{result['true_pairs']:,} true pairs are predicted)")
    print(f"over-merged customers {result['over_merged_customers']:,} of {result['customers']:,}; "
          f"under-merged persons {result['under_merged_persons']:,} of {result['persons']:,}")
    print(f"scored {result['scored_identifiers']:,} of {result['truth_identifiers']:,} identifiers "
          f"(excluded: {result['excluded_shared_identifiers']:,} shared by several persons, "
          f"{result['unresolved_identifiers']:,} unresolved, of which "
          f"{result['unresolved_person_identifiers']:,} not cookies)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
