"""Build the fixture site and check every page: links resolve, feeds are Atom, HTML is sound."""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

from generator.build import build
from generator.check import check
from generator.config import load_config, override

FIXTURE = Path(__file__).parent.parent / "fixtures" / "site"
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}

VARIANTS = {
    "root": {"base_url": "https://example.org/"},
    "sub-path": {"base_url": "https://example.org/archive/"},
    "sub-path-relative": {"base_url": "https://example.org/archive/", "relative_links": True},
}


@pytest.fixture(scope="module", params=list(VARIANTS))
def built(request, tmp_path_factory):
    root = tmp_path_factory.mktemp(request.param) / "site"
    shutil.copytree(FIXTURE, root)
    cfg = override(load_config(root), **VARIANTS[request.param])
    result = build(cfg)
    assert result.problems == [] and result.exit_code == 0
    return cfg


def files(cfg, suffix: str) -> list[Path]:
    return sorted(p for p in cfg.output_path.rglob(f"*{suffix}") if p.is_file())


def test_every_internal_link_resolves(built):
    result = check(built)
    assert result.broken == [], "\n".join(map(str, result.broken))
    assert result.links > 500


def test_expected_pages_exist(built):
    out = built.output_path
    for rel in ("index.html", "page/2/index.html", "archive/index.html", "2018/index.html",
                "2018/09/index.html", "2018/09/a1b2c3d4e5f6/index.html", "tags/index.html",
                "tags/by-name.html", "tags/党建/index.html", "tags/党建/feed.xml",
                "accounts/越城组工/index.html", "accounts/越城组工/feed.xml", "undated/index.html",
                "undated/f2a7b8c9d0e1/index.html", "feed.xml", "sitemap.xml", "robots.txt",
                "404.html", "css/style.css", "2021/05/五四-青年节/index.html"):
        assert (out / rel).is_file(), rel
    assert not (out / "2021/07").exists()  # the draft's month
    assert "草稿" not in (out / "index.html").read_text(encoding="utf-8")


def test_feeds_are_atom(built):
    feeds = files(built, ".xml")
    feeds = [f for f in feeds if f.name == "feed.xml"]
    assert len(feeds) > 10
    for path in feeds:
        root = ET.parse(path).getroot()
        assert root.tag == f"{ATOM}feed", path
        for required in ("id", "title", "updated"):
            assert root.find(f"{ATOM}{required}") is not None, (path, required)
        assert root.find(f"{ATOM}link[@rel='self']").get("href").startswith(built.base_url)
        has_author = root.find(f"{ATOM}author") is not None
        entries = root.findall(f"{ATOM}entry")
        for entry in entries:
            for required in ("id", "title", "updated", "link"):
                assert entry.find(f"{ATOM}{required}") is not None, (path, required)
            assert has_author or entry.find(f"{ATOM}author") is not None
            assert entry.find(f"{ATOM}link").get("href").startswith(built.base_url)
    main = ET.parse(built.output_path / "feed.xml").getroot().findall(f"{ATOM}entry")
    assert len(main) == built.feed_size
    assert main[0].find(f"{ATOM}content").text.startswith("<p>")


def test_sitemap_is_well_formed(built):
    root = ET.parse(built.output_path / "sitemap.xml").getroot()
    assert root.tag == f"{SITEMAP}urlset"
    locs = [u.find(f"{SITEMAP}loc").text for u in root.findall(f"{SITEMAP}url")]
    assert len(locs) == len(set(locs)) > 13
    assert all(loc.startswith(built.base_url) for loc in locs)
    robots = (built.output_path / "robots.txt").read_text(encoding="utf-8")
    assert f"Sitemap: {built.base_url}sitemap.xml" in robots


def test_sitemap_splits_past_the_limit(built):
    from generator.model.site import load_site
    from generator.outputs import sitemap

    site, _ = load_site(built)
    planned = sitemap.plan(site, built, limit=10)
    names = sorted(o.path for o in planned)
    assert names[0] == "sitemap-1.xml" and "sitemap.xml" in names and len(names) >= 4
    index = next(o for o in planned if o.path == "sitemap.xml")
    assert index.template == "sitemap_index.xml"


