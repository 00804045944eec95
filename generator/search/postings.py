"""Folded document texts → the postings of one index segment, with NumPy over UTF-16 code units.

Keys: a single code unit u is key u (< 65536); a pair of adjacent code units (a, b), neither
in tokenizer.SPACE, is key a·65536 + b (≥ 65536, since NUL is a space). Every key is filed in
shard mix(key) % shards. Documents are added in batches in increasing id order; each batch's
records are sorted by (shard, key) — ties stay in (document, position) order — and written
as one run file per record family, so memory holds one batch and one shard at a time, never
the whole collection. `shard_files` then merges one shard's slices of the runs and encodes
its `k/<n>.bin` (directory, gzipped) and `p/<n>.bin` (postings and positions) bytes;
docs/search-format.md has the layout.
"""

from __future__ import annotations

import gzip
import os
from pathlib import Path

import numpy as np

from generator.search import tokenizer, varint

_SPACE = np.zeros(65536, dtype=bool)
_SPACE[[ord(c) for c in tokenizer.SPACE]] = True
_TITLE = np.uint32(1 << 31)
_UNIT = np.dtype([("key", "<u4"), ("doc", "<u4"), ("count", "<u4"), ("title", "<u4")])
"""A unit record: one per distinct code unit of a document, its occurrences and title ones."""
_PAIR = np.dtype([("key", "<u4"), ("doc", "<u4"), ("pos", "<u4")])
"""A pair record: one per occurrence; pos has _TITLE set for an occurrence in the title."""


def shard_of(keys: np.ndarray | int, shards: int) -> np.ndarray | int:
    """The shard of each key: (key × 0x9E3779B1 mod 2^32) mod SHARDS."""
    mixed = np.asarray(keys, dtype=np.uint32) * np.uint32(0x9E3779B1)  # wraps mod 2^32
    return (mixed % np.uint32(shards)).astype(np.int64)


def stable_order(keys: np.ndarray) -> np.ndarray:
    """The order that sorts the unsigned KEYS, ties kept in their order.

    One fast (unstable, vectorised) sort of key·2^b + index when that fits in 64 bits.
    """
    n = keys.size
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    bits = max(1, (n - 1).bit_length())
    top = int(keys.max()).bit_length()
    if top + bits > 64:
        return np.argsort(keys, kind="stable")
    tagged = keys.astype(np.uint64) << np.uint64(bits) | np.arange(n, dtype=np.uint64)
    tagged.sort()
    return (tagged & np.uint64((1 << bits) - 1)).astype(np.int64)


def take(rows: np.ndarray, order: np.ndarray) -> np.ndarray:
    """ROWS[ORDER] for records (gathered as raw bytes: several times faster than by field)."""
    return rows.view(np.dtype((np.void, rows.dtype.itemsize)))[order].view(rows.dtype)


