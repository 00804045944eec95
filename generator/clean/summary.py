"""An article's summary: its own opening sentences, as plain text.

Which paragraphs can open an article: not headings, images, code, tables or raw HTML; not page
chrome (the catalog in `chrome`); not header residue that tells about the article instead of
being it — a byline (原创 author account 2024-01-01 12:00), labelled lines (来源: X),
an editor's note wholly in brackets (（想加入免费课程的学习？请留意底部信息）), a lead-in that
ends in a colon, navigation links; and not a paragraph the caller knows to be shared by many
articles (a course trailer, a standing intro: see `openings` and `ingest`).
The text keeps no Markdown marks and no unbalanced brackets.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from itertools import islice
from typing import Collection, Iterable, Iterator

from generator.clean import chrome, normalize

_SKIP = re.compile(r"\s*(#|!\[|```|~~~|\||<|\[!\[)")
_DATE = re.compile(r"\d{4}\s*[-/年.]\s*\d{1,2}\s*[-/月.]\s*\d{1,2}|\d{1,2}:\d{2}")
_BYLINE = re.compile(r"(原创|Original|转载|作者|文|编辑|撰文|来源|出品)[\s:：/|｜]")
_CREDIT = re.compile(r"(^|\s)(作者|编辑|责编|撰文|来源|出品|文|图)\s*[:：/|｜]")
_LABEL = re.compile(r"[\w\u4e00-\u9fff ]{1,10}\s*[:：]")
_NOTE = re.compile(r"(本文|文章|此文|该文)(为|系|来自|来源|转载|首发|经|由|节选|摘自|原载)")
_LINK_LEAD = re.compile(r"\s*\[[^\]]*\]\([^)]*\)")
_WORD = re.compile(r"\w")
_WORDS_8 = re.compile(r"(?:\W*\w){8}")  # 8 letters or more
_BLANK = re.compile(r"\n\s*\n")
_PAUSE = re.compile(r"[。！？!?，,；;、]")
_OPEN, _CLOSE = "（([【「『《“‘〈", "）)]】」』》”’〉"
_PAIRS = dict(zip(_CLOSE, _OPEN))
_ASIDE = "（(【["
_ENDS = "。！？!?"
_TRAIL = "”’」』）)》】"
_MARKS = re.compile(r"(?<![\w*])[*_~]+|[*_~]+(?![\w*])|\*{2,}|_{2,}|~{2,}|`")


def paragraphs(markdown: str) -> Iterator[str]:
    """The body's paragraphs that could open the article, as plain one-line text."""
    for para in _split(markdown):
        if _SKIP.match(para) or len(para) <= 800 and chrome.is_ui_text(chrome.text_of(para),
                                                                         alone_ok=True):
            continue
        text = _plain(para[:1500])  # enough for a summary's sentences, links and marks included
        if _WORDS_8.match(text) and not _header_residue(para, text):
            yield text


def _split(markdown: str) -> Iterator[str]:
    """The paragraphs between blank lines, one at a time: callers stop after the first few, and
    a long body is not cut up whole for them."""
    at = 0
    for m in _BLANK.finditer(markdown):
        yield markdown[at:m.start()]
        at = m.end()
    yield markdown[at:]


def key(paragraph: str) -> str:
    """How openings are compared across articles (whitespace and marks do not count)."""
    return re.sub(r"\W+", "", paragraph)[:80]


_OPENINGS = 3


@lru_cache(maxsize=1)
def _first(markdown: str) -> tuple[str, ...]:
    """The first _OPENINGS candidate paragraphs. Import asks for them twice in a row for the same
    body (its summary, then its openings), and they are the costly part of both."""
    return tuple(islice(paragraphs(markdown), _OPENINGS))


def openings(markdown: str) -> list[str]:
    """Keys of the first candidate paragraphs (for finding paragraphs many articles share)."""
    return [key(text) for text in _first(markdown)]


def shared_openings(per_article: Iterable[list[str]], min_articles: int = 3) -> set[str]:
    """Opening keys found among the first paragraphs of at least MIN_ARTICLES articles: a
    course trailer, a standing intro or a repost notice, not any one article's own text."""
    counts = Counter(k for keys in per_article for k in set(keys))
    return {k for k, n in counts.items() if n >= min_articles}


