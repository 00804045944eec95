"""Body of a page-text dump: where it ends, its recovered headings and credit → escaped Markdown.

Page text loses all markup: paragraphs run together, section headings survive only as
NBSP-delimited islands (`。\\xa0有更强的信心\\xa0信心来自…`) or as short lines of their own, and
the page's scripts and UI strings follow the article. This module cuts the body out of the
page text and turns it into Markdown that renders exactly the words of the page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from generator.clean import chrome
from generator.clean.normalize import escape_text

# The catalog's strings, compared without whitespace (generator.clean.chrome): a line of one of
# PAGE_TEXT_END ends the article body in every era's page; UI_LINES may stand anywhere in the
# page's trailing chrome.
END_LINES = chrome.PAGE_TEXT_END
_END_READS = re.compile(r"^(阅读|Views?|Reads?)\s*(\d+|10万\+|100000\+|\d+万\+?)$")
# Script lines WeChat pages put inside or right after the article text.
_SCRIPT_START = re.compile(
    r"^(var (first_sceen__time|write_sceen_time|__DEBUGINFO|PAGE_MID)|window\.(first_sceen__time"
    r"|logs\.pagetime|PAGE_MID|__QMTPL_SSR_DATA__|__second_open__)|seajs\.use\(|"
    r"String\.prototype\.html\s*=)")
UI_LINES = END_LINES | chrome.UI_STRINGS | chrome.UI_WORDS
_JS_LINE = re.compile(
    r"^((var|let|const)\s+[\w$]+\s*[=;,]|function\s*[\w$]*\s*\("
    r"|(if|for|while|switch)\s*\(.*\)\s*\{?$"
    r"|(return|throw)\b.*;$|(try|else|finally)\s*\{|\}\s*(else|catch|finally)\b|case\s.*:$"
    r"|(window|document|navigator|location|console)\.|[\]\)\}][\s\]\)\};,]*$|//|/\*"
    r"|[.#@][\w-].*\{$|-?[a-z-]+\s*:\s*[^：]*;$|'use strict'|[\w$.\[\]'\"]+\s*[+\-|]?=\s*.*[;{(,]$"
    r"|[\w$.]+\(.*\);$|['\"]?[\w$-]+['\"]?\s*:\s*(['\"\d\[{]|function\b|JsDecode\(|true\b|false\b"
    r"|null\b|[\w$.]+\s*\*\s*1).*[,{\[]?$)|[;{]$")
_PUNCT_ONLY = re.compile(r"^[\W_]+$")
_RUNS = re.compile(r"[ \t]+")
_SPACE = re.compile(r"\s+")
_CJK = re.compile(r"[\u3400-\u9fff]")
_SENTENCE_END = "。！？!?；;…”\"」』）)"
_ISLAND = re.compile(
    r"(?:^|(?<=[" + re.escape(_SENTENCE_END) + r"]))\xa0+([^\xa0\n]{2,40}?)\xa0+(?=\S|$)")
_CREDIT = re.compile(r"(?:^|(?<=[" + re.escape(_SENTENCE_END) + r"]))\s*"
                     r"(?:文章|信息|稿件|内容|图文|本文)?来源\s*[：:｜|]\s*([^\s，。；;、]{1,40})\s*$")


@dataclass
class Block:
    """One body block: a paragraph or a heading, as plain text."""

    text: str
    heading: bool = False
    whole_line: bool = True
    """The block was a line of its own in the page text (not cut out of a run)."""


def squash(line: str) -> str:
    """The line without layout whitespace at its ends and with tab/space runs folded."""
    line = line.strip(" \t\r\n\u3000\u200b\ufeff")
    return _RUNS.sub(" ", line) if "  " in line or "\t" in line else line


def _key(line: str) -> str:
    return _SPACE.sub("", line)


def is_end(line: str) -> bool:
    """True when LINE is where a page's article text stops and its chrome begins."""
    s = line.strip().replace("\xa0", " ")
    if len(s) > 60:  # every marker is short, or opens one of the page's scripts
        return bool(_SCRIPT_START.match(s))
    s = squash(s)
    return _key(s) in END_LINES or bool(_END_READS.match(s)) or bool(_SCRIPT_START.match(s))


def is_js(line: str) -> bool:
    """True when LINE reads as script or style rather than prose."""
    s = line.strip()
    if len(s) > 4000:  # a line's ends tell (and the pattern is slow on huge lines)
        s = s[:2000] + " " + s[-2000:]
    return len(s) - len(_CJK.sub("", s)) < len(s) / 4 and bool(_JS_LINE.search(s))


