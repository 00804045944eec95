"""Search documents → the files of one index segment, and the manifest that lists the segments.

A segment is a folder of immutable files named by a hash of their bytes; `manifest.json` (the
only file that changes) lists the base segment and any delta segments that redefine documents
after it. Format: docs/search-format.md.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import math
import tempfile
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Sequence

from generator.search import tokenizer
from generator.search.postings import Spill

FORMAT = "wenji-search"
VERSION = 2
MAX_SHARDS = 300
"""Postings shards of a segment (each a k/ directory and a p/ data file)."""
SHARD_UNITS = 12_000
"""Aimed-at code units of text per shard."""
MIN_CHUNK = 8
"""Documents per metadata chunk, raised so there are at most MAX_CHUNKS chunks."""
MAX_CHUNKS = 200
TEXT_FILE_BYTES = 1 << 20
"""Aimed-at size of one text file, raised so there are at most MAX_TEXT_FILES."""
MAX_TEXT_FILES = 64
BATCH_UNITS = 1 << 20
"""Code units of text extracted at once (the build's working memory for search)."""
BASE = "b"
"""The base segment's folder; delta segments are named d-<version>."""
LENGTH_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_"


@dataclass(frozen=True)
class SearchDoc:
    """What the index needs of one article."""

    title: str
    url: str
    """Root-relative, percent-encoded URL (2018/09/abc/)."""
    text: str
    """Plain text of the body."""
    date: str | None = None
    """YYYY-MM-DD (the day in China time), None for undated articles."""
    account: str | None = None
    tags: tuple[str, ...] = field(default_factory=tuple)
    headings: tuple[tuple[str, str, int], ...] = ()
    """The body's h2–h4: (text, id, where the text starts in `text`, in code points)."""


def heading_rows(doc: SearchDoc, body: str) -> list[list]:
    """[[text, id, start], …] of DOC's headings, start in UTF-16 code units of BODY (its
    normalized text), as the metadata row's "h" holds them."""
    out: list[list] = []
    at = units = 0
    same = body == doc.text  # NFC changed nothing (the usual case)
    for text, id_, start in doc.headings:
        part = doc.text[at:start]
        units += tokenizer.units(part if same else tokenizer.normalize(part))
        at = start
        out.append([tokenizer.normalize(text), id_, units])
    return out


def length_code(n: int) -> int:
    """Quantized body length: round(3·log2(1 + n)), at most 63."""
    return min(63, round(3 * math.log2(1 + n)))


def length_of(code: int) -> float:
    """The body length a length code stands for."""
    return 2 ** (code / 3) - 1


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def gzip_json(value: object) -> bytes:
    return gzip.compress(_json(value).encode("utf-8"), compresslevel=6, mtime=0)


Sink = Callable[[str, bytes], None]
"""Receives each file of a segment: (path inside the segment folder, bytes)."""


def layout(count: int, units: int) -> tuple[int, int, int]:
    """(shards, docs per metadata chunk, bytes per text file) for COUNT docs of UNITS units."""
    shards = min(MAX_SHARDS, max(1, math.ceil(units / SHARD_UNITS)))
    chunk = max(MIN_CHUNK, -(-count // MAX_CHUNKS))
    return shards, chunk, max(TEXT_FILE_BYTES, -(-2 * units // MAX_TEXT_FILES))


def _units_up_to(docs: Iterable[SearchDoc], enough: int) -> int:
    """Code points of the docs' titles and bodies, counted until ENOUGH (a first, short pass)."""
    units = 0
    for d in docs:
        units += len(d.title) + len(d.text)
        if units >= enough:
            break
    return units


class _Texts:
    """The bodies as UTF-16LE, back to back in one scratch file, cut into t/<n>.bin at the end."""

    def __init__(self, path: Path) -> None:
        self.path, self.file = path, open(path, "wb")
        self.lengths: list[int] = []

    def add(self, body: str) -> int:
        """Append BODY (normalized); its length in code units."""
        data = body.encode("utf-16-le")
        self.file.write(data)
        self.lengths.append(len(data) // 2)
        return len(data) // 2

    def write(self, sink: Sink) -> list[tuple[int, int, int]]:
        """Cut the text files (their size: see layout); (file, start, length) per doc."""
        self.file.close()
        text_bytes = layout(len(self.lengths), sum(self.lengths))[2]
        places: list[tuple[int, int, int]] = []
        file = size = held = 0
        with open(self.path, "rb") as fh:
            for length in self.lengths:
                if held and 2 * (size + length) > text_bytes:
                    sink(f"t/{file}.bin", fh.read(2 * size))
                    file, size, held = file + 1, 0, 0
                places.append((file, size, length))
                size, held = size + length, held + 1
            if held:
                sink(f"t/{file}.bin", fh.read(2 * size))
        return places


def write_segment(docs: Sequence[SearchDoc], ids: Sequence[int], sink: Sink, work: Path,
                  shards: int = 0, rows: list[dict] | None = None) -> dict:
    """Write the segment of DOCS (global ids IDS, increasing) through SINK; its manifest entry.

    Postings, metadata and lengths number the documents locally (0 … len(DOCS) − 1). The
    docs are read one at a time (twice for the first few: to pick the shard count), so the
    memory held is one batch of text and one shard, whatever the collection's size.

    WORK is an empty scratch folder (the spilled records and texts). SHARDS=0 picks the count.
    ROWS, when given, receives each document's metadata row ("t", "u", "d", "a", "g").
    """
    tokenizer.warm()
    count = len(docs)
    auto, chunk, _ = layout(count, _units_up_to(docs, MAX_SHARDS * SHARD_UNITS))
    shards = shards or auto
    spill, texts = Spill(work / "runs", shards), _Texts(work / "texts")
    rows = [] if rows is None else rows
    batch: list[str] = []
    titles: list[int] = []
    first = size = 0
    for i, doc in enumerate(docs):
        body = tokenizer.normalize(doc.text)
        size += texts.add(body)
        batch.append(tokenizer.searchable(doc.title, doc.account, body))
        titles.append(tokenizer.units(tokenizer.normalize(doc.title)))
        rows.append({"t": doc.title, "u": doc.url, "d": doc.date, "a": doc.account,
                     "g": list(doc.tags),
                     **({"h": heading_rows(doc, body)} if doc.headings else {})})
        if size >= BATCH_UNITS or i == count - 1:
            spill.add(first, batch, titles)
            first, batch, titles, size = i + 1, [], [], 0
    with ThreadPoolExecutor(2) as pool:  # NumPy and zlib release the GIL
        for n, (directory, data) in enumerate(pool.map(spill.shard_files, range(shards))):
            sink(f"k/{n}.bin", directory)
            sink(f"p/{n}.bin", data)
    spill.close()
    places = texts.write(sink)
    for n, start in enumerate(range(0, count, chunk)):
        part = [{**row, "x": list(places[i])} for i, row in enumerate(rows[start:start + chunk], start)]
        sink(f"d/{n}.json.gz", gzip_json({"docs": part}))
    codes = "".join(LENGTH_ALPHABET[length_code(n)] for n in texts.lengths)
    sink("lengths.json.gz", gzip_json({"q": codes}))
    return {"docs": count, "shards": shards, "chunk": chunk,
            "ids": None if list(ids) == list(range(count)) else list(ids)}


class Hashed:
    """A sink that hashes what it is given and hands it on."""

    def __init__(self, then: Sink) -> None:
        self.then, self.hash = then, hashlib.sha256()

    def __call__(self, path: str, data: bytes) -> None:
        self.hash.update(path.encode() + b"\0" + len(data).to_bytes(8, "little") + data)
        self.then(path, data)

    @property
    def version(self) -> str:
        """A hash of everything given so far: the segment's version."""
        return self.hash.hexdigest()[:12]


def write_base(docs: Sequence[SearchDoc], sink: Sink, shards: int = 0) -> None:
    """Write the whole index of DOCS (ids = positions) through SINK, the manifest last."""
    hashed = Hashed(lambda path, data: sink(f"{BASE}/{path}", data))
    rows: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="wenji-search-") as work:
        entry = write_segment(docs, range(len(docs)), hashed, Path(work), shards, rows)
    hashed("facets.json.gz", gzip_json(_facets(rows)))
    manifest = {"format": FORMAT, "version": VERSION, "docs": len(docs),
                "years": _years(rows), "retired": 0,
                "segments": [{"name": BASE, "v": hashed.version, **entry}]}
    sink("manifest.json", manifest_bytes(manifest))


def manifest_bytes(manifest: dict) -> bytes:
    return (_json(manifest) + "\n").encode("utf-8")


def build_index(docs: Iterable[SearchDoc], shards: int = 0) -> dict[str, bytes]:
    """Every index file of DOCS in memory, by path relative to the search folder."""
    files: dict[str, bytes] = {}

    write_base(list(docs), files.__setitem__, shards)
    return files


def _facets(rows: Sequence[dict]) -> dict[str, object]:
    accounts = Counter(r["a"] for r in rows if r["a"])
    tags = Counter(t for r in rows for t in dict.fromkeys(r["g"]))
    acc_names = sorted(accounts, key=lambda k: (-accounts[k], k))
    tag_names = sorted(tags, key=lambda k: (-tags[k], k))
    acc_id = {k: i for i, k in enumerate(acc_names)}
    tag_id = {k: i for i, k in enumerate(tag_names)}
    return {"accounts": acc_names, "tags": tag_names,
            "a": [acc_id[r["a"]] if r["a"] else -1 for r in rows],
            "g": [[tag_id[t] for t in dict.fromkeys(r["g"])] for r in rows]}


def _years(rows: Sequence[dict]) -> list[list[int]]:
    """[year, first doc id, count] per year, newest first (docs are sorted newest first)."""
    out: list[list[int]] = []
    for i, r in enumerate(rows):
        if not r["d"]:
            continue
        year = int(r["d"][:4])
        if out and out[-1][0] == year and out[-1][1] + out[-1][2] == i:
            out[-1][2] += 1
        else:
            out.append([year, i, 1])
    return out
