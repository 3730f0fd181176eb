"""Deterministic Parquet output: one part file per chunk and table, fixed writer options."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from . import config
from .schemas import SCHEMAS


def check_schema(key: str, table: pa.Table) -> None:
    want = SCHEMAS[key]
    got = table.schema
    if got.names != want.names:
        raise AssertionError(f"{key}: columns {got.names} != contract {want.names}")
    for g, f in zip(got, want, strict=True):
        t = g.type.value_type if pa.types.is_dictionary(g.type) else g.type
        if t != f.type:
            raise AssertionError(f"{key}.{f.name}: {t} != contract {f.type}")


class RawWriter:
    def __init__(self, out: Path) -> None:
        self.root = out / "raw"
        self.parts: dict[str, int] = defaultdict(int)
        self.rows: dict[str, int] = defaultdict(int)

    def path_of(self, key: str, part: int) -> Path:
        system, name = key.split(".")
        return self.root / system / name / f"part-{part:05d}.parquet"

    def next_part(self, key: str) -> int:
        return self.parts[key]

    def write(self, key: str, table: pa.Table) -> int:
        check_schema(key, table)
        part = self.parts[key]
        path = self.path_of(key, part)
        path.parent.mkdir(parents=True, exist_ok=True)
        pq.write_table(table, path, **config.PARQUET_OPTIONS)
        self.parts[key] += 1
        self.rows[key] += table.num_rows
        return part

    def finish(self) -> None:
        for key, schema in SCHEMAS.items():
            if self.parts[key] == 0:
                self.write(key, schema.empty_table())


class TruthWriter:
    """A single Parquet file appended one row group per chunk."""

    def __init__(self, path: Path, schema: pa.Schema) -> None:
        self.path, self.schema = path, schema
        self.writer: pq.ParquetWriter | None = None
        self.rows = 0

    def write(self, table: pa.Table) -> None:
        table = table.cast(self.schema)
        if self.writer is None:
            self.writer = pq.ParquetWriter(self.path, self.schema, **{
                k: v for k, v in config.PARQUET_OPTIONS.items() if k != "row_group_size"})
        self.writer.write_table(table, row_group_size=config.PARQUET_OPTIONS["row_group_size"])
        self.rows += table.num_rows

    def close(self) -> None:
        if self.writer is None:
            self.write(self.schema.empty_table())
        self.writer.close()
