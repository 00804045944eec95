"""Make untrusted Markdown inert: no raw HTML, no script links, repaired image URLs.

Code (fenced and indented blocks, inline code spans) is left byte for byte: a renderer shows it
escaped anyway. Everywhere else raw HTML tags are dropped (their text kept; script-like elements
dropped whole), links whose URL is `javascript:`/`data:`/... lose the link (their text stays),
such images and empty images are dropped, and any `<` that could still open a tag is escaped.
"""

from __future__ import annotations

import bisect
import html
import re
from functools import lru_cache

from markdown_it import MarkdownIt

from generator.meta import wechat
from generator.sources.markdown.meta import image_url

_SAFE_SCHEMES = ("http", "https", "mailto", "ftp", "tel")
_DANGEROUS_ELEMENTS = ("script", "style", "iframe", "object", "embed", "noscript", "template",
                       "textarea", "xmp", "title", "svg", "math", "frameset", "frame", "applet",
                       "noembed", "plaintext", "select", "form", "button")
_AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9.+-]{1,31}):([^<>\s]*)>")
_EMAIL = re.compile(r"<[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*>")
_TAG = re.compile(r"</?([A-Za-z][A-Za-z0-9-]*)(?:\s[^<>]*)?/?>", re.S)
_MAX_DEPTH = 16  # links nested deeper than this are left as text
_TICKS = re.compile(r"`+")
_PLAIN = re.compile(r"[^\\`!\[<]+")  # runs of characters the scanner copies as they are
_BLANK = re.compile(r"\n[ \t]*\n")
_BRACKETS = {"[": re.compile(r"\\.|\[|\]|\n[ \t]*\n", re.S),
             "(": re.compile(r"\\.|\(|\)|\n[ \t]*\n", re.S)}
_SPECIAL_ENDS = (("<!--", re.compile(r"-->")),
                 ("<?", re.compile(r"\?>")), ("<![CDATA[", re.compile(r"\]\]>")),
                 ("<!", re.compile(r">")))
_REF_DEF = re.compile(r"^ {0,3}\[[^\]]+\]:\s*<?([^\s>]*)>?.*$")
_TITLE = re.compile(r"""^(\S+)(\s+(?:"[^"]*"|'[^']*'|\([^)]*\)))?\s*$""", re.S)


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark").enable("table").disable("inline")  # blocks are enough


def parse(markdown: str) -> list:
    """Block tokens of MARKDOWN as a CommonMark renderer sees them."""
    return _parser().parse(markdown)


def code_lines(markdown: str) -> set[int]:
    """0-based numbers of the lines a CommonMark renderer treats as code blocks."""
    lines: set[int] = set()
    for token in parse(markdown):
        if token.type in ("fence", "code_block") and token.map:
            lines.update(range(token.map[0], token.map[1]))
    return lines


def url_is_unsafe(url: str) -> bool:
    """True for URLs that must not become links: script/data/file schemes, SVG placeholders."""
    probe = html.unescape(url).replace("\\", "")
    probe = re.sub(r"[\x00-\x20\x7f]+", "", probe).lower()
    if "www.w3.org/2000/svg" in probe:
        return True
    m = re.match(r"^([a-z][a-z0-9.+-]*):", probe)
    return bool(m) and m.group(1) not in _SAFE_SCHEMES


