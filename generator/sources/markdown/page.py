"""Strip page chrome from Markdown dumps of whole web pages (html2text style).

Three shapes, each filling a RawDoc's metadata and returning the article body:
- WeChat article pages: header (title, `原创 author [account](javascript:…)`, 微信号, 功能介绍,
  发表于, 收录于话题/合集 #tags), an optional repost card (以下文章来源于X ，作者Y), and the
  trailing UI (reward panel, 预览时标签不可点, 看一看, 微信扫一扫 关注该公众号 …);
- account backups ("小懒自动备份"): `# title`, `[**返回列表页**](/gzh/<account>)`, a notice;
- other pages saved under the `[account]-YYYY-M-D-title.md` naming: site navigation before the
  title heading and link-only/copyright lines at the end.
"""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import unquote

from generator.clean import chrome, normalize
from generator.meta import dates
from generator.sources import RawDoc
from generator.sources.markdown.meta import unescape_markdown

_HEADING = re.compile(r"^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_BYLINE = re.compile(r"^\s*(?:(?:原创|Original)\s+)?(?P<author>[^\[\]]*?)\s*"
                     r"\[\s*(?P<account>[^\[\]]+?)\s*\]\(javascript:[^\n]*\)\s*$")
_WXID = re.compile(r"^\s*微信号\s+(\S+)\s*$")
_INTRO = re.compile(r"^\s*功能介绍\s*(.*)$")
_FILLER = re.compile(r"^\s*(?:_+|_*发表于_*|\*+|!\[\]\(\))\s*$")
_COLLECTED = re.compile(r"^\s*收录于(?:话题|合集)\s*(.*)$")
_TAG = re.compile(r"#\s*([^#\s][^#]*?)\s*\d+\s*个")
_TAG_LINE = re.compile(r"^\s*(?:#[^#\s][^#]*?\s*\d+\s*个\s*)+$")
_REPOST = re.compile(r"^\s*以下文章来源于\s*(?P<source>.+?)\s*[，,]\s*作者\s*(?P<author>.+?)\s*$")
_IMAGE_ONLY = re.compile(r"^\s*(?:!\[[^\]]*\]\([^)]*\)\s*)+\S{0,2}\s*$")
_REWARD = re.compile(r"^\s*!\[赞赏二维码\]|微信扫一扫赞赏作者")
_BACKUP_LINK = re.compile(r"^\s*\[\*\*返回列表页\*\*\]\(/?gzh/(?P<account>[^)]+?)/?\)\s*$")
_BACKUP_NOTICE = re.compile(r"^\s*小懒自动备份")
_CARD_NAME = re.compile(r"(?:!\[[^\]]*\]\([^)]*\))?\s*\*\*[^*]+\*\*\s*\.?")
_EN_DATE = re.compile(r"^\s*([A-Z][a-z]+\.? \d{1,2}, \d{4})\s*$")
_LINK_ONLY = re.compile(r"^\s*(?:\[[^\]]*\]\([^)]*\)[\s*|·>-]*)+$")
_COPYRIGHT = re.compile(r"(?i)copyright|©|版权所有|all rights reserved")


def is_wechat_page(lines: list[str]) -> bool:
    """True when the first lines hold a WeChat article header (account link + 微信号/功能介绍)."""
    head = [ln for ln in lines[:60] if ln.strip()][:20]
    return any(_BYLINE.match(ln) for ln in head) and any(
        _WXID.match(ln) or _INTRO.match(ln) for ln in head)


def is_backup(lines: list[str]) -> bool:
    """True for '小懒自动备份' account backups."""
    return any(_BACKUP_LINK.match(ln) or _BACKUP_NOTICE.match(ln) for ln in lines[:12])


def heading_text(line: str) -> str | None:
    """The text of an ATX heading line, unescaped, or None."""
    m = _HEADING.match(line)
    return unescape_markdown(m.group(2)).strip() if m and m.group(2).strip() else None


def wechat_page(raw: RawDoc, lines: list[str]) -> list[str]:
    """Fill RAW from a WeChat page header and return the body lines without chrome."""
    i = _skip_blank(lines, 0)
    if i < len(lines) and heading_text(lines[i]):
        raw.title = raw.title or heading_text(lines[i])
        i += 1
    i = _header(raw, lines, i)
    body = _repost_card(raw, lines[i:])
    return _cut_tail(body)


