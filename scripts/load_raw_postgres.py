#!/usr/bin/env python3
"""Load the raw Parquet exports into PostgreSQL, one table per <system>/<table> folder.

    python scripts/load_raw_postgres.py --root data/raw

Layout read: <root>/<system>/<table>/*.parquet  ->  table raw_<system>.<table>
(the prefix matches the dbt var raw_schema_prefix; the Postgres sources read these tables).

For every table, in one transaction: create schema if not exists, drop table if exists (cascade:
views that read it, i.e. the dbt staging views, are dropped too and dbt recreates them), create the
table with column types taken from the Parquet (Arrow) schema, stream the parts record batch by
record batch through COPY ... FROM STDIN (CSV), check the number of rows COPY reports, commit.
After all tables are loaded, count(*) of every table is compared with the Parquet row counts.

CSV encoding: Arrow's CSV writer always quotes string values and writes nulls as nothing, which is
exactly what COPY's CSV format reads as "" -> empty string and (nothing) -> NULL; commas, quotes,
newlines and the text \\N survive unchanged.

Connection: the libpq variables PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE with the same defaults
as profiles.yml (127.0.0.1, 5432, postgres, postgres, segmentation). Session TimeZone is UTC.

Exit status: 0 loaded and verified; 1 a table failed to load or its row count does not match;
2 usage error: no <system>/<table>/*.parquet under --root, or the server is unreachable.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.dataset as pa_ds
import pyarrow.parquet as pq

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2

PG_DEFAULTS = {
    "PGHOST": "127.0.0.1",
    "PGPORT": "5432",
    "PGUSER": "postgres",
    "PGPASSWORD": "postgres",
    "PGDATABASE": "segmentation",
}

# Rows per record batch read from Parquet and turned into one CSV chunk for COPY.
DEFAULT_BATCH_ROWS = 50_000


class UnsupportedType(ValueError):
    """An Arrow type the loader has no PostgreSQL column type for."""


class RowCountMismatch(RuntimeError):
    """COPY or count(*) disagrees with the Parquet row count."""


def pg_type(arrow_type: pa.DataType) -> str:
    """PostgreSQL column type for an Arrow type (the types the raw Parquet contract uses, and a few more)."""
    t = arrow_type
    if pa.types.is_dictionary(t):
        return pg_type(t.value_type)
    if pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_null(t):
        return "text"  # an all-null column has Arrow type null; text is the safe choice
    if pa.types.is_boolean(t):
        return "boolean"
    if pa.types.is_int64(t) or pa.types.is_uint32(t):
        return "bigint"
    if pa.types.is_int32(t) or pa.types.is_uint16(t):
        return "integer"
    if pa.types.is_int16(t) or pa.types.is_int8(t) or pa.types.is_uint8(t):
        return "smallint"
    if pa.types.is_uint64(t):
        return "numeric(20, 0)"
    if pa.types.is_float64(t):
        return "double precision"
    if pa.types.is_float32(t) or pa.types.is_float16(t):
        return "real"
    if pa.types.is_decimal(t):
        return f"numeric({t.precision}, {t.scale})"
    if pa.types.is_timestamp(t):
        return "timestamp with time zone" if t.tz is not None else "timestamp"
    if pa.types.is_date(t):
        return "date"
    if pa.types.is_time(t):
        return "time"
    raise UnsupportedType(f"no PostgreSQL type for Arrow type {t}")


def csv_chunk(batch: pa.RecordBatch | pa.Table) -> bytes:
    """One batch as COPY-ready CSV (no header): strings quoted, nulls empty, so "" stays an empty string."""
    buf = io.BytesIO()
    pa_csv.write_csv(
        batch,
        buf,
        pa_csv.WriteOptions(
            include_header=False,
            quoting_style="needed",
            batch_size=max(batch.num_rows, 1),
        ),
    )
    return buf.getvalue()


class ChunkReader(io.RawIOBase):
    """A read()-able file over an iterator of byte chunks, for psycopg2's copy_expert (streams, bounded memory)."""

    def __init__(self, chunks: Iterator[bytes]):
        self._chunks = chunks
        self._buf = b""
        self._pos = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        if size is None or size < 0:
            rest = self._buf[self._pos :] + b"".join(self._chunks)
            self._buf, self._pos = b"", 0
            return rest
        while len(self._buf) - self._pos < size:
            nxt = next(self._chunks, None)
            if nxt is None:
                break
            self._buf = self._buf[self._pos :] + nxt
            self._pos = 0
        out = self._buf[self._pos : self._pos + size]
        self._pos += len(out)
        return out

    def readinto(self, b) -> int:  # io.RawIOBase protocol
        data = self.read(len(b))
        b[: len(data)] = data
        return len(data)


