"""html_to_md: untrusted article HTML → clean, inert Markdown."""

import html
import re

from hypothesis import given, settings, strategies as st
from markdown_it import MarkdownIt

from generator.clean.html_to_md import convert
from generator.clean.urls import clean_url, fix_entities, safe_url

MD = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])


def text_of(rendered: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", rendered))


def test_wechat_section_soup_becomes_plain_paragraphs():
    src = ('<section style="x"><section><p><span leaf="">第一段</span></p>\n\n<p><br></p>'
           '<section><span>中文</span>\n   <span>接续</span></section></section>'
           '<p>&nbsp;</p><section><section><span> English words </span><span>here</span>'
           '</section></section></section>')
    assert convert(src) == "第一段\n\n中文接续\n\nEnglish words here\n"


def test_headings_lists_quotes_and_rules():
    src = ("<h1>大标题</h1><h3>小节</h3><ul><li>一<ul><li>深</li></ul></li><li><p>二</p></li></ul>"
           "<ol start='3'><li>三</li><li>四</li></ol><blockquote><p>引一</p><p>引二</p></blockquote>"
           "<hr><hr><p>完</p><hr>")
    assert convert(src) == ("## 大标题\n\n#### 小节\n\n- 一\n  - 深\n- 二\n\n3. 三\n4. 四\n\n"
                            "> 引一\n>\n> 引二\n\n---\n\n完\n")


def test_short_bold_lines_become_headings_but_bold_sentences_do_not():
    src = ("<p><strong>一、背景介绍</strong></p><p>正文一段，说明问题。</p>"
           "<p><span style='font-weight: bold'>二、做法</span></p><p>正文二。</p>"
           "<p><strong>这是一句加粗的话。还有一句。</strong></p><p>正文三。</p>"
           "<p><strong>（括号里的提示）</strong></p><p><b>要点：</b></p><p>正文四。</p>")
    out = convert(src)
    assert "## 一、背景介绍" in out and "## 二、做法" in out
    assert "**这是一句加粗的话。还有一句**。" in out
    assert "（**括号里的提示**）" in out and "**要点**：" in out


def test_mostly_bold_text_is_not_turned_into_headings():
    src = "".join(f"<p><b>第{i}行加粗</b></p>" for i in range(5)) + "<p>普通</p>"
    assert "#" not in convert(src)


def test_emphasis_next_to_cjk_punctuation_still_renders():
    src = "<p>他说<strong>“感恩之心”</strong>很重要，<em>（注）</em>还有<b>重点：</b>内容</p>"
    md = convert(src)
    rendered = MD.render(md)
    assert rendered.count("<strong>") == 2 and "*" not in text_of(rendered)
    assert text_of(rendered).strip() == "他说“感恩之心”很重要，（注）还有重点：内容"


def test_tables_and_layout_tables():
    src = ("<table><tr><th>名称</th><th>值|管道</th></tr><tr><td colspan='2'>跨<br>两列</td></tr>"
           "</table><table><tr><td><p>布局表里的段落</p><p>第二段</p></td></tr></table>")
    assert convert(src) == ("| 名称 | 值\\|管道 |\n|---|---|\n| 跨 两列 |  |\n\n"
                            "布局表里的段落\n\n第二段\n")


def test_code_blocks_and_wechat_code_snippets():
    snippet = ('<section class="code-snippet__fix code-snippet__js"><ul class="code-snippet__line-index'
               ' code-snippet__js"><li></li><li></li></ul><pre class="code-snippet__js" '
               'data-lang="python"><code><span class="code-snippet_outer">def f():</span></code>'
               '<code><span class="code-snippet_outer">&nbsp; &nbsp; return "```"</span></code>'
               '</pre></section>')
    assert convert(snippet) == '````python\ndef f():\n    return "```"\n````\n'
    assert convert("<pre>a<br>b &lt;c&gt;</pre>") == "```\na\nb <c>\n```\n"
    assert convert("<p>用 <code>a`b</code> 命令</p>") == "用 ``a`b`` 命令\n"


def test_links_are_sanitised_and_wechat_links_cleaned():
    src = ('<p><a href="javascript:alert(1)">坏</a> <a href=" JaVa&#x09;script:x">也坏</a> '
           '<a href="https://mp.weixin.qq.com/s?__biz=Mz&amp;mid=1&amp;idx=2&amp;sn=3&amp;scene=21'
           '&amp;uin=U&amp;key=K#wechat_redirect">好</a> <a href="/rel (1)">相对</a> '
           '<a href="#top">锚</a> <a href="mailto:a@b.c">信</a></p>')
    out = convert(src, base_url="https://example.com/dir/page.html")
    assert out == ("坏 也坏 [好](https://mp.weixin.qq.com/s?__biz=Mz&mid=1&idx=2&sn=3) "
                   "[相对](https://example.com/rel%20%281%29) 锚 [信](mailto:a@b.c)\n")


def test_images_use_real_urls_and_drop_placeholders():
    src = ('<p><img data-src="https://mmbiz.qpic.cn/a/640?wx_fmt=png&amp;from;=appmsg&amp;tp=webp" '
           'src="data:image/gif;base64,R0lGOD" alt="图片"></p>'
           '<p><img src="https://mmbiz.qpic.cn/b/0?wx_fmt=gif" width="1" height="1"></p>'
           '<p><img src="https://res.wx.qq.com/mmbizwap/icon.png"></p>'
           '<p><img src="https://x.com/pic.svg"></p><p><img src="data:image/png;base64,AAA"></p>'
           '<p><img src="//cdn.example.com/c.jpg" alt="a [b]"></p>')
    assert convert(src) == ("![](https://mmbiz.qpic.cn/a/640?wx_fmt=png&from=appmsg)\n\n"
                            "![a \\[b\\]](https://cdn.example.com/c.jpg)\n")


def test_nothing_executable_or_hidden_survives():
    src = ('<script>alert(1)</script><style>p{}</style><iframe src="x"></iframe>'
           '<form><input value="v"><button>提交</button></form><svg><text>s</text></svg>'
           '<noscript>ns</noscript><p style="display:none">隐藏</p><p hidden>也隐藏</p>'
           '<mp-common-profile data-nickname="号"></mp-common-profile>'
           '<p onmouseover="evil()">正文 &lt;script&gt;alert(2)&lt;/script&gt; '
           '<span style="display: none">藏</span>&lt;img src=x onerror=alert(3)&gt;</p>'
           '<p>[点我](javascript:alert(4)) &amp;lt; *星* _下_</p>')
    out = convert(src)
    assert "隐藏" not in out and "藏" not in out and "alert(1)" not in out and "提交" not in out
    rendered = MD.render(out)
    assert "<script" not in rendered and "<img" not in rendered and "href" not in rendered
    assert "<em>" not in rendered
    assert text_of(rendered).split() == ["正文", "<script>alert(2)</script>",
                                         "<img", "src=x", "onerror=alert(3)>",
                                         "[点我](javascript:alert(4))", "&lt;", "*星*", "_下_"]


def test_line_starts_that_would_become_markup_are_escaped():
    for text in ("# 不是标题", "1. 不是列表", "- 不是列表", "> 不是引用", "---", "+ 加", "==="):
        rendered = MD.render(convert(f"<p>{html.escape(text)}</p>"))
        assert rendered == f"<p>{html.escape(text, quote=False)}</p>\n", text


def test_url_helpers():
    assert fix_entities("https://a/b?x=1&amp;amp;from;=appmsg") == "https://a/b?x=1&from=appmsg"
    assert safe_url("data:text/html,x") is None and safe_url("vbscript:x") is None
    assert clean_url("http://mp.weixin.qq.com/s/AbC-d_1?scene=1&uin=x#rd") == \
        "https://mp.weixin.qq.com/s/AbC-d_1"
    assert clean_url("https://news.example.com/a?id=3&lang=en&uin=9&sharer_shareid=1") == \
        "https://news.example.com/a?id=3&lang=en"


TEXT = st.text(alphabet=st.sampled_from(list("ab 中文，。“”（）*_`[]<>#&;!~|\\-+=.1()")),
               max_size=30)


@settings(max_examples=150, deadline=None)
@given(TEXT, TEXT, TEXT)
def test_any_text_renders_literally(a, b, c):
    src = f"<p>{html.escape(a)}<strong>{html.escape(b)}</strong>{html.escape(c)}</p>"
    rendered = MD.render(convert(src))
    assert not re.search(r"<(?!/?(p|strong)>)", rendered), rendered
    assert " ".join(text_of(rendered).split()) == " ".join((a + b + c).split())


ALLOWED = {"p", "strong", "em", "a", "img", "ul", "ol", "li", "table", "thead", "tbody", "tr",
           "th", "td", "pre", "code", "h2", "h3", "h4", "h5", "h6", "blockquote", "hr", "br", "s"}
PIECES = ["<p>", "</p>", "<div>", "</div>", "<section>", "</section>", "<span>", "</span>",
          "<b>", "</b>", "<em>", "</em>", "<a href='javascript:x()'>", "<a href='https://e.com/'>",
          "</a>", "<img src='https://e.com/i.png'>", "<img data-src='//e.com/j.png' src='data:,'>",
          "<ul>", "</ul>", "<ol>", "</ol>", "<li>", "</li>", "<table>", "<tr>", "<td>", "</td>",
          "</tr>", "</table>", "<pre>", "</pre>", "<code>", "</code>", "<h1>", "</h1>", "<h3>",
          "</h3>", "<blockquote>", "</blockquote>", "<br>", "<hr>", "<script>evil()", "</script>",
          "<style>", "</style>", "<iframe>", "<svg onload=x>", "<p onclick='x()'>", "文字", "text",
          " ", "\n", "*", "_", "`", "[", "]", "(", ")", "#", "1.", "-", "&lt;b&gt;", "&amp;", "|",
          "“", "”", "：", "<!-- c -->", "<![CDATA[x]]>", "<x-widget>w</x-widget>", "<mpvoice>"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40))
