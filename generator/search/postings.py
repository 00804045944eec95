"""Folded document texts → the postings of one index segment, with NumPy over UTF-16 code units.

Keys: a single code unit u is key u (< 65536); a pair of adjacent code units (a, b), neither
in tokenizer.SPACE, is key a·65536 + b (≥ 65536, since NUL is a space). Every key is filed in
shard mix(key) % shards. Documents are added in batches in increasing id order; each batch's
records are appended to per-shard spill files, so memory holds one batch and one shard at a
time, never the whole collection. `shard_files` then turns one shard's records into its
`p/<n>.bin` (postings, gzipped) and `q/<n>.bin` (positions) bytes; docs/search-format.md has
the layout.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import numpy as np

from generator.search import tokenizer, varint

_SPACE = np.zeros(65536, dtype=bool)
_SPACE[[ord(c) for c in tokenizer.SPACE]] = True
_TITLE = np.uint32(1 << 31)


def shard_of(keys: np.ndarray | int, shards: int) -> np.ndarray | int:
    """The shard of each key: (key × 0x9E3779B1 mod 2^32) mod SHARDS."""
    mixed = (np.asarray(keys, dtype=np.uint64) * np.uint64(0x9E3779B1)) & np.uint64(0xFFFFFFFF)
    return (mixed % np.uint64(shards)).astype(np.int64)


class Spill:
    """Per-shard record files of one segment under FOLDER (docs added in increasing id order)."""

    def __init__(self, folder: Path, shards: int) -> None:
        self.folder, self.shards = folder, shards
        folder.mkdir(parents=True, exist_ok=True)
        for n in range(shards):
            for family in "ub":
                (folder / f"{family}{n}").write_bytes(b"")

    def add(self, ids: list[int], texts: list[str], title_units: list[int]) -> None:
        """Add the documents IDS with searchable TEXTS whose titles are TITLE_UNITS long."""
        if not ids:
            return
        data = [t.encode("utf-16-le") for t in texts]
        lens = np.fromiter((len(d) // 2 for d in data), dtype=np.int64, count=len(data))
        u = np.frombuffer(b"\n\x00".join(data), dtype=np.uint16)
        which = np.repeat(np.arange(len(ids)), lens + 1)[:u.size]
        starts = np.cumsum(lens + 1) - (lens + 1)
        pos = np.arange(u.size, dtype=np.int64) - starts[which]
        doc = np.asarray(ids, dtype=np.uint32)[which]
        in_title = pos < np.asarray(title_units, dtype=np.int64)[which]
        solid = ~_SPACE[u]
        self._units(u[solid], doc[solid], in_title[solid])
        pair = solid[:-1] & solid[1:]
        keys = (u[:-1].astype(np.uint32) << 16 | u[1:])[pair]
        flagged = pos[:-1][pair].astype(np.uint32) | np.where(in_title[:-1][pair], _TITLE, 0)
        self._append("b", keys, np.stack([keys, doc[:-1][pair], flagged], axis=1))

    def _units(self, u: np.ndarray, doc: np.ndarray, in_title: np.ndarray) -> None:
        """One record (key, doc, count, title count) per distinct code unit of each document."""
        combo = doc.astype(np.uint64) << np.uint64(16) | u
        combo.sort()
        start = np.flatnonzero(np.concatenate([[True], combo[1:] != combo[:-1]]))
        uniq, counts = combo[start], np.diff(np.append(start, combo.size))
        in_t = np.sort(doc[in_title].astype(np.uint64) << np.uint64(16) | u[in_title])
        titles = (np.searchsorted(in_t, uniq, "right") - np.searchsorted(in_t, uniq)).astype(np.uint32)
        keys = (uniq & np.uint64(0xFFFF)).astype(np.uint32)
        docs = (uniq >> np.uint64(16)).astype(np.uint32)
        self._append("u", keys, np.stack([keys, docs, counts.astype(np.uint32), titles], axis=1))

    def _append(self, family: str, keys: np.ndarray, rows: np.ndarray) -> None:
        shard = shard_of(keys, self.shards).astype(np.uint16)
        order = np.argsort(shard, kind="stable")  # radix sort on 16 bits
        bounds = np.concatenate([[0], np.cumsum(np.bincount(shard, minlength=self.shards))])
        rows = rows[order]
        for n in range(self.shards):
            a, b = bounds[n], bounds[n + 1]
            if b > a:
                with open(self.folder / f"{family}{n}", "ab") as fh:
                    rows[a:b].tofile(fh)

    def shard_files(self, n: int) -> tuple[bytes, bytes]:
        """(k/<n>.bin gzipped, p/<n>.bin) of shard N; its spill files are removed."""
        units = np.fromfile(self.folder / f"u{n}", dtype=np.uint32).reshape(-1, 4)
        pairs = np.fromfile(self.folder / f"b{n}", dtype=np.uint32).reshape(-1, 3)
        (self.folder / f"u{n}").unlink()
        (self.folder / f"b{n}").unlink()
        return encode_shard(units, pairs)


def _by_key(keys: np.ndarray) -> np.ndarray:
    """The order that sorts KEYS, ties kept in their order (one fast unstable sort of key·2^32 + i)."""
    tagged = keys.astype(np.uint64) << np.uint64(32) | np.arange(keys.size, dtype=np.uint64)
    tagged.sort()
    return (tagged & np.uint64(0xFFFFFFFF)).astype(np.int64)


def _place(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Destination index of every byte of blocks of LENGTHS placed at STARTS (block order)."""
    total = int(lengths.sum())
    block = np.repeat(np.arange(lengths.size), lengths)
    within = np.arange(total) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    return starts[block] + within


