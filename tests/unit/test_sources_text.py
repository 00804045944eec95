"""Adapter "text" (page-text dumps): every corpus specimen, the seed's acceptance, edge cases."""

from __future__ import annotations

import datetime as dt
import gzip
import re
from functools import lru_cache
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from generator.clean import chrome
from generator.config import load_config
from generator.errors import InputError
from generator.ingest import convert
from generator.sources.text import adapter
from generator.sources.text.body import UI_LINES, is_js, shape, split_islands, to_markdown
from generator.sources.text.literal import unwrap
from tests.golden import check_text

FIXTURES = Path(__file__).parent.parent / "fixtures" / "clean" / "text"
SEED = "seed__000_8e82cd5f524b7bae.txt"
LAOPO_HEAD = "（想加入免费课程的学习？请留意底部信息）"
LAOPO_TAIL = "请扫描二维码后回复“自拼”，加入学习。"
LAOPO_DESC = "家有三个娃，现居加拿大，妈妈是医生"


def _laopo(title: str, author: str) -> dict:
    return dict(title=title, date=dt.date(2017, 1, 18), account="安格努努", account_id="drmammy",
                author=author, first=LAOPO_HEAD, last=LAOPO_TAIL)


# What each page (the HTML page of the same name, or the seed's own header) says.
EXPECTED: dict[str, dict] = {
    SEED: dict(title="绍兴组工：组织工作新担当新作为︱应尧刚：更大力度为越城提升首位度提供坚强组织保障",
               date=dt.date(2018, 9, 27), account="越城组工", account_id="yuechengZG",
               source="绍兴组工", first="认真学习全国和省、市组织工作会议精神", last="成长起来。"),
    "iq9891__laopo__no1-35ef7421.txt": _laopo("自然拼读法课程00 - 字母的发音", "小王老师"),
    "iq9891__laopo__no2-80d4ad34.txt": _laopo("自然拼读法课程00 - 认识字母", "小王老师"),
    "iq9891__laopo__no3-5c7692a9.txt": _laopo("自然拼读法免费课程01 - a的短音", "小王老师"),
    "iq9891__laopo__no4-616af458.txt": _laopo("自然拼读法学习资料-a的短音小故事", "Yinyin"),
    "iq9891__laopo__no5-011be5e7.txt": _laopo("自然拼读法免费课程02 - e的短音", "小王老师"),
    "iq9891__laopo__no6-c64d106f.txt": _laopo("自然拼读法学习资料-e的短音小故事", "Yinyin"),
    "iq9891__laopo__no7-f92bfb86.txt": _laopo("自然拼读法免费课程03 - 元音i的短音", "小王老师"),
    "iq9891__laopo__no8-3f73c363.txt": _laopo("自然拼读法学习资料-i的短音小故事", "Yinyin"),
    "iq9891__laopo__no9-4ee8ec21.txt": _laopo("自然拼读法免费课程04 - o的短音", "小王老师"),
    "iq9891__laopo__no10-f7bfa026.txt": _laopo("自然拼读法学习资料-o的短音小故事", "Yinyin"),
    "wechat-article__wechat-article-exporter__01-ac58b705.txt.gz": dict(
        title="AI编程带给程序员的危与机", account="轩辕的编程宇宙", account_id="xuanyuancoding",
        date=dt.datetime(2025, 10, 7, 14, 13, 11, tzinfo=dt.timezone(dt.timedelta(hours=8))),
        url="https://mp.weixin.qq.com/s/o0tunrGKXwJxw4LZujRQdg",
        identity="wx:MzIyNjMxOTY0NA==:2247503866:1",
        first="这两年经常听到AI编程要取代程序员的论调", last="欢迎留言，我会逐一回答。"),
    "derived__wechat-article-exporter__01-a257c3ef.txt.gz": dict(
        title="AI编程害死我了，给我的抓包软件埋了一个大雷！", account="轩辕的编程宇宙",
        account_id="xuanyuancoding", author="轩辕之风", tags=["AI技术与AI编程"],
        date=dt.datetime(2025, 11, 10, 12, 0, 10, tzinfo=dt.timezone(dt.timedelta(hours=8))),
        url="https://mp.weixin.qq.com/s/KDWh_qGpFN5Vu1TR9t30Mw",
        identity="wx:MzIyNjMxOTY0NA==:2247504179:1"),
    "derived__wechat-article-exporter__01-a5d00bb3.txt.gz": dict(
        title="新能源车均价创6年新低，价格战「寒气」侵蚀供应链", account="36氪", account_id="wow36kr",
        date=dt.datetime(2025, 11, 5, 18, 30, tzinfo=dt.timezone(dt.timedelta(hours=8))),
        tags=["36氪透视图"], first="![](https://mmbiz.qpic.cn/", last="Show me the data.\""),
    "synthetic__2016-raw-page.txt": dict(
        title="Vim新手节省时间的10多个小技巧", account="Linux爱好者", account_id="LinuxHub",
        date=dt.datetime(2016, 4, 28, 21, 16, 23, tzinfo=dt.timezone(dt.timedelta(hours=8))),
        url="https://mp.weixin.qq.com/s?__biz=MzAxODI5ODMwOA==&mid=2666538966&idx=1"
            "&sn=faa53bb0f7da8b1fc0438bcac783c3ad",
        identity="wx:MzAxODI5ODMwOA==:2666538966:1", author=None,
        first="（点击上方公众号，可快速关注）", last="《值得关注的技术和设计公众号》"),
    "wechat-article__wechat-article-exporter__01-34704057.txt": dict(
        not_article="removed for violation", account="神光的编程秘籍",
        account_id="gh_7aed10cde089"),
    "wechat-article__wechat-article-exporter__02-10e8605e.txt": dict(not_article="deleted page"),
    "wechat-article__wechat-article-exporter__01-e3f180b4.txt": dict(
        not_article="content unavailable"),
    "wechat-article__wechat-article-exporter__biz-MjM5ODMxNzE2NQ-5dc5bd67.txt": dict(
        not_article="account profile page", account_id="shengongshewx"),
}
ARTICLES = [n for n, e in EXPECTED.items() if "not_article" not in e]
# Strings that only page chrome contains; none may reach a body.
CHROME = ("first_sceen__time", "window.", "document.", "function(", "function (", "var ",
          "JsDecode", "长按二维码向我转账", "受苹果公司新规定影响", "已推荐到看一看", "分享想法",
          "网络异常", "轻点两下取消", "微信扫一扫", "预览时标签不可点", "继续滑动看下一个",
          "向上滑动看下一个", "轻触阅读原文", "轻触查看原文", "最多200字", "知道了", "投诉")
