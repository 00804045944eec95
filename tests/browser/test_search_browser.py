"""The search page in Chromium: typed queries, highlights, facets, ?q= round trip, keyboard, XSS.

The fixture site is built under a sub-path (/sub/dir/) and served by two local servers: the
standard library one (no Range requests: whole text files) and one that answers Range requests.
"""

from __future__ import annotations

import functools
import io
import json
import os
import re
import shutil
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from generator.build import build
from generator.config import load_config, override
from generator.search.query import Index

FIXTURE = Path(__file__).parent.parent / "fixtures" / "search_site"
CASES = json.loads((FIXTURE / "tokenizer_cases.json").read_text(encoding="utf-8"))
pytestmark = pytest.mark.browser


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


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


class Servers:
    """HTTP servers over one folder, each in its own thread."""

    def __init__(self, www: Path, *handlers: type) -> None:
        self.servers = [ThreadingHTTPServer(("127.0.0.1", 0),
                                            functools.partial(h, directory=str(www)))
                        for h in handlers]
        self.threads = [threading.Thread(target=s.serve_forever, daemon=True)
                        for s in self.servers]
        for t in self.threads:
            t.start()
        self.urls = [f"http://127.0.0.1:{s.server_address[1]}/sub/dir/" for s in self.servers]

    def close(self) -> None:
        for s in self.servers:
            s.shutdown()
        for t in self.threads:
            t.join(5)


@pytest.fixture(scope="module")
def served(tmp_path_factory) -> Iterator[dict[str, Any]]:
    """The search fixture built at /sub/dir/; {'plain': url, 'ranged': url, 'index': Index}."""
    www, out = built_site(tmp_path_factory.mktemp("search"))
    servers = Servers(www, _Quiet, _Ranged)
    yield {"plain": servers.urls[0], "ranged": servers.urls[1],
           "index": Index(lambda p: (out / "search" / p).read_bytes())}
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
    box = page.locator("#search-q")
    box.fill("")
    box.press_sequentially(text)
    box.press("Enter")
    page.wait_for_function("q => new URLSearchParams(location.search).get('q') === q", arg=text)
    settle(page)


def test_js_tokenizer_agrees_with_the_case_table(served, new_page):
    page = open_search(new_page, served["plain"])
    got = page.evaluate("""cases => {
        const S = window.WenjiSearch;
        return {
            fold: cases.fold.map(c => S.fold(c[0])),
            tokens: cases.tokens.map(c => S.tokenList(c.text, c.title)),
            cover: cases.cover.map(c => S.cover(c[0])),
            parse: cases.parse.map(c => S.parse(c[0]).map(t => [t.kind, t.text])),
            shard: cases.shard.map(c => [S.shardKey(c[0]), S.fnv1a(S.shardKey(c[0])),
                                         S.shardOf(c[0], c[3])]),
        };
    }""", CASES)
    assert got["fold"] == [c[1] for c in CASES["fold"]]
    assert got["tokens"] == [c["tokens"] for c in CASES["tokens"]]
    assert got["cover"] == [c[1] for c in CASES["cover"]]
    assert got["parse"] == [c[1] for c in CASES["parse"]]
    assert got["shard"] == [[c[1], c[2], c[4]] for c in CASES["shard"]]


QUERIES = ["段简", "的测", "ＡＢＣ", "python", "pyth", "Python教程", "covid 新冠", "雪", "的", "灯塔",
           "img", "𠮷野家", "表情之后", "白鹭", "海风", "码头 第十", "不存在的词"]


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


@pytest.mark.parametrize("server", ["plain", "ranged"])
def test_typed_queries_give_expected_results_and_highlights(served, new_page, server):
    page = open_search(new_page, served[server])
    ranges = []
    page.on("response", lambda r: r.url.split("?")[0].endswith(".bin") and ranges.append(r.status))
    type_query(page, "段简")
    assert result_slugs(page) == ["s01"]
    # the body has it twice: 一段简单 and “段简”
    assert page.locator("#search-results .search-excerpt mark").all_inner_texts() == ["段简", "段简"]
    assert page.inner_text("#search-status") == "找到 1 篇文章。"

    type_query(page, "灯塔")
    assert result_slugs(page) == ["s08", "s09", "s11", "s10", "s07"]
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
    assert marks == ["python", "Python", "Python教程"]  # touching matches make one mark

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
    assert years == ["全部年份", "2017（3）", "2016（1）"]
    page.select_option("#search-year", "2017")
    settle(page)
    assert result_slugs(page) == ["s09", "s11", "s10"]
    assert page.inner_text("#search-status") == "找到 3 篇文章（筛选前 5 篇）。"

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
    page.wait_for_url("**/sub/dir/2021/03/s01/")
    assert page.locator("h1").inner_text() == "简单的测试"
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
    names = sorted({p.split("/search/", 1)[1] for p in fetched} - {""})
    assert names[:3] == ["d/0.json.gz", "lengths.json.gz", "manifest.json"]
    assert [n for n in names if n.startswith("p/")] and [n for n in names if n.startswith("t/")]
    assert "facets.json.gz" not in names  # only loaded when filtering by account or tag


def test_search_works_with_page_relative_links(tmp_path, new_page):
    www, _ = built_site(tmp_path, relative_links=True)
    servers = Servers(www, _Quiet)
    try:
        page = open_search(new_page, servers.urls[0], "灯塔")
        assert result_slugs(page) == ["s08", "s09", "s11", "s10", "s07"]
        assert page.get_attribute("#search", "data-index") == "../search/"
        page.click("#search-results .entry-title a")
        page.wait_for_url("**/sub/dir/2016/04/s08/")
        assert page.errors == []
    finally:
        servers.close()
