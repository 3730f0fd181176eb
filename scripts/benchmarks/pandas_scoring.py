#!/usr/bin/env python3
"""The scoring stage (int_customer_order_summary, customer_rfm, customer_lifecycle, customer_value)
in pandas: the baseline of scripts/benchmarks/bench_scoring.py.

    python scripts/benchmarks/pandas_scoring.py --inputs DIR/inputs --out DIR/pandas_out

Reads <inputs>/{fct_orders,dim_customers,customer_features,int_as_of_date}.parquet, the seeds
rfm_segments and value_tiers (seeds/*.csv) and the "Customer scoring" vars of dbt_project.yml, and
writes one Parquet file per model with the model's columns and warehouse types. It mirrors the SQL
rule by rule (the models are the spec); any drift between the two shows up as a checksum mismatch.

Exactness: money (DECIMAL(18, 6)) is int64 micro-units throughout, ranks use method="min" (= SQL
rank()), scores are integer floor divisions and tier boundaries are integer comparisons
(n_above × 10^6 < top_share_to × 10^6 × n_ranked), so nothing depends on float rounding.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from scoring_common import MICRO, decimal_to_micro, micro_to_decimal, to_micro

ROOT = Path(__file__).resolve().parents[2]
EPOCH = np.datetime64("1970-01-01", "D")
MONEY_ORDER_COLUMNS = ["gross_amount", "discount_amount", "item_refund_amount", "net_amount",
                       "shipping_amount", "shipping_refund_amount"]
SCORING_VARS = [
    "rfm_window_days", "rfm_score_levels", "lifecycle_new_days", "lifecycle_at_risk_days",
    "lifecycle_dormant_days", "lifecycle_churned_days", "lifecycle_rhythm_min_orders",
    "lifecycle_rhythm_multiplier", "lifecycle_rhythm_min_at_risk_days", "lifecycle_reactivated_days",
    "value_shipping_cost_per_order", "value_return_handling_cost_per_item", "value_support_cost_per_ticket",
]

# Output schemas: column -> warehouse type ("money" = decimal(18, 6) held as int64 micro-units,
# "date" = int days since 1970-01-01).
SCHEMAS: dict[str, dict[str, str]] = {
    "int_customer_order_summary": {
        "customer_key": "varchar", "as_of_date": "date", "first_order_date": "date",
        "last_order_date": "date", "days_since_first_order": "bigint", "days_since_last_order": "bigint",
        "reactivation_gap_days": "bigint", "n_orders": "bigint", "mean_days_between_orders": "double",
        "n_orders_window": "bigint", "net_revenue_window": "money", "gross_amount": "money",
        "discount_amount": "money", "item_refund_amount": "money", "net_revenue": "money",
        "shipping_charged_amount": "money", "n_items_refunded": "bigint",
    },
    "customer_rfm": {
        "customer_key": "varchar", "as_of_date": "date", "has_orders": "boolean", "recency_days": "bigint",
        "frequency": "bigint", "monetary_amount": "money", "r_score": "integer", "f_score": "integer",
        "m_score": "integer", "rfm_cell": "varchar", "rfm_segment_code": "varchar", "rfm_segment": "varchar",
    },
    "customer_lifecycle": {
        "customer_key": "varchar", "as_of_date": "date", "lifecycle_stage": "varchar",
        "first_order_date": "date", "last_order_date": "date", "days_since_first_order": "bigint",
        "days_since_last_order": "bigint", "reactivation_gap_days": "bigint", "n_orders": "bigint",
        "mean_days_between_orders": "double", "has_purchase_rhythm": "boolean", "at_risk_after_days": "double",
    },
    "customer_value": {
        "customer_key": "varchar", "as_of_date": "date", "has_orders": "boolean", "n_orders": "bigint",
        "gross_amount": "money", "discount_amount": "money", "item_refund_amount": "money",
        "historical_clv_amount": "money", "shipping_charged_amount": "money",
        "shipping_cost_amount": "money", "shipping_subsidy_amount": "money", "n_items_refunded": "bigint",
        "return_handling_cost_amount": "money", "n_support_tickets": "bigint",
        "support_cost_amount": "money", "contribution_amount": "money", "clv_n_above": "bigint",
        "value_tier": "varchar", "contribution_n_above": "bigint", "contribution_tier": "varchar",
    },
}
_ARROW_TYPES = {"varchar": pa.string(), "bigint": pa.int64(), "integer": pa.int32(), "double": pa.float64(),
                "boolean": pa.bool_()}


def load_vars(project_file: Path = ROOT / "dbt_project.yml", overrides: dict | None = None) -> dict:
    """The scoring vars of dbt_project.yml (as `dbt run --vars` would see them with overrides)."""
    project_vars = yaml.safe_load(project_file.read_text())["vars"]
    merged = {**project_vars, **(overrides or {})}
    missing = [v for v in SCORING_VARS if v not in merged]
    if missing:
        raise SystemExit(f"{project_file} has no var(s) {', '.join(missing)}: is the scoring stage there?")
    return {v: merged[v] for v in SCORING_VARS}


def load_seed(path: Path) -> pd.DataFrame:
    with path.open(newline="") as f:
        return pd.DataFrame(list(csv.DictReader(f)))


# ----------------------------------------------------------------------------------------------
# inputs


def read_orders(path: Path, as_of_day: int) -> tuple[pd.DataFrame, pd.Index]:
    """Counted orders with a customer, dated on or before the as-of date (the model's `orders` CTE),
    and the customer keys: customer_key is factorized once into integer codes (column customer_code,
    an index into the returned keys), dates are int days since 1970-01-01, money int64 micro-units.
    """
    columns = ["customer_key", "order_date", "is_counted_order", *MONEY_ORDER_COLUMNS, "n_items_refunded"]
    as_of = pa.scalar(as_of_day, pa.int32()).cast(pa.date32())
    table = pq.read_table(
        path, columns=columns,
        filters=(pc.field("is_counted_order") & pc.field("customer_key").is_valid()
                 & (pc.field("order_date") <= as_of)),
    )
    data: dict[str, object] = {}
    codes, keys = pd.factorize(table.column("customer_key").to_pandas())
    data["customer_code"] = codes
    table = table.drop_columns(["customer_key", "is_counted_order"])
    data["order_day"] = table.column("order_date").cast(pa.int32()).to_numpy()
    for name in MONEY_ORDER_COLUMNS:
        data[name], _ = decimal_to_micro(table.column(name))
        table = table.drop_columns([name])
    data["n_items_refunded"] = table.column("n_items_refunded").to_numpy()
    del table
    return pd.DataFrame(data, copy=False), keys


def read_keys(path: Path, columns: list[str]) -> pd.DataFrame:
    return pq.read_table(path, columns=columns).to_pandas()


# ----------------------------------------------------------------------------------------------
# models


def order_summary(orders: pd.DataFrame, keys: pd.Index, as_of_day: int, v: dict) -> pd.DataFrame:
    """int_customer_order_summary."""
    window = int(v["rfm_window_days"])
    reactivation_start = as_of_day - int(v["lifecycle_reactivated_days"]) + 1
    in_window = orders["order_day"] > as_of_day - window
    in_reactivation_window = orders["order_day"] >= reactivation_start
    orders = orders.assign(
        shipping_charged_amount=orders["shipping_amount"] - orders["shipping_refund_amount"],
        in_window=in_window,
        net_window=orders["net_amount"].where(in_window, 0),
        day_in_reactivation_window=orders["order_day"].where(in_reactivation_window),
        day_before_reactivation_window=orders["order_day"].where(~in_reactivation_window),
    )
    s = orders.groupby("customer_code").agg(
        first_order_day=("order_day", "min"),
        last_order_day=("order_day", "max"),
        n_orders=("order_day", "size"),
        n_orders_window=("in_window", "sum"),
        net_revenue_window=("net_window", "sum"),
        first_day_in_reactivation_window=("day_in_reactivation_window", "min"),
        last_day_before_reactivation_window=("day_before_reactivation_window", "max"),
        gross_amount=("gross_amount", "sum"),
        discount_amount=("discount_amount", "sum"),
        item_refund_amount=("item_refund_amount", "sum"),
        net_revenue=("net_amount", "sum"),
        shipping_charged_amount=("shipping_charged_amount", "sum"),
        n_items_refunded=("n_items_refunded", "sum"),
    )
    s = s.reset_index()
    s["customer_key"] = keys.take(s.pop("customer_code").to_numpy())
    s["as_of_day"] = as_of_day
    s["days_since_first_order"] = (as_of_day - s["first_order_day"]).astype("int64")
    s["days_since_last_order"] = (as_of_day - s["last_order_day"]).astype("int64")
    # the gap a reactivation closes: only when the last order day is the window's only order day
    only_day_in_window = s["first_day_in_reactivation_window"] == s["last_order_day"]
    s["reactivation_gap_days"] = (s["last_order_day"] - s["last_day_before_reactivation_window"]).where(
        only_day_in_window).astype("Int64")
    s["mean_days_between_orders"] = (
        (s["last_order_day"] - s["first_order_day"]).astype("float64") / (s["n_orders"] - 1)
    ).where(s["n_orders"] > 1)
    return s


def customer_rfm(customers: pd.DataFrame, summary: pd.DataFrame, segments: pd.DataFrame, as_of_day: int,
                 v: dict) -> pd.DataFrame:
    levels = int(v["rfm_score_levels"])
    s = summary[["customer_key", "days_since_last_order", "n_orders_window", "net_revenue_window"]].astype(
        {"days_since_last_order": "Int64", "n_orders_window": "Int64", "net_revenue_window": "Int64"})
    active = s["n_orders_window"] > 0
    n_buyers = len(s)
    n_active = int(active.sum())

    def score(rank: pd.Series, n: int) -> pd.Series:
        return 1 + (levels * (rank.astype("int64") - 1)) // n

    s["r_score"] = score(s["days_since_last_order"].rank(method="min", ascending=False), n_buyers)
    s["f_score"] = 1
    s["m_score"] = 1
    if n_active:
        s.loc[active, "f_score"] = score(s.loc[active, "n_orders_window"].rank(method="min"), n_active)
        s.loc[active, "m_score"] = score(s.loc[active, "net_revenue_window"].rank(method="min"), n_active)

    df = customers.merge(s, on="customer_key", how="left", indicator="_match")
    df["has_orders"] = df.pop("_match") == "both"
    for col in ["r_score", "f_score", "m_score"]:
        df[col] = df[col].astype("Int32")
    df["as_of_day"] = as_of_day
    df["recency_days"] = df["days_since_last_order"].astype("Int64")
    df["frequency"] = df["n_orders_window"].fillna(0).astype("int64")
    df["monetary_amount"] = df["net_revenue_window"].fillna(0).astype("int64")
    df["rfm_cell"] = (df["r_score"].astype("str") + df["f_score"].astype("str")
                      + df["m_score"].astype("str")).where(df["has_orders"])

    seg = segments.assign(r_score=segments["r_score"].astype("int64"), f_score=segments["f_score"].astype("int64"))
    seg = seg.rename(columns={"segment_code": "rfm_segment_code", "segment_name": "rfm_segment"})
    df["_r"] = df["r_score"].fillna(0).astype("int64")
    df["_f"] = df["f_score"].fillna(0).astype("int64")
    df = df.merge(seg[["r_score", "f_score", "rfm_segment_code", "rfm_segment"]]
                  .rename(columns={"r_score": "_r", "f_score": "_f"}), on=["_r", "_f"], how="left")
    return df


def customer_lifecycle(customers: pd.DataFrame, summary: pd.DataFrame, as_of_day: int, v: dict) -> pd.DataFrame:
    new, at_risk = int(v["lifecycle_new_days"]), int(v["lifecycle_at_risk_days"])
    dormant, churned = int(v["lifecycle_dormant_days"]), int(v["lifecycle_churned_days"])
    rhythm_min_orders, multiplier = int(v["lifecycle_rhythm_min_orders"]), float(v["lifecycle_rhythm_multiplier"])
    rhythm_floor, reactivated = int(v["lifecycle_rhythm_min_at_risk_days"]), int(v["lifecycle_reactivated_days"])
    if not (0 < new < at_risk <= dormant < churned and 0 < rhythm_floor <= dormant and 1 <= reactivated <= dormant):
        raise SystemExit("lifecycle vars do not describe a valid ladder (see macro lifecycle_thresholds)")

    cols = ["customer_key", "first_order_day", "last_order_day", "days_since_first_order", "days_since_last_order",
            "reactivation_gap_days", "n_orders", "mean_days_between_orders"]
    s = summary[cols].astype({"days_since_first_order": "Int64", "days_since_last_order": "Int64",
                              "n_orders": "Int64", "first_order_day": "Int32", "last_order_day": "Int32"})
    s["has_purchase_rhythm"] = s["n_orders"] >= rhythm_min_orders
    s["at_risk_after_days"] = np.where(
        s["has_purchase_rhythm"],
        (multiplier * s["mean_days_between_orders"]).clip(lower=float(rhythm_floor), upper=float(dormant)),
        float(at_risk),
    )
    df = customers.merge(s, on="customer_key", how="left", indicator="_match")
    buyer = df.pop("_match") == "both"
    # NULL comparisons are false in a SQL case: float64 NaN behaves the same way
    since_first = df["days_since_first_order"].astype("float64")
    since_last = df["days_since_last_order"].astype("float64")
    gap = df["reactivation_gap_days"].astype("float64")
    df["lifecycle_stage"] = np.select(
        [~buyer, since_first < new, (gap >= dormant) & (since_last < reactivated), since_last >= churned,
         since_last >= dormant, since_last >= df["at_risk_after_days"]],
        ["prospect", "new", "reactivated", "churned", "dormant", "at_risk"],
        default="active",
    )
    df["as_of_day"] = as_of_day
    for col in ["days_since_first_order", "days_since_last_order", "reactivation_gap_days"]:
        df[col] = df[col].astype("Int64")
    df["n_orders"] = df["n_orders"].fillna(0).astype("int64")
    df["has_purchase_rhythm"] = df["has_purchase_rhythm"].fillna(False).astype("bool")
    return df


def value_tier_code(value: pd.Series, n_above: pd.Series, n_ranked: int, tiers: pd.DataFrame) -> np.ndarray:
    """The value_tiers tier_code: 'negative' below zero, 'no_orders' when not ranked, else the
    percentile row with top_share_from × n_ranked <= n_above < top_share_to × n_ranked, compared
    exactly in integers (micro-units of the share). None when no row holds it (a gap in the seed)."""
    for required in ["negative", "no_orders"]:
        if (tiers["tier_code"] == required).sum() != 1:
            raise SystemExit(f"Seed value_tiers must have exactly one row with tier_code '{required}'.")
    bounded = tiers.dropna(subset=["top_share_from_micro", "top_share_to_micro"])
    n_above_micro = n_above.fillna(-1).astype("int64").to_numpy() * MICRO
    tier = np.full(len(value), None, dtype=object)
    matched = np.zeros(len(value), dtype=np.int64)
    for row in bounded.itertuples():
        holds = ((n_above_micro >= row.top_share_from_micro * n_ranked)
                 & (n_above_micro < row.top_share_to_micro * n_ranked) & n_above.notna().to_numpy())
        tier[holds] = row.tier_code
        matched += holds
    if (matched > 1).any():
        raise SystemExit("Seed value_tiers has overlapping percentile rows (the model would duplicate customers).")
    tier[n_above.isna().to_numpy()] = "no_orders"
    tier[(value < 0).to_numpy()] = "negative"
    return tier


def customer_value(customers: pd.DataFrame, summary: pd.DataFrame, features: pd.DataFrame, tiers: pd.DataFrame,
                   as_of_day: int, v: dict) -> pd.DataFrame:
    shipping_cost = to_micro(v["value_shipping_cost_per_order"])
    return_cost = to_micro(v["value_return_handling_cost_per_item"])
    support_cost = to_micro(v["value_support_cost_per_ticket"])
    cols = ["customer_key", "n_orders", "gross_amount", "discount_amount", "item_refund_amount", "net_revenue",
            "shipping_charged_amount", "n_items_refunded"]
    # nullable integers, so the left join keeps the micro-units exact (no float64 upcast)
    df = customers.merge(summary[cols].astype(dict.fromkeys(cols[1:], "Int64")), on="customer_key", how="left",
                         indicator="_match")
    df = df.merge(features[["customer_key", "n_tickets"]], on="customer_key", how="left")
    df["has_orders"] = df.pop("_match") == "both"
    for col in ["n_orders", "gross_amount", "discount_amount", "item_refund_amount", "shipping_charged_amount",
                "n_items_refunded"]:
        df[col] = df[col].fillna(0).astype("int64")
    df["historical_clv_amount"] = df.pop("net_revenue").fillna(0).astype("int64")
    df["shipping_cost_amount"] = df["n_orders"] * shipping_cost
    df["return_handling_cost_amount"] = df["n_items_refunded"] * return_cost
    df["n_support_tickets"] = df.pop("n_tickets").fillna(0).astype("int64")
    df["support_cost_amount"] = df["n_support_tickets"] * support_cost
    df["shipping_subsidy_amount"] = df["shipping_cost_amount"] - df["shipping_charged_amount"]
    df["contribution_amount"] = (df["historical_clv_amount"] - df["shipping_subsidy_amount"]
                                 - df["return_handling_cost_amount"] - df["support_cost_amount"])

    tiers = tiers.assign(**{f"{col}_micro": tiers[col].map(lambda x: None if pd.isna(x) else to_micro(x))
                            for col in ["top_share_from", "top_share_to"]})
    for value_col, prefix, tier_col in [("historical_clv_amount", "clv", "value_tier"),
                                        ("contribution_amount", "contribution", "contribution_tier")]:
        ranked = df["has_orders"] & (df[value_col] >= 0)
        n_above = (df.loc[ranked, value_col].rank(method="min", ascending=False) - 1).astype("int64")
        df[f"{prefix}_n_above"] = n_above.reindex(df.index).astype("Int64")
        df[tier_col] = value_tier_code(df[value_col], df[f"{prefix}_n_above"], int(ranked.sum()), tiers)
    df["as_of_day"] = as_of_day
    return df


# ----------------------------------------------------------------------------------------------
# output


def _days_to_date(values: pd.Series) -> pa.Array:
    arr = pa.array(values.astype("Int32"), type=pa.int32())
    return arr.cast(pa.date32())


def to_arrow(df: pd.DataFrame, schema: dict[str, str]) -> pa.Table:
    """The model's columns in its order with warehouse types (money -> decimal(18, 6))."""
    arrays, names = [], []
    for col, kind in schema.items():
        source = {"as_of_date": "as_of_day", "first_order_date": "first_order_day",
                  "last_order_date": "last_order_day"}.get(col, col)
        values = df[source]
        if kind == "money":
            mask = values.isna().to_numpy()
            arrays.append(micro_to_decimal(values.fillna(0).to_numpy(dtype="int64"), mask if mask.any() else None))
        elif kind == "date":
            arrays.append(_days_to_date(values))
        else:
            arrays.append(pa.array(values, type=_ARROW_TYPES[kind], from_pandas=True))
        names.append(col)
    return pa.Table.from_arrays(arrays, names=names)


def run(inputs: Path, out: Path, seeds_dir: Path = ROOT / "seeds", project_file: Path = ROOT / "dbt_project.yml",
        var_overrides: dict | None = None, quiet: bool = False) -> dict[str, pa.Table]:
    t0 = time.perf_counter()

    def progress(step: str) -> None:
        if not quiet:
            print(f"  pandas {step} ({time.perf_counter() - t0:.1f}s)", file=sys.stderr, flush=True)

    v = load_vars(project_file, var_overrides)
    as_of = pq.read_table(inputs / "int_as_of_date.parquet", columns=["as_of_date"]).column(0)
    if len(as_of) != 1:
        raise SystemExit(f"{inputs / 'int_as_of_date.parquet'} must hold exactly one as_of_date")
    as_of_day = int(as_of.cast(pa.int32())[0].as_py())
    segments = load_seed(seeds_dir / "rfm_segments.csv")
    tiers = load_seed(seeds_dir / "value_tiers.csv").replace({"": None})

    orders, keys = read_orders(inputs / "fct_orders.parquet", as_of_day)
    progress(f"read {len(orders):,} counted orders")
    summary = order_summary(orders, keys, as_of_day, v)
    del orders, keys
    progress(f"order summary: {len(summary):,} buyers")
    customers = read_keys(inputs / "dim_customers.parquet", ["customer_key"])
    features = read_keys(inputs / "customer_features.parquet", ["customer_key", "n_tickets"])
    frames = {
        "int_customer_order_summary": summary,
        "customer_rfm": customer_rfm(customers, summary, segments, as_of_day, v),
        "customer_lifecycle": customer_lifecycle(customers, summary, as_of_day, v),
        "customer_value": customer_value(customers, summary, features, tiers, as_of_day, v),
    }
    progress("marts computed")
    out.mkdir(parents=True, exist_ok=True)
    tables = {}
    for name, frame in frames.items():
        tables[name] = to_arrow(frame, SCHEMAS[name])
        pq.write_table(tables[name], out / f"{name}.parquet")
    progress(f"written to {out}")
    return tables


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--inputs", type=Path, required=True, help="folder with the input Parquet files")
    p.add_argument("--out", type=Path, required=True, help="folder for the output Parquet files")
    p.add_argument("--seeds-dir", type=Path, default=ROOT / "seeds")
    p.add_argument("--project-file", type=Path, default=ROOT / "dbt_project.yml")
    p.add_argument("--vars", default="{}", help="var overrides as JSON/YAML, like dbt --vars")
    p.add_argument("--quiet", action="store_true")
    a = p.parse_args(argv)
    missing = [n for n in ["fct_orders", "dim_customers", "customer_features", "int_as_of_date"]
               if not (a.inputs / f"{n}.parquet").exists()]
    if missing:
        p.error(f"{a.inputs} has no {', '.join(m + '.parquet' for m in missing)}: "
                "run scripts/benchmarks/make_scoring_inputs.py first")
    overrides = yaml.safe_load(a.vars) or {}
    run(a.inputs, a.out, a.seeds_dir, a.project_file, overrides, a.quiet)
    if not a.quiet:
        print(json.dumps({"out": str(a.out)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
