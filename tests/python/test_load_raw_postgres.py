"""scripts/load_raw_postgres.py: Parquet -> PostgreSQL types, discovery and CLI errors (no server
needed), plus an integration test against the PostgreSQL at PGHOST/PGPORT (skipped when none answers
there). The integration test reads back through psycopg2, a client independent of the loader's DuckDB."""

from __future__ import annotations

import datetime as dt
import importlib.util
import os
import socket
import sys
import uuid
from decimal import Decimal
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "load_raw_postgres.py"


def _load_module():
    spec = importlib.util.spec_from_file_location("load_raw_postgres", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = (
        module  # dataclasses look the module up while the class is created
    )
    spec.loader.exec_module(module)
    return module


loader = _load_module()


# --------------------------------------------------------------------------------------------
# Parquet -> PostgreSQL types (DuckDB reads the schema; no server needed)


def _write(path: Path, table: pa.Table) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, path)


def _raw(tmp_path: Path, table: pa.Table) -> object:
    _write(tmp_path / "sys" / "t" / "p1.parquet", table)
    return loader.RawTable("sys", "t", [tmp_path / "sys" / "t" / "p1.parquet"])


# The Arrow types pandas/pyarrow write and the PostgreSQL column each becomes.
ARROW_TO_PG = [
    (pa.string(), "text"),
    (pa.large_string(), "text"),
    (pa.dictionary(pa.int32(), pa.string()), "text"),
    (pa.null(), "text"),  # an all-null column has no type; text is the safe choice
    (pa.int64(), "bigint"),
    (pa.int32(), "integer"),
    (pa.int16(), "smallint"),
    (pa.uint32(), "bigint"),
    (pa.uint64(), "numeric(20, 0)"),
    (pa.float64(), "double precision"),
    (pa.float32(), "real"),
    (pa.bool_(), "boolean"),
    (pa.timestamp("us"), "timestamp"),
    (pa.timestamp("ns"), "timestamp"),
    (pa.timestamp("ms"), "timestamp"),
    (pa.timestamp("us", tz="UTC"), "timestamp with time zone"),
    (pa.date32(), "date"),
    (pa.decimal128(18, 2), "numeric(18, 2)"),
]


def test_parquet_column_types(tmp_path):
    table = pa.table(
        {f"c{i}": pa.array([None, None], t) for i, (t, _) in enumerate(ARROW_TO_PG)}
    )
    raw = _raw(tmp_path, table)
    with duckdb.connect() as con:
        assert loader.table_columns(con, raw) == [
            (f"c{i}", pg) for i, (_, pg) in enumerate(ARROW_TO_PG)
        ]


@pytest.mark.parametrize(
    "arrow_type", [pa.binary(), pa.list_(pa.int64()), pa.struct([("a", pa.int64())])]
)
def test_unsupported_parquet_types_are_rejected(tmp_path, arrow_type):
    raw = _raw(tmp_path, pa.table({"x": pa.array([None], arrow_type)}))
    with duckdb.connect() as con, pytest.raises(loader.UnsupportedType):
        loader.table_columns(con, raw)


def test_pg_type_names():
    assert loader.pg_type("DECIMAL(38,4)") == "numeric(38, 4)"
    assert loader.pg_type("varchar") == "text"
    with pytest.raises(loader.UnsupportedType, match="BLOB"):
        loader.pg_type("BLOB")


def test_dsn_quotes_values_and_leaves_the_password_out():
    args = loader.parse_args(["--password", "s3cret"])
    args.user, args.dbname = "o'brien", "my db"
    dsn = loader.libpq_dsn(args)
    assert "s3cret" not in dsn
    assert "user='o\\'brien'" in dsn and "dbname='my db'" in dsn
    assert "options='-c TimeZone=UTC'" in dsn


DOUBLES = [
    0.1,
    1 / 3,
    2.0**-1074,
    1.7976931348623157e308,
    -123456.789e-10,
    6.02214076e23,
]

SPECIAL = [
    "a,b",
    'say "hi"',
    "line1\nline2",
    "cr\r\nlf",
    "\\N",  # the text-format NULL marker must stay text
    "\\.",  # COPY's end-of-data marker
    " padded ",
    "tab\there",
    "é ü 中文 🙂",
    "'single'",
]


# --------------------------------------------------------------------------------------------
# Discovery, schemas, CLI errors (still no server)


def test_discover_layout(tmp_path):
    _write(tmp_path / "shop" / "orders" / "p1.parquet", pa.table({"a": [1]}))
    _write(tmp_path / "crm" / "contacts" / "p1.parquet", pa.table({"a": [1]}))
    (tmp_path / "crm" / "empty").mkdir()
    (tmp_path / "crm" / "notes.txt").write_text("x")
    found = loader.discover(tmp_path)
    assert [(t.system, t.table, len(t.files)) for t in found] == [
        ("crm", "contacts", 1),
        ("shop", "orders", 1),
    ]


