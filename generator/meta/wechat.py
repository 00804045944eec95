"""The WeChat rules: which host serves articles, an article's canonical URL, its identity.

Identity decides an imported article's file name, so every adapter and the importer ask this
module, and nothing else, what a WeChat article is called:

- canonical URL: `https://mp.weixin.qq.com/s/<token>` (the short form), or
  `https://mp.weixin.qq.com/s?__biz=…&mid=…&idx=…&sn=…` (nothing else: no session, share or
  tracking values, no fragment); `appmsgid`/`itemidx` are the old names of `mid`/`idx`;
- identity: `wx:<biz>:<mid>:<idx>` when the three are known (from a URL or a page's scripts),
  else `url:mp.weixin.qq.com/s/<token>` for a short link.
"""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit, urlunsplit

HOSTS = frozenset({"mp.weixin.qq.com", "weixin.qq.com"})
"""Hosts that serve article pages (a leading `www.` is ignored)."""
_KEEP = ("__biz", "mid", "idx", "sn")
_ALIASES = {"appmsgid": "mid", "itemidx": "idx"}
_SHORT = re.compile(r"^/s/([\w\-]+)/?$")
_ENTITY_PARAM = re.compile(r"&(?:amp;)*([A-Za-z_][\w\-]*);=")
URL_IN_TEXT = re.compile(r"(?:https?:)?//(?:www\.)?mp\.weixin\.qq\.com/s(?:/[\w\-]+|\?[^\s)\]>\"'<]+)",
                         re.I)
"""A WeChat article link inside free text (Markdown, a labelled line, a script)."""


def is_host(host: str | None) -> bool:
    """True for a host that serves WeChat articles (`mp.weixin.qq.com`, also with `www.`/port)."""
    if not host:
        return False
    host = host.lower().rsplit("@", 1)[-1].split(":", 1)[0].removeprefix("www.")
    return host in HOSTS


def is_wechat(url: str | None) -> bool:
    """True for a URL on a WeChat article host."""
    try:
        return bool(url) and is_host(urlsplit(_tidy(url)).netloc)
    except ValueError:
        return False


def canonical_url(url: str | None) -> str | None:
    """The canonical form of a WeChat article URL; None when URL is not one."""
    parts = _split(url)
    if parts is None:
        return None
    m = _SHORT.match(parts.path)
    if m:
        return f"https://mp.weixin.qq.com/s/{m.group(1)}"
    query = _query(parts.query)
    if not {"__biz", "mid", "idx"} <= query.keys():
        return None
    pairs = [(k, query[k]) for k in _KEEP if k in query]
    return urlunsplit(("https", "mp.weixin.qq.com", "/s", urlencode(pairs, safe="="), ""))


def ids(url: str | None) -> tuple[str, str, str] | None:
    """(biz, mid, idx) named by a WeChat article URL, when all three are there."""
    parts = _split(url)
    if parts is None:
        return None
    query = _query(parts.query)
    if {"__biz", "mid", "idx"} <= query.keys():
        return query["__biz"], query["mid"], query["idx"]
    return None


def identity(biz: str, mid: str | int, idx: str | int) -> str:
    """`wx:<biz>:<mid>:<idx>`; the biz is compared decoded (`%3D` and `=` are one biz)."""
    return f"wx:{unquote(str(biz)).strip()}:{str(mid).strip()}:{str(idx).strip()}"


def url_identity(url: str | None) -> str | None:
    """The identity a WeChat article URL gives (see the module docstring), else None."""
    found = ids(url)
    if found:
        return identity(*found)
    parts = _split(url)
    m = _SHORT.match(parts.path) if parts else None
    return f"url:mp.weixin.qq.com/s/{m.group(1)}" if m else None


def build_url(biz: str, mid: str, idx: str, sn: str | None = None) -> str:
    """The canonical article URL built from its biz/mid/idx(/sn) values."""
    pairs = [("__biz", biz), ("mid", mid), ("idx", idx)] + ([("sn", sn)] if sn else [])
    return "https://mp.weixin.qq.com/s?" + urlencode(pairs, safe="=")


def article_url(url: str | None) -> str | None:
    """An article's own URL as a metadata value: a WeChat article URL in canonical form (None
    when a WeChat URL names no article), another http(s) URL as written (entities repaired)."""
    if not url:
        return None
    url = _tidy(url)
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return canonical_url(url) if is_host(parts.netloc) else url


def find_urls(text: str) -> list[str]:
    """Canonical URLs of the WeChat articles linked anywhere in TEXT, first seen first."""
    out: list[str] = []
    for m in URL_IN_TEXT.finditer(text):
        url = canonical_url(m.group(0))
        if url and url not in out:
            out.append(url)
    return out


def _tidy(url: str) -> str:
    """Undo what scraping does to a URL: entities (`&amp;`, `&from;=`), `<…>`, JS backslashes."""
    url = url.strip().strip("<>").replace("\\/", "/").replace("\\", "")
    url = _ENTITY_PARAM.sub(r"&\1=", url)
    for _ in range(3):
        if "&" not in url or ";" not in url:
            break
        url = html.unescape(url)
    return "https:" + url if url.startswith("//") else url


def _split(url: str | None):
    if not url:
        return None
    try:
        parts = urlsplit(_tidy(url))
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not is_host(parts.netloc):
        return None
    return parts


def _query(query: str) -> dict[str, str]:
    """The identifying values of a query (first of each; old names mapped to new ones)."""
    out: dict[str, str] = {}
    for key, value in parse_qsl(query):
        key = _ALIASES.get(key, key)
        if key in _KEEP and key not in out and value.strip():
            out[key] = value.strip()
    return out
