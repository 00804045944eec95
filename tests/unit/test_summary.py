"""Summaries come from the article's own opening text; a dash line under a paragraph is a rule."""

from __future__ import annotations

import re

import pytest

from generator.clean import normalize
from generator.clean.summary import openings, summarize
from generator.markup.markdown import render

OPENING = "今天我们学习元音i的短音。这些单词也都有相同的规则：三明治单词。"


@pytest.mark.parametrize("header", [
    "（**想加入免费课程的学习？请留意底部信息**）",           # an editor's aside in brackets
    "原创 我是哥飞 哥飞",                                   # a byline
    "THN 代码卫士 2023-08-14 17:46",                         # a dateline
    "> 来源: 太阳照常升起",                                  # a labelled line
    "本文系读者投稿，来稿请投至：",                           # an editor's note
    "[  ](https://gh0st.cn/) Back to Index",                 # navigation
    "微信号 kezibei001\n\n功能介绍 分享自己的安全技术，渗透实例，IT知识，拒绝转载，坚持原创。",
    "预览时标签不可点",
])
def test_header_lines_never_become_the_summary(header):
    assert summarize(f"{header}\n\n{OPENING}\n") == OPENING


def test_no_markdown_marks_or_unbalanced_brackets():
    body = "**0x01 工具介绍*\n\n*前言:这几天到处都是这个漏洞的通告，就简单看了下**。\n"
    assert summarize(body) == "前言:这几天到处都是这个漏洞的通告，就简单看了下。"
    quoted = "“在渗透测试中，常常会遇到这种情况？那么接下来就会介绍一些免杀思路。”\n"
    assert summarize(quoted) == quoted.strip()
    long = "他说（" + "这是一段很长的括号里的话，" * 20 + "）。\n"
    out = summarize(long)
    assert out.count("（") == out.count("）") and "*" not in out


def test_a_leading_aside_is_dropped_and_sentences_stay_whole():
    body = "（想加入免费课程的学习？请留意底部信息）" + OPENING + "跟读视频\n"
    assert summarize(body) == OPENING


def test_shared_openings_are_skipped():
    trailer = "点击上方蓝字关注我们，每天一篇好文章，陪你成长进步。"
    body = f"{trailer}\n\n{OPENING}\n"
    keys = openings(body)
    assert summarize(body) == trailer
    assert summarize(body, shared={keys[0]}) == OPENING


def test_dash_line_after_a_paragraph_is_a_rule_in_content_and_as_rendered():
    md = normalize.body("第一段文字，写完了。\n---\n第二段。\n\n小节标题\n--------\n\n正文。\n")
    assert md == "第一段文字，写完了。\n\n---\n第二段。\n\n## 小节标题\n\n正文。\n"
    html, _ = render(md)
    assert "<hr" in html and not re.search(r"<h2[^>]*>第一段", html)
    assert re.search(r'<h2 id="小节标题">小节标题</h2>', html)
