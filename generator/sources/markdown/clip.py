"""Strip the chrome a web clipper (Obsidian Web Clipper) leaves around a WeChat article body.

Top: `![cover_image](url)` (→ cover), the byline `Original author [account](…) *2025年11月9日 21:26*`
(→ author, account, date; a place may follow the date), and a heading repeating the title.
Bottom: `继续滑动看下一个 / <account> / 向上滑动看下一个` (→ account), the reward panel (avatar image
plus prompt), WeChat's declaration labels (个人观点，仅供参考 …), `Read more`, `修改于 …`.
"""

from __future__ import annotations

import datetime as dt
import re

from generator.clean import chrome
from generator.sources import RawDoc
from generator.sources.markdown.inert import make_inert, url_is_unsafe
from generator.meta import dates, labels
from generator.sources.markdown.meta import unescape_markdown
from generator.sources.markdown.page import heading_text

_COVER = re.compile(r"^\s*!\[cover_image\]\((?P<url>[^)\s]+)\)\s*$")
_BYLINE = re.compile(
    r"^\s*(?:(?:Original|原创)\s+)?(?P<author>[^\[*]*?)\s*"
    r"(?:\[(?P<account>[^\]]+)\]\([^)]*\))?\s*"
    r"\*(?P<date>\s*\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日[^*]*)\*\s*(?P<place>\S.{0,20})?$")
_QLOGO_LINE = re.compile(r"^\s*(?:!\[[^\]]*\]\([^)]*\)\s*)+$")
_DECLARATIONS = {"个人观点，仅供参考", "内容含AI生成图片，注意甄别", "内容由AI生成，注意甄别",
                 "内容含AI生成内容，注意甄别", "素材来源官方媒体/网络新闻", "情节虚构，请勿模仿",
                 "喜欢作者", "赞赏作者", "Kudos to the Author"}
_EDITED = re.compile(r"^\s*(?:修改于|Edited on)\s*\S*\d{4}.*$")


def is_clipping(lines: list[str]) -> bool:
    """True when LINES show clipper chrome at the top or the bottom."""
    head = [ln for ln in lines[:30] if ln.strip()][:3]
    tail = [ln.strip() for ln in lines[-12:] if ln.strip()]
    return any(_COVER.match(ln) or _BYLINE.match(ln) for ln in head) or "继续滑动看下一个" in tail


def clipping(raw: RawDoc, lines: list[str]) -> list[str]:
    """Fill RAW from clipper chrome and return the body lines without it."""
    lines = make_inert("\n".join(lines)).split("\n")  # placeholder images gone first
    lines = _top(raw, lines)
    return _bottom(raw, lines)


def _top(raw: RawDoc, lines: list[str]) -> list[str]:
    i = _next(lines, 0)
    m = _COVER.match(lines[i]) if i < len(lines) else None
    if m:
        if not url_is_unsafe(m["url"]):
            raw.cover = raw.cover or m["url"]
        i = _next(lines, i + 1)
    m = _BYLINE.match(lines[i]) if i < len(lines) else None
    if m and not m["account"] and len(m["author"].split()) == 2:  # `author account`, no link
        shared = {lab.field: lab.value for lab in labels.read_line(lines[i])}  # to tell them
        raw.author = shared.get("author") or raw.author  # apart: the shared byline rule
        raw.account = shared.get("account") or raw.account
    elif m:
        author = unescape_markdown(m["author"]).strip()
        raw.author = author or raw.author
        if m["account"]:
            raw.account = unescape_markdown(m["account"]).strip()
    if m:
        when = dates.parse(m["date"])
        if when and (raw.date is None or _same_day(raw.date, when)):
            raw.date = when
        i = _next(lines, i + 1)
    if i < len(lines) and raw.title and heading_text(lines[i]) == raw.title:
        i += 1
    return lines[i:]


def _bottom(raw: RawDoc, lines: list[str]) -> list[str]:
    ends = [k for k, ln in enumerate(lines) if ln.strip() == "继续滑动看下一个"]
    if ends:
        after = [ln.strip() for ln in lines[ends[-1] + 1:] if ln.strip()]
        if len(after) == 2 and after[1] == "向上滑动看下一个":
            raw.account = raw.account or unescape_markdown(after[0])
        lines = lines[:ends[-1]]
    texts = [k for k, ln in enumerate(lines) if ln.strip()][-8:]
    avatars = [k for k in texts if _QLOGO_LINE.match(lines[k]) and "qlogo.cn" in lines[k]]
    if avatars:
        lines = lines[:avatars[0]]
    while lines and _is_tail_chrome(lines[-1]):
        lines.pop()
    return lines


def _is_tail_chrome(line: str) -> bool:
    s = line.strip()
    ui_link = s.startswith("[") and chrome.is_ui_text(chrome.text_of(s), alone_ok=True)
    if not s or s in _DECLARATIONS or ui_link or _EDITED.match(s):
        return True
    if _QLOGO_LINE.match(s):
        urls = re.findall(r"\]\(([^)]*)", s)
        return all(url_is_unsafe(u) or "qlogo.cn" in u or not u for u in urls)
    return False


def _same_day(a: dt.date, b: dt.date) -> bool:
    day_a = a.date() if isinstance(a, dt.datetime) else a
    day_b = b.date() if isinstance(b, dt.datetime) else b
    return day_a == day_b and not isinstance(a, dt.datetime)


def _next(lines: list[str], i: int) -> int:
    while i < len(lines) and not lines[i].strip():
        i += 1
    return i
