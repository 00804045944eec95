"""STAGE 1 adapter "text": page-text dumps of WeChat article pages (and plain .txt) → RawDoc.

A dump is the whole text of a saved page, optionally stored as a Python-repr string behind
`text:`: title, account name, 微信号 + id, 功能介绍 + description, date, the article's text,
then the page's scripts and UI strings. Newer dumps start with the page's scripts, which also
carry the article's metadata (see text_script). Any other .txt is read as plain text.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from generator.errors import InputError
from generator.model.article import CHINA_TZ
from generator.sources import RawDoc, decode, undecodable
from generator.sources.text.literal import WRAPPED, unwrap
from generator.sources.text.body import (cut_body, is_chrome, is_end, shape, squash,
                                         to_markdown)
from generator.meta import dates
from generator.meta.wechat import article_url, url_identity
from generator.sources.text.script import PageScript, error_fields, read_script

FORMAT = "text"
METADATA_SOURCE = "page data"
# Error pages served with HTTP 200 instead of an article, by reason.
_ERRORS = {
    "deleted page": ("该内容已被发布者删除", "此内容已被发布者删除", "该文章已被发布者删除",
                     "The content has been deleted by the author."),
    "removed for violation": ("此内容因违规无法查看", "该内容因违规无法查看",
                              "此内容被多人投诉，相关的内容无法进行查看。", "此帐号已被屏蔽, 内容无法查看",
                              "Unable to view this content because it violates regulation."),
    "content unavailable": ("该内容暂时无法查看", "此内容无法查看", "该公众号已迁移",
                            "此帐号已自主注销，内容无法查看", "内容已过期", "该内容已过期"),
    "verification page (captcha)": ("当前环境异常，完成验证后即可继续访问。", "环境异常"),
}
_CJK_CHAR = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
_PROFILE_MARKS = ("公众号简介", "基础信息", "认证类型", "认证主体", "帐号主体", "账号主体")
_META_SKIP = re.compile(r"^(原创|Original|发表于|收录于合集|收录于话题|#.*|\d*\s*个|以下文章来源于.*|"
                        r"[\u4e00-\u9fff]{0,4}\s*(编辑|作者|责编|审核|校对)\s*[：:|｜].*)$")


@dataclass
class Header:
    """What the page's header block says about the article."""

    title: str | None = None
    date: dt.date | dt.datetime | None = None
    account: str | None = None
    account_id: str | None = None
    author: str | None = None
    description: str | None = None
    source: str | None = None
    end: int = 0
    """Index (into the non-empty lines) of the first line after the header."""
    tags: list[str] = field(default_factory=list)


