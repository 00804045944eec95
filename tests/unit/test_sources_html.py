"""Format "html": any other article page, main content found by trafilatura."""

import datetime as dt
import re
from pathlib import Path

import pytest

from generator import sources
from generator.clean.html_to_md import convert
from generator.config import load_config
from generator.errors import InputError
from generator.ingest import convert as ingest_convert
from generator.sources.html import adapter as html_source
from tests.golden import check_text

FIXTURES = Path(__file__).parent.parent / "fixtures" / "clean" / "html"
WECHAT = Path(__file__).parent.parent / "fixtures" / "clean" / "wechat-html"
NEWS = FIXTURES / "news-article.html"


def test_metadata_and_clean_url():
    [raw] = html_source.read(NEWS, NEWS.read_bytes())
    assert raw.format == "html"
    assert raw.title == "城市更新进入新阶段：老旧小区改造的三个变化"
    assert raw.date == dt.datetime(2023, 6, 18, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    assert (raw.account, raw.author) == ("示例日报", "李明")
    assert raw.url.startswith("https://news.example.cn/2023/06/renewal.html")
    assert not re.search(r"uin|sharer", raw.url)
    assert raw.cover == "https://img.example.cn/2023/06/cover.jpg"
    assert raw.summary.startswith("从“拆改留”到“留改拆”")


@pytest.mark.parametrize("stated, read", [
    ("2023-06-18T09:30:00.250+08:00", dt.datetime(2023, 6, 18, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))),
    ("2023-06-18T01:30:00Z", dt.datetime(2023, 6, 18, 1, 30, tzinfo=dt.timezone.utc)),
    ("2023-06-18T09:30:00", dt.date(2023, 6, 18)),  # a time without its zone: only the day is kept
])
def test_the_publication_time_is_read_by_the_shared_date_rules(tmp_path, stated, read):
    page = tmp_path / "page.html"
    page.write_text(NEWS.read_text(encoding="utf-8").replace("2023-06-18T09:30:00+08:00", stated),
                    encoding="utf-8")
    [raw] = html_source.read(page, page.read_bytes())
    assert raw.date == read and type(raw.date) is type(read)


def test_body_is_the_article_only():
    [raw] = html_source.read(NEWS, NEWS.read_bytes())
    body = convert(raw.html, base_url=raw.url)
    assert body.startswith("记者近日走访多个城市发现")
    assert "## 二、资金来源更加多元" in body and "| 财政资金 | 3.2 | 45% |" in body
    assert "![加装电梯后的楼道](https://news.example.cn/2023/06/elevator.jpg)" in body
    for chrome in ("首页", "登录", "网友评论", "发表评论", "热门文章", "版权所有", "track(",
                   "analytics", "城市更新进入新阶段"):
        assert chrome not in body, chrome
    assert not re.search(r"(?<!\\)<[A-Za-z/!]", body)


def test_golden(tmp_path):
    (tmp_path / "site.yml").write_text("title: t\n", encoding="utf-8")
    [item] = ingest_convert(Path(NEWS.name), NEWS.read_bytes(), None, load_config(tmp_path))
    check_text(item.text, FIXTURES / "news-article.out.md")


def test_sniff_takes_html_that_is_not_wechat():
    assert sources.detect(Path("news-article.html"), NEWS.read_bytes()) == "html"
    assert html_source.sniff(Path("stdin"), b"<!DOCTYPE html><html><body><p>x</p></body></html>")
    assert not html_source.sniff(Path("a.txt"), b"just text")
    wechat = (WECHAT / "iq9891__laopo__no1-35ef7421.html").read_bytes()
    assert not html_source.sniff(Path("p.html"), wechat)


def test_pages_without_article_text_fail_clearly():
    with pytest.raises(InputError, match="empty"):
        list(html_source.read(Path("e.html"), b"\n"))
    with pytest.raises(InputError, match="no article text"):
        list(html_source.read(Path("n.html"), b"<html><body><nav><a href='/'>Home</a></nav>"
                                             b"<script>var a=1;</script></body></html>"))