def is_chrome(line: str) -> bool:
    """True when LINE is page UI, script, or stray punctuation."""
    s = squash(line.replace("\xa0", " "))
    if not s:
        return True
    return (_key(s) in UI_LINES or is_end(s) or bool(_PUNCT_ONLY.match(s))
            or bool(_SCRIPT_START.match(s)) or is_js(s))


def cut_body(lines: list[str]) -> list[str]:
    """The article's lines: up to the first chrome marker, minus stray UI and script lines."""
    out: list[str] = []
    for line in lines:
        if is_end(line):
            break
        s = squash(line)
        if not s:
            continue
        if len(s) <= 60:
            key = _key(s.replace("\xa0", ""))
            # Short UI words (分享, 推荐…) and marks may be the author's: only the tail loses those.
            if (key in UI_LINES and len(key) >= 5) or (len(s) == 1 and _PUNCT_ONLY.match(s)):
                continue
        if _SCRIPT_START.match(s):
            continue
        out.append(s)
    while out and is_chrome(out[-1]):
        out.pop()
    return out


def split_islands(line: str) -> list[Block]:
    """Cut NBSP-delimited heading islands out of a run of merged paragraphs."""
    blocks: list[Block] = []
    pos = 0
    for m in _ISLAND.finditer(line) if "\xa0" in line else ():
        title = m.group(1).strip()
        if not _CJK.search(title) or re.search(r"[。！？!?]", title):
            continue
        before = line[pos:m.start()].strip(" \xa0")
        if before:
            blocks.append(Block(before, whole_line=False))
        blocks.append(Block(title, heading=True, whole_line=False))
        pos = m.end()
    if pos == 0:
        return [Block(line.strip(" \xa0"))]
    rest = line[pos:].strip(" \xa0")
    if rest:
        blocks.append(Block(rest, whole_line=False))
    return blocks


def take_credit(blocks: list[Block]) -> str | None:
    """Remove a trailing `来源：X` credit from the last paragraph and return X."""
    for i in range(len(blocks) - 1, max(-1, len(blocks) - 3), -1):
        if blocks[i].heading:
            continue
        text = blocks[i].text
        cut = max(0, len(text) - 80)  # a credit is short: search the paragraph's end only
        m = _CREDIT.search(text, cut) if "来源" in text[cut:] else None
        if not m:
            return None
        rest = text[:m.start()].rstrip()
        if rest:
            blocks[i].text = rest
        else:
            del blocks[i]
        return m.group(1)
    return None


def _short_heading(block: Block, before: Block | None, after: Block | None) -> bool:
    """A short line of its own between full paragraphs reads as a section heading."""
    t = block.text
    if not (block.whole_line and 2 <= len(t) <= 20 and _CJK.search(t)) or before is None:
        return False
    if re.search(r"[，。！？!?；;：:、…—,]$|[，。！？!?]", t) or after is None or after.heading:
        return False
    return (not before.heading and before.text.endswith(tuple(_SENTENCE_END + "：:"))
            and len(after.text) >= 2 * len(t))


def shape(lines: list[str], *, find_headings: bool = True) -> tuple[list[Block], str | None]:
    """Body lines → blocks with recovered headings, and the `来源` credit if there is one."""
    blocks = [b for line in lines for b in (split_islands(line) if find_headings
                                              else [Block(line.strip(" \xa0"))])]
    blocks = [b for b in blocks if b.text]
    credit = take_credit(blocks)
    if find_headings:
        for i, b in enumerate(blocks):
            if not b.heading and _short_heading(b, blocks[i - 1] if i else None,
                                                blocks[i + 1] if i + 1 < len(blocks) else None):
                b.heading = True
    return blocks, credit


def image(url: str) -> str:
    """A Markdown image for an http(s) URL, with characters that could end the link encoded."""
    safe = re.sub(r"[\s()<>\[\]\\\"']", lambda m: "%{:02X}".format(ord(m.group(0))), url)
    return f"![]({safe})"


def to_markdown(blocks: list[Block], images: Sequence[str] = ()) -> str:
    """(Images and) blocks → Markdown: escaped paragraphs, `## ` headings."""
    parts = [image(u) for u in images if re.match(r"https?://", u)]
    texts = [b.text.replace("\n", " ") for b in blocks]
    escaped = escape_text("\n".join(texts)).split("\n") if texts else []
    parts += [("## " if b.heading else "") + e for b, e in zip(blocks, escaped)]
    return "\n\n".join(parts) + "\n" if parts else ""
