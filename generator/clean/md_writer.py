"""Write Markdown safely: escaped text runs with emphasis, links, images, code, and blocks.

Used by html_to_md: it collects `Run`s (text with marks, images, inline code, each maybe inside
a link) and turns them into `Block`s here. Everything textual is escaped so it renders literally;
emphasis delimiters are placed so CommonMark's flanking rules hold next to CJK punctuation
(`“**重点**”`, never `**“重点”**`, which would not render as bold).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from itertools import groupby
from urllib.parse import quote as url_quote

_DELIM = {"del": "~~", "strong": "**", "em": "*"}
_ORDER = ("del", "strong", "em")
_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_LINE_START = re.compile(r"^([#>+\-=]|\d{1,9}[.)](?=\s|$))")
_NOT_HEADING_END = "。，,；;：:、…—"


class Link:
    """A link target; runs share one Link object per <a> element (so they group)."""

    def __init__(self, href: str):
        self.href = href


@dataclass
class Run:
    """A piece of inline content: kind is "text", "img" (text = alt) or "code"."""

    kind: str
    text: str
    marks: frozenset = frozenset()
    link: Link | None = None
    url: str | None = None


@dataclass
class Block:
    """One Markdown block; paragraphs keep their runs for heading recovery."""

    kind: str
    md: str
    level: int = 0
    runs: list[Run] = field(default_factory=list)


def _blank(c: str) -> bool:
    return c.isspace() or c in _ZERO_WIDTH


def _wide(c: str) -> bool:
    return unicodedata.east_asian_width(c) in ("W", "F")


def _punct(c: str) -> bool:
    return _blank(c) or unicodedata.category(c)[0] in "PS"


def settle(runs: list[Run]) -> list[Run]:
    """Collapse whitespace across runs as a browser would; drop it at the ends and between CJK."""
    seq = [(i, c) for i, r in enumerate(runs) for c in (r.text if r.kind == "text" else "\x00")]
    nxt: list[str | None] = [None] * len(seq)
    last = None
    for k in range(len(seq) - 1, -1, -1):
        nxt[k] = last
        c = seq[k][1]
        if not _blank(c):
            last = c
    texts: dict[int, list[str]] = {}
    prev = None
    for k, (i, c) in enumerate(seq):
        if c == "\x00":
            prev = c
        elif _blank(c):
            if c in _ZERO_WIDTH or prev in (None, " ") or nxt[k] is None:
                continue
            if c == "\n" and _wide(prev) and _wide(nxt[k]):
                continue
            texts.setdefault(i, []).append(" ")
            prev = " "
        else:
            texts.setdefault(i, []).append(c)
            prev = c
    out = []
    for i, r in enumerate(runs):
        if r.kind != "text":
            out.append(r)
        elif texts.get(i):
            out.append(Run("text", "".join(texts[i]), r.marks, r.link))
    return out


def escape(text: str, table: bool = False) -> str:
    """Escape text so Markdown shows it literally (no emphasis, links, HTML, entities)."""
    text = text.replace("\\", "\\\\")
    text = re.sub(r"([`*\[\]<~])", r"\\\1", text)
    text = re.sub(r"(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])", r"\\_", text)
    text = re.sub(r"&(?=#?[A-Za-z0-9]+;)", r"\\&", text)
    if table:
        text = text.replace("|", "\\|").replace("\n", " ")
    return text


def destination(url: str) -> str:
    """A URL made safe as a Markdown link destination (no spaces, parens, angle brackets)."""
    if re.search(r"[\s()<>\\\x00-\x1f\x7f]|[^\x00-\x7f]", url):
        return url_quote(url, safe="!#$%&'*+,-./:;=?@[]^_`{|}~")
    return url


def code_span(text: str) -> str:
    """Inline code with a backtick fence longer than any run inside."""
    text = re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()
    if not text:
        return ""
    ticks = max((len(m) for m in re.findall(r"`+", text)), default=0) + 1
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return "`" * ticks + pad + text + pad + "`" * ticks


def _atom(r: Run, table: bool) -> str:
    if r.kind == "img":
        return f"![{escape(r.text, True)}]({destination(r.url or '')})"
    if r.kind == "code":
        return code_span(r.text).replace("|", "\\|") if table else code_span(r.text)
    return escape(r.text, table)


def _edge(text: str, reverse: bool = False) -> int:
    n = 0
    for c in (reversed(text) if reverse else text):
        if not _punct(c):
            break
        n += 1
    return n


def _peel(group: list[Run]) -> tuple[list[Run], list[Run], list[Run]]:
    """Split blank/punctuation edges off an emphasised group, so delimiters touch letters."""
    core = list(group)
    lead: list[Run] = []
    tail: list[Run] = []
    while core:
        r = core[0]
        n = _edge(r.text)
        if n == len(r.text):
            lead.append(core.pop(0))
            continue
        if n:
            lead.append(Run("text", r.text[:n], r.marks, r.link))
            core[0] = Run("text", r.text[n:], r.marks, r.link)
        break
    while core:
        r = core[-1]
        n = _edge(r.text, reverse=True)
        if n == len(r.text):
            tail.insert(0, core.pop())
            continue
        if n:
            tail.insert(0, Run("text", r.text[-n:], r.marks, r.link))
            core[-1] = Run("text", r.text[:-n], r.marks, r.link)
        break
    return lead, core, tail


def _emphasis(runs: list[Run], order: tuple[str, ...], table: bool) -> str:
    if not order:
        return "".join(_atom(r, table) for r in runs)
    mark, rest = order[0], order[1:]
    out = []
    for has, grp in groupby(runs, key=lambda r: r.kind == "text" and mark in r.marks):
        group = list(grp)
        if not has:
            out.append(_emphasis(group, rest, table))
            continue
        lead, core, tail = _peel(group)
        if not core:
            out.append(_emphasis(group, rest, table))
            continue
        d = _DELIM[mark]
        out.append(_emphasis(lead, rest, table) + d + _emphasis(core, rest, table) + d
                   + _emphasis(tail, rest, table))
    return "".join(out)


def render_runs(runs: list[Run], table: bool = False, marks: bool = True) -> str:
    """Settled runs → one line of Markdown (links grouped, emphasis nested)."""
    runs = settle(runs)
    if not marks:
        runs = [Run(r.kind, r.text, frozenset(), r.link, r.url) for r in runs]
    out = []
    for link, grp in groupby(runs, key=lambda r: id(r.link) if r.link else None):
        group = list(grp)
        inner = _emphasis(group, _ORDER, table)
        if link is not None and inner.strip():
            inner = f"[{inner}]({destination(group[0].link.href)})"  # type: ignore[union-attr]
        out.append(inner)
    return "".join(out).strip()


def _escape_start(md: str) -> str:
    m = _LINE_START.match(md)
    if not m:
        return md
    if m.group(1)[0].isdigit():
        return m.group(1)[:-1] + "\\" + md[m.end() - 1:]
    return "\\" + md


def paragraph(runs: list[Run]) -> Block | None:
    """A paragraph block, or None when it holds nothing visible."""
    runs = settle(runs)
    md = render_runs(runs)
    if not md:
        return None
    return Block("p", _escape_start(md), runs=runs)


def heading(runs: list[Run], level: int) -> Block | None:
    """An ATX heading from inline runs (emphasis dropped), or None if empty."""
    md = render_runs(runs, marks=False)
    if not md:
        return None
    if md.endswith("#"):
        md = md[:-1] + "\\#"
    return Block("h", md, level=level)


def quote(md: str) -> Block | None:
    """A blockquote around already-rendered Markdown."""
    if not md.strip():
        return None
    return Block("quote", "\n".join("> " + line if line else ">" for line in md.split("\n")))


def code_block(text: str, lang: str = "") -> Block | None:
    """A fenced code block; the fence outgrows any backtick run inside."""
    lines = text.replace("\r\n", "\n").split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    if not lines:
        return None
    body = "\n".join(line.rstrip() for line in lines)
    fence = "`" * max(3, max((len(m) for m in re.findall(r"`+", body)), default=0) + 1)
    return Block("pre", f"{fence}{lang}\n{body}\n{fence}")


def list_block(items: list[str], ordered: bool, start: int = 1) -> Block | None:
    """A bullet or ordered list from each item's rendered Markdown."""
    items = [i for i in items if i.strip()]
    if not items:
        return None
    out = []
    for n, item in enumerate(items, start):
        marker = f"{n}." if ordered else "-"
        pad = " " * (len(marker) + 1)
        lines = item.split("\n")
        out.append("\n".join([f"{marker} {lines[0]}"] + [pad + l if l else "" for l in lines[1:]]))
    loose = any("\n\n" in i for i in items)
    return Block("list", ("\n\n" if loose else "\n").join(out))


