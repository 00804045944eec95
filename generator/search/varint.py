"""Unsigned LEB128 varints: NumPy encoding of whole arrays, and a plain decoder for readers.

Each integer is written 7 bits at a time, low bits first; every byte but the last of an
integer has its high bit set. The search index's postings and positions are such streams.
"""

from __future__ import annotations

import numpy as np


def encode(values: np.ndarray) -> bytes:
    """VALUES (non-negative, < 2^35) as one varint stream."""
    return encode_sized(values)[0]


def encode_sized(values: np.ndarray) -> tuple[bytes, np.ndarray]:
    """(VALUES as one varint stream, the bytes each of them takes)."""
    v = np.asarray(values)
    if v.size == 0:
        return b"", np.zeros(0, dtype=np.int64)
    top = int(v.max())
    kind = np.uint32 if top < 1 << 32 else np.uint64
    v = v.astype(kind, copy=False)
    places = max(1, (top.bit_length() + 6) // 7)
    width = widths(v)
    used = np.arange(places) < width[:, None]
    # one row of 7-bit groups per value, the high bit set on every used byte but the last
    rows = ((v[:, None] >> (np.arange(places, dtype=kind) * kind(7))) & kind(0x7F)).astype(np.uint8)
    rows[:, :-1] |= used[:, 1:].view(np.uint8) << np.uint8(7)
    return rows[used].tobytes(), width


def widths(values: np.ndarray) -> np.ndarray:
    """Bytes each of VALUES takes as a varint."""
    v = np.asarray(values)
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
