"""Reference query engine over the index files (the algorithm search.js runs in the browser).

Used by the tests and the benchmark to check the index against a plain substring scan.
"""

from __future__ import annotations

import gzip
import json
import math
from dataclasses import dataclass, field
from typing import Callable, Iterable

from generator.search import tokenizer
from generator.search.index import LENGTH_ALPHABET, SearchDoc, length_of

K1 = 1.2
B = 0.75
TITLE_BOOST = 2.0
"""A term found in the title adds TITLE_BOOST × its idf (and title matches sort first anyway)."""

Positions = tuple[list[int], list[int]]
"""(title offsets, body offsets) of a term's matches in one document."""


@dataclass(frozen=True)
class Term:
    """One part of a query: a CJK phrase (≥ 2 chars), a single CJK char (titles) or a word prefix."""

    kind: str
    """'phrase', 'char' or 'word'."""
    text: str
    """Folded text."""


@dataclass
class Hit:
    """A matching document with each term's match offsets and its relevance."""

    doc: int
    matches: list[Positions] = field(default_factory=list)
    title_hits: int = 0
    score: float = 0.0


def parse(query: str) -> list[Term]:
    """The terms of QUERY, in order, without repeats; they are ANDed."""
    terms: list[Term] = []
    for kind, _, run in tokenizer.runs(tokenizer.fold(query)):
        if kind == "w":
            term = Term("word", run)
        else:
            term = Term("char" if len(run) == 1 else "phrase", run)
        if term not in terms:
            terms.append(term)
    return terms


def _unzip(data: bytes) -> bytes:
    return gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data


def decode(ints: list[int]) -> dict[int, Positions]:
    """Postings (see docs/search-format.md) → {doc: (title offsets, body offsets)}."""
    out: dict[int, Positions] = {}
    i, doc, n = 0, -1, len(ints)
    while i < n:
        doc += ints[i]
        head = ints[i + 1]
        i += 2
        titles = 0
        if head & 1:
            titles = ints[i]
            i += 1
        fields: list[list[int]] = []
        for count in (titles, head >> 1):
            at, ps = 0, []
            for delta in ints[i:i + count]:
                at += delta
                ps.append(at)
            i += count
            fields.append(ps)
        out[doc] = (fields[0], fields[1])
    return out


