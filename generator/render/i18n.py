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
    # the search page (template) and its script (given the "s_" messages as data-text)
    "search_terms": ("搜索词", "搜尋詞", "Search terms"),
    "search_hint": ("输入词句、人名、编号…", "輸入詞句、人名、編號…", "Words, names, numbers…"),
    "search_help": ("找出标题、正文或公众号中含有所输入文字的文章（中英文、数字、标点均可，英文不分大小写、全角半角）；"
                    "用空格隔开的几个词须同时出现。",
                    "找出標題、內文或公眾號中含有所輸入文字的文章（中英文、數字、標點均可，英文不分大小寫、全形半形）；"
                    "用空格隔開的幾個詞須同時出現。",
                    "Finds the articles whose title, text or account contains what you type (any "
                    "script, digits or punctuation; case and width do not matter); words separated "
                    "by spaces must all appear."),
    "search_keys": ("按 / 回到搜索框，↓ ↑ 在结果间移动。", "按 / 回到搜尋框，↓ ↑ 在結果間移動。",
                    "Press / to search again, ↓ ↑ to move between results."),
    "sort_by": ("排序", "排序", "Sort"),
    "relevance": ("相关度", "相關度", "Relevance"),
    "newest": ("最新在前", "最新在前", "Newest first"),
    "oldest": ("最早在前", "最早在前", "Oldest first"),
    "year": ("年份", "年份", "Year"),
    "filters": ("按公众号、标签筛选", "按公眾號、標籤篩選", "Filter by account or tag"),
    "needs_js": ("搜索需要启用 JavaScript。", "搜尋需要啟用 JavaScript。", "Search needs JavaScript."),
    "more_results": ("显示更多结果", "顯示更多結果", "Show more results"),
    "s_enter": ("请输入要查找的文字。", "請輸入要查找的文字。", "Type what to look for."),
    "s_searching": ("正在搜索…", "正在搜尋…", "Searching…"),
    "s_index_failed": ("搜索索引加载失败（{error}）。", "搜尋索引載入失敗（{error}）。",
                       "The search index could not be loaded ({error})."),
    "s_facets_failed": ("筛选数据加载失败（{error}）。", "篩選資料載入失敗（{error}）。",
                        "The filters could not be loaded ({error})."),
    "s_all_years": ("全部年份", "全部年份", "All years"),
    "s_all_accounts": ("全部公众号", "全部公眾號", "All accounts"),
    "s_all_tags": ("全部标签", "全部標籤", "All tags"),
    "s_found": ("找到 {n} 篇文章", "找到 {n} 篇文章", ("{n} article found", "{n} articles found")),
    "s_before_filter": ("（筛选前 {n} 篇）", "（篩選前 {n} 篇）", " ({n} before filtering)"),
    "s_end": ("。", "。", "."),
    "s_none": ("没有找到包含{term}的文章", "沒有找到包含{term}的文章", "No article contains {term}"),
    "s_none_each": ("没有文章包含{terms}", "沒有文章包含{terms}", "No article contains {terms}"),
    "s_none_all": ("没有同时包含{terms}的文章（{counts}）", "沒有同時包含{terms}的文章（{counts}）",
                   "No article contains all of {terms} ({counts})"),
    "s_quote": ("“{t}”", "「{t}」", "“{t}”"),
    "s_or": ("、", "、", " or "),
    "s_and": ("和", "和", " and "),
    "s_count": ("{term} {n} 篇", "{term} {n} 篇", "{term}: {n}"),
    "s_count_sep": ("，", "，", ", "),
    "s_untitled": ("（无标题）", "（無標題）", "(untitled)"),
    "s_excerpt_failed": ("（摘要加载失败）", "（摘要載入失敗）", "(excerpt could not be loaded)"),
    "s_sections": ("文中的相关小节", "文中的相關小節", "Matching sections"),
    "s_date": ("{y}年{month}{d}日", "{y}年{month}{d}日", "{month} {d}, {y}"),
    "s_months": (" ".join(f"{m}月" for m in range(1, 13)), " ".join(f"{m}月" for m in range(1, 13)),
                 "January February March April May June July August September October "
                 "November December"),
    "s_undated": ("未注明日期", "未註明日期", "Undated"),
    "s_only_tag": ("只看标签{tag}", "只看標籤{tag}", "Only the tag {tag}"),
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

    def script(self) -> dict[str, str | list[str]]:
        """The messages of the search script ("s_…"), English counts as [one, many]."""
        return {key: list(row[self._column]) if isinstance(row[self._column], tuple)
                else row[self._column] for key, row in MESSAGES.items() if key.startswith("s_")}

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
