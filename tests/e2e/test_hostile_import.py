"""Hostile content through `wenji import`: an HTML page and a Markdown note carrying every payload.

The imported Markdown must be inert even for a renderer that passes raw HTML through and accepts
any link (as other tools might): no raw HTML, no link or image to a non-web URL, and url/cover
only http(s). Text that merely looked like markup on the page is kept, as text.
"""

from __future__ import annotations

import html
import io
import re
from pathlib import Path

import lxml.html
import yaml
from markdown_it import MarkdownIt

from generator.cli import main
from generator.model import frontmatter
from tests.e2e.test_hostile import PAYLOADS, SAFE_SCHEMES, URLS, html_dangers, url_scheme

IMPORT_TITLE = f"{PAYLOADS[0]} 标题 {PAYLOADS[5]}"


def make_import_inputs(folder: Path) -> None:
    """An HTML page and a Markdown note for `wenji import`, both carrying every payload."""
    folder.mkdir(parents=True)
    e = html.escape
    # escaped (text the reader saw) first; raw markup last, as it may swallow what follows it
    paras = "\n".join(f"<p>第{i}段：{e(p)} 结束。这是凑够正文长度的一句平常的话。</p>"
                      for i, p in enumerate(PAYLOADS))
    raw = "\n".join(f"<p>原样{i}：{p} 结束。</p>" for i, p in enumerate(PAYLOADS))
    images = "\n".join(f'<p><img src="https://img.example.cn/{i}.jpg" alt="{e(p)}" '
                       f'title="{e(p)}"><a href="{e(URLS[i % len(URLS)])}">{e(p)}</a></p>'
                       for i, p in enumerate(PAYLOADS[:24]))
    page = f"""<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">
<title>{e(IMPORT_TITLE)}</title>
<meta property="og:title" content="{e(IMPORT_TITLE)}">
<meta name="author" content="{e(PAYLOADS[14])}">
<meta name="description" content="{e(PAYLOADS[22])}">
<meta property="og:image" content="javascript:alert(1)">
<meta property="og:url" content="javascript:alert(1)">
<link rel="canonical" href="javascript:alert(1)">
<meta property="article:published_time" content="2023-06-18T09:30:00+08:00">
<script>alert(1)</script>
</head><body onload="alert(1)"><main><article><h1>{e(IMPORT_TITLE)}</h1>
{paras}
{images}
{raw}
</article></main></body></html>"""
    (folder / "hostile-page.html").write_text(page, encoding="utf-8")
    front = {"title": PAYLOADS[0] + " 笔记", "date": "2021-03-04", "author": PAYLOADS[14],
             "account": PAYLOADS[7], "summary": PAYLOADS[22], "description": PAYLOADS[23],
             "url": "javascript:alert(1)", "cover": "javascript:alert(1)",
             "image": "data:text/html,<script>alert(1)</script>", "tags": PAYLOADS[30:36],
             "source": PAYLOADS[40]}
    body = "\n\n".join(f"第{i}段 {p} 结束。" for i, p in enumerate(PAYLOADS))
    body += "\n\n" + "\n\n".join(f'<img src="https://img.example.cn/{i}.jpg" alt="{e(p)}" '
                                 f'onerror="alert(1)">' for i, p in enumerate(PAYLOADS[:10]))
    body += "\n\n[引用][bad]\n\n[bad]: javascript:alert(1)\n\n<javascript:alert(1)>\n"
    (folder / "hostile-note.md").write_text(
        "---\n" + yaml.safe_dump(front, allow_unicode=True) + "---\n\n" + body, encoding="utf-8")


def _raw_markdown() -> MarkdownIt:
    """A renderer that passes raw HTML through and accepts any link (as other tools might)."""
    md = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    md.validateLink = lambda url: True
    return md


def markdown_dangers(body: str) -> list[str]:
    """Raw HTML or a non-web link anywhere in Markdown (code is text and allowed)."""
    found = []
    md = _raw_markdown()
    stack = list(md.parse(body))
    while stack:
        token = stack.pop()
        stack.extend(token.children or ())
        if token.type in ("html_block", "html_inline"):
            found.append(f"raw HTML {token.content.strip()[:60]!r}")
        for attr in ("href", "src"):
            value = token.attrGet(attr)
            if isinstance(value, str) and url_scheme(value) not in (None, *SAFE_SCHEMES):
                found.append(f"{token.type} {attr}={value!r}")
    found += html_dangers(md.render(body) or "<p></p>")
    return found


def test_the_markdown_scanner_sees_what_it_must():
    assert markdown_dangers("[x](javascript:alert(1))") and markdown_dangers("<b>x</b>")
    assert markdown_dangers("<javascript:alert(1)>") and markdown_dangers("[r]\n\n[r]: vbscript:x")
    assert not markdown_dangers("`<script>` and [ok](https://example.com) \\<b>")


def test_import_leaves_nothing_executable_in_content(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "site.yml").write_text("title: 导入\n", encoding="utf-8")
    make_import_inputs(tmp_path / "raw")
    out, err = io.StringIO(), io.StringIO()
    assert main(["import", "--site", str(site), str(tmp_path / "raw")], out, err) == 0, \
        err.getvalue()
    assert "2 imported" in out.getvalue()
    files = sorted((site / "content").glob("*.md"))
    assert len(files) == 2
    titles = set()
    for path in files:
        article = frontmatter.parse(path.read_text("utf-8"), path)
        front = article.front
        assert markdown_dangers(article.body) == [], path.name
        for value in (front.url, front.cover):
            assert value is None or url_scheme(value) in ("http", "https"), value
        assert all(isinstance(v, (str, int, float, bool, list)) for v in front.extra.values())
        titles.add(front.title)
    assert IMPORT_TITLE in titles  # text that looked like markup is kept as text
    page = next(p for p in files if "hostile-page" in p.read_text("utf-8"))
    body = frontmatter.parse(page.read_text("utf-8"), page).body
    text = "".join(lxml.html.fragment_fromstring(MarkdownIt("commonmark").render(body),
                                                 create_parent="div").itertext())
    def squeeze(s: str) -> str:  # HTML text: runs of spaces collapse; zero-width spaces go
        return re.sub(r"\s+", " ", s.replace("\u200b", ""))

    missing = [p for p in PAYLOADS if squeeze(p) not in squeeze(text)]
    assert missing == [], missing