def make_inert(markdown: str) -> str:
    """Return MARKDOWN with raw HTML and unsafe links neutralised outside code.

    Each inline unit the renderer will parse (a paragraph, heading, HTML block, table cell) is
    scanned on its own, so a code span cannot seem to swallow the next block's HTML.
    """
    lines = markdown.split("\n")
    units: dict[int, tuple[int, list[str] | None]] = {}  # first line → (end, table cells)
    code: set[int] = set()
    table_rows: dict[int, list[str]] = {}
    table_depth = 0
    for token in parse(markdown):
        if token.type == "table_open":
            table_depth += 1
        elif token.type == "table_close":
            table_depth -= 1
        elif token.type in ("fence", "code_block") and token.map:
            code.update(range(*token.map))
        elif token.type == "inline" and token.map and table_depth:
            table_rows.setdefault(token.map[0], []).append(token.content)
        elif token.type in ("inline", "html_block") and token.map:
            units[token.map[0]] = (token.map[1], None)
    for row, cells in table_rows.items():
        units[row] = (row + 1, cells)
    out: list[str] = []
    i = 0
    while i < len(lines):
        if i in units:
            end, cells = units[i]
            if cells is None:
                unit = [ln for ln in lines[i:end] if not _bad_ref_def(ln)]
                out.append(_Scanner("\n".join(unit)).run())
            else:
                out.append("| " + " | ".join(_Scanner(c).run() for c in cells) + " |")
            i = max(end, i + 1)
            continue
        if i in code or not _bad_ref_def(lines[i]):
            out.append(lines[i] if i in code else _Scanner(lines[i]).run())
        i += 1
    return "\n".join(out)


def _bad_ref_def(line: str) -> bool:
    m = _REF_DEF.match(line)
    return bool(m) and (not m.group(1) or url_is_unsafe(m.group(1)))


class _Scanner:
    """One left-to-right pass over a prose run, rewriting links, images and HTML.

    Every lookup ahead (closing brackets, code-span ends, comment ends) is precomputed or cached,
    so a hostile run of '[' or '<!--' costs linear time.
    """

    def __init__(self, text: str, depth: int = 0):
        self.text, self.depth = text, depth
        self.out: list[str] = []
        self._pairs: dict[str, dict[int, int]] = {}
        self._finds: dict[str, tuple[int, int, int]] = {}
        self._ticks: dict[int, list[int]] | None = None

    def run(self) -> str:
        text, i = self.text, 0
        while i < len(text):
            ch = text[i]
            if ch == "\\" and i + 1 < len(text):
                self.out.append(text[i:i + 2])
                i += 2
            elif ch == "`":
                i = self._code_span(i)
            elif ch == "!" and text.startswith("![", i) and self.depth < _MAX_DEPTH:
                i = self._link(i + 1, image=True)
            elif ch == "[" and self.depth < _MAX_DEPTH:
                i = self._link(i, image=False)
            elif ch == "<":
                i = self._angle(i)
            else:
                end = _PLAIN.match(text, i).end() if ch not in "!\\[" else i + 1
                self.out.append(text[i:end])
                i = end
        return "".join(self.out)

    def _pair(self, i: int, open_: str) -> int:
        if open_ not in self._pairs:
            self._pairs[open_] = _pairs(self.text, open_)
        return self._pairs[open_].get(i, -1)

    def _find(self, key: str, rx: re.Pattern, start: int) -> tuple[int, int]:
        """(start, end) of the next match of RX at or after START; cached per KEY."""
        cached = self._finds.get(key)
        if cached and cached[0] <= start and (cached[1] < 0 or cached[1] >= start):
            return cached[1], cached[2]
        m = rx.search(self.text, start)
        found = (m.start(), m.end()) if m else (-1, -1)
        self._finds[key] = (start, *found)
        return found

    def _code_span(self, i: int) -> int:
        n = _TICKS.match(self.text, i).end() - i
        if self._ticks is None:
            self._ticks = {}
            for m in _TICKS.finditer(self.text):
                self._ticks.setdefault(m.end() - m.start(), []).append(m.start())
        starts = self._ticks.get(n, [])
        k = bisect.bisect_right(starts, i)
        end = starts[k] if k < len(starts) else -1
        blank = self._find("blank", _BLANK, i)[0]
        if end < 0 or 0 <= blank < end:
            self.out.append(self.text[i:i + n])
            return i + n
        self.out.append(self.text[i:end + n])
        return end + n

    def _link(self, i: int, image: bool) -> int:
        """At '[' (after '!' for images): rewrite an inline link/image, or copy the bracket."""
        text = self.text
        close = self._pair(i, "[")
        end = self._pair(close + 1, "(") if close >= 0 and text.startswith("(", close + 1) else -1
        if end < 0:
            self.out.append("![" if image else "[")
            return i + 1
        label = text[i + 1:close]
        dest, title = _split_destination(text[close + 2:end])
        if title:
            title = " " + _Scanner(title.strip(), _MAX_DEPTH).run().replace("<", "&lt;")
        if image:
            if dest and not url_is_unsafe(dest):
                alt = re.sub(r"\s+", " ", label).strip()
                alt = "" if url_is_unsafe(alt) else _Scanner(alt, self.depth + 1).run()
                self.out.append(f"![{alt}]({_quote(image_url(dest))}{title})")
        else:
            inner = _Scanner(label, self.depth + 1).run()
            if not inner.strip():
                pass  # an invisible link carries nothing
            elif dest and not url_is_unsafe(dest):
                dest = dest.replace("\n", "")
                if wechat.is_wechat(dest):  # links to other articles: no tracking values
                    dest = wechat.canonical_url(dest) or dest
                self.out.append(f"[{inner}]({_quote(dest)}{title})")
            else:
                self.out.append(inner)
        return end + 1

    def _angle(self, i: int) -> int:
        text = self.text
        for rx in (_AUTOLINK, _EMAIL):
            m = rx.match(text, i)
            if m:
                if rx is _EMAIL or m.group(1).lower() in _SAFE_SCHEMES:
                    self.out.append(m.group(0))
                return m.end()
        for opener, closer in _SPECIAL_ENDS:
            if text.startswith(opener, i) and (opener != "<!" or text[i + 2:i + 3].isalpha()):
                end = self._find(closer.pattern, closer, i + len(opener))[1]
                if end >= 0:
                    return end
                self.out.append("&lt;")
                return i + 1
        m = _TAG.match(text, i)
        if m:
            name = m.group(1).lower()
            if name in _DANGEROUS_ELEMENTS and not m.group(0).startswith("</"):
                close = re.compile(rf"</{name}\s*>", re.I)
                return max(self._find("/" + name, close, m.end())[1], m.end())
            if name == "br":
                self.out.append("\n")
            return m.end()
        self.out.append("&lt;" if re.match(r"<[A-Za-z/!?]", text[i:i + 2]) else "<")
        return i + 1


