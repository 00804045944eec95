"""Page-script data in page-text dumps: the article fields WeChat pages carry in their JavaScript.

A page-text dump holds the whole text of a page, scripts included. From 2018 on those scripts
assign the article's metadata (`var msg_title = ...`, `window.ct = ...`, `nick_name:
JsDecode(...)`), and text/image share posts keep their body there (`content_noencode`).
Only article fields are read here; reader-session values (uin, key, pass_ticket,
appmsg_token) are never looked at.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass, field
from typing import Iterator
from urllib.parse import urlsplit

from generator.meta import dates, wechat
from generator.sources.wechat.js import decode_string

_STR = r"""'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*\""""
# NAME = / NAME: then an optional `xml ? getXmlValue(...) :` branch and decoder call, then
# one string or several joined by `||` (the first non-empty one is the value).
_VALUE = (r"\s*[=:]\s*(?:\(?\s*xml\s*\?[^:\n]{0,80}:\s*)?(?:(?:htmlDecode|JsDecode)\(\s*)?"
          rf"((?:{_STR})(?:\s*\|\|\s*(?:{_STR}))*)")


@dataclass
class PageScript:
    """Article fields found in a page's scripts (all None/empty when the dump has none)."""

    title: str | None = None
    account: str | None = None
    alias: str | None = None
    user_name: str | None = None
    author: str | None = None
    timestamp: str | None = None
    link: str | None = None
    biz: str | None = None
    mid: str | None = None
    idx: str | None = None
    sn: str | None = None
    desc: str | None = None
    cover: str | None = None
    content: str | None = None
    """`content_noencode`: plain text for text/image shares, the body's HTML for articles."""
    show_type: str | None = None
    tags: list[str] = field(default_factory=list)
    pictures: list[str] = field(default_factory=list)

    @property
    def date(self) -> dt.datetime | None:
        """Publication time from the Unix timestamp, in China time."""
        return dates.timestamp(self.timestamp) if self.timestamp else None

    @property
    def identity(self) -> str | None:
        """`wx:<biz>:<mid>:<idx>` when the page names all three."""
        if self.biz and self.mid and self.idx:
            return wechat.identity(self.biz, self.mid, self.idx)
        return None


def unquote_js(literal: str) -> str:
    """Decode one quoted JavaScript string literal (quotes included)."""
    return decode_string(literal[1:-1])


def _assignments(text: str, name: str) -> Iterator[re.Match[str]]:
    """Matches of NAME (a pattern starting with a literal, for speed) followed by a value."""
    for m in re.finditer(name + _VALUE, text):
        if m.start() == 0 or not re.match(r"[\w$.]", text[m.start() - 1]):
            yield m


def _first(text: str, patterns: tuple[str, ...], *, accept=None) -> str | None:
    """The first non-empty string value assigned to any of PATTERNS (tried in order)."""
    for name in patterns:
        for m in _assignments(text, name):
            for lit in re.findall(_STR, m.group(1)):
                value = unquote_js(lit).strip()
                if value and (accept is None or accept(value)):
                    return value
    return None


def _all(text: str, pattern: str) -> list[str]:
    """Every non-empty string value assigned to PATTERN, in order, without repeats."""
    out: list[str] = []
    for m in _assignments(text, pattern):
        lit = re.match(_STR, m.group(1))
        value = html.unescape(unquote_js(lit.group(0))).strip() if lit else ""
        if value and value not in out:
            out.append(value)
    return out


def _block(text: str, start: str) -> str:
    """The text of the `[ ... ]` array literal opened by the first START, or ''."""
    m = re.search(start + r"\s*=\s*\[", text)
    if not m:
        return ""
    end = re.compile(r"\n\s*\];").search(text, m.end())
    return text[m.end(): end.start() if end else m.end()]


def _is_article_link(url: str) -> bool:
    return wechat.canonical_url(url) is not None


def _decoded(value: str | None) -> str | None:
    return html.unescape(value).strip() or None if value else None


def read_script(text: str) -> PageScript:
    """Collect the article fields that the page's scripts assign."""
    if "JsDecode" not in text and not re.search(r"(var|window\.)\s*\w+\s*=", text):
        return PageScript()
    ps = PageScript()
    ps.title = _decoded(_first(text, (r"var msg_title", r"window\.msg_title",
                                      r"msg_title", r"title(?=:\s*JsDecode)")))
    ps.account = _decoded(_first(text, (r"var nickname", r"window\.nickname",
                                        r"nick_name(?=:\s*JsDecode)", r"d\.nick_name")))
    ps.alias = _decoded(_first(text, (r"window\.alias", r"var alias",
                                      r"alias(?=:\s*JsDecode)")))
    ps.user_name = _decoded(_first(text, (r"var user_name", r"window\.user_name",
                                          r"user_name(?=:\s*JsDecode)", r"d\.user_name"),
                                   accept=lambda v: v.startswith("gh_")))
    ps.author = _decoded(_first(text, (r"var author", r"author(?=:\s*JsDecode)")))
    ps.timestamp = _first(text, (r"var ct", r"window\.ct", r"d\.ct",
                                 r"var create_time", r"ori_create_time",
                                 r"create_timestamp"), accept=str.isdigit)
    ps.link = _decoded(_first(text, (r"var msg_link", r"window\.msg_link", r"_g\.msg_link",
                                     r"d\.msg_link", r"link(?=:\s*JsDecode)"),
                              accept=_is_article_link))
    for key in ("biz", "mid", "idx", "sn"):
        value = _first(text, (rf"var {key}", rf"window\.{key}", rf"d\.{key}"),
                       accept=lambda v: re.fullmatch(r"[\w=+/-]+", v) is not None)
        setattr(ps, key, value)
    ps.desc = _decoded(_first(text, (r"var msg_desc", r"window\.msg_desc",
                                     r"desc(?=:\s*JsDecode)")))
    ps.cover = _decoded(_first(text, (r"var msg_cdn_url", r"window\.msg_cdn_url"),
                               accept=lambda v: v.startswith(("http", "//"))))
    content = _first(text, (r"content_noencode(?=:\s*JsDecode)",))
    ps.content = content.replace("\r", "") if content else None
    ps.show_type = _first(text, (r"window\.item_show_type", r"var item_show_type"),
                          accept=str.isdigit)
    albums = _all(_block(text, r"(?:var |window\.)album_info_list"), r"title")
    ps.tags = list(dict.fromkeys(albums + _all(text, r"tag_name")))
    pictures = _block(text, r"(?:var |window\.)?picture_page_info_list")
    for m in re.finditer(r"\{\s*width:[^,\n]*,\s*height:[^,\n]*,\s*cdn_url:\s*(" + _STR + ")",
                         pictures):
        url = html.unescape(unquote_js(m.group(1)))
        if url.startswith(("http://", "https://")) and url not in ps.pictures:
            ps.pictures.append(url)
    return ps


def error_fields(text: str) -> tuple[str | None, str | None]:
    """(account, gh_ id) named by an error page's `window.cgiData`, if any."""
    m = re.search(r"window\.cgiData\s*=\s*\{(.*?)\n\s*\};", text, re.S)
    if not m:
        return None, None
    block = m.group(1)
    name = _first(block, (r"nick_name",))
    user = _first(block, (r"user_name",), accept=lambda v: v.startswith("gh_"))
    return _decoded(name), user