def table(grid: list[list[str]]) -> Block | None:
    """A GFM pipe table; the first row is the header."""
    if not any(cell.strip() for row in grid for cell in row):
        return None
    width = max(len(r) for r in grid)
    rows = [r + [""] * (width - len(r)) for r in grid]
    lines = ["| " + " | ".join(rows[0]) + " |", "|" + "|".join(["---"] * width) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows[1:]]
    return Block("table", "\n".join(lines))


def join(blocks: list[Block], tight: bool = False) -> str:
    """Blocks → Markdown text, without stray or doubled rules (TIGHT: sublists hug their text)."""
    out: list[Block] = []
    for b in blocks:
        if b.kind == "hr" and (not out or out[-1].kind == "hr"):
            continue
        out.append(b)
    while out and out[-1].kind == "hr":
        out.pop()
    text = ""
    for i, b in enumerate(out):
        if i:
            text += "\n" if tight and b.kind == "list" and out[i - 1].kind == "p" else "\n\n"
        text += ("#" * max(2, b.level) + " " + b.md) if b.kind == "h" else b.md
    return text


def _heading_like(b: Block) -> bool:
    if not b.runs or any(r.kind != "text" for r in b.runs):
        return False
    texts = [r for r in b.runs if r.text.strip()]
    if not texts or any("strong" not in r.marks or r.link for r in texts):
        return False
    plain = "".join(r.text for r in b.runs).strip()
    if not 2 <= len(plain) <= 32 or plain[-1] in _NOT_HEADING_END:
        return False
    if re.search(r"[。；;]|[！!？?].", plain):  # sentences, not a title
        return False
    return not re.fullmatch(r"[（(【\[].*[）)】\]]", plain)


def finish(blocks: list[Block]) -> str:
    """Top-level blocks → Markdown: h1s demoted, short all-bold lines made headings."""
    shift = 1 if any(b.kind == "h" and b.level == 1 for b in blocks) else 0
    for b in blocks:
        if b.kind == "h":
            b.level = min(6, b.level + shift)
    paras = [b for b in blocks if b.kind == "p"]
    found = [b for b in paras if _heading_like(b)]
    if found and len(found) * 2 <= len(paras):
        for b in found:
            h = heading(b.runs, 2)
            if h:
                b.kind, b.md, b.level = "h", h.md, h.level
    text = join(blocks).strip()
    return text + "\n" if text else ""
