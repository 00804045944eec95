"""Front matter of Markdown archives (Jekyll, clippers) and the archive credit block.

Front matter keys are mapped to RawDoc fields by their common names (title, date/published,
author, account/nickname, url/link/source, description/summary, image_feature/cover, tags).
`created` (the day a clipper saved the page) is not a publication date and is not used.

Archive sites such as Terminus2049 open the body with a credit block ended by `---`:
    > 原文来自微信新京报微信公众号「重案组37号 」：~~[title](https://mp.weixin.qq.com/s/…)~~
    > 作者：庞礡、郑洁
The account (inside 「」/“” or before the colon), the link (url) and the 作者/文/原创 line
(author) are mapped and removed with the `---`; other lines of the block (编辑, 说明, translations)
stay at the top of the body. Rule for `status`: a struck-through link to the original (`~~[…](…)~~`)
is the archive saying the original is gone, so status is `deleted`; otherwise no status.
"""

from __future__ import annotations

import re
from typing import Any

from generator.clean import normalize
from generator.errors import FrontMatterError
from generator.model import frontmatter
from generator.sources import RawDoc
from generator.meta import dates, labels
from generator.meta.wechat import article_url, url_identity
from generator.sources.markdown.meta import meta_text, unescape_markdown

_QUOTES = "\"'‘’“”「」"
_PLATFORM_AUTHORS = {"Weixin Official Accounts Platform", "微信公众平台", "微信公众号"}
_LENIENT = re.compile(r"^([A-Za-z_][\w-]*)\s*:\s*(.*)$")
_CREDIT = re.compile(r"^\s*(?:>\s*)?(?:原文|文章)(?:来自|链接|来源|出处)")
_RULE = re.compile(r"^\s*(?:-{3,}|\*{3,}|\* \* \*)\s*$")
_LINK = re.compile(r"(~~)?\[([^\]]*)\]\(([^)\s]*)\)(~~)?")
_AUTHOR = re.compile(r"^\s*(?:作者\s*(?:\\?\|)?\s*[：:]?|文\s*\\?[|｜]|原创)\s*(?P<name>.+?)\s*$")
_ACCOUNT_NOISE = re.compile(r"^(?:微信|订阅号|公众号|公号|作者|[:：\s])+|(?:微信|订阅号|公众号|公号|"
                            r"[:：\s])+$")


# Keys apply_front reads by name; other keys may still be labels (`作者`, `发布时间`…).
_MAPPED = frozenset("""title name date published pubdate pub_date publish_date publish_time author
authors account nickname mp_name 公众号 account_id wechat_id alias 微信号 url link original_url
canonical_url source_url source description summary excerpt digest cover image_feature image
banner thumbnail featured_image tags keywords status""".split())


def read_front(text: str, path: Any) -> tuple[dict[str, Any] | None, str]:
    """(front matter mapping or None, body); tolerant of the YAML slips archives contain."""
    yaml_text, body, _ = frontmatter.split(text)
    if yaml_text is None:
        return None, text
    try:
        return frontmatter.load_yaml(yaml_text, path), body
    except FrontMatterError:
        data: dict[str, Any] = {}
        for line in yaml_text.split("\n"):
            m = _LENIENT.match(line)
            if m and m.group(1) not in data:
                data[m.group(1)] = m.group(2).strip()
        return data, body


def apply_front(raw: RawDoc, data: dict[str, Any]) -> None:
    """Map front matter keys onto RAW (known names only; unknown keys are ignored)."""
    def first(*keys: str) -> Any:
        for key in keys:
            value = data.get(key)
            if value not in (None, "", []):
                return value
        return None

    raw.title = _text(first("title", "name"))
    unread = None
    for key in ("date", "published", "pubDate", "pub_date", "publish_date", "publish_time"):
        when = dates.parse(_text(data.get(key)) if not hasattr(data.get(key), "year")
                          else data.get(key))
        if when:
            raw.date = when
            break
        if data.get(key) not in (None, "") and unread is None:
            unread = f"{key}: {data[key]}"
    if raw.date is None and unread:
        raw.warnings.append(f"front matter '{unread}' is no date (or out of range): left out")
    authors = first("author", "authors")
    names = authors if isinstance(authors, list) else [authors] if authors else []
    names = [n for n in (_text(str(a).strip("[]")) for a in names) if n and n not in
             _PLATFORM_AUTHORS]
    raw.author = "、".join(names) or None
    raw.account = _text(first("account", "nickname", "mp_name", "公众号"))
    raw.account_id = _text(first("account_id", "wechat_id", "alias", "微信号"))
    link = _text(first("url", "link", "original_url", "canonical_url", "source_url", "source"))
    if link and re.match(r"(?i)^(?:[a-z][a-z0-9+.-]*:|//)", link):
        raw.url = article_url(link)  # None for non-web schemes
    elif link:
        raw.source = link
    raw.summary = _text(first("description", "summary", "excerpt", "digest"))
    cover = _text(first("cover", "image_feature", "image", "banner", "thumbnail", "featured_image"))
    raw.cover = cover if cover and re.match(r"(?i)^(https?:)?//", cover) else None
    tags = first("tags", "keywords")
    if isinstance(tags, str):
        tags = re.split(r"[,，、\s]+", tags)
    raw.tags = [t for t in (_text(x) for x in (tags or [])) if t]
    raw.status = _text(first("status"))
    _labelled_keys(raw, data)
    raw.identity = url_identity(raw.url)


