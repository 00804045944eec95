"""Format "feed": an RSS 2.0 or Atom feed → one RawDoc per item.

WeChat-to-RSS services write the account as the channel title (sometimes with the service's
name after a bar: `机核 | wechat-feeds`), one item per article with its title, link (an
mp.weixin URL or the mirror's own page), date, and as body the full article HTML, a ~100
character digest, or only the title again. Only items that carry the article's text are
articles; an item with nothing but its title or a digest is reported as not an article (the
summary line says which), as is a service's own notice in the feed (`⚠ 订阅已暂停更新`).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Iterator

from generator.clean.urls import safe_url
from generator.errors import InputError
from generator.meta import dates, wechat
from generator.model.rawdoc import RawDoc
from generator.sources import decode

EXTENSIONS = {".xml", ".rss", ".atom"}
METADATA_SOURCE = "front matter"  # a feed states its fields for machines, as front matter does
_NS = {"atom": "http://www.w3.org/2005/Atom", "content": "http://purl.org/rss/1.0/modules/content/",
       "dc": "http://purl.org/dc/elements/1.1/"}
_A = "{%s}" % _NS["atom"]
_ROOT = re.compile(rb"<(rss|feed|rdf:RDF)[\s>]")
_SERVICE_SUFFIX = re.compile(r"(?:\s*[|｜]|\s+[-–—]\s)\s*[^|｜]*(?i:feed|rss|atom)[^|｜]*$")
_NOTICE = re.compile(r"(?i)(^|[^a-z])(notice|announcement)([^a-z]|$)")
_WARNING = re.compile(r"^\s*[⚠❗❌🚫]")
_TAGS = re.compile(r"<[^>]+>")
_STRUCTURE = re.compile(r"(?i)<(p|div|section|img|br|h[1-6]|li|blockquote|table|figure)\b")
_DIGEST_CHARS = 300
"""A body under this many characters of text and without any markup is a digest."""


def sniff(path: Path, data: bytes) -> bool:
    """An XML document whose root is an RSS or Atom feed."""
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith(b"<") and bool(_ROOT.search(data[:4096])) and (
        path.suffix.lower() in EXTENSIONS or head.startswith((b"<?xml", b"<rss", b"<feed")))


def read(path: Path, data: bytes) -> Iterator[RawDoc]:
    """Every item (entry) of the feed as a RawDoc; items without the article text are marked."""
    if b"<!ENTITY" in data[:65536]:
        raise InputError("feed declares XML entities; not read", path,
                         hint="a feed needs no entity declarations: remove the DOCTYPE")
    try:
        root = ET.fromstring(decode(data).lstrip("\ufeff"))
    except ET.ParseError as exc:
        raise InputError(f"not well-formed XML: {exc}", path, line=exc.position[0]) from None
    atom = root.tag == _A + "feed"
    channel = root if atom else root.find("channel")
    if channel is None:
        channel = root
    account = _account(_text(channel, "atom:title" if atom else "title"))
    items = channel.findall("atom:entry", _NS) if atom else root.iter("item")
    for k, item in enumerate(items, 1):
        yield _item(path, k, item, account, atom)


def _item(path: Path, k: int, item: ET.Element, account: str | None, atom: bool) -> RawDoc:
    title = _text(item, "atom:title" if atom else "title")
    link = _link(item, atom)
    guid = _text(item, "atom:id" if atom else "guid") or ""
    author = _text(item, "atom:author/atom:name") if atom else (
        _text(item, "author") or _text(item, "dc:creator"))
    when = next((d for d in (dates.parse(_text(item, tag)) for tag in (
        ("atom:published", "atom:updated") if atom else ("pubDate", "dc:date"))) if d), None)
    bodies = [_text(item, tag) or "" for tag in (
        ("atom:content", "atom:summary") if atom else ("content:encoded", "description"))]
    plains = [_plain(b) for b in bodies]
    at = max(range(len(bodies)), key=lambda i: len(plains[i]))
    body = bodies[at]
    raw = RawDoc(input=str(path), format="feed", record=k, title=title, date=when,
                 account=account, author=author if author and author != account else None,
                 url=wechat.article_url(link) or link)
    raw.not_article = _not_article(title, body, plains[at], link, guid)
    if not raw.not_article:
        raw.html = body
        digest = plains[-1]
        if at != len(bodies) - 1 and digest and len(digest) < _DIGEST_CHARS:
            raw.summary = digest  # the account's digest, as a list response gives it
    return raw


def _not_article(title: str | None, body: str, text: str, link: str | None,
                 guid: str) -> str | None:
    if _WARNING.match(title or "") or _NOTICE.search(guid) or _NOTICE.search(link or ""):
        return "feed service notice, not an article"
    if not text or re.sub(r"\W+", "", text) == re.sub(r"\W+", "", title or ""):
        return "feed item with its title only (no article text)"
    if len(text) < _DIGEST_CHARS and not _STRUCTURE.search(body):
        return "feed item with a digest only (no article text)"
    return None


def _account(title: str | None) -> str | None:
    return _SERVICE_SUFFIX.sub("", title).strip() or None if title else None


def _link(item: ET.Element, atom: bool) -> str | None:
    if atom:
        links = item.findall("atom:link", _NS)
        best = next((l for l in links if l.get("rel", "alternate") == "alternate"), None)
        href = best.get("href") if best is not None else None
    else:
        href = _text(item, "link")
        guid = item.find("guid")
        if not href and guid is not None and guid.get("isPermaLink", "true") == "true":
            href = (guid.text or "").strip()
    return safe_url(href, schemes=("http", "https")) if href else None


def _text(el: ET.Element, path: str) -> str | None:
    found = el.find(path, _NS)
    if found is None:
        return None
    if found.tag == _A + "content" and found.get("type") == "xhtml":
        value = "".join(ET.tostring(c, encoding="unicode") for c in found)
    else:
        value = found.text or ""
    return value.strip() or None


def _plain(html: str) -> str:
    return re.sub(r"\s+", " ", _TAGS.sub(" ", html)).strip()
