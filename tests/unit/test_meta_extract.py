"""The one metadata extractor (generator.meta.extract, generator.meta.labels): labelled lines in
their common forms, WeChat bylines, one priority, where each field came from, and which lines
leave the body (header/footer metadata only, never the article's own text)."""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
from pathlib import Path

import pytest

from generator.cli import main
from generator.meta import dates, extract, labels
from generator.model.rawdoc import Clue, RawDoc

FIXTURES = Path(__file__).parent.parent / "fixtures" / "meta"
CN = dates.CHINA_TZ
WX = "https://mp.weixin.qq.com/s?__biz=MzI0ODE5NDU5Mw==&mid=402065063&idx=1&sn=d36c"


@pytest.mark.parametrize("line, expected", [
    ("来源：太阳照常升起", [("source", "太阳照常升起"), ("account", "太阳照常升起")]),
    ("> 来源: 太阳照常升起", [("source", "太阳照常升起"), ("account", "太阳照常升起")]),
    ("**发布时间:** 2016-04-14", [("date", dt.date(2016, 4, 14))]),
    ("**发布时间**：2016年4月14日 08:05", [("date", dt.datetime(2016, 4, 14, 8, 5, tzinfo=CN))]),
    ("- 作者：张三", [("author", "张三")]),
    ("| 公众号 | 某某观察 |", [("account", "某某观察")]),
    ("作者：张三　　来源：新京报", [("author", "张三"), ("source", "新京报"), ("account", "新京报")]),
    (f"原文链接: {WX}&chksm=7b&scene=21#wechat_redirect", [("url", WX)]),
    (f"> 原文地址：[点此阅读]({WX}&scene=21)", [("url", WX)]),
    ("Author: Jane Doe", [("author", "Jane Doe")]),
    ("Published: June 13, 2025", [("date", dt.date(2025, 6, 13))]),
    ("Source: https://example.org/a?id=3", [("url", "https://example.org/a?id=3")]),
    ("原创 张三 某公众号 2025-06-13 10:32",
     [("date", dt.datetime(2025, 6, 13, 10, 32, tzinfo=CN)), ("account", "某公众号"), ("author", "张三")]),
    ("安全内参编译  安全内参   2022-04-20 12:06",
     [("date", dt.datetime(2022, 4, 20, 12, 6, tzinfo=CN)), ("account", "安全内参"), ("author", "安全内参编译")]),
    ("Original 脑洞老胡 [脑洞老胡](https://mp.weixin.qq.com/s/) *2025年09月29日 18:02*",
     [("date", dt.datetime(2025, 9, 29, 18, 2, tzinfo=CN)), ("account", "脑洞老胡"), ("author", "脑洞老胡")]),
    ("原创 某公众号 2025-06-13", [("date", dt.date(2025, 6, 13)), ("account", "某公众号")]),
    ("2018-09-27", [("date", dt.date(2018, 9, 27))]),
    ("原创 张三 某公众号 2023-05-06 18:30 发表于广东",
     [("date", dt.datetime(2023, 5, 6, 18, 30, tzinfo=CN)), ("account", "某公众号"), ("author", "张三")]),
    (f"<{WX}&scene=21>", [("url", WX)]),
    (f"[{WX}]({WX})", [("url", WX)]),
    (f"[阅读原文]({WX})", []),
    ("https://example.org/not-wechat", []),
    # not metadata: prose with a colon, a label inside a sentence, a date inside text
    ("他说：来源不明的消息不可信。", []),
    ("本文来源：见下文的说明，以及更多更多的内容，这一行是正文里很长的一句话，远超过一个账号名字的长度上限。", []),
    ("会议于 2018-09-27 举行", []),
    ("链接：https://pan.baidu.com/s/1twrH", []),
    ("发布时间：不详", []),
    ("Tags: 农业, 政策", [("tags", ["农业", "政策"])]),
    ("2024-05-20 09:15 来源：某某网 作者：李四",  # a news page's dateline
     [("date", dt.datetime(2024, 5, 20, 9, 15, tzinfo=CN)), ("source", "某某网"),
      ("account", "某某网"), ("author", "李四")]),
    ("2024-05-20 这一天来源不明", []),
    ("标签：#乡村振兴 、#三农", [("tags", ["乡村振兴", "三农"])]),
])
def test_read_line(line, expected):
    assert [(lab.field, lab.value) for lab in labels.read_line(line)] == expected


