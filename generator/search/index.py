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
import shutil
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
BATCH_UNITS = 1 << 21
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


def write_segment(docs: Sequence[SearchDoc], ids: Sequence[int], sink: Sink, work: Path,
                  shards: int = 0) -> dict:
    """Write the segment of DOCS (global ids IDS, increasing) through SINK; its manifest entry.

    Postings, metadata and lengths number the documents locally (0 … len(DOCS) − 1).

    WORK is an empty scratch folder (the per-shard spill files). SHARDS=0 picks the count.
    """
    tokenizer.warm()
    bodies = [tokenizer.normalize(d.text) for d in docs]
    units = sum(len(b) for b in bodies) + sum(len(d.title) for d in docs)
    auto, chunk, text_bytes = layout(len(docs), units)
    shards = shards or auto
    spill = Spill(work, shards)
    batch: list[int] = []
    size = 0
    for i, doc in enumerate(docs):
        batch.append(i)
        size += len(bodies[i])
        if size >= BATCH_UNITS or i == len(docs) - 1:
            texts = [tokenizer.searchable(docs[j].title, docs[j].account, bodies[j]) for j in batch]
            spill.add(batch, texts,
                      [tokenizer.units(tokenizer.normalize(docs[j].title)) for j in batch])
            batch, size = [], 0
    with ThreadPoolExecutor(2) as pool:  # NumPy and zlib release the GIL
        for n, (directory, data) in enumerate(pool.map(spill.shard_files, range(shards))):
            sink(f"k/{n}.bin", directory)
            sink(f"p/{n}.bin", data)
    places = _write_texts(sink, bodies, text_bytes)
    for n, start in enumerate(range(0, len(docs), chunk)):
        rows = [{"t": d.title, "u": d.url, "d": d.date, "a": d.account, "g": list(d.tags),
                 "x": list(places[i]), **({"h": heading_rows(d, bodies[i])} if d.headings else {})}
                for i, d in enumerate(docs[start:start + chunk], start)]
        sink(f"d/{n}.json.gz", gzip_json({"docs": rows}))
    codes = "".join(LENGTH_ALPHABET[length_code(tokenizer.units(b))] for b in bodies)
    sink("lengths.json.gz", gzip_json({"q": codes}))
    return {"docs": len(docs), "shards": shards, "chunk": chunk,
            "ids": None if list(ids) == list(range(len(docs))) else list(ids)}


def _write_texts(sink: Sink, bodies: list[str], text_bytes: int) -> list[tuple[int, int, int]]:
    """Pack the (NFC) bodies into UTF-16LE text files; (file, start, length) in code units per doc."""
    places: list[tuple[int, int, int]] = []
    parts: list[bytes] = []
    file = size = 0
    for body in bodies:
        data = body.encode("utf-16-le")
        if parts and size + len(data) > text_bytes:
            sink(f"t/{file}.bin", b"".join(parts))
            file, parts, size = file + 1, [], 0
        places.append((file, size // 2, len(data) // 2))
        parts.append(data)
        size += len(data)
    if parts:
        sink(f"t/{file}.bin", b"".join(parts))
    return places


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


def write_base(docs: Sequence[SearchDoc], folder: Path, shards: int = 0) -> list[str]:
    """Write the whole index of DOCS (ids = positions) into FOLDER; the files' relative paths."""
    folder.mkdir(parents=True, exist_ok=True)
    staging = folder / "segment.tmp"
    written: list[str] = []

    def to_disk(path: str, data: bytes) -> None:
        target = staging / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        written.append(path)

    sink = Hashed(to_disk)
    with tempfile.TemporaryDirectory(dir=folder) as work:
        entry = write_segment(docs, range(len(docs)), sink, Path(work), shards)
    sink("facets.json.gz", gzip_json(_facets(docs)))
    name = BASE
    shutil.rmtree(folder / name, ignore_errors=True)
    staging.rename(folder / name)
    manifest = {"format": FORMAT, "version": VERSION, "docs": len(docs),
                "years": _years(docs), "retired": 0,
                "segments": [{"name": name, "v": sink.version, **entry}]}
    (folder / "manifest.json").write_bytes(manifest_bytes(manifest))
    return [f"{name}/{p}" for p in written] + ["manifest.json"]


def manifest_bytes(manifest: dict) -> bytes:
    return (_json(manifest) + "\n").encode("utf-8")


def build_index(docs: Iterable[SearchDoc], shards: int = 0) -> dict[str, bytes]:
    """Every index file of DOCS in memory, by path relative to the search folder (for tests)."""
    with tempfile.TemporaryDirectory() as tmp:
        paths = write_base(list(docs), Path(tmp), shards)
        return {p: (Path(tmp) / p).read_bytes() for p in paths}


def _facets(docs: Sequence[SearchDoc]) -> dict[str, object]:
    accounts = Counter(d.account for d in docs if d.account)
    tags = Counter(t for d in docs for t in dict.fromkeys(d.tags))
    acc_names = sorted(accounts, key=lambda k: (-accounts[k], k))
    tag_names = sorted(tags, key=lambda k: (-tags[k], k))
    acc_id = {k: i for i, k in enumerate(acc_names)}
    tag_id = {k: i for i, k in enumerate(tag_names)}
    return {"accounts": acc_names, "tags": tag_names,
            "a": [acc_id[d.account] if d.account else -1 for d in docs],
            "g": [[tag_id[t] for t in dict.fromkeys(d.tags)] for d in docs]}


def _years(docs: Sequence[SearchDoc]) -> list[list[int]]:
    """[year, first doc id, count] per year, newest first (docs are sorted newest first)."""
    out: list[list[int]] = []
    for i, d in enumerate(docs):
        if not d.date:
            continue
        year = int(d.date[:4])
        if out and out[-1][0] == year and out[-1][1] + out[-1][2] == i:
            out[-1][2] += 1
        else:
            out.append([year, i, 1])
    return out
