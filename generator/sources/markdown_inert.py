"""Make untrusted Markdown inert: no raw HTML, no script links, repaired image URLs.

Code (fenced and indented blocks, inline code spans) is left byte for byte: a renderer shows it
escaped anyway. Everywhere else raw HTML tags are dropped (their text kept; script-like elements
dropped whole), links whose URL is `javascript:`/`data:`/... lose the link (their text stays),
such images and empty images are dropped, and any `<` that could still open a tag is escaped.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

from markdown_it import MarkdownIt

from generator.sources.markdown_meta import article_url, image_url

_SAFE_SCHEMES = ("http", "https", "mailto", "ftp", "tel")
_DANGEROUS_ELEMENTS = ("script", "style", "iframe", "object", "embed", "noscript", "template",
                       "textarea", "xmp", "title", "svg", "math", "frameset", "frame", "applet",
                       "noembed", "plaintext", "select", "form", "button")
_AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9.+-]{1,31}):([^<>\s]*)>")
_EMAIL = re.compile(r"<[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*>")
_TAG = re.compile(r"</?([A-Za-z][A-Za-z0-9-]*)(?:\s[^<>]*)?/?>", re.S)
_SPECIAL = re.compile(r"<!--.*?-->|<\?.*?\?>|<![A-Za-z][^>]*>|<!\[CDATA\[.*?\]\]>", re.S)
_REF_DEF = re.compile(r"^ {0,3}\[[^\]]+\]:\s*<?([^\s>]*)>?.*$")
_TITLE = re.compile(r"""^(\S+)(\s+(?:"[^"]*"|'[^']*'|\([^)]*\)))?\s*$""", re.S)


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark").enable("table")


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


def segments(markdown: str) -> list[tuple[bool, list[str]]]:
    """Split MARKDOWN into runs of lines: (is_code, lines)."""
    code = code_lines(markdown)
    runs: list[tuple[bool, list[str]]] = []
    for i, line in enumerate(markdown.split("\n")):
        is_code = i in code
        if runs and runs[-1][0] == is_code:
            runs[-1][1].append(line)
        else:
            runs.append((is_code, [line]))
    return runs


def url_is_unsafe(url: str) -> bool:
    """True for URLs that must not become links: script/data/file schemes, SVG placeholders."""
    probe = html.unescape(url).replace("\\", "")
    probe = re.sub(r"[\x00-\x20\x7f]+", "", probe).lower()
    if "www.w3.org/2000/svg" in probe:
        return True
    m = re.match(r"^([a-z][a-z0-9.+-]*):", probe)
    return bool(m) and m.group(1) not in _SAFE_SCHEMES


def make_inert(markdown: str) -> str:
    """Return MARKDOWN with raw HTML and unsafe links neutralised outside code."""
    out: list[str] = []
    for is_code, lines in segments(markdown):
        text = "\n".join(lines)
        if not is_code:
            text = "\n".join(line for line in text.split("\n") if not _bad_ref_def(line))
            text = _Scanner(text).run()
        out.append(text)
    return "\n".join(out)


def _bad_ref_def(line: str) -> bool:
    m = _REF_DEF.match(line)
    return bool(m) and (not m.group(1) or url_is_unsafe(m.group(1)))


class _Scanner:
    """One left-to-right pass over a prose run, rewriting links, images and HTML."""

    def __init__(self, text: str):
        self.text = text
        self.out: list[str] = []

    def run(self) -> str:
        text, i = self.text, 0
        while i < len(text):
            ch = text[i]
            if ch == "\\" and i + 1 < len(text):
                self.out.append(text[i:i + 2])
                i += 2
            elif ch == "`":
                i = self._code_span(i)
            elif ch == "!" and text.startswith("![", i):
                i = self._link(i + 1, image=True)
            elif ch == "[":
                i = self._link(i, image=False)
            elif ch == "<":
                i = self._angle(i)
            else:
                self.out.append(ch)
                i += 1
        return "".join(self.out)

    def _code_span(self, i: int) -> int:
        run = re.match(r"`+", self.text[i:]).group(0)
        end = self.text.find(run, i + len(run))
        while end >= 0 and self.text.startswith("`", end + len(run)):
            end = self.text.find(run, end + len(run) + 1)
        if end < 0 or "\n\n" in self.text[i:end]:
            self.out.append(run)
            return i + len(run)
        self.out.append(self.text[i:end + len(run)])
        return end + len(run)

    def _link(self, i: int, image: bool) -> int:
        """At '[' (after '!' for images): rewrite an inline link/image, or copy the bracket."""
        text = self.text
        close = _matching(text, i, "[", "]")
        if close < 0 or not text.startswith("(", close + 1):
            self.out.append("![" if image else "[")
            return i + 1
        end = _matching(text, close + 1, "(", ")")
        if end < 0:
            self.out.append("![" if image else "[")
            return i + 1
        label = text[i + 1:close]
        dest, title = _split_destination(text[close + 2:end])
        if image:
            if dest and not url_is_unsafe(dest):
                alt = re.sub(r"\s+", " ", label).strip()
                alt = "" if url_is_unsafe(alt) else _Scanner(alt).run()
                self.out.append(f"![{alt}]({_quote(image_url(dest))}{title})")
        else:
            inner = _Scanner(label).run()
            if not inner.strip():
                pass  # an invisible link carries nothing
            elif dest and not url_is_unsafe(dest):
                dest = dest.replace("\n", "")
                if "mp.weixin.qq.com" in dest:  # links to other articles: no tracking values
                    dest = article_url(dest) or dest
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
        m = _SPECIAL.match(text, i)
        if m:
            return m.end()
        m = _TAG.match(text, i)
        if m:
            name = m.group(1).lower()
            if name in _DANGEROUS_ELEMENTS and not m.group(0).startswith("</"):
                close = re.compile(rf"</{name}\s*>", re.I).search(text, m.end())
                return close.end() if close else m.end()
            if name == "br":
                self.out.append("\n")
            return m.end()
        self.out.append("&lt;" if re.match(r"<[A-Za-z/!?]", text[i:i + 2]) else "<")
        return i + 1


def _matching(text: str, i: int, open_: str, close: str) -> int:
    """Index of the bracket closing the one at I (escapes honoured), or -1."""
    depth, j = 0, i
    while j < len(text):
        ch = text[j]
        if ch == "\\":
            j += 2
            continue
        if ch == open_:
            depth += 1
        elif ch == close:
            depth -= 1
            if depth == 0:
                return j
        elif ch == "\n" and text.startswith("\n\n", j):
            return -1
        j += 1
    return -1


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
    """URL safe to put back inside '(...)': spaces encoded, brackets balanced."""
    url = url.replace(" ", "%20")
    if url.count("(") != url.count(")"):
        url = url.replace("(", "%28").replace(")", "%29")
    return url