SESSION = ("1351_POqHaGSzm", "appmsg_token", "pass_ticket", "svr_8482fca902e", "uin=", "key=")


def fixture_bytes(name: str) -> bytes:
    data = (FIXTURES / name).read_bytes()
    return gzip.decompress(data) if name.endswith(".gz") else data


def input_path(name: str) -> Path:
    return Path(name.removesuffix(".gz"))


@lru_cache(maxsize=None)
def raw_docs(name: str) -> tuple:
    return tuple(adapter.read(input_path(name), fixture_bytes(name)))


@pytest.fixture(scope="module")
def cfg(tmp_path_factory):
    site = tmp_path_factory.mktemp("site")
    (site / "site.yml").write_text("title: t\n", encoding="utf-8")
    return load_config(site)


_CONVERTED: dict[str, tuple] = {}


def converted(name: str, cfg) -> tuple:
    if name not in _CONVERTED:
        _CONVERTED[name] = tuple(convert(input_path(name), fixture_bytes(name), "text", cfg))
    return _CONVERTED[name]


def test_every_fixture_is_in_the_expectations():
    names = {p.name for p in FIXTURES.iterdir() if re.search(r"\.txt(\.gz)?$", p.name)}
    assert names == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fields_match_the_page(name):
    docs = raw_docs(name)
    assert len(docs) == 1
    doc = docs[0]
    assert doc.format == "text" and doc.input == input_path(name).name
    for key in ("title", "date", "account", "account_id", "author", "source", "url", "identity",
                "not_article", "tags"):
        if key in EXPECTED[name]:
            assert getattr(doc, key) == EXPECTED[name][key], key
    fields = repr({k: v for k, v in vars(doc).items() if k not in ("html", "markdown")})
    assert not any(value in fields for value in SESSION)
    if doc.not_article:
        assert doc.markdown is doc.html is doc.text is None
    else:
        assert (doc.markdown is None) != (doc.html is None)


