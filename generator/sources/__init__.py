"""STAGE 1: a scraped input file (any supported format) → RawDoc records.

Each format module exposes `sniff(path, data) -> bool` (does this look like my format?) and
`read(path, data) -> Iterator[RawDoc]` (one input file may hold many articles, e.g. JSONL).
`data` is the file's raw bytes; decoding is the adapter's business (see `decode`).

RawDoc (what an adapter found) lives in generator.model.rawdoc, below both this stage and
`clean`, so the cleaning stage never imports the adapters.
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path
from typing import Callable, Iterator

from generator import encoding
from generator.errors import InputError
from generator.meta import extract
from generator.model.rawdoc import RawDoc

# format name → module (imported lazily so `wenji --help` stays fast).
# Order matters for auto-detection: the first module whose sniff() says yes reads the file.
FORMATS: dict[str, str] = {
    "feed": "generator.sources.feed.adapter",
    "saved": "generator.sources.saved.adapter",
    "jsonl": "generator.sources.data.adapter",
    "wechat-html": "generator.sources.wechat.adapter",
    "html": "generator.sources.html.adapter",
    "markdown": "generator.sources.markdown.adapter",
    "text": "generator.sources.text.adapter",
}


Reader = Callable[[Path, bytes], Iterator[RawDoc]]


def module(fmt: str):
    """The adapter module for format FMT."""
    return importlib.import_module(FORMATS[fmt])


def detect(path: Path, data: bytes) -> str | None:
    """The first format whose sniff() accepts this input, or None."""
    for fmt in FORMATS:
        if module(fmt).sniff(path, data):
            return fmt
    return None


def read(fmt: str, path: Path, data: bytes) -> Iterator[RawDoc]:
    """The articles of one input as format FMT reads them, their metadata settled by the one
    extractor (generator.meta.extract). An adapter's `METADATA_SOURCE` names where the values it
    sets without saying otherwise come from (default: 'page data')."""
    adapter = module(fmt)
    default = getattr(adapter, "METADATA_SOURCE", "page data")
    for raw in adapter.read(path, data):
        if not raw.not_article and not raw.extra.get("error"):
            extract.settle(raw, default=default)
        yield raw


def decode(data: bytes) -> str:
    """Bytes → text: BOM-marked UTF-8/UTF-16, else UTF-8, else GB18030 (GBK), else UTF-8 with
    replacement characters; double-decoded UTF-8 ("æ–‡ç« " for "文章") is repaired."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            return data.decode("gb18030")
        except UnicodeDecodeError:
            return data.decode("utf-8", errors="replace")
    return _repair_mojibake(text)


def undecodable(data: bytes, path: Path) -> InputError:
    """The error for DATA that decode() could only read with replacement characters, naming
    the line and column of the first byte neither UTF-8 nor GB18030 reads."""
    found = encoding.undecodable(data, ("utf-8", "gb18030"), "UTF-8 or GB18030")
    if found is None:  # UTF-16 with too many bad pairs
        return InputError("not readable text (invalid UTF-16)", path)
    return InputError(found[0] + "; save it as UTF-8", path, found[1])


_MOJIBAKE = re.compile(r"[\u00c2-\u00ef][\u0080-\u00bf\u2018-\u203a\u0152-\u0178\u02c6\u02dc\u2122]")


def _repair_mojibake(text: str) -> str:
    """Undo UTF-8 that was decoded as Latin-1/CP1252 and saved again, when that is what happened."""
    sample = text[:20000]
    if len(_MOJIBAKE.findall(sample)) < 8 or re.search(r"[\u4e00-\u9fff]", sample[:2000]):
        return text
    import ftfy

    return ftfy.fix_encoding(text)
