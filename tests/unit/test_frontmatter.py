"""Front matter: round trip, safe loading, and a clear file:line error for every malformed case."""

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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
    ("title: x\n? [a, b]\n: c\n", 3, "a key must be text, not a list"),
    ("title: x\n? {a: b}\n: c\n", 3, "a key must be text, not a mapping"),
    ("title: x\ndate: 0001-01-01\n", 3, "out of range"),  # year 0 in UTC
    ("title: x\ndate: 9999-12-31T16:00:00Z\n", 3, "out of range"),  # year 10000 in China
    ("title: x\ndate: 0001-01-01T05:00:00+08:00\n", 3, "out of range"),
    ("title: x\ndate: !!timestamp 0001-01-01\n", 3, "out of range"),
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


# --- plain front matter read without a YAML parser (frontmatter_plain) must read as YAML does ---

_PIECES = ["a", "甲", "文章", " ", ":", ": ", "#", " #", "-", "'", "''", '"', "\\", ",", "[", "]",
           "{", "}", "*", "&", "!", "|", ">", "%", "@", "`", "?", "~", "null", "true", "True",
           "no", "0", "12", "1.5", "0x1F", "1e3", ".inf", "2018-09-27", "=", "<<", "  ", "\\n",
           "https://mp.weixin.qq.com/s?__biz=Mz==&mid=1#wechat_redirect", "\t", "\r", "\u2028",
           "\x85", "\ufeff", "\x00"]
_NICE = ["甲", "文章", "a", "Z", "9", " ", "-", "/", ".", "（", "）", "·", "#", ":", "、"]


def _values(pieces):
    plain = st.lists(st.sampled_from(pieces), max_size=5).map("".join)
    item = st.one_of(plain, plain.map(lambda v: f'"{v}"'), plain.map(lambda v: f"'{v}'"))
    return st.one_of(item, st.lists(item, max_size=3).map(lambda i: "[" + ", ".join(i) + "]"))


def _yaml(text):
    try:
        data = frontmatter.yaml.load(text, Loader=frontmatter._Loader)  # noqa: S506
    except Exception:  # noqa: BLE001 (any failure: the fast path must not have accepted it)
        return "error"
    if data is None:
        return {}  # as load_yaml reads an empty front matter
    return {str(k): v for k, v in data.items()} if isinstance(data, dict) else data


@settings(max_examples=4000, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["title", "date", "tags", "null", "true", "x_y",
                                            "Title", "a b", "on"]),
                          st.one_of(_values(_PIECES), _values(_NICE))), max_size=5),
       st.sampled_from(["", " ", "  "]))
def test_plain_front_matter_is_read_as_yaml_reads_it(pairs, pad):
    text = "".join(f"{key}:{pad} {value}\n" for key, value in pairs)
    fast = frontmatter.simple_load(text)
    if fast is not None:
        assert fast == _yaml(text), text


def test_the_importers_front_matter_takes_the_fast_path():
    root = Path(__file__).resolve().parents[2]
    files = sorted((root / "content").rglob("*.md")) + sorted(
        (root / "tests" / "fixtures" / "site" / "content").rglob("*.md"))
    fast = 0
    for path in files:
        yaml_text, _, _ = frontmatter.split(path.read_text("utf-8"))
        data = frontmatter.simple_load(yaml_text) if yaml_text is not None else None
        if data is not None:
            fast += 1
            assert data == _yaml(yaml_text), path
    assert fast >= 0.9 * len(files) > 50


@pytest.mark.parametrize("value", ["0001-01-02", "9999-12-31", "0001-01-01T08:00:00+08:00",
                                   "9999-12-31T23:59:59+08:00", "9999-12-31T15:59:59Z"])
def test_dates_at_the_edges_of_the_range_are_kept(value):
    front = frontmatter.parse(f"---\ntitle: x\ndate: {value}\n---\n", "a.md").front
    assert front.day is not None and front.sort_key()[0] == 1
