"""Hostile content: XSS payloads in every field, through import and build, stay inert text.

The payloads (tests/fixtures/hostile/payloads.txt) go into every field of generated articles;
the built pages, feeds, sitemap and search data must carry them as text only.
test_hostile_import.py runs them through `wenji import`; tests/browser/test_hostile.py opens the
built pages in Chromium.
"""

from __future__ import annotations

import gzip
import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any, Iterable

import lxml.html
import pytest
import yaml

from generator.build import build
from generator.config import load_config

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "hostile"
PAYLOADS = [line for line in (FIXTURES / "payloads.txt").read_text("utf-8").splitlines()
            if line.strip()]
URLS = ["javascript:alert(1)", " javascript:alert(1)", "JaVaScRiPt:alert(1)",
        "java\tscript:alert(1)", "data:text/html,<script>alert(1)</script>", "vbscript:msgbox(1)",
        'https://example.com/"><script>alert(1)</script>', "https://example.com/?q=<script>"]
SAFE_SCHEMES = {"http", "https", "mailto"}
URL_ATTRS = {"href", "src", "action", "formaction", "data", "srcdoc", "poster", "background",
             "cite", "xlink:href", "codebase", "ping", "srcset", "lowsrc", "dynsrc"}
FORBIDDEN = {"script", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "svg",
             "math", "template", "noscript", "style", "textarea", "video", "audio", "source",
             "marquee", "isindex", "xmp", "plaintext", "noembed", "param"}
THEME_SCRIPT = "js/search.js"
ATOM = "{http://www.w3.org/2005/Atom}"
ATOM_TAGS = {"feed", "title", "subtitle", "link", "id", "updated", "author", "name", "generator",
             "entry", "published", "category", "summary", "content"}


def payload(i: int) -> str:
    return PAYLOADS[i % len(PAYLOADS)]


# ---------------------------------------------------------------- hostile inputs