def sniff(path: Path, data: bytes) -> bool:
    """A `text:'...'` dump, a .txt file, or text with the 微信号/功能介绍 header shape."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if WRAPPED.match(head.decode("latin-1")):
        return True
    if path.suffix.lower() in (".txt", ".text"):
        return True
    text = head.decode("utf-8", errors="ignore")
    return "微信号" in text and "功能介绍" in text and b"\x00" not in head


def read(path: Path, data: bytes) -> Iterator[RawDoc]:
    """Read one dump (or several `text:` records, one per line) into RawDocs."""
    if not data.strip(b"\xef\xbb\xbf \t\r\n"):
        raise InputError("empty file: no text to import", path)
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError("binary file, not a text dump", path, hint="check the file type")
    raw = decode(data)
    if raw.count("\ufffd") > max(3, len(raw) // 100):
        raise undecodable(data, path)
    records = unwrap(raw)
    for n, (line, text) in enumerate(records, 1):
        text = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
        try:
            doc = page_doc(text, str(path))
        except RecursionError as exc:  # pathological nesting in a hostile file
            raise InputError("text too deeply nested to read", path, line) from exc
        if len(records) > 1:
            doc.record = n
        yield doc


def _date(line: str) -> dt.date | dt.datetime | None:
    """The date a line states when the line is nothing but a date (the page's date line)."""
    if len(line) > 48 or not line[:1].isdigit():
        return None
    found = dates.find(line)
    return found.value if found and found.start == 0 and found.end == len(line.rstrip()) else None


def _not_article(lines: list[str], ps: PageScript) -> str | None:
    """The reason this page is not an article (error or profile page), or None."""
    if ps.title:
        return None
    keys = {s.replace(" ", "").replace("\t", "") for s in lines if len(s) < 80}
    for reason, phrases in _ERRORS.items():
        # An article (its profile card says 功能介绍) may quote an error message on a line.
        if "功能介绍" not in keys and any(re.sub(r"\s+", "", p) in keys for p in phrases):
            return reason
    if "公众号简介" in keys or sum(m in keys for m in _PROFILE_MARKS) >= 2:
        return "account profile page"
    return None


def parse_header(lines: list[str], start: int, ps: PageScript) -> Header:
    """Read the header block that begins at LINES[START] (the line after the title)."""
    h = Header(end=start)
    window = lines[start:start + 40]
    labels = [i for i, s in enumerate(window) if s in ("微信号", "功能介绍")]
    known = {v for v in (ps.account, ps.author) if v}
    if labels:
        wx = window.index("微信号") if "微信号" in window else None
        fn = window.index("功能介绍") if "功能介绍" in window else None
        first = min(labels)
        pre = window[:first]
        if first > 0:
            h.account = window[first - 1]
            pre = window[:first - 1]
        if wx is not None and wx + 1 < len(window) and window[wx + 1] not in ("功能介绍",):
            h.account_id = window[wx + 1]
        last = max(labels)
        if fn is not None and fn + 1 < len(window) and not _date(window[fn + 1]):
            h.description = window[fn + 1]
            last = fn + 1
        elif fn is not None:
            last = fn
        elif wx is not None:
            last = wx + 1
        authors = []
        for s in pre:
            if _date(s) and not h.date:
                h.date = _date(s)
            elif s not in (h.account, "原创") and not _date(s):
                authors.append(re.sub(r"^(原创|作者)\s*[：:]?\s*", "", s))
        authors = [a for a in dict.fromkeys(authors) if a and a != h.account]
        if len(authors) == 1 and len(authors[0]) <= 30:
            h.author = authors[0]
        i = last + 1
    else:
        i = 0
    # Trailing header lines: date, 原创/发表于 marks, 收录于合集 tags, the account/author again.
    while i < len(window) and i < 12 + (last + 1 if labels else 0):
        s = window[i]
        if _date(s):
            h.date = h.date or _date(s)
        elif s in known or s == h.account:
            pass
        elif _META_SKIP.match(s):
            m = re.match(r"^以下文章来源于\s*(.+?)\s*(?:[，,]\s*作者\s*(.+))?$", s)
            if m:  # a repost card: the origin account's name follows on its own line
                h.source, h.author = h.source or m.group(1), h.author or m.group(2)
                known.add(m.group(1))
            h.tags += [t for t in re.findall(r"#\s*([^#\s]+)", s) if t]
        elif is_end(s) or not is_chrome(s):
            break
        i += 1
    h.end = start + i
    return h


def page_doc(text: str, name: str) -> RawDoc:
    """One page text → RawDoc (article, or not-article with its reason)."""
    doc = RawDoc(input=name, format=FORMAT)
    ps = read_script(text)
    lines = [s for s in (squash(x) for x in _reflow(text, ps).split("\n")) if s]
    reason = _not_article(lines, ps)
    if reason:
        doc.not_article = reason
        doc.account, doc.account_id = error_fields(text) if reason != "account profile page" \
            else (None, _profile_id(lines))
        return doc
    title_at = _title_line(lines, ps)
    h = parse_header(lines, title_at + 1, ps) if title_at is not None else Header()
    body = cut_body(lines[h.end:]) if title_at is not None or not ps.title else []
    doc.title = ps.title or (lines[title_at] if title_at is not None else None)
    doc.account = ps.account or h.account
    doc.account_id = ps.alias or h.account_id or ps.user_name
    doc.author = ps.author or h.author
    doc.date = ps.date or h.date
    doc.url = article_url(ps.link)
    doc.identity = ps.identity or url_identity(doc.url)
    doc.found.update({name: "page data" if script else "page header" for name, script in (
        ("title", ps.title), ("account", ps.account), ("author", ps.author), ("date", ps.date))
        if getattr(doc, name)})
    doc.cover = ps.cover
    doc.tags = list(dict.fromkeys(ps.tags + h.tags))
    if h.description:
        doc.extra["account_description"] = h.description
    content = ps.content or ""
    if content.lstrip().startswith("<") and ps.show_type in (None, "0"):
        doc.html = content
        doc.source = h.source
        return doc
    if not body and content:
        blocks, credit = shape(content.split("\n"), find_headings=False)
        pictures = ps.pictures if ps.show_type == "8" else []
        doc.markdown = to_markdown(blocks, pictures)
        if ps.desc and not re.sub(r"\s+", "", content).startswith(re.sub(r"\s+", "", ps.desc)):
            doc.summary = ps.desc
    else:
        blocks, credit = shape(body)
        doc.markdown = to_markdown(blocks)
        doc.summary = ps.desc
    doc.source = credit or h.source
    if not doc.markdown and not doc.title:
        raise InputError("no article text found in this dump", name)
    return doc


def _title_line(lines: list[str], ps: PageScript) -> int | None:
    """Index of the line that holds the title (the page's first text line for old dumps)."""
    if ps.title:
        want = re.sub(r"\s+", "", ps.title)
        found = [i for i, s in enumerate(lines) if re.sub(r"\s+", "", s) == want]
        # The title also heads the comment box in some pages: take the one the header follows.
        marks = {"微信号", "原创", ps.account, ps.author}
        for i in found:
            if any(s in marks or _date(s) for s in lines[i + 1:i + 8]):
                return i
        return found[0] if found else None
    for i, s in enumerate(lines):
        if not is_chrome(s):
            return i if len(s) <= 120 else None
    return None


def _reflow(text: str, ps: PageScript) -> str:
    """Plain text hard-wrapped into blank-line-separated paragraphs → one line per paragraph.

    Page dumps (header block, scripts) keep their lines: there each line is a page block.
    """
    head = text[:4096]
    if ps.title or "微信号" in head or "功能介绍" in head or "\n\n" not in text.strip():
        return text
    groups = [[squash(x) for x in g.split("\n") if x.strip()] for g in re.split(r"\n\s*\n", text)]
    sizes = [len(x) + len(_CJK_CHAR.findall(x)) for g in groups for x in g]  # display width
    if not sizes or max(sizes) > 120 or sum(len(g) > 1 for g in groups) < len(groups) / 2 \
            or sum(n >= 0.6 * max(sizes) for n in sizes) < 0.6 * len(sizes):
        return text
    return "\n".join(_join_wrapped(g) for g in groups if g)


def _join_wrapped(lines: list[str]) -> str:
    """Join hard-wrapped lines: no space between CJK characters, one space otherwise."""
    out = lines[0]
    for line in lines[1:]:
        cjk = _CJK_CHAR.match(out[-1:]) and _CJK_CHAR.match(line[:1])
        out += ("" if cjk else " ") + line
    return out


def _profile_id(lines: list[str]) -> str | None:
    """The 微信号 a profile page shows."""
    for a, b in zip(lines, lines[1:]):
        if a == "微信号" and re.fullmatch(r"[A-Za-z][\w-]{3,}", b):
            return b
    return None
