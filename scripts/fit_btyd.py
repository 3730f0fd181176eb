#!/usr/bin/env python3
"""Fit the BG/NBD and Gamma-Gamma parameters and print them as the dbt var clv_fallback_parameters.

    python scripts/fit_btyd.py --duckdb data/warehouse.duckdb
    python scripts/fit_btyd.py --postgres            # libpq variables PGHOST, PGPORT, PGUSER, ...

Reads intermediate.int_customer_btyd_inputs (build it first: `dbt build --select
+int_customer_btyd_inputs`), fits with the code of the dbt Python model int_btyd_parameters_fitted
(loaded from its file, so there is one implementation), and prints a YAML block to paste into
dbt_project.yml (or to pass as --vars). Engines without Python models (PostgreSQL) score with those
parameters.

Exit status: 0 fitted and converged; 1 a fit did not converge; 2 usage error (no table, no server).
"""

from __future__ import annotations

import argparse
import importlib.util
import math
import os
import sys
from pathlib import Path
from types import ModuleType

import pandas as pd

EXIT_OK, EXIT_NOT_CONVERGED, EXIT_USAGE = 0, 1, 2
ROOT = Path(__file__).resolve().parents[1]
MODEL_FILE = ROOT / "models" / "intermediate" / "scoring" / "int_btyd_parameters_fitted.py"
TABLE = "intermediate.int_customer_btyd_inputs"
COLUMNS = "frequency, recency_days, tenure_days, monetary_value"
PG_DEFAULTS = {
    "PGHOST": "127.0.0.1",
    "PGPORT": "5432",
    "PGUSER": "postgres",
    "PGPASSWORD": "postgres",
    "PGDATABASE": "segmentation",
}
PARAMETERS = ("r", "alpha", "a", "b", "p", "q", "gamma")


def load_fitting_module() -> ModuleType:
    """The dbt Python model file as a module (it only needs numpy, pandas and scipy)."""
    spec = importlib.util.spec_from_file_location("int_btyd_parameters_fitted", MODEL_FILE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def read_duckdb(path: Path) -> pd.DataFrame:
    import duckdb

    if not path.exists():
        raise FileNotFoundError(f"no DuckDB file at {path}")
    with duckdb.connect(str(path), read_only=True) as connection:
        return connection.sql(f"select {COLUMNS} from {TABLE}").df()


def read_postgres() -> pd.DataFrame:
    import psycopg2

    settings = {key: os.environ.get(key, default) for key, default in PG_DEFAULTS.items()}
    with psycopg2.connect(
        host=settings["PGHOST"],
        port=settings["PGPORT"],
        user=settings["PGUSER"],
        password=settings["PGPASSWORD"],
        dbname=settings["PGDATABASE"],
    ) as connection, connection.cursor() as cursor:
        cursor.execute(f"select {COLUMNS} from {TABLE}")
        rows = cursor.fetchall()
    frame = pd.DataFrame(rows, columns=[c.strip() for c in COLUMNS.split(",")])
    return frame.astype({"monetary_value": float})


def vars_block(fitted: pd.DataFrame) -> str:
    row = fitted.iloc[0]
    values = ", ".join(f"{name}: {float(row[name]):.6g}" for name in PARAMETERS)
    return (
        f"  # fitted on {int(row['bgnbd_n_customers'])} buyers (Gamma-Gamma: "
        f"{int(row['gamma_gamma_n_customers'])}) by scripts/fit_btyd.py\n"
        f"  clv_fallback_parameters: {{{values}}}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--duckdb", type=Path, metavar="PATH", help="DuckDB warehouse file")
    source.add_argument("--postgres", action="store_true", help="PostgreSQL (libpq environment variables)")
    parser.add_argument("--max-iterations", type=int, default=1000, help="optimizer iterations (default 1000)")
    args = parser.parse_args(argv)

    try:
        inputs = read_duckdb(args.duckdb) if args.duckdb else read_postgres()
    except Exception as error:  # any driver error means the same to the user
        print(f"cannot read {TABLE}: {error}\nbuild it first: dbt build --select +int_customer_btyd_inputs",
              file=sys.stderr)
        return EXIT_USAGE
    if inputs.empty:
        print(f"{TABLE} is empty: there are no buyers to fit on", file=sys.stderr)
        return EXIT_USAGE

    print(f"fitting on {len(inputs)} buyers ...", file=sys.stderr)
    fitted = load_fitting_module().fit_btyd(inputs, args.max_iterations)
    row = fitted.iloc[0]
    if row["fit_status"] != "fitted":
        print(f"nothing to fit: {int(row['gamma_gamma_n_customers'])} buyer(s) came back (a repeat purchase day "
              "with a positive spend); the parameters cannot be estimated from one purchase per buyer",
              file=sys.stderr)
        return EXIT_NOT_CONVERGED
    print(
        f"BG/NBD log-likelihood {row['bgnbd_log_likelihood']:.4f} ({row['bgnbd_iterations']} iterations), "
        f"Gamma-Gamma {row['gamma_gamma_log_likelihood']:.4f} ({row['gamma_gamma_iterations']} iterations)",
        file=sys.stderr,
    )
    print(vars_block(fitted))
    failures = [
        not_converged_advice(label, row, prefix, args.max_iterations)
        for label, prefix in (("BG/NBD", "bgnbd"), ("Gamma-Gamma", "gamma_gamma"))
        if not row[f"{prefix}_converged"]
    ]
    if failures:
        print("\n".join(failures), file=sys.stderr)
        return EXIT_NOT_CONVERGED
    return EXIT_OK


def not_converged_advice(label: str, row: pd.Series, prefix: str, max_iterations: int) -> str:
    """Why a fit did not converge (decision 42) and the one thing that helps in that case."""
    distance = float(row[f"{prefix}_distance_to_maximum"])
    where = (
        "no maximum of the log-likelihood near where it stopped"
        if math.isinf(distance)
        else f"parameters up to {distance:.1e} (relative) from the maximum"
    )
    if row[f"{prefix}_iterations"] >= max_iterations:
        return f"{label} fit stopped at the iteration cap ({max_iterations}), {where}: raise --max-iterations"
    return (
        f"{label} fit did not converge ({row[f'{prefix}_iterations']} iterations, {where}); more iterations "
        f"will not help: the inputs may have no interior maximum (a parameter running to 0 or infinity, "
        f"e.g. too few repeat buyers). Check {TABLE}, or score with clv_fallback_parameters "
        f"(--vars '{{clv_fit_with_python: false}}')"
    )


if __name__ == "__main__":
    sys.exit(main())
