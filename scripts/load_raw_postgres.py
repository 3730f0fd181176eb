#!/usr/bin/env python3
"""Load the raw Parquet exports into PostgreSQL, one table per <system>/<table> folder, through DuckDB.

    python scripts/load_raw_postgres.py --root data/raw

Layout read: <root>/<system>/<table>/*.parquet  ->  table raw_<system>.<table>
(the prefix matches the dbt var raw_schema_prefix; the Postgres sources read these tables).

DuckDB reads the Parquet and writes PostgreSQL itself: its `postgres` extension (the PyPI package
duckdb-extension-postgres, pinned in requirements.txt) ATTACHes the database and turns
`insert into pg.<schema>.<table> select ... from read_parquet(...)` into a binary COPY.

For every table, in one transaction: create schema if not exists, drop table if exists (cascade:
views that read it, i.e. the dbt staging views, are dropped too and dbt recreates them), create the
table with column types taken from the Parquet schema (pg_type below; not DuckDB's own CREATE TABLE
AS, which would write varchar for text and integer for an all-null column), insert the parts
(unioned by column name), check the number of rows inserted, commit. A failed table rolls back and
keeps its previous contents. After all tables are loaded, count(*) of every table is compared with
the Parquet row counts.

Connection: the libpq variables PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE with the same defaults
as profiles.yml (127.0.0.1, 5432, postgres, postgres, segmentation). Session TimeZone is UTC.

Exit status: 0 loaded and verified; 1 a table failed to load or its row count does not match;
2 usage error: no <system>/<table>/*.parquet under --root, the server is unreachable, or the
postgres extension is not installed.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2

PG_DEFAULTS = {
    "PGHOST": "127.0.0.1",
    "PGPORT": "5432",
    "PGUSER": "postgres",
    "PGPASSWORD": "postgres",
    "PGDATABASE": "segmentation",
}

# DuckDB's name for the attached PostgreSQL database.
PG = "pg"

# DuckDB column type (as DESCRIBE prints it) -> PostgreSQL column type.
PG_TYPES = {
    "VARCHAR": "text",
    "BOOLEAN": "boolean",
    "BIGINT": "bigint",
    "UINTEGER": "bigint",
    "INTEGER": "integer",
    "USMALLINT": "integer",
    "SMALLINT": "smallint",
    "TINYINT": "smallint",
    "UTINYINT": "smallint",
    "UBIGINT": "numeric(20, 0)",
    "DOUBLE": "double precision",
    "FLOAT": "real",
    "TIMESTAMP": "timestamp",
    "TIMESTAMP_MS": "timestamp",
    "TIMESTAMP_NS": "timestamp",
    "TIMESTAMP_S": "timestamp",
    "TIMESTAMP WITH TIME ZONE": "timestamp with time zone",
    "DATE": "date",
    "TIME": "time",
}


class UnsupportedType(ValueError):
    """A Parquet column type the loader has no PostgreSQL column type for."""


class RowCountMismatch(RuntimeError):
    """The insert or count(*) disagrees with the Parquet row count."""


def pg_type(duckdb_type: str) -> str:
    """PostgreSQL column type for a DuckDB type (the types the raw Parquet contract uses, and a few more)."""
    t = duckdb_type.upper()
    if t in PG_TYPES:
        return PG_TYPES[t]
    if m := re.fullmatch(r"DECIMAL\((\d+),\s*(\d+)\)", t):
        return f"numeric({m[1]}, {m[2]})"
    raise UnsupportedType(f"no PostgreSQL type for column type {duckdb_type}")


def quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def quote_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


@dataclass
class RawTable:
    system: str
    table: str
    files: list[Path]

    @property
    def name(self) -> str:
        return f"{self.system}.{self.table}"

    @property
    def parquet(self) -> str:
        """The parts as a DuckDB list literal."""
        return "[" + ", ".join(quote_literal(str(f)) for f in self.files) + "]"


def discover(root: Path) -> list[RawTable]:
    """Every <root>/<system>/<table>/ folder holding at least one *.parquet part, sorted."""
    found = []
    for system_dir in sorted(
        p for p in root.iterdir() if p.is_dir() and not p.name.startswith((".", "_"))
    ):
        for table_dir in sorted(
            p
            for p in system_dir.iterdir()
            if p.is_dir() and not p.name.startswith((".", "_"))
        ):
            files = sorted(table_dir.glob("*.parquet"))
            if files:
                found.append(RawTable(system_dir.name, table_dir.name, files))
    return found


def source_sql(raw: RawTable) -> str:
    """The parts as one relation, unioned by column name (a column missing from a part reads NULL)."""
    return f"read_parquet({raw.parquet}, union_by_name = true)"


def table_columns(con, raw: RawTable) -> list[tuple[str, str]]:
    """(column, PostgreSQL type) of the parts. A column that is all-null in Parquet (no type, DuckDB
    reads it as INTEGER) becomes text, the safe choice."""
    described = con.execute(f"describe select * from {source_sql(raw)}").fetchall()
    untyped = {
        name
        for name, all_null in con.execute(
            f"select name, bool_and(logical_type like 'NullType%') from parquet_schema({raw.parquet})"
            " group by name"
        ).fetchall()
        if all_null
    }
    return [
        (name, "text" if name in untyped else pg_type(dtype))
        for name, dtype, *_ in described
    ]


def parquet_rows(con, raw: RawTable) -> int:
    """Rows in the parts, from their footers."""
    sql = f"select coalesce(sum(num_rows), 0) from parquet_file_metadata({raw.parquet})"
    return int(con.execute(sql).fetchone()[0])


def create_table_sql(schema_name: str, table: str, columns: list[tuple[str, str]]) -> str:
    cols = ", ".join(f"{quote_ident(name)} {typ}" for name, typ in columns)
    return f"create table {quote_ident(schema_name)}.{quote_ident(table)} ({cols})"


def pg_execute(con, sql: str) -> None:
    """Run PostgreSQL SQL as is, in the current DuckDB transaction."""
    con.execute(f"call postgres_execute({quote_literal(PG)}, {quote_literal(sql)})")


def pg_query(con, sql: str) -> list[tuple]:
    return con.execute(
        f"select * from postgres_query({quote_literal(PG)}, {quote_literal(sql)})"
    ).fetchall()


def dependent_views(con, schema_name: str, table: str) -> list[str]:
    """Views that read the table (dbt staging views): drop ... cascade takes them along."""
    target = quote_literal(f"{quote_ident(schema_name)}.{quote_ident(table)}")
    return [
        row[0]
        for row in pg_query(
            con,
            "select distinct v.oid::regclass::text as view from pg_depend d"
            " join pg_rewrite r on r.oid = d.objid join pg_class v on v.oid = r.ev_class"
            f" where d.classid = 'pg_rewrite'::regclass and d.refobjid = to_regclass({target})"
            " and v.oid <> d.refobjid order by 1",
        )
    ]


def insert_sql(target: str, columns: list[tuple[str, str]], raw: RawTable) -> str:
    names = ", ".join(quote_ident(name) for name, _ in columns)
    return f"insert into {target} ({names}) select {names} from {source_sql(raw)}"


def load_table(con, raw: RawTable, schema_prefix: str) -> int:
    """Drop, create and fill one table in one transaction; returns the rows inserted."""
    columns = table_columns(con, raw)
    expected = parquet_rows(con, raw)
    pg_schema = f"{schema_prefix}{raw.system}"
    target = f"{PG}.{quote_ident(pg_schema)}.{quote_ident(raw.table)}"
    con.execute("begin")
    try:
        views = dependent_views(con, pg_schema, raw.table)
        pg_execute(
            con,
            f"create schema if not exists {quote_ident(pg_schema)};"
            f" drop table if exists {quote_ident(pg_schema)}.{quote_ident(raw.table)} cascade;"
            f" {create_table_sql(pg_schema, raw.table, columns)}",
        )
        # DuckDB caches PostgreSQL's schemas and tables: without this a schema created just now
        # is "not found" once the cache was filled by an earlier table.
        con.execute("call pg_clear_cache()")
        loaded = con.execute(insert_sql(target, columns, raw)).fetchone()[0]
        if loaded != expected:
            raise RowCountMismatch(
                f"{raw.name}: inserted {loaded} rows, the Parquet parts hold {expected}"
            )
        con.execute("commit")
    except BaseException:
        # Rolling back the PostgreSQL transaction leaves the previous table in place.
        with contextlib.suppress(duckdb.Error):  # the server may be gone
            con.execute("rollback")
        raise
    for view in views:
        print(f"  note: drop cascades to view {view} (dbt recreates it)", flush=True)
    return loaded


def extension_file() -> Path | None:
    """The postgres extension shipped by the PyPI package duckdb-extension-postgres, if installed."""
    try:
        import duckdb_extension_postgres
    except ImportError:
        return None
    path = (
        Path(duckdb_extension_postgres.__file__).parent
        / "extensions"
        / f"v{duckdb.__version__}"
        / "postgres.duckdb_extension"
    )
    return path if path.is_file() else None


def load_extension(con) -> None:
    """LOAD the postgres extension without downloading anything. The package names the file
    postgres.duckdb_extension, but DuckDB derives the entry point from the file name and the
    extension's own name is postgres_scanner: load it through a link of that name."""
    path = extension_file()
    if path is None:  # not from PyPI: one installed by `INSTALL postgres` may be there
        con.execute("load postgres")
        return
    with tempfile.TemporaryDirectory(prefix="load_raw_postgres-") as tmp:
        link = Path(tmp) / "postgres_scanner.duckdb_extension"
        link.symlink_to(path)
        con.execute(f"load {quote_literal(str(link))}")