def _raw(markdown: str, **fields) -> RawDoc:
    return RawDoc(input="in/0001.md", format="markdown", markdown=markdown, **fields)


def test_header_and_footer_metadata_leave_the_body_but_the_article_keeps_its_text():
    body = ("# 标题在这里\n\n> 来源: 太阳照常升起\n\n> 发布时间: 2018-05-15\n\n---\n\n"
            "正文第一段，足够长的一段文字，讲述一件事情的来龙去脉，这里至少要有六十个汉字才能算作正文段落，"
            "所以再写一些内容凑够长度。\n\n作者：李四（这一行在正文中间）\n\n"
            "正文第二段，同样足够长的一段文字，讲述另一件事情的来龙去脉，这里至少要有六十个汉字才能算作正文段落，"
            "所以再写一些内容凑够长度。\n\n"
            f"原文链接：{WX}&scene=21\n")
    raw = extract.settle(_raw(body), default="page header")
    assert raw.title == "标题在这里" and raw.found["title"] == "heading"
    assert raw.date == dt.date(2018, 5, 15) and raw.found["date"] == "labelled line"
    assert raw.account == "太阳照常升起" and raw.found["account"] == "credited source"
    assert raw.url == WX and raw.found["url"] == "labelled line"
    assert raw.author is None  # a labelled line in the middle of the text is the text's
    assert raw.markdown.startswith("正文第一段")
    assert "作者：李四（这一行在正文中间）" in raw.markdown
    assert "原文链接" not in raw.markdown and "来源" not in raw.markdown


def test_a_note_exporters_property_block_is_read_around_lines_it_does_not_know():
    """Notion/Evernote-style exports open with `Key: value` lines: the known labels among them
    are read (a `Created:` time is the note's, not the article's: it stays in the text)."""
    body = ("# 乡村振兴的三个关键词\n\nCreated: September 27, 2018 10:32 AM\nTags: 农业, 政策\n"
            f"URL: {WX}\n公众号: 三农观察\n\n乡村振兴战略提出以来，各地探索了许多做法。\n")
    raw = extract.settle(_raw(body), default="page header")
    assert (raw.title, raw.account, raw.url, raw.tags) == ("乡村振兴的三个关键词", "三农观察", WX,
                                                           ["农业", "政策"])
    assert raw.date is None
    assert raw.markdown == "Created: September 27, 2018 10:32 AM\n\n乡村振兴战略提出以来，各地探索了许多做法。\n"


def test_a_label_inside_a_paragraph_of_text_is_text():
    raw = extract.settle(_raw("> Test404 HTTP Fuzzer v4.1.1\n链接：https://pan.baidu.com/s/1\n"
                              "原文：https://example.org/other\n提取码：49a5\n"), default="page header")
    assert raw.url is None and "原文：https://example.org/other" in raw.markdown


def test_one_priority_decides_conflicts_and_each_field_says_where_it_came_from():
    raw = _raw("原创 张三 某公众号 2025-06-13 10:32\n\n# 正文标题\n\n正文。", title="前言标题",
               date=dt.date(2025, 6, 12), account="前言账号")
    raw.found.update(title="front matter", date="front matter")
    extract.settle(raw, default="page header")
    assert (raw.title, raw.found["title"]) == ("前言标题", "front matter")
    assert (raw.date, raw.found["date"]) == (dt.date(2025, 6, 12), "front matter")
    assert (raw.account, raw.found["account"]) == ("前言账号", "page header")  # adapter's default
    assert (raw.author, raw.found["author"]) == ("张三", "byline")
    assert list(extract.SOURCES).index("byline") < list(extract.SOURCES).index("file name")