@pytest.mark.parametrize("name", sorted(ARTICLES))
def test_golden_output(name, cfg):
    if raw_docs(name)[0].html is not None:
        pytest.importorskip("generator.clean.html_to_md")
    (item,) = converted(name, cfg)
    assert item.error is None and item.text
    check_text(item.text, FIXTURES / (input_path(name).stem + ".out.md"))


@pytest.mark.parametrize("name", sorted(ARTICLES))
def test_no_chrome_or_session_value_survives(name, cfg):
    if raw_docs(name)[0].html is not None:
        pytest.importorskip("generator.clean.html_to_md")
    (item,) = converted(name, cfg)
    body = item.article.body
    for line in body.splitlines():
        key = re.sub(r"\s+", "", line.strip("#*_ "))
        assert key not in UI_LINES and not chrome.is_ui_line(line), line
        assert not is_js(line) and not chrome.looks_like_js(line), line
    for s in CHROME:
        assert s not in body, s
    for s in SESSION:
        assert s not in item.text, s
    expected = EXPECTED[name]
    paragraphs = [p for p in body.split("\n\n") if p.strip()]
    if "first" in expected:
        assert paragraphs[0].startswith(expected["first"])
    if "last" in expected:
        assert paragraphs[-1].rstrip().endswith(expected["last"])


def test_seed_acceptance(cfg):
    (item,) = converted(SEED, cfg)
    front, body = item.article.front, item.article.body
    assert front.title == EXPECTED[SEED]["title"]
    assert front.date == dt.date(2018, 9, 27)
    assert (front.account, front.account_id, front.source) == ("越城组工", "yuechengZG", "绍兴组工")
    assert re.findall(r"^## (.+)$", body, re.M) == [
        "有更强的信心做好组织工作", "以更高的站位把握组织工作", "用更实的举措推进组织工作",
        "把更强的队伍作为加强组织工作的重中之重"]
    assert body.rstrip().endswith("成长起来。")
    assert "来源" not in body and "\xa0" not in body and "赞赏" not in body
    assert front.extra.get("account_description") == "政策咨询、信息发布、交流共享"
    assert front.summary != "政策咨询、信息发布、交流共享"
    assert item.filename.startswith("2018-09-27-")


def test_not_articles_are_reported_not_written(cfg):
    for name, expected in EXPECTED.items():
        if "not_article" in expected:
            (item,) = converted(name, cfg)
            assert item.article is None and item.text is None
            assert item.raw.not_article == expected["not_article"]


def test_laopo_header_keeps_author_and_description_apart():
    doc = raw_docs("iq9891__laopo__no3-5c7692a9.txt")[0]
    assert doc.author == "小王老师" and doc.account == "安格努努"
    assert doc.extra["account_description"].startswith(LAOPO_DESC)
    assert LAOPO_DESC not in doc.markdown and "drmammy" not in doc.markdown