def libpq_dsn(args) -> str:
    """A libpq connection string without the password (libpq reads PGPASSWORD, so the password never
    shows in the error messages DuckDB builds from the string)."""
    params = {
        "host": args.host,
        "port": str(args.port),
        "user": args.user,
        "dbname": args.dbname,
        "connect_timeout": str(args.connect_timeout),
        "application_name": "load_raw_postgres",
        "options": "-c TimeZone=UTC",
    }
    quoted = (
        "'" + v.replace("\\", "\\\\").replace("'", "\\'") + "'" for v in params.values()
    )
    return " ".join(f"{k}={v}" for k, v in zip(params, quoted, strict=True))


def attach(con, args) -> None:
    """Attach PostgreSQL as `pg`. Raises duckdb.Error when the server cannot be reached."""
    os.environ["PGPASSWORD"] = args.password
    con.execute(f"attach {quote_literal(libpq_dsn(args))} as {PG} (type postgres)")
    pg_query(con, "select 1")  # ATTACH may connect lazily: fail here, not in the first table


def server_alive(con) -> bool:
    try:
        pg_query(con, "select 1")
        return True
    except duckdb.Error:
        return False


def one_line(error: BaseException) -> str:
    return " ".join(str(error).split())


def parse_args(argv=None):
    env = {k: os.environ.get(k) or v for k, v in PG_DEFAULTS.items()}
    p = argparse.ArgumentParser(
        description=(
            "Load <root>/<system>/<table>/*.parquet into PostgreSQL tables raw_<system>.<table> "
            "(DuckDB: drop + create + insert, one transaction per table), then verify row counts."
        ),
        epilog=(
            "Connection from PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE (defaults 127.0.0.1, 5432, "
            "postgres, postgres, segmentation). Exit 0 ok, 1 load failure or row count mismatch, "
            "2 nothing to load, server unreachable or postgres extension missing."
        ),
    )
    p.add_argument(
        "--root",
        type=Path,
        default=Path("data/raw"),
        help="raw data root (default: data/raw)",
    )
    p.add_argument(
        "--schema-prefix",
        default="raw_",
        help="schema = prefix + system (default: raw_, the dbt var raw_schema_prefix)",
    )
    p.add_argument(
        "--only",
        action="append",
        metavar="SYSTEM[.TABLE]",
        help="load only these systems/tables (repeatable)",
    )
    # Kept so earlier command lines still work; DuckDB streams in its own vector batches.
    p.add_argument("--batch-rows", type=int, default=None, help=argparse.SUPPRESS)
    p.add_argument(
        "--connect-timeout", type=int, default=10, help="seconds (default: 10)"
    )
    p.add_argument("--host", default=env["PGHOST"], help=argparse.SUPPRESS)
    p.add_argument(
        "--port", type=int, default=int(env["PGPORT"]), help=argparse.SUPPRESS
    )
    p.add_argument("--user", default=env["PGUSER"], help=argparse.SUPPRESS)
    p.add_argument("--password", default=env["PGPASSWORD"], help=argparse.SUPPRESS)
    p.add_argument("--dbname", default=env["PGDATABASE"], help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.batch_rows is not None and args.batch_rows < 1:
        p.error("--batch-rows must be positive")
    return args


def main(argv=None) -> int:
    os.environ.setdefault("DO_NOT_TRACK", "1")
    args = parse_args(argv)
    root: Path = args.root
    if not root.is_dir():
        print(
            f"load_raw_postgres: error: --root {root} is not a directory (run `make data` first?)",
            file=sys.stderr,
        )
        return EXIT_USAGE
    tables = discover(root)
    if args.only:
        wanted = set(args.only)
        tables = [t for t in tables if t.system in wanted or t.name in wanted]
    if not tables:
        print(
            f"load_raw_postgres: error: no <system>/<table>/*.parquet under {root}"
            + (f" matching --only {' '.join(args.only)}" if args.only else ""),
            file=sys.stderr,
        )
        return EXIT_USAGE

    where = f"{args.user}@{args.host}:{args.port}/{args.dbname}"
    con = duckdb.connect(config={"autoinstall_known_extensions": False})
    try:
        load_extension(con)
    except duckdb.Error as e:
        con.close()
        print(
            f"load_raw_postgres: error: cannot load DuckDB's postgres extension: {one_line(e)}",
            file=sys.stderr,
        )
        print(
            "  (install the pinned dependencies: make setup, or "
            f"pip install duckdb-extension-postgres=={duckdb.__version__})",
            file=sys.stderr,
        )
        return EXIT_USAGE
    try:
        attach(con, args)
    except duckdb.Error as e:
        con.close()
        print(
            f"load_raw_postgres: error: cannot connect to PostgreSQL at {where}: {one_line(e)}",
            file=sys.stderr,
        )
        print(
            "  (a local server for this project: bash scripts/ci/postgres_up.sh)",
            file=sys.stderr,
        )
        return EXIT_USAGE

    print(
        f"load_raw_postgres: {len(tables)} tables from {root} into {where}", flush=True
    )
    t_all = time.perf_counter()
    failed: list[str] = []
    loaded: dict[str, int] = {}
    total_rows = 0
    lost_server = False
    try:
        for raw in tables:
            t0 = time.perf_counter()
            try:
                rows = load_table(con, raw, args.schema_prefix)
            except (duckdb.Error, RowCountMismatch, UnsupportedType) as e:
                print(
                    f"  FAILED {args.schema_prefix}{raw.name}: {one_line(e)}",
                    file=sys.stderr,
                    flush=True,
                )
                failed.append(raw.name)
                if not server_alive(con):  # the other tables cannot load either
                    lost_server = True
                    break
                continue
            secs = time.perf_counter() - t0
            total_rows += rows
            loaded[raw.name] = rows
            rate = rows / secs if secs > 0 else 0.0
            print(
                f"  {args.schema_prefix}{raw.name:<40} {rows:>10,} rows  {len(raw.files):>3} parts  "
                f"{secs:6.2f}s  {rate:>10,.0f} rows/s",
                flush=True,
            )

        # Verification pass, after commit: what the database holds now vs the Parquet row counts.
        to_verify = [raw for raw in tables if raw.name in loaded]
        if lost_server:  # nothing loaded can be verified
            failed.extend(raw.name for raw in to_verify)
            to_verify = []
        for raw in to_verify:
            pg_schema = f"{args.schema_prefix}{raw.system}"
            target = f"{quote_ident(pg_schema)}.{quote_ident(raw.table)}"
            try:
                have = pg_query(con, f"select count(*) from {target}")[0][0]
            except duckdb.Error as e:
                print(f"  FAILED {pg_schema}.{raw.table}: count(*): {one_line(e)}", file=sys.stderr)
                failed.append(raw.name)
                continue
            want = parquet_rows(con, raw)
            if have != want:
                print(
                    f"  MISMATCH {pg_schema}.{raw.table}: {have} rows in PostgreSQL, "
                    f"{want} in Parquet",
                    file=sys.stderr,
                )
                failed.append(raw.name)
    finally:
        con.close()

    secs = time.perf_counter() - t_all
    rate = total_rows / secs if secs > 0 else 0.0
    if failed:
        print(
            f"load_raw_postgres: FAILED {len(failed)} of {len(tables)} tables: {', '.join(failed)}",
            file=sys.stderr,
        )
        return EXIT_FAILED
    print(
        f"load_raw_postgres: {len(tables)} tables, {total_rows:,} rows in {secs:.1f}s ({rate:,.0f} rows/s); "
        "row counts verified"
    )
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