def test_a_date_keeps_the_time_a_lower_source_knows_for_the_same_day():
    raw = _raw("原创 某公众号 2025-06-13 10:32\n\n正文。", date=dt.date(2025, 6, 13))
    raw.found["date"] = "front matter"
    extract.settle(raw, default="page header")
    assert raw.date == dt.datetime(2025, 6, 13, 10, 32, tzinfo=CN)


def test_the_file_name_is_the_last_resort():
    named = RawDoc(input="in/[号]-2021-8-6-题.md", format="markdown", markdown="正文。")
    assert extract.settle(named, default="page header").date == dt.date(2021, 8, 6)
    assert named.found["date"] == "file name"
    stated = RawDoc(input="in/2021-8-6-题.md", format="markdown",
                    markdown="发布时间：2020年1月2日\n\n正文。")
    assert extract.settle(stated, default="page header").date == dt.date(2020, 1, 2)


def test_page_header_lines_from_the_adapter_are_read_too():
    raw = RawDoc(input="p.html", format="html", html="<p>正文</p>",
                 clues=[Clue("title", "页面标题", "page header"),
                        Clue(None, "发布时间: 2016-04-14", "page header")])
    extract.settle(raw, default="page data")
    assert (raw.title, raw.date, raw.found["date"]) == ("页面标题", dt.date(2016, 4, 14), "labelled line")


def test_labelled_lines_at_the_top_of_an_html_body_are_read_and_dropped_after_conversion():
    raw = RawDoc(input="p.html", format="html",
                 html="<p><b>作者：</b>张三</p><p>正文。</p>")
    extract.settle(raw, default="page data")
    assert raw.author == "张三" and raw.meta_lines == ["作者：张三"]
    assert extract.drop_lines("**作者：**张三\n\n正文。", raw.meta_lines) == "正文。"


def test_import_report_names_the_source_of_each_field(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "site.yml").write_text("title: t\n", encoding="utf-8")
    src = tmp_path / "in"
    shutil.copytree(FIXTURES, src, ignore=shutil.ignore_patterns("README.md"))
    out, err = io.StringIO(), io.StringIO()
    assert main(["import", "--site", str(site), str(src), "--report", str(tmp_path / "r.json")],
                out, err) == 0, err.getvalue()
    rows = {Path(r["input"]).name: r for r in
            json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["inputs"]}
    page = rows["backup-page.html"]
    assert page["outcome"] == "imported" and page["output"].startswith("2016-04-14-")
    assert page["fields"] == {"title": "page header", "date": "labelled line",
                              "account": "credited source", "url": "labelled line",
                              "source": "labelled line"}
    export = rows["backup-export.md"]
    assert export["output"].startswith("2018-05-15-") and export["fields"]["url"] == "labelled line"
    text = (site / "content" / export["output"]).read_text(encoding="utf-8")
    body = text.split("\n---\n", 1)[1]
    assert "原文链接" not in body and "来源:" not in body and not body.lstrip().startswith("---")
    byline = rows["byline-export.md"]
    assert byline["fields"] == {"title": "heading", "date": "byline", "account": "byline",
                                "author": "byline"}
    assert "account: 安全内参" in (site / "content" / byline["output"]).read_text(encoding="utf-8")


def test_a_heading_further_down_is_never_taken_for_the_title_nor_dropped():
    raw = _raw("正文第一段。\n\n" + "这是一段足够长的正文，用来表明文章已经开始了，后面的标题属于正文结构。" * 2
               + "\n\n# 第二部分\n\n结尾。", title="标题")
    raw.found["title"] = "heading"
    extract.settle(raw, default="page header")
    assert raw.title == "标题" and "# 第二部分" in raw.markdown