class Index:
    """The index files of one build, read through LOAD(path relative to search/) → bytes."""

    def __init__(self, load: Callable[[str], bytes]):
        self.load = load
        self.manifest = json.loads(load("manifest.json"))
        self.count: int = self.manifest["docs"]
        self.shards: int = self.manifest["shards"]
        self._shards: dict[int, dict[str, list[int]]] = {}
        self._chunks: dict[int, list[dict]] = {}
        self._lengths: list[float] | None = None
        self.fetched: set[str] = {"manifest.json"}

    def _json(self, path: str) -> dict:
        self.fetched.add(path)
        return json.loads(_unzip(self.load(path)))

    def shard(self, n: int) -> dict[str, list[int]]:
        if n not in self._shards:
            self._shards[n] = self._json(f"p/{n}.json.gz")["t"]
        return self._shards[n]

    def lengths(self) -> list[float]:
        if self._lengths is None:
            codes = self._json("lengths.json.gz")["q"]
            self._lengths = [length_of(LENGTH_ALPHABET.index(c)) for c in codes]
        return self._lengths

    def doc(self, i: int) -> dict:
        """Metadata of doc I: t(itle) u(rl) d(ate) a(ccount) g (tags) x (text place)."""
        chunk = self.manifest["chunk"]
        n = i // chunk
        if n not in self._chunks:
            self._chunks[n] = self._json(f"d/{n}.json.gz")["docs"]
        return self._chunks[n][i % chunk]

    def text(self, i: int) -> str:
        """The NFC body text of doc I (as excerpts are cut from it)."""
        file, start, length = self.doc(i)["x"]
        self.fetched.add(f"t/{file}.bin")
        data = self.load(f"t/{file}.bin")
        return data[2 * start: 2 * (start + length)].decode("utf-16-le")

    def postings(self, token: str) -> dict[int, Positions]:
        ints = self.shard(tokenizer.shard_of(token, self.shards)).get(token)
        return decode(ints) if ints else {}

    def matches(self, term: Term) -> dict[int, Positions]:
        """Every doc holding TERM, with the offsets of each match."""
        if term.kind == "char":
            return {d: (t, []) for d, (t, _) in self.postings(term.text).items() if t}
        if term.kind == "word":
            return self._word(term.text)
        cover = tokenizer.cover(term.text)
        lists = [self.postings(bigram) for bigram, _ in cover]
        docs = set(min(lists, key=len))
        for other in lists:
            docs &= other.keys()
        out: dict[int, Positions] = {}
        for d in docs:
            found = tuple(_verify([lst[d][f] for lst in lists], [o for _, o in cover])
                          for f in (0, 1))
            if found[0] or found[1]:
                out[d] = found  # type: ignore[assignment]
        return out

    def _word(self, word: str) -> dict[int, Positions]:
        if len(word) > tokenizer.MAX_WORD:
            return {}
        shard = self.shard(tokenizer.shard_of(word, self.shards))
        exact = len(word) < tokenizer.KEY_CHARS
        out: dict[int, Positions] = {}
        for token in sorted(shard):
            if token == word or (not exact and token.startswith(word)):
                for d, (t, b) in decode(shard[token]).items():
                    old = out.get(d, ([], []))
                    out[d] = (sorted(old[0] + t), sorted(old[1] + b))
        return out

    def search(self, query: str, sort: str = "relevance") -> list[Hit]:
        """Documents matching every term of QUERY, ranked by SORT (relevance, newest, oldest)."""
        terms = parse(query)
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
        lengths, avgdl = self.lengths(), self.manifest["avgdl"] or 1.0
        idfs = [math.log(1 + (self.count - df + 0.5) / (df + 0.5)) for df in dfs]
        for hit in hits:
            norm = K1 * (1 - B + B * lengths[hit.doc] / avgdl)
            for idf, (title, body) in zip(idfs, hit.matches):
                if title:
                    hit.title_hits += 1
                    hit.score += TITLE_BOOST * idf
                if body:
                    hit.score += idf * len(body) * (K1 + 1) / (len(body) + norm)


def _verify(positions: list[list[int]], offsets: list[int]) -> list[int]:
    """Offsets p of the first list such that list j holds p + offsets[j] for every j."""
    first, rest = positions[0], [set(ps) for ps in positions[1:]]
    return [p for p in first if all(p + o in s for o, s in zip(offsets[1:], rest))]


def order(hits: list[Hit], sort: str, dated: int) -> list[Hit]:
    """HITS sorted: relevance (title hits, score, newest), newest, or oldest (undated last)."""
    if sort == "newest":
        return sorted(hits, key=lambda h: h.doc)
    if sort == "oldest":
        return sorted(hits, key=lambda h: (h.doc >= dated, -h.doc))
    return sorted(hits, key=lambda h: (-h.title_hits, -h.score, h.doc))


def scan(docs: Iterable[SearchDoc], query: str) -> set[int]:
    """Ground truth by brute force: ids of DOCS whose folded title or text hold every term."""
    terms = parse(query)
    out = set()
    for i, doc in enumerate(docs):
        title, text = tokenizer.fold(doc.title), tokenizer.fold(doc.text)
        if terms and all(_holds(t, title, text) for t in terms):
            out.add(i)
    return out


def _holds(term: Term, title: str, text: str) -> bool:
    if term.kind == "char":
        return term.text in title
    if term.kind == "phrase":
        return term.text in title or term.text in text
    if len(term.text) > tokenizer.MAX_WORD:
        return False
    exact = len(term.text) < tokenizer.KEY_CHARS
    return any(kind == "w" and len(run) <= tokenizer.MAX_WORD
               and (run == term.text or (not exact and run.startswith(term.text)))
               for field in (title, text) for kind, _, run in tokenizer.runs(field))
