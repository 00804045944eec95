"""RawDoc: what one format adapter (generator.sources) found in one input, before cleaning.

It sits below both the adapters and the cleaning stage (generator.clean), which reads it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Clue:
    """A value an adapter saw outside the body, for the metadata extractor (generator.meta.extract)
    to weigh against the others: a FIELD's candidate value, or (FIELD None) a line of text around
    the body to read labelled lines and bylines from. SOURCE names where it was seen (one of
    generator.meta.extract.SOURCES)."""

    field: str | None
    value: object
    source: str


@dataclass
class RawDoc:
    """What one adapter found in one input: metadata it could read and the untrusted body.

    Exactly one of html / text / markdown carries the body. Fields the source does not have
    stay None: never invent them.
    """

    input: str
    """The input file as the user named it (for reports and `imported_from`)."""
    format: str
    """The format name that read it (a key of generator.sources.FORMATS)."""
    record: int | None = None
    """1-based record/line number inside a multi-record input (JSONL, CSV)."""
    title: str | None = None
    date: dt.date | dt.datetime | None = None
    """Publication date; datetimes are timezone-aware (China time when from a Unix timestamp)."""
    account: str | None = None
    account_id: str | None = None
    author: str | None = None
    url: str | None = None
    """The article's own URL (msg_link / og:url), never the 阅读原文 link, without session params."""
    source: str | None = None
    """Credited origin (来源：X → X)."""
    summary: str | None = None
    cover: str | None = None
    tags: list[str] = field(default_factory=list)
    status: str | None = None
    html: str | None = None
    """Body as untrusted HTML (e.g. the #js_content element)."""
    text: str | None = None
    """Body as plain text, paragraphs separated by blank lines, headings as '## ' lines."""
    markdown: str | None = None
    """Body as Markdown."""
    assets_dir: Path | None = None
    """Folder of saved page assets (browser 'NAME_files/'), for local image copies."""
    not_article: str | None = None
    """Reason this input is not an article (e.g. 'deleted page', 'account profile page')."""
    identity: str | None = None
    """Stable identity, e.g. 'wx:<biz>:<mid>:<idx>' or 'url:<normalised url>'."""
    clues: list[Clue] = field(default_factory=list)
    """Values and lines the adapter saw but left to the extractor (title element, page header)."""
    found: dict[str, str] = field(default_factory=dict)
    """Field name → where its value came from (a source of generator.meta.extract.SOURCES); set
    by adapters that know, completed by the extractor, shown by `wenji import --report`."""
    meta_lines: list[str] = field(default_factory=list)
    """Lines of an HTML body the extractor read as metadata: the cleaning stage drops them from
    the converted body's header and footer."""
    extra: dict[str, Any] = field(default_factory=dict)
    """Other source fields worth keeping in front matter (kept under their own names)."""
    warnings: list[str] = field(default_factory=list)
    """What was left out or repaired while reading (a date out of range…), for the report."""
