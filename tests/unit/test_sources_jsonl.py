"""Adapter "jsonl": the JSON Lines and CSV specimens, record-level errors, field mapping,
text-node rejoining, goldens."""

from __future__ import annotations

import csv
import datetime as dt
import html
import json
from pathlib import Path

import pytest

from generator.config import load_config
from generator.errors import InputError
from generator.ingest import convert
from generator.model.article import CHINA_TZ
from generator.sources import detect
from generator.sources.data import adapter
from tests.golden import check_text

FIXTURES = Path(__file__).parent.parent / "fixtures" / "clean" / "jsonl"
CORPUS = "nonamestreet__weixin_public_corpus__preview-lines1-15.json"
CENSORED = "Terminus2049__Wechatscope__ceninfo-rows1-200.csv"
# Every censorship message in the CSV specimen and the status it maps to.
STATUS = {"该内容已被发布者删除": "deleted", "此内容因违规无法查看": "removed for violation",
          "此帐号已被屏蔽": "account blocked", "此内容被投诉且经审核涉嫌侵权": "removed after complaint",
          "该公众号已迁移": "account migrated"}
GOLDEN = ["weixin-corpus-animals.jsonl", "weixin-corpus-youth-day.jsonl"]


def read(name: str, data: bytes) -> list:
    return list(adapter.read(Path(name), data))


def read_fixture(name: str) -> list:
    return read(name, (FIXTURES / name).read_bytes())


@pytest.fixture(scope="module")
def cfg(tmp_path_factory):
    site = tmp_path_factory.mktemp("site")
    (site / "site.yml").write_text("title: t\n", encoding="utf-8")
    return load_config(site)


# --- the specimens ----------------------------------------------------------------------------

def test_corpus_records_map_name_account_title_content():
    docs = read_fixture(CORPUS)
    lines = (FIXTURES / CORPUS).read_text(encoding="utf-8").splitlines()
    assert [d.record for d in docs] == list(range(1, 16))
    for doc, line in zip(docs, lines):
        rec = json.loads(line)
        assert doc.format == "jsonl" and doc.not_article is None and not doc.extra
        assert doc.title == " ".join(rec["title"].replace("\xa0", " ").split())
        assert doc.account_id == rec["account"]  # the 微信号
        assert doc.account in ('"天成"艺术品公共交流平台', "共青团河北工程技术学院委员会")  # &nbsp; gone
        assert doc.date is None and doc.url is None  # the corpus has neither
        assert doc.text and doc.html is None and doc.markdown is None
        # every word of the content survives the rejoining, in order
        assert "".join(doc.text.split()) == "".join("".join(rec["content"].split("\n")).split())
    assert docs[0].title == "［天成］艺术精品公拍预展（4月2日 周六14:00）"


def test_text_nodes_are_rejoined_into_paragraphs():
    docs = read_fixture(CORPUS)
    auction = docs[0].text.split("\n\n")
    assert auction[0] == "公拍时间:4月2日(周六)14：00－22：00参加平台公拍(请搜索个人号)：tianchengyishu"
    assert "公拍规则:(公拍规则一)60分钟(含)内无人应价或出现一口价即成功竞拍." in auction
    assert "[天成]艺术第01号：辽代 平头玛瑙珠串。蓝色隔珠为老琉璃珠。收藏品，全品相。" in auction
    animals = docs[7].text.split("\n\n")
    assert animals[:2] == ["巨蚺", animals[1]] and animals[1].startswith("理论上：\n如果遇到巨蚺")
    verse = docs[9].text.split("\n\n")[0]
    assert verse.split("\n") == ["五月的花海再放热情，", "初升的太阳明亮温暖，", "又是一年五四青年节，",
                                 "青春的气息挥洒，", "热烈的火炬唤起民族的信心。"]


