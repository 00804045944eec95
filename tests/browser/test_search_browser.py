"""The search page in Chromium: typed queries, highlights, facets, ?q= round trip, keyboard, XSS.

The fixture site is built under a sub-path (/sub/dir/) and served by two local servers: the
standard library one (no Range requests: whole text files) and one that answers Range requests.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import shutil
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from generator.build import build
from generator.config import load_config, override
from generator.model.site import load_site
from generator.outputs.search import search_doc
from tests.search_reference import Index, scan
from tests.browser.conftest import QuietFiles, StaticServer
from tests.unit.test_search_index import CLASSES

FIXTURE = Path(__file__).parent.parent / "fixtures" / "search_site"
CASES = json.loads((FIXTURE / "tokenizer_cases.json").read_text(encoding="utf-8"))
pytestmark = pytest.mark.browser


class _Quiet(QuietFiles):
    def send_head(self):  # type: ignore[override]
        # http.server revalidates by Last-Modified alone, to the second: a file rewritten within
        # the second of its last fetch would be answered 304 with the old copy kept. Static
        # hosts add an ETag; this server instead always answers in full.
        del self.headers["If-Modified-Since"]
        return super().send_head()


class _Ranged(_Quiet):
    """Answers 'Range: bytes=a-b' with 206 Partial Content, as static hosts do."""

    def send_head(self):  # type: ignore[override]
        path = self.translate_path(self.path)
        m = re.fullmatch(r"bytes=(\d+)-(\d+)", self.headers.get("Range", ""))
        if not m or not os.path.isfile(path):
            return super().send_head()
        data = Path(path).read_bytes()
        start, end = int(m[1]), min(int(m[2]), len(data) - 1)
        self.send_response(206)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Range", f"bytes {start}-{end}/{len(data)}")
        self.send_header("Content-Length", str(end - start + 1))
        self.end_headers()
        return io.BytesIO(data[start:end + 1])


def built_site(tmp: Path, **changes: Any) -> tuple[Path, Path]:
    """Build the search fixture into TMP/www/sub/dir; (www, output folder)."""
    root = tmp / "site"
    shutil.copytree(FIXTURE, root)
    www = tmp / "www"
    out = www / "sub" / "dir"
    result = build(override(load_config(root), base_url="http://127.0.0.1/sub/dir/",
                            output_dir=str(out), **changes))
    assert result.problems == []
    return www, out


class Servers(contextlib.ExitStack):
    """HTTP servers over one folder (one per handler), running until closed."""

    def __init__(self, www: Path, *handlers: type) -> None:
        super().__init__()
        self.urls = [self.enter_context(StaticServer(www, h)).url + "sub/dir/" for h in handlers]


@pytest.fixture(scope="module")
def served(tmp_path_factory) -> Iterator[dict[str, Any]]:
    """The search fixture built at /sub/dir/; {'plain': url, 'ranged': url, 'index': Index}."""
    www, out = built_site(tmp_path_factory.mktemp("search"))
    servers = Servers(www, _Quiet, _Ranged)
    site, _ = load_site(load_config(FIXTURE))
    yield {"plain": servers.urls[0], "ranged": servers.urls[1],
           "index": Index(lambda p: (out / "search" / p).read_bytes()),
           "docs": [search_doc(e) for e in site.entries], "slugs": [e.slug for e in site.entries]}
    servers.close()


def open_search(new_page, url: str, query: str | None = None) -> Any:
    page = new_page()
    page.dialogs = []
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
    page.goto(url + "search/" + (f"?q={query}" if query is not None else ""))
    if query:
        settle(page)
    return page


def settle(page) -> None:
    """Wait until the status reports a result and every shown result has its excerpt."""
    page.wait_for_function("""() => {
        const s = document.getElementById('search-status').textContent;
        return (s.startsWith('找到') || s.startsWith('没有'))
            && !document.querySelector('#search-results [aria-busy]');
    }""")


def result_slugs(page) -> list[str]:
    hrefs = page.eval_on_selector_all("#search-results .entry-title a", "as => as.map(a => a.href)")
    return [urlsplit(h).path.rstrip("/").rsplit("/", 1)[-1] for h in hrefs]


def type_query(page, text: str) -> None:
    # The previous query's status stays until the new search reports: clear it, so that
    # settle() waits for this query's answer and not the last one's.
    page.evaluate("document.getElementById('search-status').textContent = ''")
    box = page.locator("#search-q")
    box.fill("")
    box.press_sequentially(text)
    box.press("Enter")
    page.wait_for_function("q => new URLSearchParams(location.search).get('q') === q", arg=text)
    settle(page)


def test_js_text_rules_agree_with_the_case_table(served, new_page):
    page = open_search(new_page, served["plain"])
    got = page.evaluate("""cases => {
        const S = window.WenjiSearch;
        return {
            fold: cases.fold.map(c => S.fold(c[0])),
            terms: cases.terms.map(c => S.terms(c[0])),
            keys: cases.keys.map(c => [S.keyOf(c[0]), S.shardOf(S.keyOf(c[0]), c[2])]),
            cover: cases.cover.map(c => S.cover(c[0])),
        };
    }""", CASES)
    assert got["fold"] == [c[1] for c in CASES["fold"]]
    assert got["terms"] == [c[1] for c in CASES["terms"]]
    assert got["keys"] == [[c[1], c[3]] for c in CASES["keys"]]
    assert got["cover"] == [c[1] for c in CASES["cover"]]


QUERIES = sorted(CLASSES) + ["的测", "海风", "码头 第十", "灯塔", "的", "a"]


def test_js_engine_ranks_like_the_reference(served, new_page):
    page = open_search(new_page, served["ranged"])
    index = served["index"]
    for sort in ("relevance", "newest", "oldest"):
        got = page.evaluate("""async ([queries, sort]) => {
            const ix = window.WenjiSearch.index, out = [];
            for (const q of queries) {
                const r = await ix.search(q);
                out.push(window.WenjiSearch.order(r.hits, sort, ix.dated).map(h => h.doc));
            }
            return out;
        }""", [QUERIES, sort])
        assert got == [[h.doc for h in index.search(q, sort)] for q in QUERIES], sort


def test_every_query_class_through_the_page_equals_brute_force(served, new_page):
    """The query set of the unit tests, typed into the real search page (no Range support)."""
    page = open_search(new_page, served["plain"])
    docs, slugs = served["docs"], served["slugs"]
    for query in sorted(CLASSES):
        type_query(page, query)
        truth = {slugs[i] for i in scan(docs, query)}
        assert truth == CLASSES[query]
        assert set(result_slugs(page)) == truth, query
        if truth:
            assert page.inner_text("#search-status") == f"找到 {len(truth)} 篇文章。"
    assert page.errors == [] and page.dialogs == []


@pytest.mark.parametrize("server", ["plain", "ranged"])
def test_typed_queries_give_expected_results_and_highlights(served, new_page, server):
    page = open_search(new_page, served[server])
    ranges = []
    page.on("response", lambda r: re.search(r"/[pt]/\d+\.bin(\?|$)", r.url) and ranges.append(r.status))
    type_query(page, "段简")
    assert result_slugs(page) == ["s01"]
    # the body has it twice: 一段简单 and “段简”
    assert page.locator("#search-results .search-excerpt mark").all_inner_texts() == ["段简", "段简"]
    assert page.inner_text("#search-status") == "找到 1 篇文章。"

    type_query(page, "灯塔")
    assert result_slugs(page) == ["s08", "s09", "s11", "s10", "s06", "s07", "s14"]
    assert page.locator("#search-results .entry-title mark").all_inner_texts() == ["灯塔"]
    first = page.locator("#search-results li").first
    assert first.locator("time").get_attribute("datetime") == "2016-04-02"
    assert first.locator(".entry-account").inner_text() == "灯塔号"
    assert first.locator(".search-tag").all_inner_texts() == ["#海岸"]

    type_query(page, "ＡＢＣ")  # full-width query; the title shows its own full-width letters
    assert result_slugs(page) == ["s03"]
    assert page.locator("#search-results .entry-title mark").all_inner_texts() == ["ＡＢＣ"]

    type_query(page, "Python教程")
    assert result_slugs(page) == ["s04"]
    marks = page.locator("#search-results .search-excerpt mark").all_inner_texts()
    assert marks == ["Python教程"]  # one term: "python" alone is not marked

    type_query(page, "白鹭")  # deep inside a long article: a window with ellipses
    excerpt = page.locator("#search-results .search-excerpt").inner_text()
    assert excerpt.startswith("…") and excerpt.endswith("…") and "白鹭" in excerpt
    assert len(excerpt) < 160

    type_query(page, "𠮷野家")
    assert page.locator("#search-results .search-excerpt mark").all_inner_texts() == ["𠮷野家"]
    assert "生僻字𠮷野家的牛肉饭" in page.locator("#search-results .search-excerpt").inner_text()

    type_query(page, "不存在的词")
    assert result_slugs(page) == []
    assert page.inner_text("#search-status") == "没有找到包含“不存在的词”的文章。"
    assert page.errors == [] and page.dialogs == []
    assert ranges and set(ranges) == ({206} if server == "ranged" else {200})


def test_query_round_trips_through_the_url(served, new_page):
    page = open_search(new_page, served["ranged"], "python")
    assert page.input_value("#search-q") == "python"
    assert page.input_value("#site-search-q") == "python"
    assert result_slugs(page) == ["s04", "s03"]
    assert "python" in page.title()
    type_query(page, "海风 码头")
    assert parse_qs(urlsplit(page.url).query) == {"q": ["海风 码头"]}
    page.reload()
    settle(page)
    assert page.input_value("#search-q") == "海风 码头"
    assert len(result_slugs(page)) == 10

    # the header search box of any page lands on the search page with the query
    page.goto(served["ranged"])
    page.fill("#site-search-q", "灯塔")
    page.press("#site-search-q", "Enter")
    page.wait_for_url("**/sub/dir/search/?q=*")
    settle(page)
    assert result_slugs(page)[0] == "s08"
    assert page.errors == []


def test_facets_filter_and_sort(served, new_page):
    page = open_search(new_page, served["ranged"], "灯塔")
    years = page.eval_on_selector_all("#search-year option", "os => os.map(o => o.textContent)")
    assert years == ["全部年份", "2021（1）", "2018（1）", "2017（3）", "2016（1）"]
    page.select_option("#search-year", "2017")
    settle(page)
    assert result_slugs(page) == ["s09", "s11", "s10"]
    assert page.inner_text("#search-status") == "找到 3 篇文章（筛选前 7 篇）。"

    page.click("#search-facets summary")
    page.wait_for_function("document.querySelectorAll('#search-tag option').length > 1")
    tags = page.eval_on_selector_all("#search-tag option", "os => os.map(o => o.textContent)")
    assert tags == ["全部标签", "海岸（3）", "港口（2）"]
    page.select_option("#search-tag", "港口")
    settle(page)
    assert result_slugs(page) == ["s11", "s10"]
    page.select_option("#search-sort", "oldest")
    settle(page)
    assert result_slugs(page) == ["s10", "s11"]
    query = parse_qs(urlsplit(page.url).query)
    assert query == {"q": ["灯塔"], "year": ["2017"], "tag": ["港口"], "sort": ["oldest"]}

    page.reload()  # the filters come back from the URL
    settle(page)
    assert result_slugs(page) == ["s10", "s11"]
    assert page.input_value("#search-tag") == "港口"
    assert page.input_value("#search-year") == "2017"

    page.select_option("#search-tag", "")
    page.select_option("#search-year", "")
    page.select_option("#search-account", "测试号")
    settle(page)
    assert result_slugs(page) == ["s07"]

    page.locator("#search-results .search-tag", has_text="#札记").click()  # a result's tag chip
    settle(page)
    assert page.input_value("#search-tag") == "札记"
    assert page.errors == []


def test_more_results_and_keyboard(served, new_page):
    page = open_search(new_page, served["ranged"])
    page.evaluate("document.activeElement.blur()")  # the box has focus on an empty page
    page.locator("body").press("/")
    assert page.evaluate("document.activeElement.id") == "search-q"
    page.keyboard.type("海风")
    page.keyboard.press("Enter")
    settle(page)
    assert len(result_slugs(page)) == 10
    assert page.inner_text("#search-status") == "找到 11 篇文章。"
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.closest('li') !== null")
    first = page.evaluate("document.activeElement.href")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.href") != first
    page.keyboard.press("ArrowUp")
    assert page.evaluate("document.activeElement.href") == first
    page.keyboard.press("ArrowUp")
    assert page.evaluate("document.activeElement.id") == "search-q"

    page.click("#search-more")
    page.wait_for_function("document.querySelectorAll('#search-results li').length === 11")
    settle(page)
    assert page.is_hidden("#search-more")
    assert page.evaluate("document.activeElement.closest('li')"
                         " === document.querySelectorAll('#search-results li')[10]")

    page.focus("#search-q")
    page.keyboard.press("Escape")
    assert page.input_value("#search-q") == ""
    assert result_slugs(page) == [] and "q=" not in page.url

    # a result link leads to the article under the sub-path
    type_query(page, "段简")
    page.click("#search-results .entry-title a")
    page.wait_for_url("**/sub/dir/2021/03/s01/#h=*")
    assert page.locator("h1").inner_text() == "简单的测试"
    # the query is highlighted on the article reached from the result
    page.wait_for_selector(".article-body mark")
    assert page.locator(".article-body mark").all_inner_texts() == ["段简", "段简"]
    assert page.errors == []


def test_untrusted_titles_show_as_text(served, new_page):
    page = open_search(new_page, served["plain"], "img")
    assert result_slugs(page) == ["s02"]
    hit = page.locator("#search-results li").first
    assert hit.locator(".entry-title").inner_text() == "<img src=x onerror=alert(1)>"
    assert hit.locator(".entry-account").inner_text() == "<b>粗体号</b>"
    assert "#<script>alert(2)</script>" in hit.locator(".search-tag").all_inner_texts()
    assert page.locator("#search-results img, #search-results script, #search-results b").count() == 0
    type_query(page, "onerror")
    assert "<script>alert(3)</script>" in hit.locator(".search-excerpt").inner_text()
    assert page.dialogs == [] and page.errors == []


def test_a_query_downloads_only_its_files(served, new_page):
    page = open_search(new_page, served["ranged"])
    fetched = []
    page.on("request", lambda r: "/search/" in r.url and fetched.append(unquote(urlsplit(r.url).path)))
    type_query(page, "段简")
    names = sorted({p.split("/search/", 1)[1].split("/", 1)[-1] for p in fetched} - {""})
    kinds = sorted({n.split("/")[0] for n in names})
    assert kinds == ["d", "k", "lengths.json.gz", "manifest.json", "p", "t"]
    assert len([n for n in names if n.startswith("k/")]) == 1  # one key: one directory
    assert "facets.json.gz" not in names  # only loaded when filtering by account or tag


def test_search_works_with_page_relative_links(tmp_path, new_page):
    www, _ = built_site(tmp_path, relative_links=True)
    servers = Servers(www, _Quiet)
    try:
        page = open_search(new_page, servers.urls[0], "灯塔")
        assert result_slugs(page) == ["s08", "s09", "s11", "s10", "s06", "s07", "s14"]
        assert page.get_attribute("#search", "data-index") == "../search/"
        page.click("#search-results .entry-title a")
        page.wait_for_url("**/sub/dir/2016/04/s08/#h=*")
        assert page.errors == []
    finally:
        servers.close()


def test_typed_queries_enter_history_and_empty_results_name_the_term(served, new_page):
    page = open_search(new_page, served["ranged"], "灯塔")
    type_query(page, "海风")
    type_query(page, "段简")
    page.go_back()
    page.wait_for_function("document.getElementById('search-q').value === '海风'")
    settle(page)
    assert page.inner_text("#search-status") == "找到 11 篇文章。"
    page.go_back()
    page.wait_for_function("document.getElementById('search-q').value === '灯塔'")
    settle(page)
    assert result_slugs(page)[0] == "s08"
    page.go_forward()
    page.wait_for_function("document.getElementById('search-q').value === '海风'")
    settle(page)

    type_query(page, "海风 不存在")
    assert page.inner_text("#search-status") == "没有文章包含“不存在”。"
    type_query(page, "海风 段简")
    assert page.inner_text("#search-status") == \
        "没有同时包含“海风”和“段简”的文章（“海风” 11 篇，“段简” 1 篇）。"
    assert page.errors == []


def test_an_edited_article_is_found_right_after_a_patched_build(tmp_path, new_page):
    root = tmp_path / "site"
    shutil.copytree(FIXTURE, root)
    www = tmp_path / "www"
    cfg = override(load_config(root), base_url="http://127.0.0.1/sub/dir/",
                   output_dir=str(www / "sub" / "dir"))
    assert build(cfg).mode == "full"
    servers = Servers(www, _Ranged)
    try:
        page = open_search(new_page, servers.urls[0], "段简")
        assert result_slugs(page) == ["s01"]
        article = root / "content" / "s01.md"
        article.write_text(article.read_text(encoding="utf-8").replace(
            "这是一段简单的测试文本", "这是一段改写后的鹦鹉螺文本"), encoding="utf-8")
        result = build(cfg)
        assert result.mode == "patch"
        page.reload()
        settle(page)
        assert result_slugs(page) == ["s01"]  # still there: “段简” is quoted further on
        type_query(page, "鹦鹉螺")
        assert result_slugs(page) == ["s01"]
        assert page.locator("#search-results .search-excerpt mark").all_inner_texts() == ["鹦鹉螺"]
        type_query(page, "简单的测试文本")
        assert result_slugs(page) == []
        assert page.errors == []
    finally:
        servers.close()