def test_script_page_falls_back_to_page_text_when_scripts_lack_the_body():
    text = unwrap(fixture_bytes("derived__wechat-article-exporter__01-a257c3ef.txt.gz")
                          .decode("utf-8"))[0][1]
    text = text.replace("content_noencode: JsDecode(", "content_gone: JsDecode(")
    doc = adapter.page_doc(text, "a.txt")
    assert doc.html is None and doc.author == "轩辕之风"
    md = doc.markdown
    assert md.startswith("大家好，我是轩辕。") and md.rstrip().endswith("逆向工程师怎么样？")
    assert "## 尝试定位" in md and "## 寻找Bug" in md
    assert "轩辕之风" not in md and "轩辕的编程宇宙" not in md


# --- sniffing and decoding ---------------------------------------------------------------------

def test_sniff():
    seed = fixture_bytes(SEED)
    assert adapter.sniff(Path("x.dat"), seed)
    assert adapter.sniff(Path("notes.txt"), "就是一段文字。".encode())
    header = "标题\n越城组工\n微信号\nyuechengZG\n功能介绍\n介绍\n正文。".encode()
    assert adapter.sniff(Path("page"), header)
    assert not adapter.sniff(Path("page.html"), b"<html><body>hi</body></html>")
    assert not adapter.sniff(Path("a.md"), "# 标题\n\n正文".encode())


def test_plain_page_text_reads_like_the_wrapped_dump():
    wrapped = raw_docs(SEED)[0]
    plain_text = unwrap(fixture_bytes(SEED).decode("utf-8"))[0][1]
    (plain,) = adapter.read(Path("seed.txt"), plain_text.encode("utf-8"))
    assert (plain.title, plain.date, plain.account, plain.source, plain.markdown) == (
        wrapped.title, wrapped.date, wrapped.account, wrapped.source, wrapped.markdown)
    (escaped,) = adapter.read(Path("seed.txt"), plain_text.replace("\n", "\\n").encode("utf-8"))
    assert escaped.markdown == wrapped.markdown


def test_truncated_and_odd_literals_are_unescaped_by_hand():
    data = fixture_bytes(SEED)
    cut = data[:data.index("成长起来".encode())]
    (doc,) = adapter.read(Path("cut.txt"), cut)
    assert doc.title == EXPECTED[SEED]["title"] and doc.date == dt.date(2018, 9, 27)
    assert "## 把更强的队伍作为加强组织工作的重中之重" in doc.markdown and "\\n" not in doc.markdown
    text = "题目\n正文第一句。\xa0小标题\xa0第二段'引号'。"
    body = repr(text)[1:-1]
    as_bytes = repr(text.encode("utf-8"))
    for raw in (f'text:"{body}', f"text: u'{body}\\", f"text:{as_bytes}", f"text:{as_bytes[:-1]}"):
        (doc,) = adapter.read(Path("odd.txt"), raw.encode("utf-8"))
        assert doc.title == "题目"
        assert doc.markdown == "正文第一句。\n\n## 小标题\n\n第二段'引号'。\n", raw


def test_several_records_in_one_file():
    data = "text:'第一篇\\n内容一。'\ntext:'第二篇\\n内容二。'\n".encode("utf-8")
    docs = list(adapter.read(Path("many.txt"), data))
    assert [(d.record, d.title, d.markdown) for d in docs] == [
        (1, "第一篇", "内容一。\n"), (2, "第二篇", "内容二。\n")]


def test_hard_wrapped_plain_text_is_reflowed_into_paragraphs():
    text = ("A Plain Title\n\n"
            "This is a hard wrapped paragraph of English text that goes on for a\n"
            "while and then continues on the next line because the editor wrapped\n"
            "it at about seventy characters per line.\n\n"
            "这是一段被硬换行的中文文字，编辑器在大约七十个字符处把它折成了多行，所以我们\n"
            "需要把这些行重新连起来，中文字符之间不应该加空格，这样读起来才自然流畅。\n")
    (doc,) = adapter.read(Path("notes.txt"), text.encode("utf-8"))
    assert doc.title == "A Plain Title" and doc.date is None and doc.account is None
    assert doc.markdown.split("\n\n") == [
        "This is a hard wrapped paragraph of English text that goes on for a while and then "
        "continues on the next line because the editor wrapped it at about seventy characters "
        "per line.",
        "这是一段被硬换行的中文文字，编辑器在大约七十个字符处把它折成了多行，所以我们需要把这些行重新连起来，"
        "中文字符之间不应该加空格，这样读起来才自然流畅。\n"]
    (doc,) = adapter.read(Path("n.txt"), "标题\n第一段。\n第二段。\n".encode("utf-8"))
    assert doc.markdown == "第一段。\n\n第二段。\n"