def _import(site: Path, src: Path, report: Path) -> dict:
    out, err = io.StringIO(), io.StringIO()
    assert main(["import", "--site", str(site), str(src), "--report", str(report)], out, err) == 0
    return json.loads(report.read_text(encoding="utf-8"))["inputs"][0]


@pytest.mark.parametrize("edited", [False, True])
def test_reimport_with_better_metadata_replaces_the_earlier_file_unless_edited(tmp_path, edited):
    site, src = tmp_path / "site", tmp_path / "in"
    site.mkdir()
    src.mkdir()
    (site / "site.yml").write_text("title: t\n", encoding="utf-8")
    text = (FIXTURES / "byline-export.md").read_text(encoding="utf-8")
    (src / "export.md").write_text(text.replace("安全内参编译  安全内参   2022-04-20 12:06", ""),
                                   encoding="utf-8")  # what an importer without bylines saw
    first = _import(site, src, tmp_path / "1.json")
    assert first["output"].startswith("undated-")
    old = site / "content" / first["output"]
    if edited:
        old.write_text(old.read_text(encoding="utf-8") + "\n手工补充。\n", encoding="utf-8")
    (src / "export.md").write_text(text, encoding="utf-8")
    second = _import(site, src, tmp_path / "2.json")
    assert second["output"].startswith("2022-04-20-")
    if edited:  # a person's edits are never deleted: the improved import stands beside it
        assert second["outcome"] == "imported" and old.exists()
    else:
        assert second["outcome"] == "updated" and second["reason"].startswith("renamed from undated-")
        assert not old.exists() and len(list((site / "content").glob("*.md"))) == 1


def test_front_matter_keys_named_like_labels_are_read_by_the_same_rule():
    from generator.sources.markdown import adapter

    text = ("---\n标题: 前言里的标题\n作者: 张三\n公众号名称: 某号\n发布时间: 2023年5月6日 18:30\n"
            f"原文链接: {WX}&scene=21\n---\n\n正文。\n")
    raw = next(adapter.read(Path("0001.md"), text.encode("utf-8")))
    assert (raw.title, raw.author, raw.account, raw.url) == ("前言里的标题", "张三", "某号", WX)
    assert raw.date == dt.datetime(2023, 5, 6, 18, 30, tzinfo=CN)


def _convert(name: str):
    from generator.config import SiteConfig
    from generator.ingest import convert

    path = FIXTURES / name
    (item,) = convert(path, path.read_bytes(), None, SiteConfig())
    return item


def test_a_header_line_naming_the_original_amid_other_text_gives_the_url():
    item = _convert("reader-export.md")
    front = item.article.front
    assert front.url == ("https://mp.weixin.qq.com/s?__biz=MzA3NDM0ODQwMw==&mid=2649512345&idx=2"
                         "&sn=0a1b2c3d4e5f60718293a4b5c6d7e8f9")
    assert "SECRETTICKETVALUE" not in item.text
    assert (front.author, front.account) == ("李华", "财新周刊")
    assert item.raw.found["url"] == "cited link"


def test_two_originals_named_in_the_header_give_no_url():
    from generator.meta import extract
    from generator.model.rawdoc import RawDoc

    raw = RawDoc(input="x.md", format="markdown", markdown=(
        "原文地址 [a](https://mp.weixin.qq.com/s/AAAAAAAAAAAAAAAAAAAAAA) 转载\n"
        "原文链接 [b](https://mp.weixin.qq.com/s/BBBBBBBBBBBBBBBBBBBBBB) 也转载\n\n" + "正文。" * 30))
    assert extract.settle(raw, default="page data").url is None


def test_a_clipper_byline_without_the_accounts_link_is_split_by_the_shared_reader():
    front = _convert("clip-unlinked.md").article.front
    assert front.account == "三联生活周刊"
    assert front.author == "王小明"  # the two names of the byline told apart
    assert front.date.isoformat() == "2024-03-05T18:30:00+08:00"