def encode_shard(units: np.ndarray, pairs: np.ndarray) -> tuple[bytes, bytes]:
    """(directory, data) bytes from unit records and pair records (see Spill)."""
    units = units[_by_key(units[:, 0])]
    pairs = pairs[_by_key(pairs[:, 0])]  # ties in (doc, position) order
    pkey, pdoc = pairs[:, 0], pairs[:, 1]
    title = (pairs[:, 2] & _TITLE) != 0
    pos = (pairs[:, 2] & ~_TITLE).astype(np.int64)
    new = np.ones(len(pairs), dtype=bool)
    new[1:] = (pkey[1:] != pkey[:-1]) | (pdoc[1:] != pdoc[:-1])
    group = np.flatnonzero(new)
    # entries: one per (key, doc), unit keys (< 65536) before pair keys
    ekey = np.concatenate([units[:, 0], pkey[group]]).astype(np.int64)
    edoc = np.concatenate([units[:, 1], pdoc[group]]).astype(np.int64)
    count = np.concatenate([units[:, 2], np.diff(np.append(group, len(pairs)))]).astype(np.int64)
    tcount = np.concatenate([units[:, 3], np.add.reduceat(title, group) if len(group) else
                             np.zeros(0, np.int64)]).astype(np.int64)
    if not len(ekey):
        return gzip.compress(varint.encode(np.zeros(1)), mtime=0), b""
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
    postings = varint.encode(ints[keep])  # per entry: gap, head, (title count)
    plen = np.add.reduceat((varint.widths(ints.ravel()).reshape(-1, 3) * keep).sum(axis=1),
                           kstart)
    # positions: deltas within each (key, doc), the first from 0
    delta = pos.copy()
    delta[1:] -= np.where(new[1:], 0, pos[:-1])
    positions = varint.encode(delta)
    qlen = np.zeros(len(keys), dtype=np.int64)
    if len(pairs):
        pfirst = np.ones(len(pairs), dtype=bool)
        pfirst[1:] = pkey[1:] != pkey[:-1]
        pstart = np.flatnonzero(pfirst)
        qlen[np.searchsorted(keys, pkey[pstart])] = np.add.reduceat(varint.widths(delta), pstart)
    # data: per key its postings, then its positions
    block = np.cumsum(plen + qlen) - (plen + qlen)
    data = np.empty(len(postings) + len(positions), dtype=np.uint8)
    data[_place(block, plen)] = np.frombuffer(postings, dtype=np.uint8)
    data[_place(block + plen, qlen)] = np.frombuffer(positions, dtype=np.uint8)
    directory = np.stack([np.diff(np.concatenate([[0], keys])), kstart * 0, plen, qlen], axis=1)
    directory[:, 1] = np.diff(np.append(kstart, len(ekey)))
    head = np.array([len(keys)], dtype=np.int64)
    return (gzip.compress(varint.encode(np.concatenate([head, directory.ravel()])),
                          compresslevel=6, mtime=0), data.tobytes())
