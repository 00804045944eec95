"""Interface text of the default theme in the site's language: one table, one row per message.

`language` in site.yml picks the column: zh-CN (and zh, zh-Hans, zh-SG), zh-TW (and zh-HK,
zh-MO, zh-Hant), en (and any other language, for which no column exists yet). A message is a
str.format pattern; an English message that counts something is a (one, many) pair.
"""

from __future__ import annotations

import datetime as dt
from typing import Callable, Union

Text = Union[str, tuple[str, str]]

LANGUAGES = ("zh-CN", "zh-TW", "en")

MESSAGES: dict[str, tuple[Text, Text, Text]] = {
    # id: (zh-CN, zh-TW, en)
    "skip": ("跳到正文", "跳到正文", "Skip to content"),
    "nav": ("主导航", "主導覽", "Main"),
    "home": ("首页", "首頁", "Home"),
    "archive": ("归档", "歸檔", "Archive"),
    "tags": ("标签", "標籤", "Tags"),
    "accounts": ("公众号", "公眾號", "Accounts"),
    "account": ("公众号", "公眾號", "Account"),
    "search": ("搜索", "搜尋", "Search"),
    "search_articles": ("搜索文章", "搜尋文章", "Search articles"),
    "search_box": ("搜索标题、正文、公众号", "搜尋標題、內文、公眾號", "Search titles, text, accounts"),
    "feed_atom": ("订阅 Atom", "訂閱 Atom", "Atom feed"),
    "subscribe": ("订阅", "訂閱", "Feed"),
    "full_archive": ("全部归档", "全部歸檔", "Full archive"),
    "copyright": ("文章版权归原作者与原公众号所有；本站仅作存档。",
                  "文章版權歸原作者與原公眾號所有；本站僅作存檔。",
                  "Articles belong to their authors and original accounts; this site keeps an archive."),
    "pages": ("分页", "分頁", "Pages"),
    "newer_page": ("← 较新", "← 較新", "← Newer"),
    "older_page": ("较早 →", "較早 →", "Older →"),
    "page_n": ("第 {n} 页", "第 {n} 頁", "Page {n}"),
    "undated": ("未注明日期", "未註明日期", "Undated"),
    "words": ("{n} 字", "{n} 字", ("{n} word", "{n} words")),
    "minutes": ("约 {n} 分钟读完", "約 {n} 分鐘讀完", "{n} min read"),
    "by_author": ("作者：{name}", "作者：{name}", "By {name}"),
    "deleted": ("原文已被删除，此处为存档。", "原文已被刪除，此處為存檔。",
                "The original has been deleted; this is the archived copy."),
    "status": ("原文状态：{status}", "原文狀態：{status}", "Status of the original: {status}"),
    "source": ("来源", "來源", "Source"),
    "original": ("原文", "原文", "Original"),
    "prev_next": ("上一篇和下一篇", "上一篇和下一篇", "Newer and older articles"),
    "newer": ("较新一篇", "較新一篇", "Newer"),
    "older": ("较早一篇", "較早一篇", "Older"),
    "related": ("相关文章", "相關文章", "Related articles"),
    "n_articles": ("共 {n} 篇", "共 {n} 篇", ("{n} article", "{n} articles")),
    "n_articles_home": ("共 {n} 篇文章", "共 {n} 篇文章", ("{n} article", "{n} articles")),
    "n_count": ("{n} 篇", "{n} 篇", ("{n} article", "{n} articles")),
    "n_terms": ("共 {n} 个", "共 {n} 個", "{n} in all"),
    "archive_count": ("{years} 年 · 共 {n} 篇", "{years} 年 · 共 {n} 篇",
                      ("{years} years · {n} article", "{years} years · {n} articles")),
    "crumbs": ("位置", "位置", "Breadcrumbs"),
    "months": ("月份", "月份", "Months"),
    "by_year": ("按年份", "按年份", "By year"),
    "sort": ("排序：", "排序：", "Sort:"),
    "sorting": ("排序", "排序", "Sort"),
    "by_count": ("按文章数", "按文章數", "by articles"),
    "by_name": ("按名称", "按名稱", "by name"),
    "not_found": ("页面不存在", "頁面不存在", "Page not found"),
    "not_found_text": ("这个地址没有文章。它可能已被移动，或者链接有误。",
                       "這個位址沒有文章。它可能已被移動，或者連結有誤。",
                       "There is no article at this address. It may have moved, or the link is wrong."),
    "back_home": ("回到首页", "回到首頁", "Back to the home page"),
    "browse_archive": ("浏览归档", "瀏覽歸檔", "Browse the archive"),
    "feed_of": ("{name} · {kind} · {site}", "{name} · {kind} · {site}", "{name} · {kind} · {site}"),
}

_MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December")


def language_of(setting: str) -> str:
    """The column of MESSAGES for site.yml's LANGUAGE."""
    tag = setting.strip().lower().replace("_", "-")
    if tag == "zh" or tag.startswith("zh-"):
        return "zh-TW" if any(part in tag.split("-") for part in ("tw", "hk", "mo", "hant")) \
            else "zh-CN"
    return "en"


class Texts:
    """The interface text and date forms of one language."""

    def __init__(self, setting: str):
        self.language = language_of(setting)
        self._column = LANGUAGES.index(self.language)

    def __call__(self, key: str, **values: object) -> str:
        text = MESSAGES[key][self._column]
        if isinstance(text, tuple):
            text = text[0] if values.get("n") == 1 else text[1]
        return text.format(**values)

    def year(self, year: int) -> str:
        return str(year) if self.language == "en" else f"{year}年"

    def month(self, month: int) -> str:
        return _MONTHS_EN[month - 1] if self.language == "en" else f"{month}月"

    def year_month(self, year: int, month: int) -> str:
        return f"{_MONTHS_EN[month - 1]} {year}" if self.language == "en" else f"{year}年{month}月"

    def date(self, day: dt.date) -> str:
        if self.language == "en":
            return f"{_MONTHS_EN[day.month - 1]} {day.day}, {day.year}"
        return f"{day.year}年{day.month}月{day.day}日"


def texts(setting: str) -> Texts:
    """The Texts of site.yml's LANGUAGE."""
    return Texts(setting)


Translate = Callable[..., str]
