"""Format "wechat-html": saved WeChat article pages (raw fetched 2017–2025, browser-saved) → RawDoc.

The body is the `#js_content` element, handed over as HTML for html_to_md; text and image share
posts (item_show_type 10 / 8) keep theirs in `window.cgiDataNew`, rebuilt here as simple HTML.
A trailing `来源：X` credit becomes `source`. HTTP-200 error pages (deleted, removed for
violation, unavailable…) and account profile pages are reported as not articles. A page saved
with its 'NAME_files/' folder gets `assets_dir`, and `extra["image_files"]` maps each image URL
to its saved copy (see generator.clean.images).
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Iterator

from bs4 import BeautifulSoup, NavigableString, Tag

from generator.clean.html_to_md import is_hidden, local_src, parse
from generator.clean.images import local_files
from generator.errors import InputError
from generator.meta import wechat
from generator.meta.extract import text_lines
from generator.model.rawdoc import Clue

METADATA_SOURCE = "page data"
from generator.sources import RawDoc, decode
from generator.sources.wechat.page import Page, clean_text, node_text

EXTENSIONS = {".html", ".htm", ".xhtml", ".shtml"}
_OTHER_FORMATS = {".md", ".markdown", ".txt", ".json", ".jsonl", ".csv"}
_MARKERS = re.compile(r"mp\.weixin\.qq\.com|rich_media_|js_content|msg_title|mmbiz\.qpic\.cn|"
                      r"res\.wx\.qq\.com|weui-msg|mesg-block|cgiData|该内容暂时无法查看")
_SHARE_TYPES = {"5", "7", "8", "10", "17"}
_NOT_ARTICLE = (
    (r"已被发布者删除|已被作者删除|该内容已删除|has been deleted|deleted by the (author|publisher)",
     "deleted page"),
    (r"因违规无法查看|违反.{0,30}(规定|规范)|涉嫌违规|violat", "removed for violation"),
    (r"被投诉|侵权|infring", "removed after a complaint"),
    (r"帐号已被屏蔽|账号已被屏蔽|帐号已自主注销|账号已自主注销|account (has been )?(blocked|banned|closed)",
     "account closed or blocked"),
    (r"已迁移|has been migrated", "account migrated"),
    (r"环境异常|完成验证后即可继续访问|去验证|verif(y|ication)|captcha", "verification page (captcha)"),
    (r"暂时无法查看|无法查看|unavailable|cannot be viewed|can't be viewed|unable to view",
     "content unavailable"),
)
_ERROR_BOXES = ("weui-msg__title", "weui-msg__desc", "global_error_msg", "mesg-block",
                "msg_content", "weui-msg")
_CREDIT = re.compile(r"^\s*(?:本文|文章|内容|图文|稿件)?(?:来源|来自|转自|转载自|出处)\s*[:：丨|｜/]\s*"
                     r"(.{1,40}?)\s*[。.]?\s*$")


def sniff(path: Path, data: bytes) -> bool:
    """A saved WeChat page: HTML whose first 64 KB carry WeChat markers."""
    suffix = path.suffix.lower()
    if suffix in _OTHER_FORMATS:
        return False
    head = data[:65536].decode("utf-8", "ignore")
    if suffix not in EXTENSIONS and not head.lstrip("\ufeff \t\r\n").startswith("<"):
        return False
    if not re.search(r"<(!doctype|html|head|body|div|meta)\b", head, re.I):
        return False
    return bool(_MARKERS.search(head))


def read(path: Path, data: bytes) -> Iterator[RawDoc]:
    """One saved WeChat page → one RawDoc (an article or a not-article)."""
    text = decode(data)
    if not text.strip():
        raise InputError("empty file", path)
    if not re.search(r"</(html|body)\s*>", text, re.I):
        raise InputError("truncated HTML page (it ends before </html>)", path,
                         hint="save or download the page again")
    soup = parse(text)
    page = Page(soup, text)
    raw = RawDoc(input=str(path), format="wechat-html", title=page.title(), date=page.date(),
                 account=page.account(), account_id=page.account_id(), author=page.author(),
                 url=page.url(), summary=page.summary(), cover=page.cover(), tags=page.tags(),
                 warnings=page.warnings)
    raw.clues += _header_clues(soup, text)
    ids = page.ids()
    raw.identity = wechat.identity(*ids) if ids else None
    profile = _profile_page(soup, raw.title)
    body = None if profile else _body(page, raw)
    if body is None:
        raw.not_article = profile or _error_reason(soup)
        if raw.not_article is None:
            raise InputError("no article content found in this WeChat page", path,
                             hint="the page may be incomplete; save it again")
        raw.summary = raw.cover = None
        yield raw
        return
    raw.html = body
    raw.assets_dir = _assets_dir(path, soup)
    if raw.assets_dir is not None:
        files = local_files(body)
        if files:
            raw.extra["image_files"] = files
    yield raw


def _profile_page(soup: BeautifulSoup, title: str | None) -> str | None:
    if soup.find(id="js_content") is not None:
        return None
    text = soup.get_text(" ")
    if title == "关于公众号" or soup.find(class_="about-page") or \
            ("公众号简介" in text and "基础信息" in text):
        return "account profile page"
    return None


def _error_reason(soup: BeautifulSoup) -> str | None:
    found = soup.find_all(class_=_ERROR_BOXES) + soup.find_all(id="js_error_msg")
    boxes = " ".join(el.get_text(" ", strip=True) for el in found)
    title = soup.title.get_text(" ", strip=True) if soup.title else ""
    for text in (boxes, title, _visible_text(soup)[:3000]):
        for pattern, reason in _NOT_ARTICLE:
            if text and re.search(pattern, text, re.I):
                return reason
    return None


def _visible_text(soup: BeautifulSoup) -> str:
    body = soup.body or soup
    parts = []
    for s in body.find_all(string=True):
        parent = s.parent
        if parent is None or parent.name in ("script", "style", "noscript", "template"):
            continue
        if any(isinstance(p, Tag) and is_hidden(p) for p in s.parents):
            continue
        parts.append(str(s))
    return re.sub(r"\s+", " ", " ".join(parts))


def _has_content(el: Tag) -> bool:
    return bool(el.get_text(strip=True)) or el.find("img") is not None


def _body(page: Page, raw: RawDoc) -> str | None:
    """The article HTML, or None when the page holds no article."""
    content = page.soup.find(id="js_content")
    if page.show_type() in _SHARE_TYPES or content is None or not _has_content(content):
        shared = _share_html(page, raw)
        if shared is not None:
            return shared
    if content is None or not _has_content(content):
        noencode = page.cgi.get("content_noencode")
        if isinstance(noencode, str) and "<" in noencode and page.show_type() == "0":
            content = parse(noencode)
        else:
            return None
    raw.source = _take_credit(content)
    return "".join(str(c) for c in content.contents)


def _share_html(page: Page, raw: RawDoc) -> str | None:
    """Body of a text/image share post, rebuilt from its cgiDataNew text and pictures."""
    cgi = page.cgi
    text_info = cgi.get("text_page_info") if isinstance(cgi.get("text_page_info"), dict) else {}
    candidates = (cgi.get("content_noencode"), text_info.get("content_noencode"),
                  text_info.get("content"), page.js.string("desc"))
    text = next((c for c in candidates if isinstance(c, str) and c.strip()), "")
    pictures = page.js.value("picture_page_info_list") or cgi.get("picture_page_info_list") or []
    urls = [p.get("cdn_url") for p in pictures if isinstance(p, dict) and p.get("cdn_url")]
    if not text.strip() and not urls:
        return None
    digest, body = clean_text(raw.summary) or "", clean_text(html.unescape(text)) or ""
    if digest and body and (body.startswith(digest[:40].rstrip("…. ")) or digest.startswith(body)):
        raw.summary = None  # a share post's digest is its whole text
    if not raw.title:
        raw.title = node_text(page.soup, "#js_text_title")
    parts = [f'<p><img src="{html.escape(u, quote=True)}"></p>' for u in urls]
    for para in re.split(r"\n\s*\n", text.replace("\r", "")):
        if para.strip():
            para = html.escape(html.unescape(para.strip()))
            parts.append("<p>" + para.replace("\n", "<br>") + "</p>")
    return "\n".join(parts)


def _take_credit(content: Tag) -> str | None:
    """Remove a trailing `来源：X` credit from the body and return X."""
    strings = [t for t in content.find_all(string=True)
               if t.strip() and t.parent is not None and t.parent.name not in ("script", "style")]
    after = 0
    for t in reversed(strings):
        if after > 80:
            return None
        block = t.parent
        for _ in range(4):  # the credit's own element, or a small wrapper of it
            if block is None or block is content:
                break
            text = block.get_text(strip=True)
            m = _CREDIT.match(text)
            if m and not is_hidden(block):
                block.decompose()
                return re.sub(r"^[《「“]|[》」”]$", "", m.group(1)).strip() or None
            if len(text) > 60:
                break
            block = block.parent
        after += len(t.strip())
    return None


def _assets_dir(path: Path, soup: BeautifulSoup) -> Path | None:
    """The browser's 'NAME_files' folder saved next to the page, if it is there."""
    if not path.is_file():
        return None
    folders = []
    for img in soup.find_all("img"):
        m = re.match(r"^(?:\./)?([^/]+_files)/", local_src(img) or "")
        if m:
            folders.append(m.group(1))
    for name in [*dict.fromkeys(folders), path.stem + "_files"]:
        candidate = path.parent / name
        if candidate.is_dir():
            return candidate
    return None


def _header_clues(soup: BeautifulSoup, text: str) -> list[Clue]:
    """What the page shows above the article for the extractor: its title element, first
    heading, and the text lines between <body> and the article (labelled lines, bylines)."""
    clues = [Clue("title", clean_text(el.get_text(" ")), "page header")
             for el in (soup.find("h1"), soup.title) if el is not None]
    start, end = text.find("<body"), text.find('id="js_content"')
    if 0 <= start < end:
        clues += [Clue(None, line, "page header") for line in text_lines(text[start:end][-4000:])
                  if line]
    return clues