@dataclass
class RawTable:
    system: str
    table: str
    files: list[Path]

    @property
    def name(self) -> str:
        return f"{self.system}.{self.table}"


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


def table_schema(files: list[Path]) -> pa.Schema:
    """Union of the parts' schemas by column name (like DuckDB's read_parquet(union_by_name = true))."""
    schemas = [pq.read_schema(f) for f in files]
    return pa.unify_schemas(schemas, promote_options="permissive").remove_metadata()


def parquet_rows(files: list[Path]) -> int:
    return sum(pq.ParquetFile(f).metadata.num_rows for f in files)


def create_table_sql(schema_name: str, table: str, schema: pa.Schema):
    from psycopg2 import sql

    cols = [
        sql.SQL("{} {}").format(sql.Identifier(f.name), sql.SQL(pg_type(f.type)))
        for f in schema
    ]
    return sql.SQL("create table {}.{} ({})").format(
        sql.Identifier(schema_name), sql.Identifier(table), sql.SQL(", ").join(cols)
    )


def csv_chunks(
    files: list[Path], schema: pa.Schema, batch_rows: int
) -> Iterator[bytes]:
    """The parts in record batches, missing columns as nulls, in the column order of `schema`."""
    dataset = pa_ds.dataset([str(f) for f in files], format="parquet", schema=schema)
    for batch in dataset.to_batches(batch_size=batch_rows, use_threads=True):
        if batch.num_rows:
            yield csv_chunk(batch)


def connect(args):
    import psycopg2

    return psycopg2.connect(
        host=args.host,
        port=args.port,
        user=args.user,
        password=args.password,
        dbname=args.dbname,
        connect_timeout=args.connect_timeout,
        application_name="load_raw_postgres",
        options="-c TimeZone=UTC",
    )


def load_table(conn, raw: RawTable, schema_prefix: str, batch_rows: int) -> int:
    """Drop, create and fill one table in one transaction; returns the rows COPY loaded."""
    from psycopg2 import sql

    schema = table_schema(raw.files)
    expected = parquet_rows(raw.files)
    pg_schema = f"{schema_prefix}{raw.system}"
    target = sql.SQL("{}.{}").format(
        sql.Identifier(pg_schema), sql.Identifier(raw.table)
    )
    columns = sql.SQL(", ").join(sql.Identifier(f.name) for f in schema)
    del conn.notices[:]
    # One transaction: `with conn` commits on success and rolls back on any error, so a failed
    # reload leaves the previous table in place.
    with conn, conn.cursor() as cur:
        cur.execute(
            sql.SQL("create schema if not exists {}").format(sql.Identifier(pg_schema))
        )
        cur.execute(sql.SQL("drop table if exists {} cascade").format(target))
        cur.execute(create_table_sql(pg_schema, raw.table, schema))
        # FREEZE: the table was created in this transaction, so rows can be written frozen
        # (no later VACUUM rewrite); with wal_level=minimal this COPY also skips the WAL.
        copy = sql.SQL("copy {} ({}) from stdin with (format csv, freeze true)").format(
            target, columns
        )
        chunks = csv_chunks(raw.files, schema, batch_rows)
        cur.copy_expert(copy.as_string(conn), ChunkReader(chunks), size=1 << 20)
        loaded = cur.rowcount
        if loaded != expected:
            raise RowCountMismatch(
                f"{raw.name}: COPY loaded {loaded} rows, the Parquet parts hold {expected}"
            )
    for notice in conn.notices:
        if "drop cascades" in notice:
            print(f"  note: {notice.strip()} (dbt recreates it)", flush=True)
    return loaded


