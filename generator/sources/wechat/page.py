"""Metadata of a saved WeChat page, read from its inline JS, its header HTML and its meta tags.

Every era keeps the same facts in different places: 2017 browser-saved copies in the header
(`#activity-name`, `#post-date`, `#post-user`, the profile card with 微信号), raw 2018–2025 pages in
`var msg_title`, `var ct`, `window.alias`…, share posts in `window.cgiDataNew`. Each reader here
tries them newest first and returns None when the page does not say.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import Any

from bs4 import BeautifulSoup

from generator.clean.urls import clean_url, safe_url
from generator.meta import dates, wechat
from generator.sources.wechat.js import Scripts, decode_string

_SAVED_FROM = re.compile(r"<!--\s*saved from url=\(\d+\)\s*(\S+?)\s*-->", re.I)


def clean_text(value: Any) -> str | None:
    """A metadata string with entities decoded and whitespace collapsed, or None."""
    if value is None or isinstance(value, (dict, list, bool)):
        return None
    text = str(value)
    if re.search(r"\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4})", text):
        text = decode_string(text)
    if re.search(r"&(#?\w+);", text):
        text = html.unescape(text)
    text = re.sub(r"\s+", " ", text).strip()
    return text or None


def first(*values: Any) -> str | None:
    """The first value that is a non-blank string after cleaning."""
    for v in values:
        text = clean_text(v)
        if text:
            return text
    return None


def find(soup: Any, selector: str) -> Any:
    """First element for a simple selector: `#id`, `.class` or a tag name."""
    if selector.startswith("#"):
        return soup.find(id=selector[1:])
    if selector.startswith("."):
        return soup.find(class_=selector[1:])
    return soup.find(selector)


def node_text(soup: BeautifulSoup, selector: str) -> str | None:
    """Visible text of the first element matching a simple selector."""
    el = find(soup, selector)
    return clean_text(el.get_text(" ", strip=True)) if el else None


def meta(soup: BeautifulSoup, key: str) -> str | None:
    """content of <meta property=KEY> or <meta name=KEY>."""
    el = soup.find("meta", attrs={"property": key}) or soup.find("meta", attrs={"name": key})
    return clean_text(el.get("content")) if el else None


def saved_from(text: str) -> str | None:
    """The original address in a browser's `<!-- saved from url=(N)… -->` comment."""
    m = _SAVED_FROM.search(text[:4096])
    return m.group(1) if m else None