class StrictHTML(HTMLParser):
    """Well-formedness as our templates promise it: balanced, properly nested tags, no
    duplicate attributes or ids, a doctype, a lang, a title, one main and one h1."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.ids: set[str] = set()
        self.counts: dict[str, int] = {}
        self.doctype = False
        self.lang = ""
        self.title = ""
        self.in_title = False
        self.in_script = False
        self.in_data = False

    def handle_decl(self, decl: str) -> None:
        self.doctype = decl.lower() == "doctype html"

    def handle_starttag(self, tag: str, attrs: list) -> None:
        names = [k for k, _ in attrs]
        if len(names) != len(set(names)):
            self.errors.append(f"duplicate attribute in <{tag}>")
        for key, value in attrs:
            if key.startswith("on") or (value or "").strip().lower().startswith("javascript:"):
                self.errors.append(f"executable attribute {key}={value!r} in <{tag}>")
            if key == "id":
                if value in self.ids:
                    self.errors.append(f"duplicate id {value!r}")
                self.ids.add(value)
        if tag == "html":
            self.lang = dict(attrs).get("lang") or ""
        self.counts[tag] = self.counts.get(tag, 0) + 1
        if tag == "script" and dict(attrs).get("type") == "application/ld+json":
            self.in_data = True  # structured data (JSON-LD): never run, must parse as JSON
        elif tag == "script":  # otherwise only the theme's own external scripts
            src = dict(attrs).get("src") or ""
            if not src.endswith(".js") or "//" in src:
                self.errors.append(f"<script src={src!r}> is not a theme script")
            self.in_script = True
        if tag == "title":
            self.in_title = True
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        if tag not in VOID:
            self.errors.append(f"self-closed non-void <{tag}/>")
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            self.errors.append(f"end tag for void element </{tag}>")
        elif not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> does not close <{self.stack[-1] if self.stack else ''}>")
        else:
            self.stack.pop()
        if tag == "title":
            self.in_title = False
        if tag == "script":
            self.in_script = self.in_data = False

    def handle_data(self, data: str) -> None:
        if self.in_script and data.strip():
            self.errors.append("inline script")
        if self.in_data:
            try:
                json.loads(data)
            except ValueError:
                self.errors.append("JSON-LD that is not JSON")
            if "<" in data:
                self.errors.append("'<' inside JSON-LD")
        if self.in_title:
            self.title += data

    def verdict(self) -> list[str]:
        problems = list(self.errors)
        if self.stack:
            problems.append(f"unclosed: {self.stack}")
        if not self.doctype:
            problems.append("no <!DOCTYPE html>")
        if not self.lang or not self.title.strip():
            problems.append("no lang or no title")
        if self.counts.get("main") != 1 or self.counts.get("h1") != 1:
            problems.append(f"{self.counts.get('main')} <main>, {self.counts.get('h1')} <h1>")
        return problems


def test_html_parses_strictly(built):
    pages = files(built, ".html")
    assert len(pages) > 50
    for page in pages:
        parser = StrictHTML()
        parser.feed(page.read_text(encoding="utf-8"))
        parser.close()
        assert parser.verdict() == [], page.relative_to(built.output_path)


def test_article_page_shows_what_readers_need(built):
    html = (built.output_path / "2020/01/c9d0e1f2a7b8/index.html").read_text(encoding="utf-8")
    for text in ("新冠肺炎防控：社区登记须知", "2020年1月20日", "平湖发布", "平湖市融媒体中心",
                 "原文已被删除", "https://mp.weixin.qq.com/s/abcdef", "字", "分钟",
                 "较新一篇", "较早一篇", '<meta name="referrer" content="no-referrer">',
                 "tags/%E6%96%B0%E5%86%A0%E8%82%BA%E7%82%8E/"):
        assert text in html, text


def test_scraped_html_is_neutralised(built):
    html = (built.output_path / "2019/02/f6a1b2c3d4e5/index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(&#39;标题&#39;)" in html  # title escaped, not executed
    assert "<iframe" not in html and "onerror" not in html and "javascript:" not in html
    assert "position:fixed" not in html and "onclick" not in html
    assert 'src="https://mmbiz.qpic.cn/demo.jpg"' in html


@pytest.mark.parametrize("by_date, year_pages", [(0, 1), (1, 4), (None, 2)])
def test_archive_pages_have_their_own_size(tmp_path, by_date, year_pages):
    """archive_per_page: 0 puts a whole year (and month) on one page, as Hugo's and Pelican's
    period archives do; unset, archives are paginated like every other list."""
    root = tmp_path / "site"
    shutil.copytree(FIXTURE, root)
    cfg = override(load_config(root), per_page=2, archive_per_page=by_date)
    assert build(cfg).exit_code == 0
    out = cfg.output_path
    pages = ["2018/index.html"] + [f"2018/page/{n}/index.html" for n in range(2, 6)]
    assert [(out / p).is_file() for p in pages] == [n < year_pages for n in range(5)]
    september = (out / "2018/09/index.html").read_text(encoding="utf-8")
    assert september.count('class="entry"') == (3 if by_date == 0 else min(3, by_date or 2))
    assert (out / "page/2/index.html").is_file()  # the home page keeps per_page
    assert check(cfg).broken == []
