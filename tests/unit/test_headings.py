"""Heading ids (h2–h4) and the headings' places in the body text, on real Markdown."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.markup import headings
from generator.markup.markdown import plain_text, rendered

THEME = Path(__file__).parents[2] / "generator" / "themes" / "default" / "templates"


def ids(html: str) -> list[str]:
    return re.findall(r'<h[234] id="([^"]*)"', html)


def test_chinese_headings_keep_their_text_and_lose_punctuation():
    r = rendered("## 第一章：开端\n\n### 2018年，上海\n\n#### Hello, World!\n\n# 标题\n\n##### 五级\n")
    assert ids(r.html) == ["第一章开端", "2018年上海", "hello-world"]
    assert "<h1>标题</h1>" in r.html and "<h5>五级</h5>" in r.html  # h1 and h5+ get none
    assert [h.text for h in r.headings] == ["第一章：开端", "2018年，上海", "Hello, World!"]


def test_duplicates_get_numbers_and_never_collide():
    r = rendered("## 小结\n\n## 小结\n\n## 小结-1\n\n## 小结\n\n## ！！\n\n## ？\n")
    assert ids(r.html) == ["小结", "小结-1", "小结-1-1", "小结-2", "section", "section-1"]


def test_markup_in_headings_is_text_and_ids_are_escaped():
    r = rendered('## *强调* &amp; `code` <a href="https://x.cn/">链接</a>\n\n'
                 '## "><script>alert(1)</script>\n\n<h3 id="main" onclick="x()">他的 id</h3>\n')
    assert ids(r.html) == ["强调--code-链接", "section", "他的-id"]  # script content dropped
    assert r.headings[0].text == "强调 & code 链接"
    assert "<script" not in r.html and "onclick" not in r.html
    assert r.html.count(' id="') == 3  # the raw heading's own id is gone, ours replaces it


def test_ids_stay_clear_of_the_theme_and_the_footnotes():
    written = set()
    for template in THEME.rglob("*.html"):
        written |= set(re.findall(r'\bid="([^"{]*)"', template.read_text(encoding="utf-8")))
    assert written <= headings.THEME_IDS  # the table knows every id the theme writes
    r = rendered("## Main\n\n## search\n\n## fn1\n\n## y2018\n\n正文[^1]\n\n[^1]: 注\n")
    assert ids(r.html) == ["main-1", "search-1", "fn1-1", "y2018-1"]


def test_each_heading_is_placed_where_its_text_starts():
    body = ("开头一段。\n\n## 第一节\n\n内容甲 𠮷。\n\n<h3>\n  多行\n  标题\n</h3>\n\n"
            "> ## 引用里的标题\n\n- 列表\n\n## 末尾\n")
    r = rendered(body)
    assert r.text == plain_text(r.html)
    assert [h.text for h in r.headings] == ["第一节", "多行 标题", "引用里的标题", "末尾"]
    for h in r.headings:
        assert r.text[h.at:].startswith(h.text.split()[0]), h


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["## 甲", "### 乙 丙", "正文。", "  ", "\n", "<h4> 丁 </h4>",
                                 "> ## 戊", "- ## 己", "`x`", "[^1]", "[^1]: 注", "<h2></h2>",
                                 "<sup><h2>庚</h2></sup>"]), max_size=12))
def test_marks_never_change_the_text(pieces):
    r = rendered("\n\n".join(pieces))
    assert r.text == plain_text(r.html)
    for h in r.headings:
        assert 0 <= h.at <= len(r.text)
        assert r.text[h.at:].startswith(h.text[:1])
