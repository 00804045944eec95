"""Table tests of the two rules every adapter shares: dates (generator.meta.dates) and the WeChat
rules (generator.meta.wechat: host, canonical URL, identity — identity decides file names)."""

from __future__ import annotations

import datetime as dt

import pytest

from generator.meta import dates, wechat

CN = dates.CHINA_TZ


def _t(y, m, d, h, mi, s=0, tz=CN):
    return dt.datetime(y, m, d, h, mi, s, tzinfo=tz)


@pytest.mark.parametrize("value, expected", [
    ("2018-09-27", dt.date(2018, 9, 27)),
    ("2018/9/27", dt.date(2018, 9, 27)),
    ("2018.9.27", dt.date(2018, 9, 27)),
    ("2021-8-6", dt.date(2021, 8, 6)),
    ("2018年9月27日", dt.date(2018, 9, 27)),
    ("2018 年 09 月 27 日", dt.date(2018, 9, 27)),
    ("2025年09月08日 19:05", _t(2025, 9, 8, 19, 5)),
    ("2025-06-13 10:32", _t(2025, 6, 13, 10, 32)),
    ("2018-04-24T15:30:12", _t(2018, 4, 24, 15, 30, 12)),
    ("2018-04-24T15:30:12.250Z", _t(2018, 4, 24, 15, 30, 12, dt.timezone.utc)),
    ("2018-04-24 15:30:12 +0200", _t(2018, 4, 24, 15, 30, 12, dt.timezone(dt.timedelta(hours=2)))),
    ("2018-04-24T07:30:00-05:00", _t(2018, 4, 24, 7, 30, 0, dt.timezone(dt.timedelta(hours=-5)))),
    ("Fri, 13 Jun 2025 10:32:00 +0800", _t(2025, 6, 13, 10, 32)),
    ("Fri, 13 Jun 2025 02:32:00 GMT", _t(2025, 6, 13, 2, 32, 0, dt.timezone.utc)),
    ("June 13, 2025", dt.date(2025, 6, 13)),
    ("13 Jun 2025", dt.date(2025, 6, 13)),
    (1530000000, _t(2018, 6, 26, 16, 0)),
    ("1530000000", _t(2018, 6, 26, 16, 0)),
    ("1530000000000", _t(2018, 6, 26, 16, 0)),
    (dt.datetime(2018, 1, 2, 3, 4), _t(2018, 1, 2, 3, 4)),
    (dt.date(2018, 1, 2), dt.date(2018, 1, 2)),
    ("发布时间：2016-04-14", dt.date(2016, 4, 14)),
    ("2018-02-30", None), ("2018-13-45", None), ("1850-01-01", None),
    ("soon", None), ("", None), (None, None), (True, None), ("12345", None),
])
def test_parse(value, expected):
    assert dates.parse(value) == expected


def test_month_and_day_take_the_year_from_context():
    assert dates.parse("9月27日") is None
    assert dates.parse("9月27日", year=2018) == dt.date(2018, 9, 27)
    assert dates.parse("9月27日 08:15", year=2018) == _t(2018, 9, 27, 8, 15)
    assert dates.parse("2017年9月27日", year=2018) == dt.date(2017, 9, 27)


def test_find_says_where_the_date_stood():
    line = "原创 张三 某公众号 2025-06-13 10:32"
    found = dates.find(line)
    assert found.value == _t(2025, 6, 13, 10, 32)
    assert line[found.start:found.end] == "2025-06-13 10:32"
    assert dates.find("[账号]-2021-8-6-标题").value == dt.date(2021, 8, 6)
    assert dates.find("版本 1.2018.9.27") is None and dates.find("价格 2.7亿") is None