def _labelled_keys(raw: RawDoc, data: dict[str, Any]) -> None:
    """Fields still empty, from keys named as a labelled line would be (`作者`, `发布时间`,
    `原文链接`, `Published`…): one rule for a label, in a body or in front matter."""
    for key, value in data.items():
        if key.lower() in _MAPPED:
            continue  # read above, by its own rule (a `source:` holding a script is no credit)
        if isinstance(value, (str, int, float)) or hasattr(value, "year"):
            for found in labels.read_line(f"{key}: {value}"):
                if found.kind == "labelled line" and not getattr(raw, found.field):
                    setattr(raw, found.field, found.value)


def _text(value: Any) -> str | None:
    """A scalar front matter value as clean text: stray wrapping quotes and links removed."""
    if value is None or isinstance(value, (dict, list)):
        return None
    text = str(value).strip()
    if len(text) >= 2 and text[0] in "\"'" and text[-1] == text[0]:
        text = text[1:-1]
    elif len(text) >= 2 and text[0] in "‘“" and text[-1] in "’”" and "://" in text:
        text = text[1:-1]
    return meta_text(re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text))


def has_credit(lines: list[str]) -> bool:
    """True when one of the first lines is an archive credit ('原文来自…', '文章来自…')."""
    return _credit_start(lines) is not None


def _credit_start(lines: list[str]) -> int | None:
    for k in [k for k, ln in enumerate(lines) if ln.strip()][:4]:
        if _CREDIT.match(lines[k]):
            return k
    return None


def credit_block(raw: RawDoc, lines: list[str]) -> list[str]:
    """Map and remove the archive credit block; return the remaining body lines."""
    start = _credit_start(lines)
    if start is None:
        return lines
    end = next((k for k in range(start, min(len(lines), start + 14)) if _RULE.match(lines[k])),
               None)
    if end is None:  # no rule: the block is the credit paragraph
        end = next((k for k in range(start, len(lines)) if not lines[k].strip()), len(lines))
        after = end
    else:
        after = end + 1
    block = [re.sub(r"^\s*>\s?", "", ln) for ln in lines[start:end]]
    text = "\n".join(block)
    m = _LINK.search(text)
    cut = m.end() if m and "\n" not in text[:m.start()] else 0
    line_end = text.find("\n", cut)
    line_end = len(text) if line_end < 0 else line_end
    _credit_line(raw, text[:line_end])
    tail = text[m.end():line_end].strip(" ，,。.") if cut else ""
    kept = [tail] if tail else []
    for line in text[line_end:].split("\n"):
        m_author = _AUTHOR.match(line)
        if m_author and not raw.author:
            name = unescape_markdown(m_author["name"])
            raw.author = _text(re.sub(r"^(?:作者\s*[|｜:：]?\s*)+", "", name))
        elif line.strip():
            kept.append(line)
    return lines[:start] + kept + ([""] if kept else []) + lines[after:]


def _credit_line(raw: RawDoc, credit: str) -> None:
    m = _LINK.search(credit)
    text, url = (m.group(2), m.group(3)) if m else ("", "")
    if m and "://" not in url and "://" in text:  # '[url](title)' written the wrong way round
        text, url = url, text
    if m and m.group(1) and m.group(4):
        raw.status = "deleted"
    if url:
        raw.url = article_url(url) or raw.url
        raw.identity = url_identity(raw.url)
    lead = _CREDIT.sub("", credit[:m.start()] if m else credit, count=1)
    first_line = lead.split("\n")[0]
    quoted = re.search(r"[「“\"](.+?)[」”\"]\s*(?:[(（]([A-Za-z][\w-]{3,})[)）])?", first_line)
    if quoted:
        account = quoted.group(1)
        raw.account_id = raw.account_id or quoted.group(2)
    else:
        account = _ACCOUNT_NOISE.sub("", first_line.split("：")[0].split(":")[0])
    account = meta_text(account.strip(_QUOTES + " ："))
    if not account and text and not _same(text, raw.title or "") and len(text) <= 20:
        account = meta_text(text)
    raw.account = raw.account or account


def _same(a: str, b: str) -> bool:
    ka, kb = normalize.match_key(a), normalize.match_key(b)
    return bool(ka) and bool(kb) and (ka in kb or kb in ka)