def _pairs(text: str, open_: str) -> dict[int, int]:
    """Index of each bracket (`[` or `(`) → index of its closing bracket in the same paragraph."""
    pairs: dict[int, int] = {}
    stack: list[int] = []
    for m in _BRACKETS[open_].finditer(text):
        token = m.group(0)
        if token == open_:
            stack.append(m.start())
        elif token == "\n\n":
            stack.clear()
        elif len(token) == 1 and stack:
            pairs[stack.pop()] = m.start()
    return pairs


def _split_destination(inner: str) -> tuple[str, str]:
    """'(url "title")' contents → (url without line breaks, ' "title"' or '')."""
    inner = inner.strip()
    if inner.startswith("<") and ">" in inner:
        dest, rest = inner[1:inner.index(">")], inner[inner.index(">") + 1:]
        return dest.replace("\n", ""), (" " + rest.strip()) if rest.strip() else ""
    m = _TITLE.match(inner)
    if m:
        return m.group(1), (" " + m.group(2).strip()) if m.group(2) else ""
    return re.sub(r"\s*\n\s*", "", inner), ""


def _quote(url: str) -> str:
    """URL safe to put back inside '(...)': spaces and angle brackets encoded, parens balanced."""
    url = re.sub(r"\s", "%20", url).replace("<", "%3C").replace(">", "%3E")
    if url.count("(") != url.count(")"):
        url = url.replace("(", "%28").replace(")", "%29")
    return url
