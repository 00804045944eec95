"""Entries, the articles of a loaded site, and how their bodies are kept in memory (packed)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import operator
import zlib
from dataclasses import dataclass
from pathlib import Path

from generator import pool
from generator.markup import markdown
from generator.markup.headings import Heading, unpack as unpack_headings
from generator.model.article import FrontMatter


@dataclass(eq=False, slots=True)
class Entry:
    """One publishable article: its front matter, rendered body and place in the site.

    The body's HTML and plain text are kept as UTF-8 bytes (see pack): a site holds every
    entry in memory, and the render workers share them copy-on-write.
    """

    front: FrontMatter
    slug: str
    url: str
    """Root-relative URL without a leading slash, e.g. 2018/09/abc123/."""
    packed_text: bytes | memoryview | None
    """None when the site has no search index (the text is then made from the HTML if asked)."""
    packed_html: bytes | memoryview
    source: str
    """The Markdown file's path."""
    words: int = 0
    """Han characters plus Latin words."""
    minutes: int = 1
    """Reading time."""
    summary: str = ""
    """front.summary, else the opening of the text."""
    digest: str = ""
    """Changes whenever anything a page shows of this entry changes (file bytes and URL)."""
    day: dt.date | None = None
    """The calendar day of front.date."""
    key: str = ""
    """The file's path relative to the content folder (names the entry in the build cache)."""
    packed_headings: bytes = b""
    """The body's h2–h4 with their ids and places in the text (headings.pack; b"" without
    a search index)."""

    @property
    def title(self) -> str:
        return self.front.title

    @property
    def html(self) -> str:
        """Rendered, sanitized body HTML."""
        return unpack(self.packed_html)

    @property
    def text(self) -> str:
        """Plain text of the body (search)."""
        if self.packed_text is None:
            return markdown.plain_text(self.html)
        return unpack(self.packed_text)

    @property
    def headings(self) -> tuple[Heading, ...]:
        """The body's h2–h4: text, id and where the text starts in self.text."""
        return unpack_headings(self.packed_headings)

    @property
    def source_path(self) -> Path:
        return Path(self.source)

    def __reduce__(self) -> tuple:
        values = _FIELDS(self)
        if isinstance(values[3], memoryview) or isinstance(values[4], memoryview):  # pooled
            values = (*values[:3], _bytes(values[3]), _bytes(values[4]), *values[5:])
        return Entry, values


_NAMES = tuple(f.name for f in dataclasses.fields(Entry))
assert _NAMES[3:5] == ("packed_text", "packed_html")
_FIELDS = operator.attrgetter(*_NAMES)


def _bytes(value: bytes | memoryview | None) -> bytes | None:
    return bytes(value) if isinstance(value, memoryview) else value


def pool_bodies(entries: list[Entry]) -> None:
    """Move the packed bodies of ENTRIES into one buffer, each entry keeping a view of its part.

    Render workers share the site with the parent copy-on-write, and reading a Python object
    writes to its reference count: a body kept in an object of its own gets the memory page
    holding its header copied into every worker that renders it (a 100,000-article site:
    ~400 MB). Views into one buffer are small objects side by side; the buffer is only read.
    """
    blob = b"".join(part for e in entries for part in (e.packed_text or b"", e.packed_html))
    view = memoryview(blob)
    at = 0
    for e in entries:
        if e.packed_text is not None:
            n = len(e.packed_text)
            e.packed_text = view[at:at + n]
            at += n
        n = len(e.packed_html)
        e.packed_html = view[at:at + n]
        at += n
    pool.release_free_memory()


_PLAIN = b"\x00"  # first byte of a body kept uncompressed (a zlib stream starts with 0x78)


def pack(text: str, squeeze: bool = True) -> bytes:
    """TEXT as UTF-8, zlib-compressed when SQUEEZE.

    Compressing keeps a body in about half the memory (Chinese text) to a fifth (markup-heavy
    pages) but costs ~0.1 ms per article each way, so it is done only for collections large
    enough that memory matters (generator.model.load.SQUEEZE_FROM); unpack reads either form.
    """
    data = text.encode("utf-8", "surrogatepass")
    return zlib.compress(data, 1) if squeeze else _PLAIN + data


def unpack(data: bytes | memoryview) -> str:
    """The text pack(...) was given."""
    if data[:1] == _PLAIN:
        return str(data[1:], "utf-8", "surrogatepass")
    return zlib.decompress(data).decode("utf-8", "surrogatepass")
