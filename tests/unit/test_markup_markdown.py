"""Markdown rendering: untrusted HTML sanitized (never executable), plain text, word counts."""

from __future__ import annotations

import html as htmllib
import re

import nh3
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.render.env import http_url, xml_text
from generator.markup.markdown import reading_minutes, render, sanitize, sanitized_text, word_count

ATTACKS = [
    '<script>alert(1)</script>',
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '[x](javascript:alert(1))',
    '<iframe src="https://evil.example/"></iframe>',
    '<svg onload="alert(1)"><circle/></svg>',
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<object data="x.swf"></object><embed src="x.swf">',
    '<form action="https://evil.example/"><input name=p></form>',
    '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    '<base href="https://evil.example/">',
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    '<p id="main">clobber</p>',
    '<!-- <script>alert(1)</script> -->',
    '<style>body{display:none}</style>',
]


@pytest.mark.parametrize("attack", ATTACKS)
def test_nothing_executable_survives(attack):
    html, _ = render(f"前文\n\n{attack}\n\n后文 <b onmouseover=\"x()\">粗</b>")
    lowered = html.lower()
    for bad in ("<script", '="javascript:', "onerror", "onload", "onmouseover", "<iframe",
                "<svg", "<object", "<embed", "<form", "<meta", "<base", "data:text",
                "<style", 'id="main"', "<!--"):
        assert bad not in lowered, (attack, html)
    assert "前文" in html and "后文" in html


def test_markdown_features():
    html, text = render("# 标题\n\n| a | b |\n|--:|---|\n| 1 | 2 |\n\n脚注[^1]\n\n[^1]: 注释\n\n"
                        "~~删除~~ `代码`\n\n![图](https://mmbiz.qpic.cn/x.jpg)\n")
    assert '<th style="text-align:right">a</th>' in html
    assert 'id="fn1"' in html and 'href="#fn1"' in html
    assert "<s>删除</s>" in html and "<code>代码</code>" in html
    assert 'loading="lazy"' in html
    assert text.startswith("标题") and "注释" in text and "<" not in text


def test_plain_text_skips_inline_scripts():
    _, text = render("可见 <script>alert(1)</script> 文字")
    assert "alert" not in text and "可见" in text and "文字" in text


def test_word_count_and_reading_time():
    assert word_count("中文字符，共七个字") == 8
    assert word_count("Hello world 你好") == 4
    assert word_count("COVID-19 疫情") == 3
    assert word_count("𠀀𠀁 CJK 扩展 B") == 6  # astral Han characters count one each
    assert reading_minutes(0, 450) == 1
    assert reading_minutes(451, 450) == 2


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("中文字𠀀 \n,.-'’aZ9éжの，。"), max_size=60))
def test_word_count_counts_each_han_character(text):
    han = sum(1 for ch in text if ch in "中文字𠀀")
    latin = len(re.findall(r"[A-Za-z0-9\u00c0-\u024f]+(?:['’.-][A-Za-z0-9\u00c0-\u024f]+)*", text))
    assert word_count(text) == han + latin


def test_helpers_for_templates():
    assert http_url("javascript:alert(1)") is None
    assert http_url(" https://mp.weixin.qq.com/s/x ") == "https://mp.weixin.qq.com/s/x"
    assert xml_text("a\x08b\x00c") == "abc"


def test_rust_and_python_markdown_it_agree():
    import re
    from pathlib import Path

    from markdown_it import MarkdownIt
    from mdit_py_plugins.footnote import footnote_plugin

    from generator.model.frontmatter import parse
    from generator.markup.markdown import sanitize

    rust = pytest.importorskip("markdown_it_pyrs").MarkdownIt("commonmark").enable_many(
        ["table", "strikethrough", "footnote"])
    python = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    python.use(footnote_plugin)
    fixtures = Path(__file__).parent.parent / "fixtures" / "site" / "content"
    bodies = [parse(p.read_text(encoding="utf-8")).body for p in sorted(fixtures.rglob("*.md"))]
    bodies += ATTACKS + ["a  \nb\\\nc\n\n> q\n\n1) x\n2) y\n\n* a\n\n  b\n", "`x` *y* __z__ ~~w~~\n"]

    def same(html: str) -> str:
        return re.sub(r">\s+<", "><", sanitize(html)).strip()

    for body in bodies:
        assert same(rust.render(body)) == same(python.render(body)), body


_PIECES = [
    "文字", "a < b", "x > y", "&amp;", "&lt;p&gt;", "&nbsp;", "\u00a0", '"q"', "'s", "\n", " ",
    "<p>", "</p>", "<sup>", "</sup>", '<sup class="a>b">', "<em>", "</em>", "<br>", "<hr>",
    '<a href="https://x.org/?a=1&b=2">', '<a title="1 > 0 &quot;q&quot;">', "</a>",
    '<img alt="a>b" src="x.png">', "<script>s<p>x</p></script>", "<style>p{}</style>",
    "<!-- c > d -->", "<![CDATA[z]]>", "<?pi x?>", "<table><tr><td>c</td></tr></table>",
    "<div>", "</div>", "<ruby>字<rt>zi</rt></ruby>", "<unknown>u</unknown>", "<", ">", "&",
    "<sup>1<sup>2</sup>3</sup>", "<textarea><b>t</b></textarea>", "<title>t</title>",
]


_TEXT_ONLY = nh3.Cleaner(tags=set(), clean_content_tags={"script", "style", "sup"})


def strip_tags(html: str) -> str:
    """Text of HTML by a full html5ever parse: what sanitized_text must agree with."""
    return htmllib.unescape(_TEXT_ONLY.clean(html))


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=25))
def test_text_of_sanitized_html_matches_a_full_parse(pieces):
    html = sanitize("".join(pieces))
    assert sanitized_text(html) == strip_tags(html)


def test_text_of_sanitized_html_drops_footnote_marks():
    html = sanitize('正文<sup class="footnote-ref"><a href="#fn1" id="fnref1">[1]</a></sup>。')
    assert sanitized_text(html) == "正文。" == strip_tags(html)
