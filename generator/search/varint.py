"""Unsigned LEB128 varints: NumPy encoding of whole arrays, and a plain decoder for readers.

Each integer is written 7 bits at a time, low bits first; every byte but the last of an
integer has its high bit set. The search index's postings and positions are such streams.
"""

from __future__ import annotations

import numpy as np


def encode(values: np.ndarray) -> bytes:
    """VALUES (non-negative, < 2^35) as one varint stream."""
    v = np.asarray(values, dtype=np.uint64)
    if v.size == 0:
        return b""
    width = widths(v)
    ends = np.cumsum(width)
    starts = ends - width
    out = np.empty(int(ends[-1]), dtype=np.uint8)
    for byte in range(5):
        has = width > byte
        if not has.any():
            break
        part = (v[has] >> np.uint64(7 * byte)) & np.uint64(0x7F)
        more = (width[has] > byte + 1).astype(np.uint64) << np.uint64(7)
        out[starts[has] + byte] = (part | more).astype(np.uint8)
    return out.tobytes()


def widths(values: np.ndarray) -> np.ndarray:
    """Bytes each of VALUES takes as a varint."""
    v = np.asarray(values, dtype=np.uint64)
    width = np.ones(v.size, dtype=np.int64)
    for shift in (7, 14, 21, 28):
        width += v >= (1 << shift)
    return width


def decode(data: bytes) -> list[int]:
    """Every integer of the varint stream DATA."""
    out: list[int] = []
    value = shift = 0
    for byte in data:
        value |= (byte & 0x7F) << shift
        if byte & 0x80:
            shift += 7
        else:
            out.append(value)
            value = shift = 0
    return out