class Page:
    """One parsed WeChat page: soup, script index and the cgiDataNew object (if any)."""

    def __init__(self, soup: BeautifulSoup, text: str):
        self.soup = soup
        self.text = text
        self.js = Scripts("\n".join(s.get_text() for s in soup.find_all("script")
                                    if not s.get("src")))
        self.cgi: dict = {}
        self.warnings: list[str] = []
        """What was left out while reading (an overflowing `ct`…), for RawDoc.warnings."""
        for name in ("cgiData", "cgiDataNew"):  # the newer object wins
            found = self.js.value(name)
            if isinstance(found, dict):
                self.cgi.update({k: v for k, v in found.items() if v not in (None, "")})

    def var(self, name: str) -> str | None:
        return clean_text(self.js.string(name))

    def show_type(self) -> str:
        return first(self.var("item_show_type"), self.cgi.get("item_show_type")) or "0"

    def title(self) -> str | None:
        return first(self.var("msg_title"), meta(self.soup, "og:title"),
                     node_text(self.soup, "#activity-name"), node_text(self.soup, "#js_text_title"),
                     node_text(self.soup, ".rich_media_title"), self.cgi.get("title"),
                     self.var("title") if self.show_type() != "0" else None)

    def date(self) -> dt.date | dt.datetime | None:
        for v in (self.var("ct"), self.var("create_time"), self.cgi.get("ori_create_time"),
                  self.var("publish_time") if (self.var("publish_time") or "").isdigit() else None):
            when = dates.timestamp(v) if v and str(v).isdigit() else None
            if when:
                return when
            if v and str(v).isdigit() and len(str(v)) > 8:
                note = f"timestamp {str(v)[:40]} is out of range; not used"
                self.warnings += [note] if note not in self.warnings else []
        for v in (node_text(self.soup, "#publish_time"), node_text(self.soup, "#post-date"),
                  self.var("publish_time"), self.cgi.get("create_time")):
            d = dates.parse(v)
            if d:
                return d
        return None

    def account(self) -> str | None:
        return first(self.var("nickname"), self.cgi.get("nick_name"),
                     node_text(self.soup, "#js_name"), node_text(self.soup, "#post-user"),
                     node_text(self.soup, ".profile_nickname"),
                     node_text(self.soup, ".wx_follow_nickname"))

    def account_id(self) -> str | None:
        alias = first(self.var("alias"), self.cgi.get("alias"), self._profile("微信号"))
        if alias and re.fullmatch(r"[A-Za-z][\w\-]{3,}", alias):
            return alias
        return first(self.var("user_name"), self.cgi.get("user_name"))

    def _profile(self, label: str) -> str | None:
        for lab in self.soup.find_all(class_="profile_meta_label"):
            if lab.get_text(strip=True) == label:
                value = lab.find_next_sibling(class_="profile_meta_value")
                return clean_text(value.get_text()) if value else None
        return None

    def author(self) -> str | None:
        found = first(self.var("author"), self.cgi.get("author"), meta(self.soup, "author"),
                      meta(self.soup, "og:article:author"), node_text(self.soup, "#js_author_name"))
        if found:
            return found
        header = find(self.soup, "#meta_content") or find(self.soup, ".rich_media_meta_list")
        for el in header.find_all(class_="rich_media_meta_text") if header else ():
            if el.get("id") or el.find_parent(id="js_profile_qrcode"):
                continue
            text = clean_text(el.get_text(" ", strip=True))
            if text and dates.find(text) is None and text != self.account() and len(text) <= 30:
                return text
        return None

    def ids(self) -> tuple[str, str, str] | None:
        biz = first(self.var("biz"), self.cgi.get("bizuin"))
        mid = first(self.var("mid"), self.var("appmsgid"), self.cgi.get("mid"))
        idx = first(self.var("idx"), self.cgi.get("idx"))
        if biz and mid and idx:
            return biz, mid, idx
        for u in (self.var("msg_link"), meta(self.soup, "og:url"), saved_from(self.text)):
            found = wechat.ids(u)
            if found:
                return found
        return None

    def url(self) -> str | None:
        for u in (self.var("msg_link"), meta(self.soup, "og:url"), self.cgi.get("link"),
                  saved_from(self.text)):
            u = safe_url(clean_text(u), schemes=("http", "https"))
            if u and re.match(r"https?://", u):
                return clean_url(u)
        ids, sn = self.ids(), first(self.var("sn"), self.cgi.get("sn"))
        return wechat.build_url(*ids, sn) if ids else None

    def summary(self) -> str | None:
        return first(self.var("msg_desc"), meta(self.soup, "og:description"),
                     meta(self.soup, "description"), self.cgi.get("desc"))

    def cover(self) -> str | None:
        for u in (self.var("msg_cdn_url"), self.cgi.get("cdn_url"), meta(self.soup, "og:image")):
            u = safe_url(clean_text(u), schemes=("http", "https"))
            if u and re.match(r"https?://", u):
                return u
        return None

    def tags(self) -> list[str]:
        names: list[Any] = []
        for t in (self.cgi.get("public_tag_info") or {}).get("tags") or []:
            names.append(t.get("tag_name") if isinstance(t, dict) else None)
        for key in ("cgiData.topics",):
            for t in self.js.value(key) or []:
                names.append(t.get("tag_name") if isinstance(t, dict) else None)
        albums = self.cgi.get("appmsgalbuminfo") or self.js.value("appmsgalbuminfo") or []
        for a in albums if isinstance(albums, list) else [albums]:
            names.append(a.get("title") if isinstance(a, dict) else None)
        for t in (self.cgi.get("hashtags") or {}).get("hashtag") or []:
            names.append(t.get("name") or t.get("hashtag") if isinstance(t, dict) else t)
        box = find(self.soup, "#js_tags")
        items = self.soup.find_all(class_="article-tag__item") or (box.find_all("a") if box else [])
        for el in items:
            names.append(el.get_text(" ", strip=True))
        for s in self.soup.find_all(string=re.compile("收录于")):
            el = s.parent
            if el is None or el.name in ("script", "style") or el.find_parent(id="js_content"):
                continue
            box = el.find_parent(id="js_tags") or el.parent or el
            m = re.search(r"收录于(?:合集|话题)\s*((?:#\S+\s*)+)", box.get_text(" "))
            names.extend(m.group(1).split() if m else [])
        out: list[str] = []
        for n in names:
            n = clean_text(n)
            n = re.sub(r"^#+|个$|\s*\d+\s*个?$", "", n or "").strip() if n else None
            if n and n not in out and len(n) <= 40:
                out.append(n)
        return out