def test_tag_soup_never_breaks_or_leaks_markup(pieces):
    out = convert("".join(pieces))
    rendered = MD.render(out)
    tags = set(re.findall(r"</?([a-z0-9]+)", rendered))
    assert tags <= ALLOWED, (out, rendered)
    assert "javascript:" not in rendered and "evil" not in rendered and "data:" not in rendered


def test_absurdly_deep_nesting_keeps_the_text():
    src = "<section>" * 3000 + "<p>深<script>x()</script><b>*粗*</b></p>" + "</section>" * 3000
    assert convert(src) == "深\\*粗\\*\n"


def test_tencent_video_frames_become_links_and_other_frames_vanish():
    src = ('<p>前</p><iframe class="video_iframe" data-src="https://v.qq.com/iframe/preview.html?'
           'vid=m0713abc&amp;width=500"></iframe><iframe src="https://evil.example/x?vid=1">'
           '</iframe><p>后</p>')
    assert convert(src) == "前\n\n[视频](https://v.qq.com/x/page/m0713abc.html)\n\n后\n"


def test_bare_ampersand_names_in_pasted_urls_stay_text():
    from generator.clean.html_to_md import convert

    out = convert("<p>https://mp.weixin.qq.com/s?__biz=X&mid=1&idx=2 &copy 2020</p>")
    assert "&mid=1&idx=2" in out and "∣" not in out and "© 2020" in out