def test_header_without_description_or_id():
    text = "题目\n某某号\n微信号\n功能介绍\n2019-05-04\n原创\n正文第一段。\n"
    (doc,) = adapter.read(Path("h.txt"), text.encode("utf-8"))
    assert (doc.account, doc.account_id, doc.date) == ("某某号", None, dt.date(2019, 5, 4))
    assert "account_description" not in doc.extra and doc.markdown == "正文第一段。\n"


def test_an_article_quoting_an_error_message_is_still_an_article():
    text = "题目\n某某号\n微信号\nabcd1\n功能介绍\n介绍。\n打开链接只看到：\n该内容已被发布者删除\n真可惜。\n"
    (doc,) = adapter.read(Path("q.txt"), text.encode("utf-8"))
    assert doc.not_article is None and "该内容已被发布者删除" in doc.markdown


@pytest.mark.parametrize("data, message", [
    (b"", "empty file"), (b"  \n\t", "empty file"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary file"),
])
def test_bad_input_names_the_file(data, message):
    with pytest.raises(InputError) as err:
        list(adapter.read(Path("bad.txt"), data))
    assert message in str(err.value) and "bad.txt" in str(err.value)


# --- body shaping ------------------------------------------------------------------------------

def test_nbsp_islands_become_headings_only_after_a_sentence():
    blocks = split_islands("开头。\xa0第一节\xa0正文，\xa0/辅音+元音/\xa0结构。toss\xa0投掷\xa0抛")
    assert [(b.text, b.heading) for b in blocks] == [
        ("开头。", False), ("第一节", True), ("正文，\xa0/辅音+元音/\xa0结构。toss\xa0投掷\xa0抛", False)]


def test_credit_is_taken_only_at_the_end():
    blocks, credit = shape(["来源：这不是结尾。后面还有话。", "最后一段。来源：人民日报"])
    assert credit == "人民日报"
    assert [b.text for b in blocks] == ["来源：这不是结尾。后面还有话。", "最后一段。"]
    assert shape(["正文。", "来源：新华社"])[0][-1].text == "正文。"


def test_short_lines_between_paragraphs_read_as_headings():
    blocks, _ = shape(["第一段说完了。", "小结", "这一段比标题长得多，而且以句号结尾。",
                       "1、列表项", "map 地图"])
    assert [b.text for b in blocks if b.heading] == ["小结"]


def test_hostile_text_renders_as_text():
    evil = ["<script>alert(1)</script>", "[x](javascript:alert(1))", "# 不是标题", "* 不是列表",
            "1. 不是编号", "| a | b |", "`code` **粗** _斜_", "<img src=x onerror=alert(1)>",
            "&lt;script&gt;", "---", "> 不是引用"]
    md = to_markdown(shape(["题"] + evil, find_headings=False)[0])
    html = MarkdownIt("commonmark").enable("table").render(md)
    for tag in ("<script", "<a ", "<h1", "<li", "<ol", "<ul", "<table", "<code", "<strong",
                "<em", "<img", "<hr", "<blockquote"):
        assert tag not in html, tag
    assert "alert(1)" in html


def test_images_are_safe_links():
    md = to_markdown([], ["https://x/a.png?x=1&y=(2)", "javascript:alert(1)", "data:image/png,xx"])
    assert md == "![](https://x/a.png?x=1&y=%282%29)\n"