def summarize(markdown: str, limit: int = 120, *, shared: Collection[str] = ()) -> str | None:
    """The opening sentences of the body, cut at 。！？ and about LIMIT characters; paragraphs
    whose key is in SHARED are skipped."""
    for text in paragraphs(markdown) if shared else _first(markdown)[:1]:
        if shared and key(text) in shared:
            continue
        return _cut(text, limit)
    return None


def _plain(para: str) -> str:
    text = normalize.plain(para)
    if "*" in text or "_" in text or "~" in text or "`" in text:
        text = _MARKS.sub("", text)
    text = re.sub(r"^[\s>#]+", "", re.sub(r"\s+", " ", text))
    return text.strip()


def _header_residue(para: str, text: str) -> bool:
    """A paragraph about the article rather than of it."""
    short = len(text) <= 60
    if chrome.is_card(text) or len(text) <= 24 and not _PAUSE.search(text):
        return True  # a profile card line, or a heading in all but name (**0x01 工具介绍**)
    if short and _DATE.search(text) and len(_WORD.findall(_DATE.sub("", text))) <= 30:
        return True  # a byline or a dateline: 原创 作者 公众号 2023-08-14 17:46
    if short and (_BYLINE.match(text) or _CREDIT.search(text)
                  or _LABEL.match(text) and not text.endswith(tuple(_ENDS))):
        return True  # 来源: 太阳照常升起 / 原创 我是哥飞 哥飞 / 责任编辑：X
    if short and (_NOTE.match(text) or text.endswith((":", "："))):
        return True  # 本文为「X」原创内容 / 本文系读者投稿，来稿请投至：
    if _wrapped(text):
        return True  # an editor's aside wholly in brackets
    return para.lstrip().startswith("[") and len(_plain(_LINK_LEAD.sub("", para).strip())) <= 30


def _aside_end(text: str) -> int:
    """Where a leading aside in brackets (（…）, 【…】, (…), […]) ends, or 0 when there is none."""
    if not text or text[0] not in _ASIDE:
        return 0
    depth = 0
    for i, ch in enumerate(text):
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth -= 1
            if depth == 0:
                return i + 1 if _PAIRS.get(ch) == text[0] else 0
    return 0


def _wrapped(text: str) -> bool:
    t = text.strip()
    return bool(t) and _aside_end(t) == len(t)


def _sentences(text: str) -> Iterator[str]:
    """Sentences ending in 。！？ outside brackets (with their closing quotes), then the rest."""
    depth, start, i = 0, 0, 0
    while i < len(text):
        ch = text[i]
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(0, depth - 1)
        elif ch in _ENDS and depth == 0:
            j = i + 1
            while j < len(text) and (text[j] in _ENDS or text[j] in _TRAIL):
                j += 1
            yield text[start:j]
            start, i = j, j
            continue
        i += 1
    if start < len(text):
        yield text[start:]


def _cut(text: str, limit: int) -> str:
    text = text[_aside_end(text):].lstrip()
    out = ""
    for sentence in _sentences(text):
        complete = sentence.rstrip()[-1:] in _ENDS + _TRAIL
        if out and (len(out) + len(sentence) > limit or not complete):
            break
        out += sentence
        if not complete:
            break
    if len(out) > limit + limit // 2 or not out:
        out = text[:limit].rstrip() + "…"
    return _balance(out.strip())


def _balance(text: str) -> str:
    """TEXT without the brackets and quotes a cut left open or never opened."""
    stack: list[int] = []
    drop: set[int] = set()
    for i, ch in enumerate(text):
        if ch in _OPEN:
            stack.append(i)
        elif ch in _CLOSE:
            if stack and text[stack[-1]] == _PAIRS[ch]:
                stack.pop()
            else:
                drop.add(i)
    drop.update(stack)
    if not drop:
        return text
    first_open = min(stack) if stack else None
    if first_open is not None and first_open >= 20 and text.endswith("…"):
        return text[:first_open].rstrip(" ，,、：:") + "…"  # cut before the bracket left open
    return "".join(ch for i, ch in enumerate(text) if i not in drop)
