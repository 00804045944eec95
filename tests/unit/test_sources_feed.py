"""Feed adapter edge cases: what is an article, what is refused, where errors point."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.errors import InputError
from generator.sources.feed.adapter import read, sniff

ITEM = "<item><title>{t}</title><link>https://mp.weixin.qq.com/s/{k}</link>{body}</item>"


def feed(*items: str) -> bytes:
    return ("<?xml version='1.0'?><rss version='2.0' "
            "xmlns:content='http://purl.org/rss/1.0/modules/content/'><channel>"
            "<title>某号 | wechat-feeds</title>" + "".join(items) + "</channel></rss>").encode()


def test_full_text_digest_and_title_only_items():
    full = ITEM.format(t="全文", k="a", body="<description>短摘要。</description><content:encoded>"
                       "<![CDATA[<p>第一段。</p><p>第二段。</p>]]></content:encoded>")
    digest = ITEM.format(t="摘要", k="b", body="<description>只有一百来字的摘要，没有正文</description>")
    bare = ITEM.format(t="标题", k="c", body="<content:encoded>标题</content:encoded>")
    docs = list(read(Path("f.xml"), feed(full, digest, bare)))
    assert [d.record for d in docs] == [1, 2, 3]
    assert docs[0].not_article is None and docs[0].html.startswith("<p>第一段")
    assert docs[0].account == "某号" and docs[0].summary == "短摘要。"
    assert docs[0].url == "https://mp.weixin.qq.com/s/a"
    assert "digest only" in docs[1].not_article and "title only" in docs[2].not_article


def test_broken_xml_names_the_line_and_entities_are_refused():
    with pytest.raises(InputError) as err:
        list(read(Path("f.xml"), b"<rss>\n<channel>\n<item><title>x</item></channel></rss>"))
    assert err.value.line == 3
    bomb = b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa">]><rss><channel/></rss>'
    with pytest.raises(InputError, match="entities"):
        list(read(Path("f.xml"), bomb))


def test_sniff_needs_a_feed_root():
    assert sniff(Path("x.rss"), feed())
    assert not sniff(Path("x.xml"), b"<?xml version='1.0'?><svg></svg>")