def make_hostile_site(root: Path) -> list[dict[str, Any]]:
    """Write a site whose articles carry the payloads in every field; return their front matter.

    Every payload is a title, a tag, a summary, an author, a source and part of two bodies; the
    accounts use a quarter of them (each account is a page more for the browser to open).
    """
    (root / "content").mkdir(parents=True)
    (root / "site.yml").write_text(
        "title: 敌意测试站\nper_page: 10\nbase_url: http://127.0.0.1/\n", encoding="utf-8")
    fronts = []
    for i, p in enumerate(PAYLOADS):
        front: dict[str, Any] = {
            "title": p, "slug": p if i % 9 == 4 else f"a{i:03d}",
            "date": f"{2019 + i % 3}-{i % 12 + 1:02d}-{i % 27 + 1:02d}" if i % 10 else None,
            "account": payload(i // 4 * 9) if i % 4 else "正常的号",
            "account_id": payload(i + 1),
            "author": payload(i + 2), "source": payload(i + 4), "summary": payload(i + 5),
            "url": URLS[i % len(URLS)], "cover": URLS[(i + 1) % len(URLS)],
            "tags": [payload(i + 3), payload(i + 11), "正常标签"],
            "status": payload(i + 6) if i % 4 == 0 else None,
        }
        front = {k: v for k, v in front.items() if v is not None}
        link = URLS[i % len(URLS)]
        body = (f"正文开头。\n\n{p}\n\n段落中间 {payload(i + 1)} 结束。\n\n"
                f"![{p}](https://example.com/{i}.png \"{p}\")\n\n"
                f"<img src=\"https://example.com/{i}.png\" alt=\"{p}\" title='{p}'>\n\n"
                f"<p title=\"{p}\">{payload(i + 2)}</p>\n\n"
                f"[{p}]({link}) [引用链接][r{i}] <{link}>\n\n[r{i}]: {link}\n")
        (root / "content" / f"a{i:03d}.md").write_text(
            "---\n" + yaml.safe_dump(front, allow_unicode=True, sort_keys=False) + "---\n\n" + body,
            encoding="utf-8")
        fronts.append(front)
    return fronts


# ---------------------------------------------------------------- what counts as executable


def url_scheme(value: str) -> str | None:
    """The scheme a browser would see in an attribute value (None for a relative URL)."""
    value = re.sub(r"[\t\n\r]", "", value.strip("\x00\x01\x02\x03\x04\x05\x06\x07\x08\t\n\x0b"
                                               "\x0c\r\x0e\x0f\x10\x11\x12\x13\x14\x15\x16"
                                               "\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f "))
    m = re.match(r"([A-Za-z][A-Za-z0-9+.-]*):", value)
    return m.group(1).lower() if m else None


def dangers(root: Any, allow: Iterable[str] = ()) -> list[str]:
    """What in an lxml HTML tree could run: handlers, script URLs, scripts, frames, styles."""
    found, forbidden = [], FORBIDDEN - set(allow)
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        tag = el.tag.lower()
        for name, value in el.attrib.items():
            name = name.lower()
            if name.startswith("on"):
                found.append(f"<{tag} {name}=…>")
            if (name in URL_ATTRS or name.endswith(":href")) and \
                    url_scheme(value) not in (None, *SAFE_SCHEMES):
                found.append(f"<{tag} {name}={value!r}>")
            if name == "style" and not re.fullmatch(r"\s*text-align\s*:\s*\w+\s*;?\s*", value):
                found.append(f"<{tag} style={value!r}>")
            if name == "http-equiv":
                found.append(f"<{tag} http-equiv>")
        if tag == "script" and (el.text or "").strip() == "" \
                and el.get("src", "").endswith(THEME_SCRIPT):
            continue
        if tag == "script" and el.get("type") == "application/ld+json" and not el.get("src") \
                and json_data(el.text or ""):
            continue  # structured data: never run
        if tag in forbidden:
            found.append(f"<{tag}>")
    return found


def json_data(text: str) -> bool:
    """TEXT is JSON that cannot end its script element."""
    try:
        json.loads(text)
    except ValueError:
        return False
    return "<" not in text


def html_dangers(fragment: str) -> list[str]:
    return dangers(lxml.html.fragment_fromstring(fragment, create_parent="div"))


# ---------------------------------------------------------------- the corpus itself


def test_payload_corpus_covers_the_cheat_sheet():
    assert len(PAYLOADS) >= 50 and len(set(PAYLOADS)) == len(PAYLOADS)
    for needle in ("<script", "onerror=", "onload=", "javascript:", "data:text/html", "vbscript:",
                   "<svg", "<math", "<iframe", "<object", "<embed", "expression(", '"><',
                   "'><", "{{7*7}}", "</script>", "](javascript:", "<javascript:", "<!--",
                   "\\u003c", "&#x09;", "&#106;", "style=", "srcdoc=", "＜script＞", "]]>"):
        assert any(needle in p for p in PAYLOADS), needle
    assert sum("alert(" in p or "msgbox(" in p for p in PAYLOADS) >= 0.9 * len(PAYLOADS)


def test_the_scanners_see_what_they_must():
    assert html_dangers('<a href=" &#14;java&#x09;script:alert(1)">x</a>')
    assert html_dangers('<img src=x onerror=alert(1)>') and html_dangers("<svg></svg>")
    assert not html_dangers('<p style="text-align: center"><a href="/x">x</a></p>')


@pytest.mark.parametrize("body", ["a [`b] c", "[`](x)", "[x`](javascript:alert(1))",
                                  "![`\"'><img src=x onerror=alert(1)>](https://e.com/a.png)",
                                  "[`x][r]\n\n[r]: https://e.com/"])
def test_bodies_the_fast_markdown_parser_panics_on_still_render(body):
    """Regression: markdown-it-pyrs 0.4 panics (a BaseException) on a lone backtick in brackets."""
    from generator.markup.markdown import render

    html_out, text = render(body)
    assert html_out.strip() and html_dangers(html_out) == []
    assert "`" in text + html_out


# ---------------------------------------------------------------- the built site


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("hostile") / "site"
    fronts = make_hostile_site(root)
    cfg = load_config(root)
    result = build(cfg, stream=io.StringIO())
    return {"root": root, "out": cfg.output_path, "fronts": fronts, "result": result}


def pages(out: Path) -> Iterable[tuple[Path, Any]]:
    for path in sorted(out.rglob("*.html")):
        yield path, lxml.html.fromstring(path.read_bytes())


def test_every_hostile_article_is_built(built):
    assert built["result"].problems == []
    assert built["result"].articles == len(PAYLOADS)


def test_built_pages_show_payloads_as_text_only(built):
    out, fronts = built["out"], built["fronts"]
    headings, tag_links, seen = [], set(), 0
    for path, doc in pages(out):
        seen += 1
        search_page = path.relative_to(out).as_posix() == "search/index.html"
        assert dangers(doc, ("noscript",) if search_page else ()) == [], path.relative_to(out)
        assert len(doc.xpath("//noscript")) == search_page
        # the theme's search script only (articles load it to highlight a search's terms)
        assert all(el.get("src", "").endswith(THEME_SCRIPT) and not (el.text or "").strip()
                   for el in doc.xpath("//script[not(@type='application/ld+json')]"))
        headings += [h.text_content() for h in doc.xpath("//h1[@id='article-title']")]
        for data in doc.xpath("//script[@type='application/ld+json']"):  # the title, intact
            assert json.loads(data.text)["headline"] == headings[-1]
        tag_links |= {a.text_content() for a in doc.xpath("//a[@rel='tag']")}
        body = doc.xpath("//div[@class='article-body']")
        if body:
            allowed = {"div", "p", "img", "a", "br", "strong", "em", "code", "pre", "details",
                       "summary", "section", "ol", "ul", "li", "hr", "sup", "blockquote", "span",
                       "b", "i", "s", "del", "h1", "h2", "h3", "h4", "h5", "h6", "table", "thead",
                       "tbody", "tr", "td", "th", "small", "mark", "u", "q", "cite", "kbd"}
            assert {el.tag for el in body[0].iter()} <= allowed, path
    assert seen > 2 * len(PAYLOADS)
    assert sorted(headings) == sorted(f["title"] for f in fronts)
    assert {"#" + t for f in fronts for t in f["tags"]} == tag_links


def test_feeds_carry_payloads_as_inert_text(built):
    out, fronts = built["out"], built["fronts"]
    by_title = {f["title"]: f for f in fronts}
    feeds = sorted(out.rglob("*.xml"))
    entries = 0
    for path in feeds:
        root = ET.parse(path).getroot()
        if root.tag != ATOM + "feed":
            continue
        for el in root.iter():
            assert el.tag.startswith(ATOM) and el.tag[len(ATOM):] in ATOM_TAGS, (path, el.tag)
            assert set(el.attrib) <= {"rel", "type", "href", "term",
                                      "{http://www.w3.org/XML/1998/namespace}base",
                                      "{http://www.w3.org/XML/1998/namespace}lang"}, el.attrib
            assert url_scheme(el.get("href", "")) in (None, "http"), el.get("href")
        for entry in root.iter(ATOM + "entry"):
            entries += 1
            front = by_title[entry.findtext(ATOM + "title")]
            assert [c.get("term") for c in entry.iter(ATOM + "category")] == front["tags"]
            assert entry.findtext(ATOM + "summary") == front["summary"]
            author = entry.findtext(f"{ATOM}author/{ATOM}name")
            assert author == front["author"]
            content = entry.findtext(ATOM + "content")
            if content is not None:
                assert html_dangers(content) == [], front["title"]
    assert len(feeds) > len(PAYLOADS) and entries > 3 * len(PAYLOADS)


def test_sitemap_parses_and_lists_only_site_urls(built):
    root = ET.parse(built["out"] / "sitemap.xml").getroot()
    locs = [el.text or "" for el in root.iter() if el.tag.endswith("}loc")]
    assert len(locs) > len(PAYLOADS)
    assert all(loc.startswith("http://127.0.0.1/") and "<" not in loc and '"' not in loc
               for loc in locs)


def test_search_data_carries_payloads_as_text(built):
    folder, fronts = built["out"] / "search", built["fronts"]
    json.loads((folder / "manifest.json").read_text("utf-8"))
    docs = []
    for path in sorted(folder.rglob("*.json.gz")):
        data = json.loads(gzip.decompress(path.read_bytes()))
        docs += data.get("docs", []) if isinstance(data, dict) else []
    assert sorted(d["t"] for d in docs) == sorted(f["title"] for f in fronts)
    by_title = {f["title"]: f for f in fronts}
    for doc in docs:
        front = by_title[doc["t"]]
        assert doc["g"] == front["tags"] and doc.get("a") == front["account"]
        assert not doc["u"].startswith(("javascript", "data", "vbscript")) and "<" not in doc["u"]
