"""The one metadata extractor: every candidate value an input offers, one priority, one result.

Each format adapter reads what only it can (scripts, meta tags, front matter, record fields) and
records where each value came from (`RawDoc.found`) plus the values and lines it left undecided
(`RawDoc.clues`: the title element, the page's header text). `settle()` then adds what every
format shares — labelled lines and bylines in the header and footer of the body, a date in the
file name — and keeps, for each field, the candidate from the highest source in SOURCES.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import PurePath

from generator.meta import dates, labels
from generator.model.rawdoc import Clue, RawDoc

SOURCES = ("front matter", "page data", "labelled line", "page header", "byline", "heading",
           "date line", "link line", "cited link", "credited source", "file name")
"""Where a value may come from, highest priority first (README: "Where metadata comes from").

front matter   — fields the file states for machines: YAML front matter, a record's columns
page data      — a saved page's scripts and meta tags (msg_title, ct, nickname, og:url, …)
labelled line  — `来源：` / `作者：` / `发布时间：` / `原文链接：` / `Author:` … lines
page header    — the page's visible header: title element, account name, date line
byline         — `原创 author account 2025-06-13 10:32`
heading        — the body's opening heading (title)
date line      — a header line holding nothing but a date
link line      — a header/footer line holding nothing but a WeChat article URL
cited link     — a header line naming its URL as the original amid other text (`…转码，原文地址 [host](url)`)
credited source — the account named by a `来源：` line, when nothing else names one
file name      — the input's file name: only when the file itself says nothing
"""
FIELDS = ("title", "date", "account", "author", "url", "source")
_RANK = {name: k for k, name in enumerate(SOURCES)}
_HEAD_LINES = 14
_DATE_LINES = 6  # a bare date counts only among the first lines of a body
_FOOT_LINES = 8
_PROSE = re.compile(r"(?:[^\w\u4e00-\u9fff]*[\w\u4e00-\u9fff]){40}")  # 40 letters or more
_RULE = re.compile(r"^\s*(?:[-*_]\s*){3,}$")
_HEADING = re.compile(r"^\s{0,3}#{1,3}\s+(.+?)\s*#*\s*$")
_BLOCK = re.compile(r"<\s*/?\s*(?:p|div|section|br|h[1-6]|li|tr|blockquote|table|ul|ol)\b[^>]*>",
                    re.I)
_TAG = re.compile(r"<[^>]*>")
_URLS = re.compile(r"\]\([^)]*\)|(?:https?|ftp)://\S+", re.I)  # link targets, bare URLs


def settle(raw: RawDoc, *, default: str) -> RawDoc:
    """Pick RAW's title/date/account/author/url/source from every candidate, by SOURCES order;
    values the adapter set without saying where count as DEFAULT. Header/footer lines read as
    metadata leave a Markdown or text body (an HTML body's are listed in raw.meta_lines)."""
    candidates = [Clue(f, getattr(raw, f), raw.found.get(f, default)) for f in FIELDS
                  if getattr(raw, f) not in (None, "")]
    candidates += [c for c in raw.clues if c.field in FIELDS and c.value not in (None, "")]
    year = _year(candidates)
    for clue in raw.clues:
        if clue.field is None:
            candidates += [Clue(lab.field, lab.value, lab.kind)
                           for lab in labels.read_line(str(clue.value), year=year)]
    body_field = "markdown" if raw.markdown is not None else "text" if raw.text is not None else None
    used: list[int] = []
    heading: int | None = None
    if body_field:
        lines = getattr(raw, body_field).split("\n")
        used, heading = _read_zones(lines, candidates, year)
    elif raw.html:
        raw.meta_lines = _read_html(raw.html, candidates, year)
    found = dates.find(PurePath(raw.input).stem)
    if found:
        candidates.append(Clue("date", found.value, "file name"))
    for name in FIELDS:
        best = _best(name, candidates)
        if best is not None:
            setattr(raw, name, best.value)
            raw.found[name] = best.source
    if not raw.tags:  # a `Tags: a, b` line of the header, when the input named none
        raw.tags = next((list(c.value) for c in candidates if c.field == "tags"), [])
    if heading is not None and raw.found.get("title") == "heading" and \
            raw.title == labels.plain(_HEADING.match(lines[heading]).group(1)):
        used.append(heading)
    if body_field and used:
        setattr(raw, body_field, _without(lines, used))
    return raw


def _best(name: str, candidates: list[Clue]) -> Clue | None:
    """The candidate for field NAME from the highest source; a date keeps the time of the same
    day when a lower source knows it."""
    mine = [c for c in candidates if c.field == name]
    if not mine:
        return None
    best = min(mine, key=lambda c: _RANK.get(c.source, len(SOURCES)))
    if name == "date" and not isinstance(best.value, dt.datetime):
        for c in mine:
            if isinstance(c.value, dt.datetime) and c.value.date() == best.value:
                return Clue(name, c.value, best.source)
    return best


def _year(candidates: list[Clue]) -> int | None:
    for c in candidates:
        if c.field == "date" and isinstance(c.value, dt.date):
            return c.value.year
    return None


def _zones(lines: list[str]) -> list[int]:
    """Indexes of the header and footer lines of a body: up to the first paragraph of prose
    (or _HEAD_LINES non-empty lines) and back from the end to the last one."""
    out: list[int] = []
    for order in (range(len(lines)), range(len(lines) - 1, -1, -1)):
        seen = 0
        for k in order:
            line = lines[k]
            if not line.strip():
                continue
            seen += 1
            if seen > (_HEAD_LINES if order.step == 1 else _FOOT_LINES):
                break
            if _is_prose(line):
                break
            out.append(k)
    return sorted(set(out))


def _is_prose(line: str) -> bool:
    """A sentence of the article (long, not a label, not a byline)."""
    if len(line) < 40 or _HEADING.match(line):
        return False
    return bool(_PROSE.match(_URLS.sub("", line[:300]))) and not labels.read_line(line)


def _read_zones(lines: list[str], candidates: list[Clue],
                year: int | None) -> tuple[list[int], int | None]:
    """Add the labelled lines, bylines and opening heading of LINES' header/footer: the indexes
    of the metadata lines, and of the opening heading (None without one)."""
    used: list[int] = []
    zones = _zones(lines)
    head = [k for k in zones if lines[k].strip()][:_DATE_LINES]
    read = {k: labels.read_line(lines[k], year=year) for k in zones}
    for k in zones:
        found = read[k] if _alone(lines, k, read) else []
        if found and found[0].kind == "date line":
            if k in head and _after_header(lines, k, read):
                candidates.append(Clue("date", found[0].value, "date line"))
        elif found:
            candidates += [Clue(lab.field, lab.value, lab.kind) for lab in found]
            used.append(k)
    top = next((k for k in range(len(lines)) if _is_prose(lines[k])), len(lines))
    cited = {u for k in zones if k < top and k not in used and _alone(lines, k, read)
             and (u := labels.cited_url(lines[k]))}
    if len(cited) == 1:  # two different originals named: neither is taken
        candidates.append(Clue("url", cited.pop(), "cited link"))
    heading = _title_heading(lines, [k for k in zones if k < top and k not in used
                                     and lines[k].strip()], read)
    if heading is not None:
        candidates.append(Clue("title", labels.plain(_HEADING.match(lines[heading]).group(1)),
                               "heading"))
    return used, heading


def _after_header(lines: list[str], k: int, read: dict[int, list]) -> bool:
    """True when a bare date on line K dates the page: it follows a heading, or nothing but
    metadata, images and headings stand above it (a date under a signature dates the text)."""
    above = [j for j in range(k) if lines[j].strip()]
    if above and _HEADING.match(lines[above[-1]]):
        return True
    return all(read.get(j) or _HEADING.match(lines[j]) or lines[j].lstrip().startswith("![")
               for j in above)


def _title_heading(lines: list[str], zone: list[int], read: dict[int, list]) -> int | None:
    """The header heading that names the article: one followed by a byline or date line, else
    the first one."""
    headings = [k for k in zone if (m := _HEADING.match(lines[k])) and labels.plain(m.group(1))]
    for k in headings:
        nxt = next((j for j in zone if j > k), None)
        if nxt is not None and read.get(nxt) and read[nxt][0].kind in ("byline", "date line"):
            return k
    return headings[0] if headings else None


def _alone(lines: list[str], k: int, read: dict[int, list]) -> bool:
    """True when line K's paragraph (the lines around it up to blank lines) holds nothing but
    metadata lines, or property lines of an exporter's block (`Created: …`): a `链接：…` line
    inside a paragraph of text is text."""
    for step in (-1, 1):
        j = k + step
        while 0 <= j < len(lines) and lines[j].strip() and not _RULE.match(lines[j]):
            if not (read.get(j) or _HEADING.match(lines[j]) or labels.is_property(lines[j])):
                return False
            j += step
    return True


def _without(lines: list[str], used: list[int]) -> str:
    """LINES minus USED, and minus a rule or blank lines the removal left at the top."""
    kept = [ln for k, ln in enumerate(lines) if k not in set(used)]
    while kept and (not kept[0].strip() or _RULE.match(kept[0])):
        kept.pop(0)
    return "\n".join(kept)


def _read_html(text: str, candidates: list[Clue], year: int | None) -> list[str]:
    """Labelled lines and bylines at the top and bottom of an HTML body, read as text."""
    head, tail = text_lines(text[:6000]), text_lines(text[-4000:]) if len(text) > 6000 else []
    lines = head + [""] + tail
    meta: list[str] = []
    for k in _zones(lines):
        found = labels.read_line(lines[k], year=year)
        if found:
            candidates += [Clue(lab.field, lab.value, lab.kind) for lab in found]
            meta.append(labels.plain(lines[k]))
    return meta


def text_lines(fragment: str) -> list[str]:
    """The text of an HTML FRAGMENT, one line per block element (a cheap reading: no parser)."""
    text = html.unescape(_TAG.sub("", _BLOCK.sub("\n", fragment)))
    return [ln.strip() for ln in text.split("\n")]


def drop_lines(markdown: str, meta_lines: list[str]) -> str:
    """MARKDOWN minus the header/footer lines whose text is one of META_LINES."""
    if not meta_lines:
        return markdown
    lines = markdown.split("\n")
    wanted = set(meta_lines)
    used = [k for k in _zones(lines) if labels.plain(lines[k]) in wanted]
    return _without(lines, used) if used else markdown
