"""Format "html": any other article page → RawDoc, main content found by trafilatura.

trafilatura picks the article out of the page chrome (navigation, comments, footers) and reads
its metadata (title, author, date, canonical URL, description); the content comes back as plain
HTML that html_to_md then converts and sanitises like every other HTML body.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Iterator

from generator.clean.html_to_md import parse
from generator.clean.urls import clean_url, safe_url
from generator.errors import InputError
from generator.meta import dates
from generator.sources import RawDoc, decode
from generator.sources.wechat import adapter as wechat_html

EXTENSIONS = {".html", ".htm", ".xhtml", ".shtml"}


def sniff(path: Path, data: bytes) -> bool:
    """An HTML page (by extension or by its opening tags) that is not a WeChat page."""
    head = data[:4096].decode("utf-8", "ignore").lstrip("\ufeff \t\r\n")
    looks_html = bool(re.match(r"<(!doctype\s+html|html|head|body|meta|!--)", head, re.I))
    if path.suffix.lower() not in EXTENSIONS and not looks_html:
        return False
    return not wechat_html.sniff(path, data)


def read(path: Path, data: bytes) -> Iterator[RawDoc]:
    """One HTML page → one RawDoc with the extracted article body as HTML."""
    try:
        import trafilatura
    except ImportError:
        raise InputError("reading a non-WeChat HTML page needs the 'extract' extra", path,
                         hint="pip install 'wenji[extract]', then import this file again") from None

    text = decode(data)
    if not text.strip():
        raise InputError("empty file", path)
    base = _canonical(text)
    meta = trafilatura.extract_metadata(text, default_url=base)
    body = trafilatura.extract(text, url=base, output_format="html", include_images=True,
                               include_links=True, include_tables=True, include_formatting=True,
                               include_comments=False, favor_precision=True)
    title = (meta.title if meta else None) or _title(text)
    extracted = parse(body or "")
    if len(extracted.get_text(strip=True)) < 20 and extracted.find("img") is None:
        raise InputError("no article text found in this HTML page", path,
                         hint="if it is a WeChat page, try --format wechat-html")
    url = safe_url(meta.url if meta else None, schemes=("http", "https")) or base
    head = parse(text[:200_000])
    yield RawDoc(
        input=str(path), format="html", title=title,
        date=_published(head) or _date(meta.date if meta else None),
        account=(meta.sitename if meta else None) or None,
        author=(meta.author if meta else None) or _meta(head, "author"),
        url=clean_url(url) if url else None, summary=(meta.description if meta else None),
        cover=safe_url(meta.image if meta else None, schemes=("http", "https")),
        tags=[t for t in (meta.tags if meta else []) or [] if t][:20],
        html=_without_title(body, title),
    )


def _canonical(text: str) -> str | None:
    soup = parse(text[:200_000])
    for el, attr in ((soup.find("link", rel="canonical"), "href"),
                     (soup.find("meta", property="og:url"), "content")):
        url = safe_url(el.get(attr) if el else None, schemes=("http", "https"))
        if url and url.startswith("http"):
            return url
    return None


def _title(text: str) -> str | None:
    soup = parse(text[:200_000])
    el = soup.find("h1") or soup.title
    return el.get_text(" ", strip=True) or None if el else None


def _meta(soup, key: str) -> str | None:
    el = soup.find("meta", attrs={"name": key}) or soup.find("meta", attrs={"property": key})
    value = (el.get("content") or "").strip() if el else ""
    return value or None


def _published(soup) -> dt.datetime | None:
    """The publication time when the page states it with a timezone (article:published_time)."""
    for key in ("article:published_time", "og:published_time", "datePublished", "pubdate"):
        value = _meta(soup, key)
        when = dates.zoned(value) if value else None
        if when:
            return when
    return None


def _date(value: str | None) -> dt.date | None:
    """The day a metadata value states (its time, if any, is not trusted: no zone)."""
    when = dates.parse(value) if value else None
    return when.date() if isinstance(when, dt.datetime) else when


def _without_title(body: str, title: str | None) -> str:
    """The extracted HTML minus a leading heading that repeats the title."""
    soup = parse(body)
    root = soup.body or soup
    first = root.find(True)
    if title and first is not None and first.name in ("h1", "h2") and \
            first.get_text(" ", strip=True) == title.strip():
        first.decompose()
    return "".join(str(c) for c in root.contents)
