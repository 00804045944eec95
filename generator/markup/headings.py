"""Sanitized body HTML → the same HTML with an id on every h2–h4, and those headings' places in
the body's plain text (for search sub-results that link to `article/#id`).

Ids follow the GitHub / Hugo "github" rule, Unicode kept: the heading's text lowercased, letters,
digits, marks, `_` and `-` kept, each white-space character made `-`, everything else dropped
(`## 第一章：开端` → `第一章开端`, `## Hello, World` → `hello-world`). A repeated id, or one the
page already uses (the theme's own ids, the footnotes'), gets `-1`, `-2`, … appended; a heading
with nothing left is `section`.
"""

from __future__ import annotations

import html as htmllib
import json
import re
import unicodedata
from typing import Callable, NamedTuple

THEME_IDS = frozenset({
    "main", "article-title", "related-title", "undated", "site-search-q", "search", "search-q",
    "search-help", "search-tools", "search-sort", "search-year", "search-facets",
    "search-account", "search-tag", "search-status", "search-results", "search-more",
})
"""Ids the default theme's templates give their own elements (tests/unit/test_headings.py
reads the templates to keep this complete)."""
_THEME_PATTERN = re.compile(r"^y\d+$")
"""The year anchors of the archive pages (y2018)."""
EMPTY = "section"
MARK = "\x00"
"""Put before each heading's text to find where it lands in the plain text: the sanitizer
never writes a NUL (the HTML parser drops it), so every one found is a mark."""

# In the sanitizer's output attribute values are double-quoted and text has &lt; for "<".
_HEADING = re.compile(r'<h([234])((?:[^>"]|"[^"]*")*)>(.*?)</h\1>', re.S)
_ID = re.compile(r'\sid="([^"]*)"')
_TAG = re.compile(r'<(?:[^>"]|"[^"]*")*>')
_SPACE = re.compile(r"\s+")


class Heading(NamedTuple):
    """One h2–h4 of a body: its text, its id and (once placed) where its text starts in the
    body's plain text, in code points."""

    text: str
    id: str
    at: int = 0


def slug(text: str) -> str:
    """The id of a heading whose text is TEXT, before duplicates are told apart."""
    out = []
    for ch in unicodedata.normalize("NFC", text).strip().lower():
        if ch.isspace():
            out.append("-")
        elif ch in "-_" or unicodedata.category(ch)[0] in "LNM":
            out.append(ch)
    return "".join(out) or EMPTY


def _taken(name: str, used: set[str]) -> bool:
    return name in used or name in THEME_IDS or bool(_THEME_PATTERN.match(name))


def anchor(html: str) -> tuple[str, str, list[Heading]]:
    """(HTML with ids on its h2–h4, the same with MARK before each heading's text, headings).

    HTML is what the sanitizer wrote: it has no heading ids of its own, and its other ids
    (footnotes) are kept clear of.
    """
    if not ("<h2" in html or "<h3" in html or "<h4" in html) or MARK in html:
        return html, html, []
    used = set(_ID.findall(html)) if ' id="' in html else set()
    found: list[Heading] = []
    marked: list[str] = []
    at = 0
    for m in _HEADING.finditer(html):
        text = _SPACE.sub(" ", htmllib.unescape(_TAG.sub("", m.group(3)))).strip()
        base = name = slug(text)
        n = 0
        while _taken(name, used):
            n += 1
            name = f"{base}-{n}"
        used.add(name)
        found.append(Heading(text, name))
        marked.append(f'{html[at:m.start()]}<h{m.group(1)} id="{htmllib.escape(name, quote=True)}"'
                      f'{m.group(2)}>{MARK}')
        at = m.start(3)
    if not found:
        return html, html, []
    marked.append(html[at:])
    with_marks = "".join(marked)
    return with_marks.replace(MARK, ""), with_marks, found


_MARKS_THEN_SPACE = re.compile(MARK + r"+\s+")


def _after_space(m: re.Match[str]) -> str:
    run = m.group()
    marks = len(run) - len(run.lstrip(MARK))
    return run[marks:] + MARK * marks


def _space_after_a_mark(text: str) -> bool:
    at = text.find(MARK)
    while at >= 0:
        at += 1
        while text.startswith(MARK, at):
            at += 1
        if text[at:at + 1].isspace():
            return True
        at = text.find(MARK, at)
    return False


def locate(marked: str, headings: list[Heading],
           collapse: Callable[[str], str]) -> tuple[str, tuple[Heading, ...]]:
    """(The plain text, HEADINGS with their places in it) from MARKED, the body's text with a
    MARK where each heading starts, taken before COLLAPSE tidies its white space and it is
    stripped.

    Each mark is first moved past the white space after it, so that COLLAPSE sees the same runs
    of white space as in the unmarked text and the text comes out the same. No headings come
    back when a mark was lost (a heading inside a footnote mark, whose text is left out).
    """
    while _space_after_a_mark(marked):
        marked = _MARKS_THEN_SPACE.sub(_after_space, marked)
    parts = collapse(marked).split(MARK)
    whole = "".join(parts)
    lead = len(whole) - len(whole.lstrip())
    text = whole.strip()
    if len(parts) != len(headings) + 1:
        return text, ()
    out, at = [], 0
    for h, part in zip(headings, parts):
        at += len(part)
        out.append(h._replace(at=min(max(at - lead, 0), len(text))))
    return text, tuple(out)


def pack(headings: tuple[Heading, ...]) -> bytes:
    """HEADINGS as compact bytes (b"" for none): an entry keeps them so, one object."""
    if not headings:
        return b""
    return json.dumps([[h.at, h.id, h.text] for h in headings], ensure_ascii=False,
                      separators=(",", ":")).encode("utf-8")


def unpack(data: bytes) -> tuple[Heading, ...]:
    """The headings that pack() made DATA of."""
    return tuple(Heading(text, id_, at) for at, id_, text in json.loads(data)) if data else ()
