"""Search sub-results in Chromium: a long article's matching sections link to their headings."""

from __future__ import annotations

from typing import Any, Iterator
from urllib.parse import unquote, urlsplit

import pytest

from generator.build import build
from generator.config import load_config, override
from tests.browser.conftest import StaticServer

pytestmark = pytest.mark.browser

FILLER = "这一段只是铺垫的文字，记下山谷里的天气、道路和住处，用来把文章拉长。" * 6


def long_article() -> str:
    parts = ["---", "title: 高原笔记", "date: 2024-05-01", "---", "",
             "开头提到雪豹一次，它在后文的一个小节里才真正出现。", "", FILLER, ""]
    for n, heading in enumerate(["出发", "观察记录", "途中", "观察记录",
                                 '归来 \\<img src=x onerror="alert(1)"\\>']):
        parts += [f"## {heading}", "", FILLER, ""]
        if n == 3:  # the second "观察记录": its id is 观察记录-1
            parts += ["黄昏时分，远处的岩壁上终于出现了一只雪豹，停留了几分钟。", "", FILLER, ""]
        parts += [f"### 第{n + 1}天的补记", "", FILLER, ""]
    return "\n".join(parts)


@pytest.fixture(scope="module")
def site_url(tmp_path_factory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("sections")
    (root / "content").mkdir()
    (root / "content" / "2024-05-01-notes.md").write_text(long_article(), encoding="utf-8")
    (root / "content" / "2024-04-01-short.md").write_text(
        "---\ntitle: 短文\ndate: 2024-04-01\n---\n\n雪豹的短消息，没有小标题。\n", encoding="utf-8")
    (root / "site.yml").write_text("title: 笔记\n", encoding="utf-8")
    with StaticServer(root / "public") as server:
        assert build(override(load_config(root), base_url=server.url)).problems == []
        yield server.url


def settled(page: Any) -> None:
    page.wait_for_function("""() => document.getElementById('search-status').textContent
        .startsWith('找到') && !document.querySelector('#search-results [aria-busy]')""")


def test_a_sub_result_links_to_its_heading_and_highlights_there(site_url, new_page):
    page = new_page(height=700)
    page.goto(site_url + "search/?q=雪豹")
    settled(page)
    hits = page.locator("#search-results > li")
    assert hits.count() == 2
    long_hit = hits.filter(has_text="高原笔记")
    subs = long_hit.locator(".search-sub")
    assert subs.count() == 1  # the intro mention is the article's excerpt, not a section
    assert subs.locator("a").inner_text() == "观察记录"
    assert subs.locator("mark").all_inner_texts() == ["雪豹"]  # the snippet shows the match
    assert hits.filter(has_text="短文").locator(".search-sub").count() == 0  # no headings

    href = subs.locator("a").get_attribute("href")
    link = urlsplit(href)
    assert unquote(link.fragment) == "观察记录-1"
    assert link.path.endswith("/notes/")

    subs.locator("a").click()
    page.wait_for_url("**/notes/?h=*")
    page.wait_for_selector(".article-body mark")
    target = page.evaluate("""() => { const t = document.querySelector(':target');
        return t && {tag: t.tagName, id: t.id, text: t.textContent,
                     top: t.getBoundingClientRect().top}; }""")
    assert target is not None and target["tag"] == "H2" and target["id"] == "观察记录-1"
    assert 0 <= target["top"] < 300  # landed on the heading, not on the intro's first mark
    assert page.locator(".article-body mark").all_inner_texts() == ["雪豹", "雪豹"]
    assert page.locator("#观察记录-1 ~ p mark").count() == 1  # the one under the heading
    assert page.errors == []


def test_heading_text_is_shown_as_text(site_url, new_page):
    page = new_page()
    page.goto(site_url + "search/?q=归来")
    settled(page)
    sub = page.locator(".search-sub a")
    assert sub.inner_text() == '归来 <img src=x onerror="alert(1)">'
    assert page.locator("#search-results img").count() == 0
    assert unquote(urlsplit(sub.get_attribute("href")).fragment) == "归来-img-srcx-onerroralert1"
    assert page.errors == []