def test_parts_are_unioned_by_column_name(tmp_path):
    _write(
        tmp_path / "p1.parquet", pa.table({"a": pa.array([1], pa.int64()), "b": ["x"]})
    )
    _write(
        tmp_path / "p2.parquet", pa.table({"c": [True], "a": pa.array([2], pa.int64())})
    )
    raw = loader.RawTable("s", "t", sorted(tmp_path.glob("*.parquet")))
    with duckdb.connect() as con:
        columns = loader.table_columns(con, raw)
        assert columns == [("a", "bigint"), ("b", "text"), ("c", "boolean")]
        rows = con.execute(f"select a, b, c from {loader.source_sql(raw)} order by a")
        assert rows.fetchall() == [(1, "x", None), (2, None, True)]
        assert loader.parquet_rows(con, raw) == 2


def test_exit_2_when_root_has_no_parquet(tmp_path, capsys):
    (tmp_path / "crm" / "contacts").mkdir(parents=True)
    assert loader.main(["--root", str(tmp_path)]) == 2
    assert "no <system>/<table>/*.parquet" in capsys.readouterr().err
    assert loader.main(["--root", str(tmp_path / "missing")]) == 2


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_exit_2_when_server_unreachable(tmp_path, monkeypatch, capsys):
    _write(tmp_path / "crm" / "contacts" / "p1.parquet", pa.table({"a": [1]}))
    monkeypatch.setenv("PGHOST", "127.0.0.1")
    monkeypatch.setenv("PGPORT", str(_free_port()))
    monkeypatch.setenv("PGPASSWORD", "s3cret-pw")
    assert loader.main(["--root", str(tmp_path), "--connect-timeout", "2"]) == 2
    err = capsys.readouterr().err
    assert "cannot connect to PostgreSQL" in err and "postgres_up.sh" in err
    assert "s3cret-pw" not in err


