"""Search documents → the files of the search index (bytes by path under search/); pure, no I/O."""

from __future__ import annotations

import gzip
import hashlib
import json
import math
import multiprocessing
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Iterable

from generator.model.site import can_fork, workers
from generator.search import tokenizer
from generator.search.postings import Postings

FORMAT = "wenji-search"
VERSION = 1
PARALLEL_FROM = 500
"""Collections at least this large are tokenized by a pool of worker processes."""
MAX_SHARDS = 600
"""Upper bound on postings shards (with ≤ 320 doc chunks and ≤ 64 text files: < 1,000 files)."""
SHARD_TARGET = 50_000
"""Aimed-at raw JSON bytes per shard (≈ 20 KB gzipped)."""
MIN_CHUNK = 8
"""Documents per metadata chunk, raised so there are at most MAX_CHUNKS chunks."""
MAX_CHUNKS = 320
TEXT_FILE_BYTES = 1 << 20
"""Aimed-at size of one text file, raised so there are at most MAX_TEXT_FILES."""
MAX_TEXT_FILES = 64
LENGTH_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_"
HASH_RULE = ("fnv1a32(utf8(key)) % shards; key = the token if CJK, "
             "else its first 2 code points")


@dataclass(frozen=True)
class SearchDoc:
    """What the index needs of one article (doc id = position in the list, newest first)."""

    title: str
    url: str
    """Root-relative, percent-encoded URL (2018/09/abc/)."""
    text: str
    """Plain text of the body."""
    date: str | None = None
    """YYYY-MM-DD (the day in China time), None for undated articles."""
    account: str | None = None
    tags: tuple[str, ...] = field(default_factory=tuple)


def length_code(n: int) -> int:
    """Quantized body length: round(3·log2(1 + n)), at most 63."""
    return min(63, round(3 * math.log2(1 + n)))


def length_of(code: int) -> float:
    """The body length a length code stands for."""
    return 2 ** (code / 3) - 1


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _gzip(text: str) -> bytes:
    return gzip.compress(text.encode("utf-8"), compresslevel=6, mtime=0)


def _index_range(docs: list[SearchDoc], first: int) -> tuple[Postings, list[str]]:
    """Postings and NFC bodies of DOCS, whose ids start at FIRST."""
    postings = Postings()
    bodies: list[str] = []
    for i, doc in enumerate(docs, first):
        body = tokenizer.normalize(doc.text)
        postings.add(i, tokenizer.fold(doc.title), tokenizer.fold_normalized(body))
        bodies.append(body)
    return postings, bodies


def _jobs(count: int) -> int:
    """Worker processes for COUNT documents (1: work in this process)."""
    return workers() if count >= PARALLEL_FROM and can_fork() else 1