class Spill:
    """Sorted run files of one segment's records under FOLDER (docs added in increasing id order)."""

    def __init__(self, folder: Path, shards: int) -> None:
        self.folder, self.shards = folder, shards
        folder.mkdir(parents=True, exist_ok=True)
        self.runs: list[tuple[np.ndarray, np.ndarray]] = []
        """Per batch and family: the records' shard bounds (the records are in the run file)."""
        self._files: dict[str, int] = {}

    def add(self, first: int, texts: list[str], title_units: list[int]) -> None:
        """Add the documents FIRST, FIRST + 1, … with searchable TEXTS, titles TITLE_UNITS long."""
        if not texts:
            return
        data = [t.encode("utf-16-le") for t in texts]
        lens = np.fromiter((len(d) // 2 for d in data), dtype=np.int64, count=len(data))
        u = np.frombuffer(b"\n\x00".join(data), dtype=np.uint16)
        which = np.repeat(np.arange(len(data), dtype=np.uint32), lens + 1)[:u.size]
        starts = np.cumsum(lens + 1) - (lens + 1)
        pos = (np.arange(u.size, dtype=np.int64) - starts[which]).astype(np.uint32)
        del starts
        in_title = pos < np.asarray(title_units, dtype=np.uint32)[which]
        which += np.uint32(first)
        solid = ~_SPACE[u]
        units = self._units(u[solid], which[solid], in_title[solid])
        pair = solid[:-1] & solid[1:]
        del solid
        rows = np.empty(int(np.count_nonzero(pair)), dtype=_PAIR)
        rows["key"] = (u[:-1].astype(np.uint32) << 16 | u[1:])[pair]
        rows["doc"] = which[:-1][pair]
        rows["pos"] = pos[:-1][pair] | np.where(in_title[:-1][pair], _TITLE, np.uint32(0))
        del which, pos, in_title, pair
        n = len(self.runs)
        self.runs.append((self._write(f"u{n}", units), self._write(f"b{n}", rows)))

    def _units(self, u: np.ndarray, doc: np.ndarray, in_title: np.ndarray) -> np.ndarray:
        """One record per distinct (document, code unit), in (document, unit) order."""
        combo = doc.astype(np.uint64) << np.uint64(16) | u
        uniq, counts = np.unique(combo, return_counts=True)
        rows = np.empty(uniq.size, dtype=_UNIT)
        rows["key"] = uniq & np.uint64(0xFFFF)
        rows["doc"] = uniq >> np.uint64(16)
        rows["count"] = counts
        rows["title"] = 0
        if in_title.any():
            t_uniq, t_counts = np.unique(combo[in_title], return_counts=True)
            rows["title"][np.searchsorted(uniq, t_uniq)] = t_counts
        return rows

    def _write(self, name: str, rows: np.ndarray) -> np.ndarray:
        """Write ROWS sorted by (shard, key) into run NAME; the shards' bounds in it."""
        shard = shard_of(rows["key"], self.shards)
        order = stable_order(shard.astype(np.uint64) << np.uint64(32) | rows["key"])
        take(rows, order).tofile(self.folder / name)
        return np.concatenate([[0], np.cumsum(np.bincount(shard, minlength=self.shards))])

    def _slice(self, name: str, dtype: np.dtype, start: int, end: int) -> np.ndarray:
        """Records START … END − 1 of run NAME (read, not mapped: mapped pages of the run
        files would count in the process's memory)."""
        if end <= start:
            return np.zeros(0, dtype=dtype)
        if name not in self._files:
            self._files[name] = os.open(self.folder / name, os.O_RDONLY)
        size = dtype.itemsize
        data = os.pread(self._files[name], (end - start) * size, start * size)
        return np.frombuffer(data, dtype=dtype)

    def shard_files(self, n: int) -> tuple[bytes, bytes]:
        """(k/<n>.bin gzipped, p/<n>.bin) of shard N."""
        units = _merge([self._slice(f"u{r}", _UNIT, b[0][n], b[0][n + 1])
                        for r, b in enumerate(self.runs)], _UNIT)
        pairs = _merge([self._slice(f"b{r}", _PAIR, b[1][n], b[1][n + 1])
                        for r, b in enumerate(self.runs)], _PAIR)
        return encode_shard(units, pairs)

    def close(self) -> None:
        """Close the run files (the caller removes the folder)."""
        for fd in self._files.values():
            os.close(fd)
        self._files = {}


def _merge(parts: list[np.ndarray], dtype: np.dtype) -> np.ndarray:
    """Runs sorted by key (in document order, one after the other) → one run sorted by key."""
    parts = [p for p in parts if p.size]
    if len(parts) <= 1:
        return np.array(parts[0]) if parts else np.zeros(0, dtype=dtype)
    rows = np.concatenate(parts)
    return take(rows, stable_order(rows["key"]))


def _place(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Destination index of every byte of blocks of LENGTHS placed at STARTS (block order)."""
    total = int(lengths.sum())
    block = np.repeat(np.arange(lengths.size), lengths)
    within = np.arange(total) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    return starts[block] + within


def encode_shard(units: np.ndarray, pairs: np.ndarray) -> tuple[bytes, bytes]:
    """(directory, data) bytes from unit and pair records sorted by key (ties by doc, position)."""
    if not units.size and not pairs.size:
        return gzip.compress(varint.encode(np.zeros(1)), mtime=0), b""
    pkey, pdoc = pairs["key"], pairs["doc"]
    title = (pairs["pos"] & _TITLE) != 0
    pos = pairs["pos"] & ~_TITLE
    new = np.ones(len(pairs), dtype=bool)
    new[1:] = (pkey[1:] != pkey[:-1]) | (pdoc[1:] != pdoc[:-1])
    group = np.flatnonzero(new)
    # entries: one per (key, doc), unit keys (< 65536) before pair keys
    ekey = np.concatenate([units["key"], pkey[group]]).astype(np.int64)
    edoc = np.concatenate([units["doc"], pdoc[group]]).astype(np.int64)
    count = np.concatenate([units["count"], np.diff(np.append(group, len(pairs)))]).astype(np.int64)
    tcount = np.concatenate([units["title"], np.add.reduceat(title, group) if len(group) else
                             np.zeros(0, np.int64)]).astype(np.int64)
    first = np.ones(len(ekey), dtype=bool)
    first[1:] = ekey[1:] != ekey[:-1]
    kstart = np.flatnonzero(first)
    keys = ekey[kstart]
    prev = np.empty_like(edoc)
    prev[0] = -1
    prev[1:] = edoc[:-1]
    prev[kstart] = -1
    has_t = tcount > 0
    ints = np.stack([edoc - prev, 2 * (count - tcount) + has_t, tcount], axis=1)
    keep = np.ones(ints.shape, dtype=bool)
    keep[:, 2] = has_t
    postings, kept = varint.encode_sized(ints[keep])  # per entry: gap, head, (title count)
    widths = np.zeros(ints.shape, dtype=np.int64)
    widths[keep] = kept
    plen = np.add.reduceat(widths.sum(axis=1), kstart)
    # positions: deltas within each (key, doc), the first from 0
    delta = pos.astype(np.int64)
    delta[1:] -= np.where(new[1:], 0, delta[:-1])
    positions, qwidths = varint.encode_sized(delta)
    qlen = np.zeros(len(keys), dtype=np.int64)
    if len(pairs):
        pfirst = np.ones(len(pairs), dtype=bool)
        pfirst[1:] = pkey[1:] != pkey[:-1]
        pstart = np.flatnonzero(pfirst)
        qlen[np.searchsorted(keys, pkey[pstart])] = np.add.reduceat(qwidths, pstart)
    # data: per key its postings, then its positions
    block = np.cumsum(plen + qlen) - (plen + qlen)
    data = np.empty(len(postings) + len(positions), dtype=np.uint8)
    data[_place(block, plen)] = np.frombuffer(postings, dtype=np.uint8)
    data[_place(block + plen, qlen)] = np.frombuffer(positions, dtype=np.uint8)
    directory = np.stack([np.diff(np.concatenate([[0], keys])),
                          np.diff(np.append(kstart, len(ekey))), plen, qlen], axis=1)
    head = np.array([len(keys)], dtype=np.int64)
    return (gzip.compress(varint.encode(np.concatenate([head, directory.ravel()])),
                          compresslevel=6, mtime=0), data.tobytes())
