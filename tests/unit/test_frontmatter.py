"""Front matter: round trip, safe loading, and a clear file:line error for every malformed case."""

import datetime as dt

import pytest

from generator.errors import FrontMatterError
from generator.model import frontmatter
from generator.model.article import CHINA_TZ, Article, FrontMatter


def test_round_trip_keeps_every_field():
    front = FrontMatter(title="yes", date=dt.datetime(2018, 9, 27, 10, 5, tzinfo=CHINA_TZ),
                        account="越城组工", account_id="yuechengZG", source="绍兴组工",
                        summary="a: b", tags=["党建", "no", "2018"], status="deleted",
                        imported_from="x.txt", extra={"censored_msg": "此内容因违规无法查看"})
    text = frontmatter.dump(Article(front, "正文\n\n## 小标题\n"))
    back = frontmatter.parse(text, "a.md")
    assert back.front.title == "yes"  # not the boolean True
    assert back.front.tags == ["党建", "no", "2018"]
    assert back.front.date == front.date
    assert back.front.extra == {"censored_msg": "此内容因违规无法查看"}
    assert back.body == "\n正文\n\n## 小标题\n"
    assert "date: 2018-09-27T10:05:00+08:00" in text


def test_checksum_detects_hand_edits():
    text = frontmatter.dump(Article(FrontMatter(title="t", date=dt.date(2020, 1, 2)), "body"))
    assert not frontmatter.is_hand_edited(text)
    assert frontmatter.is_hand_edited(text.replace("body", "body edited"))
    assert frontmatter.is_hand_edited(text.replace("title: t", "title: t2"))
    assert frontmatter.is_hand_edited("---\ntitle: no checksum\n---\nbody\n")


@pytest.mark.parametrize("yaml_text, line, message", [
    ("title: a\ntitle: b\n", 3, "duplicate key 'title'"),
    ("title: x\ndate: 2018-13-45\n", 3, "invalid date"),
    ("title: x\ndate: yesterday\n", 3, "invalid date"),
    ("a: &a [1]\nb: *a\ntitle: x\n", 3, "aliases"),
    ("title: [1, 2]\n", 2, "'title' must be text"),
    ("\ttitle: x\n", 2, "tabs"),
    ("date: 2020-01-01\n", 2, "missing title"),
    ("title: x\ntags: {a: 1}\n", 3, "'tags' must be a list"),
    ("title: x\ndraft: maybe\n", 3, "'draft' must be true or false"),
    ("- just\n- a list\n", 2, "must be a mapping"),
])
def test_malformed_front_matter_names_file_and_line(yaml_text, line, message):
    with pytest.raises(FrontMatterError) as info:
        frontmatter.parse(f"---\n{yaml_text}---\nbody\n", "content/bad.md")
    assert info.value.path == "content/bad.md"
    assert info.value.line == line
    assert message in str(info.value)


def test_billion_laughs_is_refused_quickly():
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(9)) + "title: boom\n"
    with pytest.raises(FrontMatterError, match="aliases"):
        frontmatter.parse(f"---\n{bomb}---\n", "bomb.md")


def test_yaml_booleans_and_numbers_stay_text_where_text_is_expected():
    art = frontmatter.parse("---\ntitle: no\naccount: 2018\ntags: [on, off, 1]\n---\n", "x.md")
    assert art.front.title == "no"
    assert art.front.account == "2018"
    assert art.front.tags == ["on", "off", "1"]


def test_dates_accept_common_shapes():
    parse = frontmatter.parse_date
    assert parse("2018-9-7") == dt.date(2018, 9, 7)
    assert parse("2018-04-24 15:30") == dt.datetime(2018, 4, 24, 15, 30, tzinfo=CHINA_TZ)
    assert parse("2020-06-09T16:04:00Z").utcoffset() == dt.timedelta(0)
    assert parse(None) is None
