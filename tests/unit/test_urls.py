"""URL rules: segments, article URLs, pagination, output paths, link prefixes."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator import urls
from generator.model.taxonomy import assign_segments


@pytest.mark.parametrize("name, segment", [
    ("人工智能", "人工智能"),
    ("新冠肺炎（COVID-19）", "新冠肺炎-covid-19"),
    ("《老头乐》", "老头乐"),
    ("Hello, World!", "hello-world"),
    ("Ｆｕｌｌｗｉｄｔｈ", "fullwidth"),
    ("a_b c", "a-b-c"),
    ("!!!", ""),
])
def test_slugify_keeps_unicode_and_folds_punctuation(name, segment):
    assert urls.slugify(name) == segment


def test_segments_never_empty_never_shared():
    names = ["C++", "C#", "c", "AI", "ai", "!!!", "？？", "标签", "标签!", ""]
    segments = assign_segments(names, "tag")
    assert set(segments) == set(names)
    assert len(set(segments.values())) == len(names)
    assert all(s and "/" not in s and "." not in s for s in segments.values())
    assert segments["c"] == "c"  # the exact match keeps the plain segment
    assert segments["标签"] == "标签"
    assert segments == assign_segments(list(reversed(names)), "tag")  # order-independent


def test_adding_a_name_does_not_rename_suffixed_ones():
    before = assign_segments(["C++", "C#"], "tag")
    after = assign_segments(["C++", "C#", "c"], "tag")
    assert after["C++"] == before["C++"]


@given(st.lists(st.text(max_size=12), max_size=30))
def test_segments_unique_for_any_names(names):
    segments = assign_segments(names, "tag")
    assert len(set(segments.values())) == len(set(names))
    assert all(s and s.casefold() == s.casefold().strip("-") for s in segments.values())
    assert len({s.casefold() for s in segments.values()}) == len(set(names))


def test_article_urls():
    day = dt.date(2018, 9, 3)
    assert urls.article_url("/{yyyy}/{mm}/{slug}/", "abc", day) == "2018/09/abc/"
    assert urls.article_url("/{yyyy}/{mm}/{dd}/{slug}/", "abc", day) == "2018/09/03/abc/"
    assert urls.article_url("/posts/{slug}.html", "abc", day) == "posts/abc.html"
    assert urls.article_url("/{yyyy}/{mm}/{slug}/", "abc", None) == "undated/abc/"


def test_pagination_and_output_paths():
    assert urls.paged("", 1) == "" and urls.paged("", 2) == "page/2/"
    assert urls.paged("tags/党建/", 3) == "tags/党建/page/3/"
    assert urls.output_path("") == "index.html"
    assert urls.output_path("2018/09/") == "2018/09/index.html"
    assert urls.output_path("feed.xml") == "feed.xml"
    for url in ("", "a/", "a/b.html", "tags/x/feed.xml"):
        assert urls.url_of(urls.output_path(url)) == url


def test_links_absolute_with_sub_path_or_relative():
    assert urls.root_prefix("/archive/", "2018/09/abc/", False) == "/archive/"
    assert urls.root_prefix("/", "2018/09/abc/", True) == "../../../"
    assert urls.root_prefix("/", "", True) == "./"
    assert urls.root_prefix("/", "tags/by-name.html", True) == "../"
    assert urls.root_prefix("/x/", "404.html", True) == "/x/"  # served at any depth
    assert urls.link("/archive/", "tags/人工智能/") == "/archive/tags/%E4%BA%BA%E5%B7%A5%E6%99%BA%E8%83%BD/"
    assert urls.absolute("https://example.org/a/", "feed.xml") == "https://example.org/a/feed.xml"
