"""Metadata helpers for the Markdown and JSON adapters: escapes, image URLs, file names.

Dates and WeChat URLs/identity are generator.meta.dates and generator.meta.wechat."""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

_JS_ESCAPE = re.compile(r"\\x([0-9a-fA-F]{2})|\\u([0-9a-fA-F]{4})")
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>~\"'])")
# "[account]-2021-8-15-title.md", the naming used by html2text article collections.
_CONVENTION = re.compile(r"^\[(?P<account>[^\]]+)\]-(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"
                         r"-(?P<title>.+)$")
_NOT_ACCOUNTS = {"未分类", "uncategorized", "Uncategorized", "其他", "其它"}
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


def name_convention(path: Path) -> tuple[str | None, dt.date | None, str] | None:
    """(account, day, title) from a '[account]-YYYY-M-D-title.md' file name, else None; the day
    is None when the name's date is no day of the calendar (2021-13-45)."""
    m = _CONVENTION.match(path.stem)
    if not m:
        return None
    try:
        day: dt.date | None = dt.date(int(m["y"]), int(m["m"]), int(m["d"]))
    except ValueError:
        day = None
    account = m["account"].strip()
    return (None if account in _NOT_ACCOUNTS else account), day, html.unescape(m["title"]).strip()


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
