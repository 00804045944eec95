"""Metadata helpers for the Markdown and JSON adapters: escapes, dates, WeChat URLs, file names."""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit, urlunsplit

from generator.model import frontmatter
from generator.model.article import CHINA_TZ

_JS_ESCAPE = re.compile(r"\\x([0-9a-fA-F]{2})|\\u([0-9a-fA-F]{4})")
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>~\"'])")
_CN_DATE = re.compile(
    r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日(?:\s*(\d{1,2})\s*[:：]\s*(\d{2}))?")
# "[account]-2021-8-15-title.md", the naming used by html2text article collections.
_CONVENTION = re.compile(r"^\[(?P<account>[^\]]+)\]-(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"
                         r"-(?P<title>.+)$")
_NOT_ACCOUNTS = {"未分类", "uncategorized", "Uncategorized", "其他", "其它"}
# Query parameters that identify a WeChat article; everything else is tracking or session.
_WX_KEEP = ("__biz", "mid", "idx", "sn")
_WX_ALIASES = {"appmsgid": "mid", "itemidx": "idx"}
_IMAGE_HOSTS = re.compile(r"^(?:mmbiz|mmecoa|mmsns)\.(?:qpic|qlogo)\.cn$")


def decode_js_escapes(text: str) -> str:
    """Decode \\xNN and \\uNNNN escapes left by pages that embed text in JavaScript."""
    return _JS_ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), text)


def meta_text(value: object) -> str | None:
    """A one-line metadata value: JS escapes and HTML entities decoded, whitespace collapsed."""
    if value is None:
        return None
    text = str(value)
    for _ in range(2):  # "\x26amp;quot;" needs two rounds
        text = html.unescape(decode_js_escapes(text))
    text = re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()
    return text or None


def unescape_markdown(text: str) -> str:
    """Remove Markdown backslash escapes (for titles and names read from Markdown lines)."""
    return _MD_ESCAPE.sub(r"\1", text)


def parse_cn_date(text: str) -> dt.date | dt.datetime | None:
    """'2025年09月08日 19:05' → aware datetime in China time; without a time → date."""
    m = _CN_DATE.search(text)
    if not m:
        return None
    y, mo, d, h, mi = m.groups()
    try:
        if h is None:
            return dt.date(int(y), int(mo), int(d))
        return dt.datetime(int(y), int(mo), int(d), int(h), int(mi), tzinfo=CHINA_TZ)
    except ValueError:
        return None


def parse_date(value: object) -> dt.date | dt.datetime | None:
    """A date from front matter or a record: ISO text, Chinese text, or Unix seconds/ms.

    Times without a zone are China time; Unix timestamps become China time.
    """
    if value is None or value == "" or isinstance(value, bool):
        return None
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=CHINA_TZ)
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) or re.fullmatch(r"\d{9,13}(?:\.\d+)?", str(value).strip()):
        seconds = float(value)
        if seconds > 1e11:  # milliseconds
            seconds /= 1000
        try:
            return dt.datetime.fromtimestamp(seconds, CHINA_TZ)
        except (OverflowError, OSError, ValueError):
            return None
    text = str(value).strip().strip("\"'‘’“”")
    text = re.sub(r"^(\d{4})[/.](\d{1,2})[/.](\d{1,2})", r"\1-\2-\3", text)
    text = re.sub(r"(?<=\d)[T ]+(?=\d{1,2}:)", "T", text, count=1)
    try:
        return frontmatter.parse_date(text)
    except (ValueError, OverflowError):
        return parse_cn_date(text)


def name_convention(path: Path) -> tuple[str | None, dt.date, str] | None:
    """(account, day, title) from a '[account]-YYYY-M-D-title.md' file name, else None."""
    m = _CONVENTION.match(path.stem)
    if not m:
        return None
    try:
        day = dt.date(int(m["y"]), int(m["m"]), int(m["d"]))
    except ValueError:
        return None
    account = m["account"].strip()
    return (None if account in _NOT_ACCOUNTS else account), day, html.unescape(m["title"]).strip()


def is_wechat_host(host: str) -> bool:
    """True for the host that serves WeChat articles."""
    return host.lower().removeprefix("www.") == "mp.weixin.qq.com"


def article_url(url: str | None) -> str | None:
    """The article's own URL, reduced to what identifies it (no tracking or session values).

    WeChat: `/s/<token>` or `/s?__biz=&mid=&idx=&sn=`; other sites: unchanged apart from
    entity decoding.
    """
    if not url:
        return None
    url = html.unescape(url.strip().strip("<>")).replace("\\", "")
    if url.startswith("//"):
        url = "https:" + url
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    if not is_wechat_host(parts.netloc):
        return url
    if parts.path.startswith("/s/") and len(parts.path) > 3:
        return urlunsplit(("https", "mp.weixin.qq.com", parts.path.rstrip("/"), "", ""))
    query = {}
    for key, value in parse_qsl(parts.query):
        key = _WX_ALIASES.get(key, key)
        if key in _WX_KEEP and key not in query:
            query[key] = value
    if not {"__biz", "mid", "idx"} <= query.keys():
        return None
    ordered = [(k, query[k]) for k in _WX_KEEP if k in query]
    return urlunsplit(("https", "mp.weixin.qq.com", "/s", urlencode(ordered, safe="=_"), ""))


def wechat_identity(url: str | None) -> str | None:
    """'wx:<biz>:<mid>:<idx>' when URL names a WeChat article by biz/mid/idx."""
    if not url:
        return None
    parts = urlsplit(url)
    if not is_wechat_host(parts.netloc):
        return None
    q = dict(parse_qsl(parts.query))
    if {"__biz", "mid", "idx"} <= q.keys():
        return f"wx:{unquote(q['__biz'])}:{q['mid']}:{q['idx']}"
    return None


def image_url(url: str) -> str:
    """Repair an image URL: '&from;=appmsg' entity damage, WeChat lazy/tracking params, #imgIndex."""
    url = url.replace("\n", "").replace("\\", "").strip()
    url = url.replace("&amp;", "&")
    url = re.sub(r"&([A-Za-z_][A-Za-z0-9]*);(?=[_A-Za-z0-9]*=)", r"&\1", url)
    parts = urlsplit(url if not url.startswith("//") else "https:" + url)
    if not _IMAGE_HOSTS.match(parts.netloc.lower()):
        return url
    keep = [(k, v) for k, v in parse_qsl(parts.query) if k == "wx_fmt"]
    return urlunsplit(("https", parts.netloc, parts.path, urlencode(keep), ""))