def _index_all(docs: list[SearchDoc], jobs: int) -> tuple[Postings, list[str]]:
    """Postings and NFC bodies of all DOCS, in JOBS forked worker processes."""
    tokenizer.warm()
    if jobs == 1:
        return _index_range(docs, 0)
    size = -(-len(docs) // jobs)
    starts = list(range(0, len(docs), size))
    with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork")) as pool:
        parts = list(pool.map(_index_range, [docs[s:s + size] for s in starts], starts))
    postings, bodies = parts[0]
    for more, texts in parts[1:]:
        postings.merge(more)
        bodies += texts
    return postings, bodies


def _layout(count: int, text_units: int) -> tuple[int, int]:
    chunk = max(MIN_CHUNK, -(-count // MAX_CHUNKS))
    text_bytes = max(TEXT_FILE_BYTES, -(-2 * text_units // MAX_TEXT_FILES))
    return chunk, text_bytes


def build_index(docs: Iterable[SearchDoc], shards: int = 0) -> dict[str, bytes]:
    """Every index file, by path relative to the search folder; SHARDS=0 picks the count."""
    docs = list(docs)
    jobs = _jobs(len(docs))
    postings, bodies = _index_all(docs, jobs)
    codes = [LENGTH_ALPHABET[length_code(len(body))] for body in bodies]
    chunk, text_bytes = _layout(len(docs), sum(tokenizer.units(b) for b in bodies))

    files: dict[str, bytes] = {}
    count = _write_shards(files, postings, shards, jobs)
    places = _write_texts(files, bodies, text_bytes)
    _write_chunks(files, docs, places, chunk)
    files["lengths.json.gz"] = _gzip(_json({"q": "".join(codes)}))
    files["facets.json.gz"] = _gzip(_json(_facets(docs)))
    build = hashlib.sha256()
    for path in sorted(files):
        build.update(path.encode() + b"\0" + files[path])
    lengths = [length_of(LENGTH_ALPHABET.index(c)) for c in codes]
    manifest = {
        "format": FORMAT, "version": VERSION, "build": build.hexdigest()[:16],
        "docs": len(docs), "shards": count, "chunk": chunk,
        "text_files": len({p[0] for p in places}), "hash": HASH_RULE,
        "max_word": tokenizer.MAX_WORD, "key_chars": tokenizer.KEY_CHARS,
        "avgdl": round(sum(lengths) / len(lengths), 3) if lengths else 0,
        "years": _years(docs),
    }
    files["manifest.json"] = (_json(manifest) + "\n").encode("utf-8")
    return files


def _write_shards(files: dict[str, bytes], postings: Postings, shards: int, jobs: int) -> int:
    lists = postings.lists()
    if shards <= 0:  # raw JSON runs at ~3.3 bytes per integer
        total = sum(3.3 * len(arr) + 3 * len(tok) + 6 for tok, arr in lists.items())
        shards = min(MAX_SHARDS, max(1, math.ceil(total / SHARD_TARGET)))
    groups: list[list[str]] = [[] for _ in range(shards)]
    for tok in lists:
        groups[tokenizer.shard_of(tok, shards)].append(tok)
    _SHARED["lists"], _SHARED["groups"] = lists, groups
    try:
        if jobs > 1:  # forked workers read the postings copy-on-write, send back gzip bytes
            with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork")) as pool:
                encoded = list(pool.map(_shard_bytes, range(shards), chunksize=8))
        else:
            encoded = [_shard_bytes(n) for n in range(shards)]
    finally:
        _SHARED.clear()
    for n, data in enumerate(encoded):
        files[f"p/{n}.json.gz"] = data
    return shards


_SHARED: dict[str, object] = {}
"""What _shard_bytes reads: set by the parent before forking workers."""


def _shard_bytes(n: int) -> bytes:
    """Shard N as gzipped JSON: {"t": {token: [integers…]}}, tokens sorted."""
    lists: dict = _SHARED["lists"]  # type: ignore[assignment]
    toks = sorted(_SHARED["groups"][n])  # type: ignore[index]
    body = ",".join(f"{_json(tok)}:[{','.join(map(str, lists[tok]))}]" for tok in toks)
    return _gzip('{"t":{' + body + "}}")


def _write_texts(files: dict[str, bytes], bodies: list[str],
                 text_bytes: int) -> list[tuple[int, int, int]]:
    """Pack the (NFC) bodies into UTF-16LE text files; (file, start, length) in code units per doc."""
    places: list[tuple[int, int, int]] = []
    parts: list[bytes] = []
    file = size = 0
    for body in bodies:
        data = body.encode("utf-16-le")
        if parts and size + len(data) > text_bytes:
            files[f"t/{file}.bin"] = b"".join(parts)
            file, parts, size = file + 1, [], 0
        places.append((file, size // 2, len(data) // 2))
        parts.append(data)
        size += len(data)
    if parts:
        files[f"t/{file}.bin"] = b"".join(parts)
    return places


def _write_chunks(files: dict[str, bytes], docs: list[SearchDoc],
                  places: list[tuple[int, int, int]], chunk: int) -> None:
    for n, start in enumerate(range(0, len(docs), chunk)):
        rows = [{"t": d.title, "u": d.url, "d": d.date, "a": d.account, "g": list(d.tags),
                 "x": list(places[i])}
                for i, d in enumerate(docs[start:start + chunk], start)]
        files[f"d/{n}.json.gz"] = _gzip(_json({"docs": rows}))


def _facets(docs: list[SearchDoc]) -> dict[str, object]:
    accounts = Counter(d.account for d in docs if d.account)
    tags = Counter(t for d in docs for t in dict.fromkeys(d.tags))
    acc_names = sorted(accounts, key=lambda k: (-accounts[k], k))
    tag_names = sorted(tags, key=lambda k: (-tags[k], k))
    acc_id = {k: i for i, k in enumerate(acc_names)}
    tag_id = {k: i for i, k in enumerate(tag_names)}
    return {"accounts": acc_names, "tags": tag_names,
            "a": [acc_id[d.account] if d.account else -1 for d in docs],
            "g": [[tag_id[t] for t in dict.fromkeys(d.tags)] for d in docs]}


def _years(docs: list[SearchDoc]) -> list[list[int]]:
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