def _header(raw: RawDoc, lines: list[str], i: int) -> int:
    """Consume header lines from I; return the index of the first body line."""
    expect_intro = False
    while i < len(lines):
        line = lines[i]
        m_by, m_id, m_intro, m_col = (_BYLINE.match(line), _WXID.match(line), _INTRO.match(line),
                                      _COLLECTED.match(line))
        if not line.strip() or _FILLER.match(line):
            pass
        elif m_by:
            raw.account = unescape_markdown(m_by["account"]).strip() or raw.account
            author = unescape_markdown(m_by["author"]).strip()
            raw.author = author or raw.author
        elif raw.account and re.fullmatch(rf"\s*\*\*{re.escape(raw.account)}\*\*.*", line):
            pass
        elif m_id:
            raw.account_id = m_id.group(1)
        elif m_intro:
            expect_intro = not m_intro.group(1).strip()
        elif expect_intro:
            expect_intro = False
        elif m_col or _TAG_LINE.match(line):
            raw.tags.extend(t.strip() for t in _TAG.findall(line) if t.strip())
        else:
            break
        i += 1
    return i


def _repost_card(raw: RawDoc, lines: list[str]) -> list[str]:
    """Remove the '以下文章来源于X ，作者Y' card (avatar, name, bio); credit X as source."""
    for k in [k for k, ln in enumerate(lines) if ln.strip()][:12]:
        m = _REPOST.match(lines[k])
        if not m:
            continue
        raw.source = m["source"]
        raw.author = raw.author or m["author"]
        drop = {k}
        saw_card = False
        for j in [j for j in range(k + 1, len(lines)) if lines[j].strip()][:4]:
            line = lines[j].strip()
            if _IMAGE_ONLY.match(line) or _CARD_NAME.fullmatch(line):
                drop.add(j)
                saw_card = True
                continue
            if saw_card:
                drop.add(j)  # the account's one-line bio
            break
        return [ln for j, ln in enumerate(lines) if j not in drop]
    return lines


def _cut_tail(lines: list[str]) -> list[str]:
    """Cut the trailing WeChat UI block (reward panel, preview notice, follow prompts)."""
    cut = len(lines)
    for k, line in enumerate(lines):
        s = line.strip()
        nxt = lines[k + 1].strip() if k + 1 < len(lines) else ""
        if chrome.is_end(s) or _REWARD.search(s) or chrome.is_end(s + nxt):
            cut = k
            if _REWARD.search(s):
                cut = _reward_start(lines, k)
            break
    body = lines[:cut]
    while body and (not body[-1].strip() or body[-1].strip() == "![]()"):
        body.pop()
    return body


def _reward_start(lines: list[str], k: int) -> int:
    """The reward panel starts with an empty avatar image and the author's name."""
    prev = [j for j in range(k - 1, max(k - 8, -1), -1) if lines[j].strip()]
    if len(prev) >= 2 and lines[prev[1]].strip() == "![]()" and len(lines[prev[0]].strip()) <= 30:
        return prev[1]
    if prev and lines[prev[0]].strip() == "![]()":
        return prev[0]
    return k


def backup(raw: RawDoc, lines: list[str]) -> list[str]:
    """Fill RAW from a '小懒自动备份' header and return the body lines."""
    out: list[str] = []
    title_seen = False
    for k, line in enumerate(lines):
        m = _BACKUP_LINK.match(line)
        if k < 12 and m:
            raw.account = unquote(m["account"]).strip()
        elif k < 12 and _BACKUP_NOTICE.match(line):
            pass
        elif not out_has_text(out) and heading_text(line) and not title_seen:
            raw.title = raw.title or heading_text(line)
            title_seen = True
        else:
            out.append(line)
    return out


def out_has_text(lines: list[str]) -> bool:
    """True when any of LINES has non-blank text."""
    return any(ln.strip() for ln in lines)


def foreign_page(raw: RawDoc, lines: list[str], name_title: str) -> list[str]:
    """A non-WeChat page saved under a '[account]-date-title' name: drop site chrome."""
    key = normalize.match_key(name_title)
    hits = [k for k, ln in enumerate(lines[:40])
            if heading_text(ln) and len(normalize.match_key(heading_text(ln))) >= 4
            and key.startswith(normalize.match_key(heading_text(ln)))]
    if not hits:
        raw.title, raw.found["title"] = name_title, "file name"
        return lines
    raw.title = heading_text(lines[hits[0]])
    body = lines[hits[-1] + 1:]
    for k, ln in enumerate(lines[hits[0] + 1:hits[-1]] + body[:3]):
        m = _EN_DATE.match(ln)
        if m and dates.parse(m.group(1)):
            raw.date = dates.parse(m.group(1))
            if k >= hits[-1] - hits[0] - 1:
                body = body[k - (hits[-1] - hits[0] - 1) + 1:]
            break
    while body and (not body[-1].strip() or _LINK_ONLY.match(body[-1])
                    or (_COPYRIGHT.search(body[-1]) and len(body[-1]) < 80)):
        body.pop()
    return body


def _skip_blank(lines: list[str], i: int) -> int:
    while i < len(lines) and not lines[i].strip():
        i += 1
    return i
