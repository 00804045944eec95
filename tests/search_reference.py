"""Reference query engine over the index files (the algorithm search.js runs in the browser).

Used by the tests and the benchmark to check the index against a plain substring scan; not
part of the package (the site's search runs in the browser).
"""

from __future__ import annotations

import gzip
import json
import math
from dataclasses import dataclass, field
from typing import Callable, Iterable

from generator.search import postings, tokenizer, varint
from generator.search.index import LENGTH_ALPHABET, SearchDoc, length_of

K1 = 1.2
B = 0.75
TITLE_BOOST = 2.0
"""A term found in the title adds TITLE_BOOST × its idf (and title matches sort first anyway)."""


@dataclass
class Entry:
    """One key's entry for one document: occurrences in the title and in the rest."""

    title: int
    body: int
    positions: list[int] | None = None
    """Offsets in the searchable text, title ones first (only read for long terms)."""


@dataclass
class Hit:
    """A matching document with each term's (title matches, other matches) and its relevance."""

    doc: int
    matches: list[tuple[int, int]] = field(default_factory=list)
    title_hits: int = 0
    score: float = 0.0


def key_of(pair: str) -> int:
    """The index key of one or two UTF-16 code units."""
    units = pair.encode("utf-16-le", "surrogatepass")
    codes = [int.from_bytes(units[i:i + 2], "little") for i in range(0, len(units), 2)]
    return codes[0] if len(codes) == 1 else codes[0] * 65536 + codes[1]


def code_units(text: str) -> list[str]:
    """TEXT as a list of one-code-unit strings (surrogates kept as halves)."""
    data = text.encode("utf-16-le", "surrogatepass")
    return [data[i:i + 2].decode("utf-16-le", "surrogatepass") for i in range(0, len(data), 2)]


def cover(n: int) -> list[int]:
    """Starts of the pairs that pin down a term of N ≥ 2 code units: 0, 2, 4, … and n − 2."""
    picks = list(range(0, n - 1, 2))
    if picks[-1] != n - 2:
        picks.append(n - 2)
    return picks


def _unzip(data: bytes) -> bytes:
    return gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data


def read_directory(data: bytes) -> dict[int, tuple[int, int, int, int]]:
    """A k/ file → {key: (docs, offset of its postings in the p/ file, postings bytes, positions bytes)}."""
    ints = varint.decode(_unzip(data))
    out: dict[int, tuple[int, int, int, int]] = {}
    key = at = 0
    for i in range(1, 1 + 4 * ints[0], 4):
        key += ints[i]
        out[key] = (ints[i + 1], at, ints[i + 2], ints[i + 3])
        at += ints[i + 2] + ints[i + 3]
    return out


def read_postings(data: bytes, ndocs: int) -> dict[int, Entry]:
    """One key's postings → {local doc: Entry}."""
    ints = varint.decode(data)
    docs: dict[int, Entry] = {}
    i, doc = 0, -1
    for _ in range(ndocs):
        doc += ints[i]
        head = ints[i + 1]
        i += 2
        title = 0
        if head & 1:
            title = ints[i]
            i += 1
        docs[doc] = Entry(title, head >> 1)
    return docs


class Segment:
    """One segment of the index, read through LOAD(path)."""

    def __init__(self, load: Callable[[str], bytes], info: dict) -> None:
        self.load, self.info, self.name = load, info, info["name"]
        self.ids = info["ids"] if info["ids"] is not None else range(info["docs"])
        self._shards: dict[int, dict] = {}
        self._postings: dict[int, dict[int, Entry]] = {}
        self._chunks: dict[int, list] = {}
        self.fetched: set[str] = set()

    def file(self, path: str) -> bytes:
        self.fetched.add(f"{self.name}/{path}")
        return self.load(f"{self.name}/{path}")

    def _where(self, key: int) -> tuple[int, tuple[int, int, int, int] | None]:
        n = int(postings.shard_of(key, self.info["shards"]))
        if n not in self._shards:
            self._shards[n] = read_directory(self.file(f"k/{n}.bin"))
        return n, self._shards[n].get(key)

    def entries(self, key: int) -> dict[int, Entry]:
        """{local doc: Entry} of KEY."""
        if key not in self._postings:
            n, where = self._where(key)
            if where is None:
                self._postings[key] = {}
            else:
                ndocs, at, plen, _ = where
                self._postings[key] = read_postings(self.file(f"p/{n}.bin")[at:at + plen], ndocs)
        return self._postings[key]

    def with_positions(self, key: int) -> dict[int, Entry]:
        docs = self.entries(key)
        n, where = self._where(key)
        if docs and where and docs[next(iter(docs))].positions is None:
            _, at, plen, qlen = where
            ints = varint.decode(self.file(f"p/{n}.bin")[at + plen:at + plen + qlen])
            i = 0
            for entry in docs.values():
                at, ps = 0, []
                for delta in ints[i:i + entry.title + entry.body]:
                    at += delta
                    ps.append(at)
                i += entry.title + entry.body
                entry.positions = ps
        return docs

    def matches(self, term: str) -> dict[int, tuple[int, int]]:
        """{local doc: (title matches, other matches)} of TERM in this segment."""
        units = code_units(term)
        if len(units) <= 2:
            return {d: (e.title, e.body) for d, e in self.entries(key_of(term)).items()}
        starts = cover(len(units))
        lists = [self.entries(key_of(units[s] + units[s + 1])) for s in starts]
        docs = set(min(lists, key=len))
        for other in lists:
            docs &= other.keys()
        if not docs:
            return {}
        lists = [self.with_positions(key_of(units[s] + units[s + 1])) for s in starts]
        out: dict[int, tuple[int, int]] = {}
        for d in sorted(docs):
            first = lists[0][d]
            rest = [set(lst[d].positions) for lst in lists[1:]]  # type: ignore[arg-type]
            title = body = 0
            for rank, p in enumerate(first.positions or ()):
                if all(p + s in r for s, r in zip(starts[1:], rest)):
                    if rank < first.title:
                        title += 1
                    else:
                        body += 1
            if title or body:
                out[d] = (title, body)
        return out

    def lengths(self) -> str:
        return json.loads(_unzip(self.file("lengths.json.gz")))["q"]

    def doc(self, local: int) -> dict:
        chunk = self.info["chunk"]
        n = local // chunk
        if n not in self._chunks:
            self._chunks[n] = json.loads(_unzip(self.file(f"d/{n}.json.gz")))["docs"]
        return self._chunks[n][local % chunk]