@pytest.mark.parametrize("broken", ["not installed", "file missing"])
def test_exit_2_when_the_postgres_extension_is_missing(tmp_path, monkeypatch, capsys, broken):
    _write(tmp_path / "crm" / "contacts" / "p1.parquet", pa.table({"a": [1]}))
    # No PyPI package: DuckDB looks in ~/.duckdb/extensions, empty under this HOME.
    monkeypatch.setenv("HOME", str(tmp_path))
    missing = None if broken == "not installed" else tmp_path / "gone.duckdb_extension"
    monkeypatch.setattr(loader, "extension_file", lambda: missing)
    assert loader.main(["--root", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "cannot load DuckDB's postgres extension" in err
    assert "duckdb-extension-postgres==" in err


# --------------------------------------------------------------------------------------------
# Integration: a real server at the PG* address (bash scripts/ci/postgres_up.sh starts one).


@pytest.fixture(scope="module")
def pg_conn():
    psycopg2 = pytest.importorskip("psycopg2")
    args = loader.parse_args(["--connect-timeout", "3"])
    try:
        conn = psycopg2.connect(
            host=args.host,
            port=args.port,
            user=args.user,
            password=args.password,
            dbname=args.dbname,
            connect_timeout=args.connect_timeout,
        )
    except psycopg2.OperationalError as e:
        pytest.skip(
            f"no PostgreSQL at {args.host}:{args.port}/{args.dbname} ({' '.join(str(e).split())[:120]})"
        )
    conn.autocommit = True
    yield conn
    conn.close()


@pytest.fixture
def scratch_system(pg_conn):
    """A source system name of our own, so the test never touches the real raw_* schemas."""
    system = f"zz_pytest_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    yield system
    with pg_conn.cursor() as cur:
        cur.execute(f'drop schema if exists "raw_{system}" cascade')


def test_load_into_postgres(tmp_path, pg_conn, scratch_system, capsys):
    strings = ["plain", "", None, *SPECIAL]
    n = len(strings)
    part1 = pa.table(
        {
            "id": pa.array(range(n), pa.int64()),
            "s": pa.array(strings, pa.string()),
            "small": pa.array([1] * n, pa.int32()),
            "f": pa.array([0.1 * i for i in range(n)], pa.float64()),
            "g": pa.array(DOUBLES + [None] * (n - len(DOUBLES)), pa.float64()),
            "flag": pa.array([True, False, None] + [True] * (n - 3)),
            "ts": pa.array(
                [dt.datetime(2024, 1, 2, 3, 4, 5, 123456)] + [None] * (n - 1),
                pa.timestamp("us"),
            ),
            "d": pa.array([dt.date(2024, 2, 29)] + [None] * (n - 1), pa.date32()),
            "amount": pa.array(
                [Decimal("12.34")] + [None] * (n - 1), pa.decimal128(18, 2)
            ),
            "nothing": pa.array([None] * n, pa.null()),
        }
    )
    part2 = pa.table(
        {
            "id": pa.array([100], pa.int64()),
            "s": ["second part"],
            "extra": ["only here"],
        }
    )
    table_dir = tmp_path / scratch_system / "things"
    _write(table_dir / "part-0.parquet", part1)
    _write(table_dir / "part-1.parquet", part2)

    assert loader.main(["--root", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert f"raw_{scratch_system}.things" in out and "row counts verified" in out

    schema = f"raw_{scratch_system}"
    with pg_conn.cursor() as cur:
        cur.execute(
            "select column_name, data_type from information_schema.columns"
            " where table_schema = %s and table_name = 'things' order by ordinal_position",
            (schema,),
        )
        assert cur.fetchall() == [
            ("id", "bigint"),
            ("s", "text"),
            ("small", "integer"),
            ("f", "double precision"),
            ("g", "double precision"),
            ("flag", "boolean"),
            ("ts", "timestamp without time zone"),
            ("d", "date"),
            ("amount", "numeric"),
            ("nothing", "text"),
            ("extra", "text"),
        ]
        cur.execute(f'select g from "{schema}".things where g is not null order by id')
        assert [r[0] for r in cur.fetchall()] == DOUBLES  # doubles round-trip exactly
        cur.execute(
            f'select id, s, s is null, f, flag, ts, d, amount, extra from "{schema}".things order by id'
        )
        rows = cur.fetchall()
    assert len(rows) == n + 1
    assert [
        r[1] for r in rows[:n]
    ] == strings  # '' stays '', None stays NULL, specials intact
    assert rows[1][2] is False and rows[2][2] is True
    assert [r[3] for r in rows[:n]] == [0.1 * i for i in range(n)]
    assert rows[0][4:8] == (
        True,
        dt.datetime(2024, 1, 2, 3, 4, 5, 123456),
        dt.date(2024, 2, 29),
        Decimal("12.34"),
    )
    assert rows[2][4] is None
    assert (
        rows[-1][1] == "second part"
        and rows[-1][8] == "only here"
        and rows[0][8] is None
    )

    # Idempotent: loading again replaces the table (and the views that read it) instead of appending.
    with pg_conn.cursor() as cur:
        cur.execute(
            f'create view "{schema}".things_v as select * from "{schema}".things'
        )
    assert loader.main(["--root", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert f"drop cascades to view {schema}.things_v (dbt recreates it)" in out
    with pg_conn.cursor() as cur:
        cur.execute(f'select count(*) from "{schema}".things')
        assert cur.fetchone()[0] == n + 1


def test_several_new_schemas_in_one_run(tmp_path, pg_conn, scratch_system, capsys):
    # A schema created while loading must be visible to the next tables (DuckDB caches the catalog).
    systems = [scratch_system, f"{scratch_system}_b", f"{scratch_system}_c"]
    try:
        for system in systems:
            for table in ("one", "two"):
                _write(tmp_path / system / table / "p.parquet", pa.table({"id": pa.array([1, 2], pa.int64())}))
        assert loader.main(["--root", str(tmp_path)]) == 0, capsys.readouterr().err
        with pg_conn.cursor() as cur:
            cur.execute(
                "select count(*) from information_schema.tables where table_schema = any(%s)",
                ([f"raw_{s}" for s in systems],),
            )
            assert cur.fetchone()[0] == 6
    finally:
        with pg_conn.cursor() as cur:
            for system in systems[1:]:
                cur.execute(f'drop schema if exists "raw_{system}" cascade')


def test_failed_reload_keeps_the_previous_table(
    tmp_path, pg_conn, scratch_system, monkeypatch, capsys
):
    table_dir = tmp_path / scratch_system / "things"
    _write(
        table_dir / "part-0.parquet", pa.table({"id": pa.array(range(10), pa.int64())})
    )
    assert loader.main(["--root", str(tmp_path)]) == 0
    rows = 20_000  # several DuckDB vectors (2048 rows) reach PostgreSQL before the failure
    _write(
        table_dir / "part-0.parquet", pa.table({"id": pa.array(range(rows), pa.int64())})
    )
    read_parquet = loader.source_sql

    def failing_read(raw):
        return (
            "(select case when id < 15000 then id"
            " else error('simulated read failure in the middle of the insert') end as id"
            f" from {read_parquet(raw)})"
        )

    monkeypatch.setattr(loader, "source_sql", failing_read)
    assert loader.main(["--root", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert f"FAILED raw_{scratch_system}.things" in err and "simulated read failure" in err
    with pg_conn.cursor() as cur:
        cur.execute(f'select count(*) from "raw_{scratch_system}".things')
        assert cur.fetchone()[0] == 10


def test_row_count_mismatch_fails_and_keeps_the_previous_table(
    tmp_path, pg_conn, scratch_system, monkeypatch, capsys
):
    table_dir = tmp_path / scratch_system / "things"
    _write(
        table_dir / "part-0.parquet", pa.table({"id": pa.array(range(10), pa.int64())})
    )
    assert loader.main(["--root", str(tmp_path)]) == 0
    _write(
        table_dir / "part-0.parquet", pa.table({"id": pa.array(range(12), pa.int64())})
    )
    monkeypatch.setattr(loader, "parquet_rows", lambda con, raw: 13)
    assert loader.main(["--root", str(tmp_path)]) == 1
    assert "inserted 12 rows, the Parquet parts hold 13" in capsys.readouterr().err
    with pg_conn.cursor() as cur:
        cur.execute(f'select count(*) from "raw_{scratch_system}".things')
        assert cur.fetchone()[0] == 10
