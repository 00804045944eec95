"""Every URL and output-path rule; URLs are root-relative paths without a leading slash."""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from urllib.parse import quote

SEGMENT_MAX = 60
"""Longest tag/account/slug segment, in characters (CJK takes 3 bytes of a 255-byte name)."""

_FOLD = re.compile(r"[\W_]+")

HOME = ""
ARCHIVE = "archive/"
TAGS = "tags/"
ACCOUNTS = "accounts/"
UNDATED = "undated/"
SEARCH = "search/"
FEED = "feed.xml"
SITEMAP = "sitemap.xml"
NOT_FOUND = "404.html"


def slugify(text: str) -> str:
    """Fold TEXT into a URL segment: Unicode letters and digits kept, everything else '-'."""
    folded = _FOLD.sub("-", unicodedata.normalize("NFKC", text).lower()).strip("-")
    return folded[:SEGMENT_MAX].rstrip("-")


def article_url(pattern: str, slug: str, day: dt.date | None) -> str:
    """The URL of an article from the article_url PATTERN (undated ones go under undated/)."""
    if day is None:
        return f"{UNDATED}{slug}/"
    url = (pattern.replace("{yyyy}", f"{day.year:04d}").replace("{mm}", f"{day.month:02d}")
           .replace("{dd}", f"{day.day:02d}").replace("{slug}", slug))
    url = re.sub(r"/{2,}", "/", url).strip("/")
    return url + "/" if "." not in url.rsplit("/", 1)[-1] else url


def year_url(year: int) -> str:
    return f"{year:04d}/"


def month_url(year: int, month: int) -> str:
    return f"{year:04d}/{month:02d}/"


def tag_url(segment: str) -> str:
    return f"{TAGS}{segment}/"


def account_url(segment: str) -> str:
    return f"{ACCOUNTS}{segment}/"


def feed_url(list_url: str) -> str:
    """The Atom feed beside a list page ('' → feed.xml, tags/x/ → tags/x/feed.xml)."""
    return f"{list_url}{FEED}"


def paged(url: str, number: int) -> str:
    """Page NUMBER (1-based) of the paginated list at URL."""
    return url if number <= 1 else f"{url}page/{number}/"


def output_path(url: str) -> str:
    """The file a URL is written to: directories get index.html."""
    return url + "index.html" if url == "" or url.endswith("/") else url


def url_of(path: str) -> str:
    """The URL of an output file path (inverse of output_path)."""
    if path == "index.html":
        return ""
    return path[: -len("index.html")] if path.endswith("/index.html") else path


@functools.lru_cache(maxsize=65536)
def encode(url: str) -> str:
    """Percent-encode a root-relative URL (non-ASCII segments stay readable in address bars)."""
    return quote(url, safe="/-._~!$&'()*+,;=:@")


def absolute(base_url: str, url: str) -> str:
    """The full URL of URL under BASE_URL (which ends with '/')."""
    return base_url + encode(url)


def root_prefix(base_path: str, page_url: str, relative: bool) -> str:
    """What to put in front of a root-relative URL in a link on PAGE_URL."""
    if not relative or page_url == NOT_FOUND:  # a 404 page is served at any depth
        return base_path
    depth = page_url.count("/")
    return "../" * depth if depth else "./"


def link(prefix: str, url: str) -> str:
    """A link to URL, given the page's root prefix."""
    return prefix + encode(url)
