"""Vectorized string building on Arrow arrays (no per-row Python)."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc


def vocab(values) -> pa.Array:
    return pa.array(list(values), type=pa.string())


def dict_str(indices: np.ndarray, vocabulary: pa.Array, null_mask: np.ndarray | None = None
             ) -> pa.DictionaryArray:
    """Dictionary-encoded string column: cheap to build, written as a plain Parquet string."""
    if len(vocabulary) <= 4096:  # repeated dictionary values make Parquet output unstable
        assert pc.count_distinct(vocabulary).as_py() == len(vocabulary) - vocabulary.null_count
    idx = pa.array(np.asarray(indices, dtype=np.int32), mask=null_mask)
    return pa.DictionaryArray.from_arrays(idx, vocabulary)


def plain(arr: pa.Array) -> pa.Array:
    """Decode a dictionary array (for concatenation)."""
    if isinstance(arr, pa.ChunkedArray):
        arr = pa.concat_arrays([plain(c) for c in arr.chunks]) if arr.num_chunks else pa.array(
            [], pa.string())
    if pa.types.is_dictionary(arr.type):
        return arr.dictionary.take(arr.indices)
    return arr


def take(vocabulary: pa.Array, indices: np.ndarray, null_mask: np.ndarray | None = None) -> pa.Array:
    return vocabulary.take(pa.array(np.asarray(indices, dtype=np.int64), mask=null_mask))


def int_str(values: np.ndarray, null_mask: np.ndarray | None = None) -> pa.Array:
    return pc.cast(pa.array(np.asarray(values, dtype=np.int64), mask=null_mask), pa.string())


def zpad(values: np.ndarray, width: int, null_mask: np.ndarray | None = None) -> pa.Array:
    return pc.utf8_lpad(int_str(values, null_mask), width=width, padding="0")


def join(*parts) -> pa.Array:
    """Concatenate string arrays / scalars element-wise (null if any part is null)."""
    return pc.binary_join_element_wise(*[plain(p) if isinstance(p, pa.Array) else p
                                         for p in parts], "")


def money(cents: np.ndarray, null_mask: np.ndarray | None = None) -> pa.Array:
    """Integer cents -> decimal text with exactly two decimals ("1234.50", "-0.05")."""
    cents = np.asarray(cents, dtype=np.int64)
    neg = cents < 0
    absval = np.abs(cents)
    sign = pa.array(np.where(neg, "-", ""), type=pa.string())
    return join(sign, int_str(absval // 100, null_mask), ".", zpad(absval % 100, 2))


def where(mask: np.ndarray, a: pa.Array, b: pa.Array) -> pa.Array:
    return pc.if_else(pa.array(mask, type=pa.bool_()), plain(a), plain(b))


def replace_at(arr: pa.Array, positions: np.ndarray, values) -> pa.Array:
    """Return arr (decoded) with arr[positions] replaced by values (list/array of str or None)."""
    out = plain(arr).to_pylist() if len(positions) else None
    if out is None:
        return arr
    for pos, val in zip(positions.tolist(), list(values), strict=True):
        out[pos] = val
    return pa.array(out, type=pa.string())


def uvocab(values) -> tuple[pa.Array, np.ndarray]:
    """Unique vocabulary and the code of each input value (dictionaries must not repeat)."""
    values = list(values)
    uniq = list(dict.fromkeys(values))
    pos = {v: i for i, v in enumerate(uniq)}
    return pa.array(uniq, type=pa.string()), np.array([pos[v] for v in values], dtype=np.int32)
