"""Whether a cleaned article read from a file of its own is an article at all.

A scraped folder holds more than articles: its README.md and SOURCES.md, notes, index pages.
They are reported as not articles instead of being imported with their file name as title.
"""

from __future__ import annotations

import re
from pathlib import PurePath

from generator.meta import dates
from generator.model.article import Article
from generator.model.rawdoc import RawDoc

# A repository's or a scraped folder's own documents (GitHub's special files, gitbook's SUMMARY).
_PROJECT_DOCS = re.compile(r"(?i)(readme|sources|license|licence|copying|changelog|contributing"
                           r"|code_of_conduct|authors)(\.[\w-]+)*")
_CAPTCHA = re.compile(r"环境异常|完成验证后即可继续访问|请完成安全验证|访问过于频繁")
_ERROR_PAGE_CHARS = 400
"""An error page says its few words and nothing else: a body this short at most."""
_WECHAT_IMAGE = re.compile(r"!\[[^\]]*\]\(\s*<?(?:https?:)?//mmbiz\.(?:qpic|qlogo)\.cn/")


def not_article(article: Article, raw: RawDoc) -> str | None:
    """Why ARTICLE, read from a file of its own, is not one; None when it is one.

    An article says so somewhere: a date, account, author, source, URL or tag from any field,
    a date in its file name or its opening lines, WeChat images in its body. A file with none
    of that (a scraped folder's notes), or a project document (README.md, SOURCES.md…) with no
    metadata field, is not an article. A record of a JSON/CSV/feed dump is an article by the
    dump's own schema and is not asked. Whatever the input, a body that is only a verification
    page (环境异常, 完成验证后即可继续访问: what WeChat serves a scraper it blocks) is none."""
    f = article.front
    text = article.body[:4 * _ERROR_PAGE_CHARS]
    if len(text) < 4 * _ERROR_PAGE_CHARS and _CAPTCHA.search(text) and \
            len(re.sub(r"\W+", "", text)) < _ERROR_PAGE_CHARS:
        return "verification page (captcha), not the article: fetch it again"
    if raw.record is not None or f.date or f.account or f.account_id or f.author or f.source \
            or f.url or raw.tags:
        return None
    name = PurePath(raw.input).name
    if _PROJECT_DOCS.fullmatch(name):
        return "not an article: a project document with no article metadata"
    if dates.find(PurePath(name).stem) or dates.find(article.body[:400]) or \
            _WECHAT_IMAGE.search(article.body):
        return None
    return "no article signals (no date, account, author, source or URL)"
