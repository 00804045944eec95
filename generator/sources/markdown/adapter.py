"""STAGE 1 adapter "markdown": a Markdown file → one RawDoc with chrome-free, inert Markdown.

Two families, told apart by what the file holds:
- Markdown with page boilerplate (format 3): html2text dumps of WeChat pages (header with
  微信号/功能介绍, trailing UI), "小懒自动备份" account backups, web-clipper files (front matter
  plus cover/byline/footer chrome), and other pages saved as `[account]-YYYY-M-D-title.md`.
- Already-clean archives (format 5): Jekyll-style front matter and a credit block
  (`原文来自「X」：~~[title](url)~~`, `作者：…`, `---`) mapped into our fields.
Metadata comes from front matter first, then the page header, then the file name convention.
Every body then loses converter artefacts (markdown_tidy) and is made inert (markdown_inert):
raw HTML dropped, `javascript:`/`data:` links unlinked, placeholder images dropped.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterator

from generator.clean import normalize
from generator.errors import GeneratorError, InputError
from generator.sources import RawDoc, decode, undecodable
from generator.sources.markdown.archive import apply_front, credit_block, has_credit, read_front
from generator.sources.markdown.clip import clipping, is_clipping
from generator.sources.markdown.inert import make_inert
from generator.meta import wechat
from generator.meta.wechat import article_url, url_identity
from generator.sources.markdown.meta import name_convention
from generator.sources.markdown.page import (backup, foreign_page, heading_text, is_backup,
                                             is_wechat_page, wechat_page)
from generator.sources.markdown.pandoc import unpandoc
from generator.sources.markdown.tidy import tidy

FORMAT = "markdown"
METADATA_SOURCE = "page header"  # what the body's page chrome shows
EXTENSIONS = {".md", ".markdown", ".mdown", ".mkd", ".mkdn"}
_FRONT_TITLE = re.compile(r"^---[ \t]*\r?\n(?:.*\r?\n){0,40}?title\s*:", re.M)
_PAGE_HINT = re.compile(r"\]\(javascript:void\\?\(0\\?\);?\)")


def sniff(path: Path, data: bytes) -> bool:
    """Markdown by extension, or text opening with front matter / a WeChat page header."""
    if path.suffix.lower() in EXTENSIONS:
        return True
    head = data[:4096].decode("utf-8", errors="ignore").lstrip("\ufeff")
    if head.lstrip().startswith(("<", "{", "[")):
        return False
    return bool(_FRONT_TITLE.match(head)) or (bool(_PAGE_HINT.search(head)) and "微信号" in head)


def read(path: Path, data: bytes) -> Iterator[RawDoc]:
    """Yield the one article a Markdown file holds."""
    text = decode(data)
    if text.count("\ufffd") > max(3, len(text) // 100):
        raise undecodable(data, path)
    try:
        yield _read(path, text)
    except GeneratorError:
        raise
    except (ValueError, IndexError, KeyError, TypeError, RecursionError) as exc:
        raise InputError(f"cannot read Markdown: {exc}", path) from None


def _read(path: Path, text: str) -> RawDoc:
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    raw = RawDoc(input=str(path), format=FORMAT)
    front, body = read_front(text, path)
    lines = unpandoc(body).split("\n")
    handled = True
    if front is not None:
        apply_front(raw, front)
        raw.found.update((f, "front matter") for f in ("title", "date", "account", "author", "url",
                                                       "source") if getattr(raw, f))
        if has_credit(lines):
            lines = credit_block(raw, lines)
        elif is_clipping(lines):
            lines = clipping(raw, lines)
        elif is_wechat_page(lines):
            lines = wechat_page(raw, lines)
        raw.url = raw.url or _first_wechat_link(lines)
    elif is_backup(lines):
        lines = backup(raw, lines)
    elif is_wechat_page(lines):
        lines = wechat_page(raw, lines)
    else:
        handled = False
    convention = name_convention(path)
    if convention:
        account, day, name_title = convention
        if day is None:
            raw.warnings.append("the date in the file name is no day of the calendar: left out")
        if not handled:
            lines = foreign_page(raw, lines, name_title)
        for name, value in (("account", account), ("date", day), ("title", name_title)):
            if value and not getattr(raw, name):
                setattr(raw, name, value)
                raw.found[name] = "file name"
    if not raw.title:
        lines = _title_from_heading(raw, lines)
    if not raw.title:
        raw.title, raw.found["title"] = path.stem, "file name"
    raw.tags = list(dict.fromkeys(raw.tags))
    raw.url = article_url(raw.url) if raw.url else None
    raw.identity = raw.identity or url_identity(raw.url)
    raw.markdown = inert_body("\n".join(lines))
    return raw


def inert_body(markdown: str) -> str:
    """Untrusted Markdown → tidy Markdown with nothing executable (see markdown_inert), without
    pandoc's attribute blocks and div fences (see markdown.pandoc).

    Whitespace is normalised before the final pass exactly as the cleaning stage will do it
    (ideographic and zero-width spaces can turn a line into a fence), so that pass sees the
    block structure the renderer will see.
    """
    return make_inert(normalize.body(tidy(make_inert(unpandoc(markdown)))))


def _title_from_heading(raw: RawDoc, lines: list[str]) -> list[str]:
    """Take the title from a heading opening the file (and drop that heading)."""
    for k, line in enumerate(lines):
        if not line.strip():
            continue
        title = heading_text(line)
        if title:
            raw.title, raw.found["title"] = title, "heading"
            return lines[:k] + lines[k + 1:]
        break
    return lines


def _first_wechat_link(lines: list[str]) -> str | None:
    found = wechat.find_urls("\n".join([ln for ln in lines if ln.strip()][:3]))
    return found[0] if found else None