class Index:
    """The index read through LOAD(path relative to search/) → bytes."""

    def __init__(self, load: Callable[[str], bytes]) -> None:
        self.load = load
        self.manifest = json.loads(load("manifest.json"))
        self.count = self.manifest["docs"]
        self.segments = [Segment(load, info) for info in self.manifest["segments"]]
        self.owner: dict[int, tuple[int, int]] = {}
        """Global id → (segment number, local doc) of the segment that holds it now."""
        for s, seg in enumerate(self.segments):
            for local, gid in enumerate(seg.ids):
                self.owner[gid] = (s, local)
            for gid in seg.info.get("gone", ()):
                self.owner.pop(gid, None)
        self._lengths: dict[int, float] | None = None

    @property
    def fetched(self) -> set[str]:
        return set().union(*(s.fetched for s in self.segments))

    def live(self, s: int, local: int) -> int | None:
        gid = self.segments[s].ids[local]
        return gid if self.owner.get(gid) == (s, local) else None

    def lengths(self) -> dict[int, float]:
        if self._lengths is None:
            codes = [seg.lengths() for seg in self.segments]
            self._lengths = {gid: length_of(LENGTH_ALPHABET.index(codes[s][local]))
                             for gid, (s, local) in sorted(self.owner.items())}
        return self._lengths

    def matches(self, term: str) -> dict[int, tuple[int, int]]:
        """{global id: (title matches, other matches)} of TERM over the live documents."""
        out: dict[int, tuple[int, int]] = {}
        for s, seg in enumerate(self.segments):
            for local, m in seg.matches(term).items():
                gid = self.live(s, local)
                if gid is not None:
                    out[gid] = m
        return out

    def doc(self, gid: int) -> dict:
        s, local = self.owner[gid]
        return self.segments[s].doc(local)

    def search(self, query: str, sort: str = "relevance") -> list[Hit]:
        """Documents holding every term of QUERY, ranked by SORT (relevance, newest, oldest)."""
        terms = tokenizer.terms(query)
        if not terms:
            return []
        found = [self.matches(t) for t in terms]
        docs = set(found[0])
        for f in found[1:]:
            docs &= f.keys()
        hits = [Hit(d, [f[d] for f in found]) for d in docs]
        self._score(hits, [len(f) for f in found])
        return order(hits, sort, self.dated())

    def dated(self) -> int:
        """How many docs have a date (they come first)."""
        return sum(y[2] for y in self.manifest["years"])

    def _score(self, hits: list[Hit], dfs: list[int]) -> None:
        lengths = self.lengths()
        avgdl = (sum(lengths.values()) / len(lengths) if lengths else 0) or 1.0
        live = len(lengths)
        idfs = [math.log(1 + (live - df + 0.5) / (df + 0.5)) for df in dfs]
        for hit in hits:
            norm = K1 * (1 - B + B * lengths[hit.doc] / avgdl)
            for idf, (title, body) in zip(idfs, hit.matches):
                if title:
                    hit.title_hits += 1
                    hit.score += TITLE_BOOST * idf
                if body:
                    hit.score += idf * body * (K1 + 1) / (body + norm)


def order(hits: list[Hit], sort: str, dated: int) -> list[Hit]:
    """HITS sorted: relevance (title hits, score, newest), newest, or oldest (undated last)."""
    if sort == "newest":
        return sorted(hits, key=lambda h: h.doc)
    if sort == "oldest":
        return sorted(hits, key=lambda h: (h.doc >= dated, -h.doc))
    return sorted(hits, key=lambda h: (-h.title_hits, -h.score, h.doc))


def scan(docs: Iterable[SearchDoc], query: str) -> set[int]:
    """Ground truth by brute force: ids of DOCS whose folded title, account or text hold every term."""
    terms = tokenizer.terms(query)
    out = set()
    for i, doc in enumerate(docs):
        fields = (tokenizer.fold(doc.title), tokenizer.fold(doc.account or ""),
                  tokenizer.fold(doc.text))
        if terms and all(any(t in f for f in fields) for t in terms):
            out.add(i)
    return out
