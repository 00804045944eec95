"""Metadata written as text: labelled lines (`来源：X`, `**Author:** Y`, `| 发布时间 | Z |`) and
WeChat bylines (`原创 author account 2025-06-13 10:32`), read from one line at a time.

A line is metadata only as a whole: it opens with a known label (after quote, list and emphasis
marks) or is a byline and nothing else. Where such lines may stand (a body's header and footer,
never the middle of the text) is the extractor's business (generator.meta.extract).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from generator.meta import dates, wechat

# label → field. A `来源` names the credited origin (and the account when nothing else does).
LABELS: dict[str, str] = {
    **dict.fromkeys(("标题", "文章标题", "Title"), "title"),
    **dict.fromkeys(("公众号", "微信公众号", "公众号名称", "来自公众号", "账号", "Account"), "account"),
    **dict.fromkeys(("作者", "文", "撰文", "文字", "Author", "By", "Written by"), "author"),
    **dict.fromkeys(("来源", "出处", "转载自", "Source", "From"), "source"),
    **dict.fromkeys(("发布时间", "发表时间", "发布日期", "发表日期", "发表于", "发布于", "日期",
                     "Published", "Date", "Posted", "Published on", "Posted on",
                     "Publish time", "Publish date"), "date"),
    **dict.fromkeys(("标签", "关键词", "Tags", "Keywords"), "tags"),
    **dict.fromkeys(("原文链接", "原文地址", "原文", "文章链接", "原始链接", "文章地址", "URL",
                     "Original", "Original URL", "Original link", "Source URL"), "url"),
}
_NAMES = "|".join(re.escape(k) for k in sorted(LABELS, key=len, reverse=True))
_MARK = r"(?:\*\*|__|\*|_)?"
_LABEL = re.compile(rf"(?:^|(?<=\s)|(?<=\|))({_NAMES}){_MARK}\s*[:：]", re.I)
_OPEN = re.compile(rf"^\s*(?:>\s*)*(?:[-*+]\s+)?{_MARK}\s*(?=(?:{_NAMES}){_MARK}\s*[:：])", re.I)
_ROW = re.compile(rf"^\s*\|\s*{_MARK}({_NAMES}){_MARK}\s*[:：]?\s*{_MARK}\s*\|(.*?)\|?\s*$", re.I)
_LINK = re.compile(r"!?\[([^\]]*)\]\(\s*<?([^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)")
_URL = re.compile(r"^[\s*_`<>|]*(https?://[^\s<>|*`\]]+?)[\s*_`<>|]*$")
_PLACE = re.compile(r"\s*(?:(?:发表于|发布于)?\s*[\u4e00-\u9fff]{2,6})?\s*")  # `… 10:32 发表于广东`
_BYLINE_LEAD = re.compile(r"^(?:原创|Original|转载|翻译)\s*[:：]?\s+", re.I)
_SIGNS = re.compile(r"(?<!\\)[*_`~]+|\\(?=[\\`*_{}\[\]()#+\-.!|<>~])")
_MAX = {"title": 120, "account": 40, "author": 40, "source": 60, "tags": 20}
_TAG_SPLIT = re.compile(r"\s*[,，、;；]\s*")
_PROPERTY = re.compile(r"^\s*(?:[-*+]\s+)?(?:\*\*)?[A-Za-z\u4e00-\u9fff][\w \u4e00-\u9fff]{0,19}"
                       r"(?:\*\*)?\s*[:：]\s*\S")
_NOT_NAMES = re.compile(r"[：:。，,！？!?；;（）()《》【】\[\]<>|/\\]|^\d|于$|^(?:发布|更新|发表|阅读)")


@dataclass(frozen=True)
class Label:
    """One field a line states: FIELD (a RawDoc field name), its VALUE, how it was written."""

    field: str
    value: object
    kind: str
    """'labelled line', 'credited source', 'byline', 'date line' (nothing but a date) or
    'link line' (nothing but a WeChat article URL)."""


def read_line(line: str, *, year: int | None = None) -> list[Label]:
    """The fields LINE states when it is a labelled line or a byline as a whole, else []."""
    if len(line) > 600 or not line.strip():
        return []
    return _labelled(line, year) or _byline(line) or _link_line(line)


def is_property(line: str) -> bool:
    """Whether LINE has the shape of an exporter's property line (`Created: …`, `状态：已读`),
    known label or not: such lines around a labelled line make a metadata block."""
    return len(line) <= 120 and _PROPERTY.match(line) is not None


def plain(text: str) -> str:
    """TEXT without Markdown marks: links become their text, emphasis and escapes go."""
    text = _LINK.sub(lambda m: m.group(1) or m.group(2), text)
    text = _SIGNS.sub("", text)
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ").replace("\u3000", " ")).strip()


def _labelled(line: str, year: int | None) -> list[Label]:
    dated = _dateline(line, year)
    if dated is not None:  # `2024-05-20 09:15 来源：某某网 作者：李四`, a news page's dateline
        when, rest = dated
        labelled = _labelled(rest, year)
        return [Label("date", when, "labelled line"), *labelled] if labelled else []
    row = _ROW.match(line)
    if row:
        pairs = [(row.group(1), row.group(2))]
    else:
        opened = _OPEN.match(line)
        if not opened:
            return []
        rest = line[opened.end():]
        marks = list(_LABEL.finditer(rest))
        if not marks or marks[0].start() != 0:
            return []
        pairs = [(m.group(1), rest[m.end(): nxt.start() if nxt else len(rest)])
                 for m, nxt in zip(marks, marks[1:] + [None])]
    out: list[Label] = []
    for name, raw_value in pairs:
        field = next(v for k, v in LABELS.items() if k.lower() == name.lower())
        value = _value(field, raw_value, year)
        if value is None:
            return []  # one part is not metadata: neither is the line
        if field == "source" and isinstance(value, str) and value.startswith("http"):
            field = "url"
        out.append(Label(field, value, "labelled line"))
        if field == "source":  # `来源：X` names the account too, when nothing else does
            out.append(Label("account", value, "credited source"))
    return out


def _dateline(line: str, year: int | None) -> tuple[object, str] | None:
    """(date, the rest) of a LINE that opens with a date followed by labelled fields."""
    lead = len(line) - len(line.lstrip())
    found = dates.find(line[:40], year=year)
    if found is None or found.start != lead or not line[found.end:].strip():
        return None
    rest = line[found.end:]
    return (found.value, rest) if _LABEL.match(rest.lstrip()) else None


def _value(field: str, raw: str, year: int | None) -> object | None:
    if field == "url" or (field == "source" and _URL.match(raw)):
        m = _URL.match(_LINK.sub(lambda m: m.group(2), raw))
        return wechat.article_url(m.group(1)) if m else None
    text = plain(raw).strip(" |-–—「」『』\"'“”")
    if field == "date":
        return dates.parse(text, year=year)
    if field == "tags":
        tags = [t.strip("#") for t in _TAG_SPLIT.split(text) if t.strip("#")]
        return tags if tags and len(tags) <= 12 and all(len(t) <= _MAX["tags"] for t in tags) \
            else None
    if not text or len(text) > _MAX[field]:
        return None
    return text


def _byline(line: str) -> list[Label]:
    """`原创 author account 2025-06-13 10:32` (author optional; `原创` optional with two names)."""
    if len(line) > 240:
        return []
    text = plain(line)
    if len(text) > 90:
        return []
    found = dates.find(text)
    if found is None or not _PLACE.fullmatch(text[found.end:]):
        return []
    head = text[:found.start]
    lead = _BYLINE_LEAD.match(head)
    names = head[lead.end():].split() if lead else head.split()
    if any(_NOT_NAMES.search(n) or len(n) > 30 for n in names):
        return []
    if len(names) == 2 or (lead and len(names) == 1):
        out = [Label("date", found.value, "byline"), Label("account", names[-1], "byline")]
        if len(names) == 2:
            out.append(Label("author", names[0], "byline"))
        return out
    if not names:
        return [Label("date", found.value, "date line")]
    return []


_CITED = re.compile(
    r"(?:原文地址|原文链接|原文网址|原文|Original URL|Original link|Source URL)\s*[:：]?\s*"
    r"(?:\[[^\]]*\]\(\s*<?(?P<link>[^)\s>]+)>?[^)]*\)|(?P<bare>https?://[^\s<>)\]]+))", re.I)


def cited_url(line: str) -> str | None:
    """The URL a line names as the original inside other text (`本文由 … 转码，原文地址 [host](url)`),
    as a metadata value; None when the line names none."""
    m = _CITED.search(line)
    return wechat.article_url(m["link"] or m["bare"]) if m else None


def _link_line(line: str) -> list[Label]:
    """A line holding nothing but a WeChat article's URL (bare, `<…>` or a link whose text is
    the URL itself): the page's own address, as backup tools write it above or below the text."""
    if "weixin" not in line or len(line) > 600:
        return []
    m = _LINK.fullmatch(line.strip().strip("<>"))
    url = m.group(2) if m and (m.group(1).strip() in ("", m.group(2))) else line.strip().strip("<>")
    found = wechat.canonical_url(url) if re.fullmatch(r"(?:https?:)?//\S+", url) else None
    return [Label("url", found, "link line")] if found else []
