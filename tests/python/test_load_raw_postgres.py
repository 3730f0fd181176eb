"""scripts/load_raw_postgres.py: type mapping and CSV encoding (no server needed), plus an integration
test against the PostgreSQL at PGHOST/PGPORT (skipped when none answers there)."""

from __future__ import annotations

import csv
import datetime as dt
import importlib.util
import io
import os
import socket
import sys
import uuid
from decimal import Decimal
from pathlib import Path

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
# Arrow -> PostgreSQL types


@pytest.mark.parametrize(
    ("arrow_type", "expected"),
    [
        (pa.string(), "text"),
        (pa.large_string(), "text"),
        (pa.dictionary(pa.int32(), pa.string()), "text"),
        (pa.null(), "text"),
        (pa.int64(), "bigint"),
        (pa.int32(), "integer"),
        (pa.int16(), "smallint"),
        (pa.float64(), "double precision"),
        (pa.float32(), "real"),
        (pa.bool_(), "boolean"),
        (pa.timestamp("us"), "timestamp"),
        (pa.timestamp("ns"), "timestamp"),
        (pa.timestamp("us", tz="UTC"), "timestamp with time zone"),
        (pa.date32(), "date"),
        (pa.decimal128(18, 2), "numeric(18, 2)"),
    ],
)
def test_pg_type(arrow_type, expected):
    assert loader.pg_type(arrow_type) == expected


@pytest.mark.parametrize(
    "arrow_type", [pa.binary(), pa.list_(pa.int64()), pa.struct([("a", pa.int64())])]
)
def test_pg_type_rejects_unsupported(arrow_type):
    with pytest.raises(loader.UnsupportedType):
        loader.pg_type(arrow_type)


# --------------------------------------------------------------------------------------------
# CSV encoding for COPY ... (format csv): "" is an empty string, nothing is NULL.


def _lines(data: bytes) -> list[str]:
    return data.decode().split("\n")[:-1]


def test_csv_null_is_unquoted_empty_and_empty_string_is_quoted():
    chunk = loader.csv_chunk(pa.table({"s": pa.array(["a", "", None], pa.string())}))
    assert _lines(chunk) == ['"a"', '""', ""]


def test_csv_null_and_empty_in_a_multi_column_row():
    table = pa.table(
        {
            "a": pa.array(["", None]),
            "b": pa.array([None, ""]),
            "n": pa.array([None, 1], pa.int64()),
        }
    )
    assert _lines(loader.csv_chunk(table)) == ['"",,', ',"",1']


SPECIAL = [
    "a,b",
    'say "hi"',
    "line1\nline2",
    "cr\r\nlf",
    "\\N",  # the text-format NULL marker must stay text
    "\\.",  # COPY's end-of-data marker, harmless when quoted
    " padded ",
    "tab\there",
    "é ü 中文 🙂",
    "'single'",
]


def test_csv_special_characters_round_trip():
    chunk = loader.csv_chunk(
        pa.table(
            {"s": pa.array(SPECIAL), "i": pa.array(range(len(SPECIAL)), pa.int64())}
        )
    )
    rows = list(csv.reader(io.StringIO(chunk.decode(), newline="")))
    assert [r[0] for r in rows] == SPECIAL
    assert chunk.decode().startswith('"a,b",0\n"say ""hi""",1\n"line1\nline2",2\n')


def test_csv_every_string_value_is_quoted():
    # Quoted means "not NULL" to COPY, so even plain values must be quoted.
    assert _lines(loader.csv_chunk(pa.table({"s": ["plain", "N", "NULL"]}))) == [
        '"plain"',
        '"N"',
        '"NULL"',
    ]


def test_csv_scalar_formats_postgres_reads():
    table = pa.table(
        {
            "i": pa.array([1, None], pa.int64()),
            "b": pa.array([True, False]),
            "ts": pa.array(
                [dt.datetime(2024, 1, 2, 3, 4, 5, 123456), None], pa.timestamp("us")
            ),
            "d": pa.array([dt.date(2024, 1, 2), None], pa.date32()),
            "f": pa.array([0.1, -2.5]),
        }
    )
    assert _lines(loader.csv_chunk(table)) == [
        "1,true,2024-01-02 03:04:05.123456,2024-01-02,0.1",
        ",false,,,-2.5",
    ]