def test_metadata_only_csv_rows_are_accounted_for_as_not_articles():
    docs = read_fixture(CENSORED)
    with open(FIXTURES / CENSORED, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(docs) == len(rows) == 200
    assert [d.record for d in docs] == list(range(2, 202))  # line numbers; line 1 is the header
    for doc, row in zip(docs, rows):
        assert doc.not_article == "metadata only (no body)"
        assert doc.markdown is doc.html is doc.text is None
        title = " ".join(html.unescape(html.unescape(row["title"])).split())  # '&amp;quot;'
        assert (doc.title, doc.account) == (title, row["nickname"])
        assert doc.account_id == row["archive"].split("_" + row["created_at"] + "_")[0]
        assert doc.date == dt.date.fromisoformat(row["created_at"])
        assert doc.status == STATUS[row["censored_msg"].split(",")[0].split("，")[0]]
        assert doc.extra["censored_date"] == row["censored_date"]


def test_not_articles_are_reported_not_written(cfg):
    items = convert(Path(CENSORED), (FIXTURES / CENSORED).read_bytes(), "jsonl", cfg)
    assert len(items) == 200 and all(i.text is None and i.article is None for i in items)


@pytest.mark.parametrize("name", GOLDEN)
def test_golden_output(name, cfg):
    (item,) = convert(Path(name), (FIXTURES / name).read_bytes(), "jsonl", cfg)
    assert item.error is None and item.text
    check_text(item.text, FIXTURES / (Path(name).stem + ".out.md"))


# --- record-level errors ----------------------------------------------------------------------

def test_a_bad_line_is_reported_and_the_others_are_read(cfg):
    data = "\n".join([
        json.dumps({"title": "一", "content": "第一篇。"}, ensure_ascii=False),
        "",
        '{"title": "坏", "content": ',
        "[1, 2]",
        json.dumps({"title": "二", "content": "第二篇。"}, ensure_ascii=False),
    ]).encode("utf-8")
    docs = read("c.jsonl", data)
    assert [d.record for d in docs] == [1, 3, 4, 5]
    assert [d.title for d in docs] == ["一", None, None, "二"]
    assert docs[1].extra["error"].startswith("line 3: invalid JSON: ")
    assert docs[2].extra["error"] == "line 4: not a JSON object"
    assert docs[1].markdown is docs[1].html is docs[1].text is None
    items = convert(Path("c.jsonl"), data, "jsonl", cfg)
    assert [bool(i.error) for i in items] == [False, True, True, False]
    assert items[1].raw.record == 3 and items[0].text and items[3].text


def test_csv_row_with_too_many_cells_is_an_error_row():
    data = "title,content\n甲,正文。\n乙,正文,多余\n".encode("utf-8")
    docs = read("x.csv", data)
    assert docs[0].title == "甲" and docs[0].text == "正文。" and docs[0].not_article is None
    assert docs[1].record == 3 and "more than the header" in docs[1].extra["error"]


def test_unreadable_file_raises_input_error():
    with pytest.raises(InputError) as err:
        read("bad.jsonl", bytes(range(128, 256)) * 40)
    assert err.value.path == "bad.jsonl"


# --- shapes and field names -------------------------------------------------------------------

def test_json_array_wrapper_and_single_object():
    arr = json.dumps([{"title": "甲", "body": "一。"}, {"title": "乙", "text": "二。"}],
                     ensure_ascii=False).encode()
    assert [(d.record, d.title, d.text) for d in read("a.json", arr)] == [
        (1, "甲", "一。"), (2, "乙", "二。")]
    wrapped = json.dumps({"articles": [{"title": "丙", "content": "三。"}]}).encode()
    assert [d.title for d in read("w.json", wrapped)] == ["丙"]
    single = json.dumps({"title": "丁", "content": "四。"}).encode()
    assert [d.title for d in read("s.json", single)] == ["丁"]


def test_common_field_names():
    rec = {"Title": "标题", "nickname": "某号", "alias": "mouhao", "author": "作者甲",
           "content": "<p>段落<img data-src='x.jpg'></p>", "publish_time": 1538035200,
           "link": "http://mp.weixin.qq.com/s?__biz=MzA=&mid=1&idx=2&sn=abc&uin=SECRET&key=K",
           "digest": "摘要", "cover": "https://mmbiz.qpic.cn/c.jpg", "tags": "甲, 乙，丙"}
    (doc,) = read("r.jsonl", json.dumps(rec, ensure_ascii=False).encode())
    assert (doc.title, doc.account, doc.account_id, doc.author) == ("标题", "某号", "mouhao", "作者甲")
    assert doc.date == dt.datetime(2018, 9, 27, 16, 0, tzinfo=CHINA_TZ)
    assert doc.url == "https://mp.weixin.qq.com/s?__biz=MzA=&mid=1&idx=2&sn=abc"
    assert doc.identity == "wx:MzA=:1:2" and "SECRET" not in repr(doc)
    assert (doc.summary, doc.cover, doc.tags) == ("摘要", "https://mmbiz.qpic.cn/c.jpg",
                                                 ["甲", "乙", "丙"])
    assert doc.html == rec["content"] and doc.text is None
    md = "# 标题\n\n正文<script>alert(1)</script>[点](javascript:x)"
    (doc,) = read("m.jsonl", json.dumps({"title": "t", "markdown": md}).encode())
    assert doc.markdown == "# 标题\n\n正文点\n"  # untrusted Markdown is made inert too
    (doc,) = read("d.jsonl", json.dumps({"title": "t", "created_at": "2018-07-06 12:30"}).encode())
    assert doc.date == dt.datetime(2018, 7, 6, 12, 30, tzinfo=CHINA_TZ)


def test_content_as_a_list_of_paragraphs():
    (doc,) = read("l.jsonl", json.dumps({"title": "t", "content": ["甲段。", " ", "乙段。"]},
                                        ensure_ascii=False).encode())
    assert doc.text == "甲段。\n\n乙段。"


def test_detection_picks_this_adapter():
    for name in (CORPUS, CENSORED, *GOLDEN):
        assert detect(Path(name), (FIXTURES / name).read_bytes()) == "jsonl", name
    assert detect(Path("dump"), (FIXTURES / GOLDEN[0]).read_bytes()) == "jsonl"


def test_account_is_a_display_name_unless_it_looks_like_an_id():
    (doc,) = read("a.jsonl", json.dumps({"title": "t", "account": "越城组工"}, ensure_ascii=False)
                  .encode())
    assert (doc.account, doc.account_id) == ("越城组工", None)
    (doc,) = read("a.jsonl", json.dumps({"title": "t", "account": "gh_0123456789ab"}).encode())
    assert (doc.account, doc.account_id) == (None, "gh_0123456789ab")


@pytest.mark.parametrize("content, expected", [
    ("一段。\n二段。", "一段。\n\n二段。"),
    ("14\n：\n00\n－\n22", "14：00－22"),
    ("公拍时间\n(\n周六\n)\n开始", "公拍时间(周六)开始"),
    ("平台\n的\n朋友！", "平台的朋友！"),
    ("标题\n正文第一句话比较长。", "标题\n\n正文第一句话比较长。"),
    ("理论上：\n如果遇到巨蚺，你应该躺下。", "理论上：\n如果遇到巨蚺，你应该躺下。"),
    ("起拍价：0，加价100\n[\n天成\n]\n艺术第\n03\n号：清中期", "起拍价：0，加价100\n\n[天成]艺术第03号：清中期"),
    ("Model\nS", "Model S"),
    ("已有段落。\n\n第二段。\n续行", "已有段落。\n\n第二段。\n续行"),
    ("", ""),
])
def test_rejoin(content, expected):
    assert adapter.rejoin(content) == expected


def test_sniff():
    for name in ("a.jsonl", "a.JSON", "a.csv", "a.ndjson"):
        assert adapter.sniff(Path(name), b"")
    assert adapter.sniff(Path("dump"), b'{"title": "x", "content": "y"}\n{"title": 2}')
    assert adapter.sniff(Path("dump"), b'  [ {"title": "x"} ]')
    assert not adapter.sniff(Path("a.md"), b"[link](https://e.com) text")
    assert not adapter.sniff(Path("a.txt"), "{不是 JSON".encode())
    assert not adapter.sniff(Path("a.html"), b"<html></html>")


# --- broken files and out-of-range values cost one record (issue 11 item 6) -------------------

@pytest.mark.parametrize("text, titles, error", [
    # one-line array: the broken record is skipped up to the next `},{`
    ('[{"title":"一","content":"甲。"},{"title":"二" "content":"乙。"},{"title":"三","content":"丙。"}]',
     ["一", None, "三"], "record 2 (line 1): invalid JSON: Expecting ',' delimiter"),
    # records one per line; the broken one holds a nested object that must not become a record
    ('[{"title":"一","content":"甲。"},\n{"title":"二","x":[{"title":"套"}], "content":"乙。\n'
     '{"title":"三","content":"丙。"}]',
     ["一", None, "三"], "record 2 (line 2): invalid JSON: Invalid control character at"),
])
def test_a_json_array_that_does_not_parse_is_read_record_by_record(text, titles, error):
    docs = read("a.json", text.encode("utf-8"))
    assert [d.title for d in docs] == titles
    assert [d.record for d in docs] == [1, 2, 3]
    assert docs[1].extra["error"].startswith(error)


def test_a_record_of_odd_types_is_read_without_failing_the_others():
    lines = [{"title": {"a": 1}, "content": 5, "tags": [{"x": 1}], "date": [1, 2]},
             {"title": "好", "content": "正文。", "ct": float("1e300")}]
    docs = read("o.jsonl", "\n".join(json.dumps(x) for x in lines).encode("utf-8"))
    assert [d.title for d in docs] == ["{'a': 1}", "好"]
    assert docs[1].date is None and docs[1].text == "正文。"
    assert docs[0].warnings == ["date '[1, 2]' is out of range or unreadable; left out"]
    assert docs[1].warnings == ["date '1e+300' is out of range or unreadable; left out"]


def test_a_date_present_but_unusable_is_a_warning_and_a_missing_one_is_not():
    docs = read("d.jsonl", b'{"title":"a","content":"x","ct":"-5"}\n{"title":"b","content":"y"}\n')
    assert docs[0].date is None and docs[0].warnings == [
        "date '-5' is out of range or unreadable; left out"]
    assert docs[1].date is None and docs[1].warnings == []


def test_lone_surrogates_are_replaced_and_counted(cfg):
    data = (b'{"title":"\\ud800T","content":"a\\udc00b\\ud83d\\ude00c","tags":["\\ud801"]}\n'
            b'{"title":"ok","content":"fine."}\n')
    items = convert(Path("s.jsonl"), data, "jsonl", cfg)
    assert [i.error for i in items] == [None, None]
    front, body = items[0].article.front, items[0].article.body
    assert front.title == "\ufffdT" and "a\ufffdb\U0001f600c" in body
    assert items[0].raw.warnings == [
        "3 invalid characters (lone surrogate half, e.g. \\ud800) replaced with U+FFFD"]
    items[0].text.encode("utf-8")  # writable