def parse_args(argv=None):
    env = {k: os.environ.get(k) or v for k, v in PG_DEFAULTS.items()}
    p = argparse.ArgumentParser(
        description=(
            "Load <root>/<system>/<table>/*.parquet into PostgreSQL tables raw_<system>.<table> "
            "(drop + create + COPY, one transaction per table), then verify row counts."
        ),
        epilog=(
            "Connection from PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE (defaults 127.0.0.1, 5432, "
            "postgres, postgres, segmentation). Exit 0 ok, 1 load failure or row count mismatch, "
            "2 nothing to load or server unreachable."
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
    p.add_argument(
        "--batch-rows",
        type=int,
        default=DEFAULT_BATCH_ROWS,
        help=f"rows per record batch (default: {DEFAULT_BATCH_ROWS})",
    )
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
    if args.batch_rows < 1:
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

    import psycopg2

    where = f"{args.user}@{args.host}:{args.port}/{args.dbname}"
    try:
        conn = connect(args)
    except psycopg2.OperationalError as e:
        msg = " ".join(str(e).split())
        print(
            f"load_raw_postgres: error: cannot connect to PostgreSQL at {where}: {msg}",
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
    loaded: dict[str, tuple[str, int]] = {}
    total_rows = 0
    try:
        for raw in tables:
            t0 = time.perf_counter()
            try:
                rows = load_table(conn, raw, args.schema_prefix, args.batch_rows)
            except (
                psycopg2.Error,
                RowCountMismatch,
                UnsupportedType,
                pa.ArrowException,
            ) as e:
                msg = str(e).strip()
                print(
                    f"  FAILED {args.schema_prefix}{raw.name}: {msg}",
                    file=sys.stderr,
                    flush=True,
                )
                failed.append(raw.name)
                if (
                    conn.closed
                ):  # the server went away: the other tables cannot load either
                    break
                continue
            secs = time.perf_counter() - t0
            total_rows += rows
            loaded[raw.name] = (f"{args.schema_prefix}{raw.system}", rows)
            rate = rows / secs if secs > 0 else 0.0
            print(
                f"  {args.schema_prefix}{raw.name:<40} {rows:>10,} rows  {len(raw.files):>3} parts  "
                f"{secs:6.2f}s  {rate:>10,.0f} rows/s",
                flush=True,
            )

        # Verification pass, after commit: what the database holds now vs the Parquet row counts.
        from psycopg2 import sql

        to_verify = [raw for raw in tables if raw.name in loaded]
        if conn.closed:  # lost the server: nothing loaded can be verified
            failed.extend(raw.name for raw in to_verify)
            to_verify = []
        if to_verify:
            with conn, conn.cursor() as cur:
                for raw in to_verify:
                    pg_schema, _ = loaded[raw.name]
                    cur.execute(
                        sql.SQL("select count(*) from {}.{}").format(
                            sql.Identifier(pg_schema), sql.Identifier(raw.table)
                        )
                    )
                    have, want = cur.fetchone()[0], parquet_rows(raw.files)
                    if have != want:
                        print(
                            f"  MISMATCH {pg_schema}.{raw.table}: {have} rows in PostgreSQL, "
                            f"{want} in Parquet",
                            file=sys.stderr,
                        )
                        failed.append(raw.name)
    finally:
        if not conn.closed:
            conn.close()

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