def test_csv_doubles_round_trip_exactly():
    values = [
        0.1,
        1 / 3,
        2.0**-1074,
        1.7976931348623157e308,
        -123456.789e-10,
        6.02214076e23,
    ]
    chunk = loader.csv_chunk(pa.table({"f": pa.array(values, pa.float64())}))
    assert [float(x) for x in _lines(chunk)] == values


def test_chunk_reader_streams_across_chunk_boundaries():
    chunks = [b"abc", b"", b"defgh", b"i"]
    for size in (1, 2, 4, 100):
        reader = loader.ChunkReader(iter(chunks))
        out = b""
        while piece := reader.read(size):
            assert len(piece) <= size
            out += piece
        assert out == b"abcdefghi"
    assert loader.ChunkReader(iter(chunks)).read() == b"abcdefghi"


# --------------------------------------------------------------------------------------------
# Discovery, schemas, CLI errors (still no server)


def _write(path: Path, table: pa.Table) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, path)


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
    files = sorted(tmp_path.glob("*.parquet"))
    schema = loader.table_schema(files)
    assert schema.names == ["a", "b", "c"]
    data = b"".join(loader.csv_chunks(files, schema, batch_rows=10))
    assert sorted(_lines(data)) == ['1,"x",', "2,,true"]
    assert loader.parquet_rows(files) == 2


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
    assert loader.main(["--root", str(tmp_path), "--connect-timeout", "2"]) == 2
    assert "cannot connect to PostgreSQL" in capsys.readouterr().err


# --------------------------------------------------------------------------------------------
# Integration: a real server at the PG* address (bash scripts/ci/postgres_up.sh starts one).


@pytest.fixture(scope="module")
def pg_conn():
    psycopg2 = pytest.importorskip("psycopg2")
    args = loader.parse_args(["--connect-timeout", "3"])
    try:
        conn = loader.connect(args)
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
            "flag": pa.array([True, False, None] + [True] * (n - 3)),
            "ts": pa.array(
                [dt.datetime(2024, 1, 2, 3, 4, 5, 123456)] + [None] * (n - 1),
                pa.timestamp("us"),
            ),
            "d": pa.array([dt.date(2024, 2, 29)] + [None] * (n - 1), pa.date32()),
            "amount": pa.array(
                [Decimal("12.34")] + [None] * (n - 1), pa.decimal128(18, 2)
            ),
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
            ("flag", "boolean"),
            ("ts", "timestamp without time zone"),
            ("d", "date"),
            ("amount", "numeric"),
            ("extra", "text"),
        ]
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
    assert "drop cascades to view" in capsys.readouterr().out
    with pg_conn.cursor() as cur:
        cur.execute(f'select count(*) from "{schema}".things')
        assert cur.fetchone()[0] == n + 1


def test_failed_reload_keeps_the_previous_table(
    tmp_path, pg_conn, scratch_system, monkeypatch, capsys
):
    table_dir = tmp_path / scratch_system / "things"
    _write(
        table_dir / "part-0.parquet", pa.table({"id": pa.array(range(10), pa.int64())})
    )
    assert loader.main(["--root", str(tmp_path)]) == 0

    def broken_chunks(files, schema, batch_rows):
        yield b"1\n"
        raise RuntimeError("simulated read failure in the middle of COPY")

    monkeypatch.setattr(loader, "csv_chunks", broken_chunks)
    assert loader.main(["--root", str(tmp_path)]) == 1
    assert "FAILED" in capsys.readouterr().err
    with pg_conn.cursor() as cur:
        cur.execute(f'select count(*) from "raw_{scratch_system}".things')
        assert cur.fetchone()[0] == 10
