"""Shared pieces of the scoring benchmark: exact decimal <-> integer conversion and the canonical
checksum both sides of the comparison go through.

Money is DECIMAL(18, 6) in the warehouse. Python code here handles it as int64 micro-units (value ×
10^6), which is exact for any amount below 9.2 × 10^12: Arrow stores a decimal128 as a 16-byte
two's-complement integer of the unscaled value, so the low 8 bytes are the micro-units whenever the
high 8 bytes are the sign extension (checked; anything larger raises).

Canonical form of a table (the thing that is hashed):
  * rows sorted by customer_key (byte order), every column in the table's order;
  * a header line `name:type` per column, tab-separated, the type normalised to the warehouse type
    (varchar, bigint, integer, double, boolean, date, decimal(p,s)), so a type drift is a mismatch;
  * one line per row, values tab-separated, NULL as \\N, booleans true/false, integers in base 10,
    dates ISO (YYYY-MM-DD), decimals with all their scale digits ("-12.340000"), doubles rounded to
    9 significant digits and written with repr ("45.5", "1.33333333"); -0.0 is written as 0.0.
The sha256 of that text is the table's checksum.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

MICRO = 1_000_000
# fct_orders and the scoring stage store money as decimal(18, 6) (64-bit; docs/decisions.md 35).
MONEY_TYPE = pa.decimal128(18, 6)
FACT_MONEY_TYPE = MONEY_TYPE
NULL_TEXT = "\\N"
FLOAT_SIGNIFICANT_DIGITS = 9

# The four relations of the stage, in build order, with their warehouse schema.
OUTPUT_RELATIONS = {
    "int_customer_order_summary": "intermediate",
    "customer_rfm": "marts",
    "customer_lifecycle": "marts",
    "customer_value": "marts",
}


def decimal_to_micro(values: pa.Array | pa.ChunkedArray) -> tuple[np.ndarray, np.ndarray | None]:
    """int64 micro-units and a null mask (None when there are no nulls) of a decimal(*, 6) column."""
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks() if values.num_chunks != 1 else values.chunk(0)
    if not (pa.types.is_decimal128(values.type) and values.type.scale == 6):
        raise TypeError(f"expected decimal128(*, 6), got {values.type}")
    words = np.frombuffer(values.buffers()[1], dtype=np.int64).reshape(-1, 2)
    words = words[values.offset: values.offset + len(values)]
    low, high = words[:, 0], words[:, 1]
    mask = None
    if values.null_count:
        mask = values.is_null().to_numpy(zero_copy_only=False)
    valid_high = np.where(mask, high, low >> 63) if mask is not None else low >> 63
    if not np.array_equal(high, valid_high):
        raise OverflowError("a decimal value does not fit in int64 micro-units (|x| >= 9.2e12)")
    return low.copy(), mask


def micro_to_decimal(micro: np.ndarray, mask: np.ndarray | None = None) -> pa.Array:
    """decimal128(18, 6) Arrow array from int64 micro-units (mask True = NULL)."""
    micro = np.ascontiguousarray(micro, dtype=np.int64)
    words = np.empty((len(micro), 2), dtype=np.int64)
    words[:, 0] = micro
    words[:, 1] = micro >> 63
    validity = None
    null_count = 0
    if mask is not None and mask.any():
        validity = pa.array(~mask).buffers()[1]
        null_count = int(mask.sum())
    return pa.Array.from_buffers(MONEY_TYPE, len(micro), [validity, pa.py_buffer(words)], null_count)


def to_micro(value: object) -> int:
    """Exact micro-units of a var or seed value (int, float from YAML, str, Decimal)."""
    from decimal import Decimal

    d = Decimal(str(value))
    scaled = d * MICRO
    if scaled != scaled.to_integral_value():
        raise ValueError(f"{value!r} has more than 6 decimals: the decimal(18, 6) arithmetic would round")
    return int(scaled)


def _type_name(t: pa.DataType) -> str:
    if pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_string_view(t):
        return "varchar"
    if pa.types.is_decimal(t):
        return f"decimal({t.precision},{t.scale})"
    names = {pa.int64(): "bigint", pa.int32(): "integer", pa.int16(): "smallint", pa.float64(): "double",
             pa.bool_(): "boolean", pa.date32(): "date"}
    return names.get(t, str(t))


def _format_double(column: pa.ChunkedArray) -> pa.Array:
    digits = FLOAT_SIGNIFICANT_DIGITS
    return pa.array([None if v is None else repr(float(f"{v:.{digits}g}") + 0.0) for v in column.to_pylist()],
                    type=pa.string())


def canonical_lines(table: pa.Table) -> tuple[str, pa.Array]:
    """Header and one canonical text line per row (rows sorted by customer_key)."""
    table = table.take(pc.sort_indices(table, [("customer_key", "ascending")]))
    header = "\t".join(f"{f.name}:{_type_name(f.type)}" for f in table.schema)
    texts = []
    for field, column in zip(table.schema, table.columns, strict=True):
        text = _format_double(column) if pa.types.is_floating(field.type) else pc.cast(column, pa.string())
        texts.append(pc.fill_null(text, NULL_TEXT))
    lines = pc.binary_join_element_wise(*texts, "\t")
    if isinstance(lines, pa.ChunkedArray):
        lines = lines.combine_chunks()
    return header, lines


def _sha256(header: str, lines: pa.Array) -> str:
    digest = hashlib.sha256((header + "\n").encode())
    with_newlines = pc.binary_join_element_wise(lines, pa.scalar(""), "\n")
    offsets = np.frombuffer(with_newlines.buffers()[1], dtype=np.int32)[
        with_newlines.offset: with_newlines.offset + len(with_newlines) + 1]
    data = with_newlines.buffers()[2]
    if len(with_newlines):
        digest.update(memoryview(data)[offsets[0]: offsets[-1]])
    return digest.hexdigest()


@dataclass
class Canonical:
    header: str
    lines: pa.Array
    sha256: str
    rows: int


def canonicalize(table: pa.Table) -> Canonical:
    header, lines = canonical_lines(table)
    return Canonical(header, lines, _sha256(header, lines), len(lines))


def describe_differences(left: Canonical, right: Canonical, left_name: str, right_name: str,
                         limit: int = 5) -> list[str]:
    """Human-readable first differences between two canonical tables (column by column)."""
    out: list[str] = []
    if left.header != right.header:
        out.append(f"columns differ:\n  {left_name}:  {left.header}\n  {right_name}: {right.header}")
    lk = [line.split("\t", 1)[0] for line in left.lines.to_pylist()]
    rk = [line.split("\t", 1)[0] for line in right.lines.to_pylist()]
    if lk != rk:
        only_l, only_r = sorted(set(lk) - set(rk)), sorted(set(rk) - set(lk))
        out.append(f"rows: {left_name} {len(lk):,}, {right_name} {len(rk):,}; customer_key only in "
                   f"{left_name}: {len(only_l):,} (e.g. {only_l[:3]}), only in {right_name}: "
                   f"{len(only_r):,} (e.g. {only_r[:3]})")
        return out
    if left.header != right.header:
        return out
    differing = np.flatnonzero(pc.not_equal(left.lines, right.lines).to_numpy(zero_copy_only=False))
    out.append(f"{len(differing):,} of {left.rows:,} rows differ; first {min(limit, len(differing))}:")
    names = [c.split(":")[0] for c in left.header.split("\t")]
    for i in differing[:limit]:
        lv = left.lines[int(i)].as_py().split("\t")
        rv = right.lines[int(i)].as_py().split("\t")
        diffs = [f"{n}: {left_name}={a} {right_name}={b}" for n, a, b in zip(names, lv, rv, strict=True)
                 if a != b]
        out.append(f"  customer_key {lv[0]}: " + "; ".join(diffs))
    return out
