"""Markdown body → sanitized HTML and plain text; the one configured converter."""

from __future__ import annotations

import functools
import html as htmllib
import re
from typing import Callable, NamedTuple

import nh3
from markdown_it import MarkdownIt
from mdit_py_plugins.footnote import footnote_plugin

from generator.markup import headings, highlight, limits
from generator.markup.headings import Heading

_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]+")
_LATIN_WORD = re.compile(r"[A-Za-z0-9\u00c0-\u024f]+(?:['’.-][A-Za-z0-9\u00c0-\u024f]+)*")
_LINE_BREAKS = re.compile(r"[ \t]*\n\s*")
_FOOTNOTE_ID = re.compile(r"^fn(?:ref)?\d+(?::\d+)?$")

_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd",
    "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3",
    "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "rp",
    "rt", "ruby", "s", "section", "small", "span", "strong", "sub", "summary", "sup", "table",
    "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul", "var",
}
_ATTRIBUTES = {
    "*": {"title", "lang", "dir"},
    "a": {"href", "id", "class"},
    "img": {"src", "alt", "width", "height"},
    "li": {"id", "class"}, "ol": {"start", "class"}, "sup": {"id", "class"},
    "section": {"class"}, "hr": {"class"}, "code": {"class"}, "pre": {"class"},
    "td": {"style", "colspan", "rowspan"}, "th": {"style", "colspan", "rowspan", "scope"},
    "col": {"span"}, "colgroup": {"span"}, "time": {"datetime"}, "q": {"cite"},
    "blockquote": {"cite"}, "details": {"open"},
}


def _keep_attribute(tag: str, attr: str, value: str) -> str | None:
    """Let ids through only in the footnote shape the Markdown renderer writes."""
    if attr == "id" and not _FOOTNOTE_ID.match(value):
        return None
    return value


_CLEANER = nh3.Cleaner(
    tags=_TAGS, attributes=_ATTRIBUTES, url_schemes={"http", "https", "mailto"},
    link_rel="noopener noreferrer nofollow", strip_comments=True,
    clean_content_tags={"script", "style"}, filter_style_properties={"text-align"},
    attribute_filter=_keep_attribute, set_tag_attribute_values={"img": {"loading": "lazy"}},
)


@functools.cache
def _python_converter() -> Callable[[str], str]:
    md = MarkdownIt("commonmark", {"html": True, "linkify": False, "typographer": False,
                                   "maxNesting": 4 * limits.MAX_NESTING})  # a list level: 2
    md.enable(["table", "strikethrough"]).use(footnote_plugin)
    return md.render


def _converter() -> Callable[[str], str]:
    """Markdown → raw HTML: CommonMark with tables, strikethrough and footnotes.

    markdown-it-pyrs (the Rust port of markdown-it by the markdown-it-py maintainers) is
    about ten times faster and writes the same HTML; markdown-it-py with mdit-py-plugins is
    the fallback where its wheel is missing, and for the bodies the Rust parser panics on
    (0.4.0: a lone backtick inside brackets, "a [`b] c"; markdown-it-rust issue #40).
    """
    try:
        import markdown_it_pyrs
    except ImportError:
        return _python_converter()
    fast = markdown_it_pyrs.MarkdownIt("commonmark").enable_many(
        ["table", "strikethrough", "footnote"]).render

    def convert(body: str) -> str:
        try:
            return fast(body)
        except BaseException as exc:  # a Rust panic is a BaseException, not an Exception
            if type(exc).__name__ != "PanicException":
                raise
            return _python_converter()(body)

    return convert


_CONVERT = _converter()


def to_html(body: str) -> str:
    """Markdown BODY → raw HTML, within the bounds of generator.markup.limits."""
    body = limits.flatten(body)
    if limits.many_references(body):
        return _python_converter()(body)
    return _CONVERT(body)


def sanitize(html: str) -> str:
    """Keep only safe markup: no scripts, handlers, styles or javascript: URLs."""
    return _CLEANER.clean(html)


# In the sanitizer's output every "<" starts a tag (text has &lt;), attribute values are in
# double quotes (a '"' inside is &quot;), and comments, scripts and styles are gone.
_SERIALIZED_TAG = re.compile(r'<(?:[^>"]|"[^"]*")*>')
_INNERMOST_SUP = re.compile(r'<sup\b(?:[^>"]|"[^"]*")*>(?:(?!<sup\b).)*?</sup>', re.S)


def sanitized_text(html: str) -> str:
    """The text of HTML that sanitize() wrote, footnote marks (<sup>) left out.

    The sanitizer's serialization is regular enough to take apart with one expression, so the
    HTML is not parsed a second time; this reads text, it does not make HTML safe
    (tests/unit/test_render_markdown.py checks it against a full parse of generated markup).
    """
    while "<sup" in html:
        html, found = _INNERMOST_SUP.subn("", html)
        if not found:
            break
    return htmllib.unescape(_SERIALIZED_TAG.sub("", html))


class Rendered(NamedTuple):
    """A Markdown body rendered: sanitized HTML (h2–h4 with ids), plain text, its headings."""

    html: str
    text: str
    headings: tuple[Heading, ...]
    """The h2–h4, each with its id and where its text starts in TEXT."""


def rendered(body: str) -> Rendered:
    """Render a Markdown BODY."""
    html, marked, found = headings.anchor(sanitize(to_html(body)))
    text, placed = headings.locate(_raw_text(marked), found, _tidy)
    return Rendered(highlight.code_blocks(html), text, placed)


def render(body: str) -> tuple[str, str]:
    """Render a Markdown BODY into (sanitized HTML, plain text)."""
    html, text, _ = rendered(body)
    return html, text


def _raw_text(html: str) -> str:
    return sanitized_text(html.replace("↩︎", ""))


def _tidy(text: str) -> str:
    return _LINE_BREAKS.sub("\n", text)


def plain_text(html: str) -> str:
    """The readable text of sanitized body HTML, one line per block or source line."""
    return _tidy(_raw_text(html)).strip()


def word_count(text: str) -> int:
    """Words as Chinese readers count them: each Han character, plus each Latin word."""
    han = sum(map(len, _HAN_RUN.findall(text)))  # runs, not characters: a few matches a line
    return han + len(_LATIN_WORD.findall(text))


def reading_minutes(words: int, per_minute: int) -> int:
    """Whole minutes to read WORDS at PER_MINUTE (at least 1)."""
    return max(1, -(-words // max(per_minute, 1)))