@pytest.mark.parametrize("url, canonical", [
    ("http://mp.weixin.qq.com/s?__biz=MzA4MDA0MzcwMA==&mid=2652587686&idx=1&sn=f3e4&chksm=84"
     "&scene=21#wechat_redirect",
     "https://mp.weixin.qq.com/s?__biz=MzA4MDA0MzcwMA==&mid=2652587686&idx=1&sn=f3e4"),
    ("https://mp.weixin.qq.com/s/LrwMA1vatWcyICaZHE7jaQ?scene=1&click_id=118",
     "https://mp.weixin.qq.com/s/LrwMA1vatWcyICaZHE7jaQ"),
    ("https://mp.weixin.qq.com/s?__biz=X&amp;mid=1&amp;idx=2&amp;sn=s&amp;uin=SECRET&amp;key=K",
     "https://mp.weixin.qq.com/s?__biz=X&mid=1&idx=2&sn=s"),
    ("https://mp.weixin.qq.com/s?__biz=X&mid=1&idx=2&from;=appmsg", "https://mp.weixin.qq.com/s?__biz=X&mid=1&idx=2"),
    ("https://mp.weixin.qq.com/mp/appmsg/show?__biz=X&appmsgid=10&itemidx=1&sign=z",
     "https://mp.weixin.qq.com/s?__biz=X&mid=10&idx=1"),
    ("//www.mp.weixin.qq.com/s?idx=1&mid=2&__biz=B%3D%3D", "https://mp.weixin.qq.com/s?__biz=B==&mid=2&idx=1"),
    ("https://weixin.qq.com/s/Tok-en_1/", "https://mp.weixin.qq.com/s/Tok-en_1"),
    ("https://mp.weixin.qq.com/s/", None),
    ("https://mp.weixin.qq.com/s?__biz=X&mid=1", None),
    ("https://mp.weixin.qq.com/mp/profile_ext?action=home&__biz=X", None),
    ("https://mp.weixin.qq.com.evil.example/s/abc", None),
    ("https://example.org/s?__biz=X&mid=1&idx=1", None),
    ("javascript:alert(1)", None), (None, None),
])
def test_canonical_url(url, canonical):
    assert wechat.canonical_url(url) == canonical


@pytest.mark.parametrize("url, identity", [
    ("https://mp.weixin.qq.com/s?__biz=MjEwMzA5NTcyMQ==&mid=2653088612&idx=1&sn=2a",
     "wx:MjEwMzA5NTcyMQ==:2653088612:1"),
    ("http://mp.weixin.qq.com/s?__biz=MjEwMzA5NTcyMQ%3D%3D&mid=2653088612&idx=1&scene=21",
     "wx:MjEwMzA5NTcyMQ==:2653088612:1"),
    ("https://mp.weixin.qq.com/mp/appmsg/show?__biz=MjEwMzA5NTcyMQ==&appmsgid=2653088612&itemidx=1",
     "wx:MjEwMzA5NTcyMQ==:2653088612:1"),
    ("https://mp.weixin.qq.com/s/abc?from=timeline", "url:mp.weixin.qq.com/s/abc"),
    ("https://example.org/a", None),
])
def test_identity_is_one_rule_for_urls_and_page_values(url, identity):
    assert wechat.url_identity(url) == identity
    if identity and identity.startswith("wx:"):
        assert wechat.identity("MjEwMzA5NTcyMQ%3D%3D", 2653088612, "1") == identity


@pytest.mark.parametrize("host, ok", [
    ("mp.weixin.qq.com", True), ("MP.WEIXIN.QQ.COM", True), ("www.mp.weixin.qq.com", True),
    ("mp.weixin.qq.com:443", True), ("weixin.qq.com", True), ("mmbiz.qpic.cn", False),
    ("mp.weixin.qq.com.example", False), ("", False), (None, False),
])
def test_host(host, ok):
    assert wechat.is_host(host) is ok


def test_article_url_and_urls_in_text():
    assert wechat.article_url("https://www.qdaily.com/articles/52503.html") == \
        "https://www.qdaily.com/articles/52503.html"
    assert wechat.article_url("https://mp.weixin.qq.com/mp/profile_ext?__biz=X") is None
    assert wechat.article_url("ftp://x/y") is None
    text = ("原文链接：http://mp.weixin.qq.com/s?__biz=QQ==&mid=5&idx=1&sn=a&scene=21#wechat_redirect"
            "\n[又一篇](https://mp.weixin.qq.com/s/Tok)（同一篇 https://mp.weixin.qq.com/s/Tok）")
    assert wechat.find_urls(text) == ["https://mp.weixin.qq.com/s?__biz=QQ==&mid=5&idx=1&sn=a",
                                      "https://mp.weixin.qq.com/s/Tok"]
    assert wechat.build_url("B==", "1", "2", "s") == "https://mp.weixin.qq.com/s?__biz=B==&mid=1&idx=2&sn=s"
