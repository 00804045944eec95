"""Raw scraped pages for the import benchmark: synthetic articles poured into real page shapes.

Each synthetic article (a `wenji` layout file from make_corpus.py) is written as
- `text`: a page-text dump shaped like the seed specimen (`text:'…'`, a Python string literal
  holding the page's whole text: title, profile card with 微信号/功能介绍, date, the body on one
  line with headings set off by non-breaking spaces, then leaked script and WeChat UI strings);
- `html`: a browser-saved WeChat article page, made from a real saved page (its 80 KB of inline
  CSS, profile card and `<!-- saved from url=… -->` header kept) with the title, date, account,
  WeChat id, `__biz`/`mid`/`sn` and the `#js_content` body replaced.
Every page gets its own `mid`/`sn`, every account its own `__biz`, so no two pages share an
identity and the importer has real work (and no duplicates) on every page.
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
from dataclasses import dataclass
from pathlib import Path

import yaml
from markdown_it import MarkdownIt

SEED_TEXT = "000_8e82cd5f524b7bae.txt"
SAVED_HTML = "corpus/html/iq9891__laopo__no1-35ef7421.html"
SHAPES = ("text", "html")


@dataclass(frozen=True)
class Synthetic:
    """One article of a make_corpus.py `wenji` layout."""

    title: str
    date: str
    """YYYY-MM-DD"""
    account: str
    account_id: str
    body: str
    """Markdown."""
    number: int


def read_article(path: Path, number: int) -> Synthetic:
    """Parse one generated `wenji` layout file."""
    text = path.read_text(encoding="utf-8")
    _, head, body = text.split("---\n", 2)
    meta = yaml.safe_load(head)
    return Synthetic(title=str(meta["title"]), date=str(meta["date"])[:10], account=str(meta["account"]),
                     account_id=str(meta["account_id"]), body=body.strip(), number=number)


def _wechat_id(a: Synthetic) -> str:
    return "wx" + a.account_id.removeprefix("gh_")[:8]


def _intro(a: Synthetic) -> str:
    return f"{a.account}官方公众号，发布政策信息、本地新闻与便民服务。"


def _biz(a: Synthetic) -> str:
    number = int(hashlib.sha1(a.account.encode("utf-8")).hexdigest()[:8], 16)
    return base64.b64encode(str(number).encode("ascii")).decode("ascii")


def _mid(a: Synthetic) -> str:
    return str(2_650_000_000 + a.number)


def _sn(a: Synthetic) -> str:
    return hashlib.md5(f"{a.account_id}:{a.number}".encode("ascii")).hexdigest()


# ---- text dump shape ---------------------------------------------------------------------------

def _text_body(markdown: str) -> str:
    """The body as a page-text dump shows it: one line, headings set off by non-breaking spaces."""
    out: list[str] = []
    for block in re.split(r"\n\s*\n", markdown):
        block = block.strip()
        if not block or block.startswith("!["):
            continue
        if block.startswith("#"):
            out.append("\xa0" + block.lstrip("#").strip() + "\xa0")
            continue
        lines = [re.sub(r"^(?:>\s*|[-*+]\s+|\d+[.)]\s+)", "", l).strip() for l in block.splitlines()]
        out.append("".join(lines))
    return "".join(out)


class TextShape:
    """Seed-shaped page-text dumps."""

    def __init__(self, shared: Path):
        raw = (shared / SEED_TEXT).read_text(encoding="utf-8")
        import ast

        page = ast.literal_eval(raw.removeprefix("text:"))
        title, rest = page.split("\n", 1)
        body_at = rest.index("认真学习全国")
        body_end = rest.index("来源：绍兴组工") + len("来源：绍兴组工")
        self.head = rest[:body_at]
        self.tail = rest[body_end:]

    def render(self, a: Synthetic) -> bytes:
        head = (self.head.replace("越城组工", a.account).replace("yuechengZG", _wechat_id(a))
                .replace("政策咨询、信息发布、交流共享", _intro(a)).replace("2018-09-27", a.date))
        page = f"{a.title}\n{head}{_text_body(a.body)}来源：{a.account}{self.tail}"
        return ("text:" + repr(page)).encode("utf-8")


# ---- saved WeChat HTML shape -------------------------------------------------------------------

_P = '<p style="margin: 0px 0px 1em; line-height: 1.75em;"><span style="font-size: 15px; color: rgb(62, 62, 62);">'
_H = '<p style="margin: 1.5em 0px 1em;"><strong><span style="font-size: 17px; color: rgb(0, 82, 255);">'
_IMG = ('<p style="text-align: center;"><img class="rich_pages" data-ratio="0.6667" data-type="jpeg" '
        'data-w="1080" data-src="https://mmbiz.qpic.cn/mmbiz_jpg/{key}/640?wx_fmt=jpeg" '
        'style="width: 100% !important; height: auto !important;"></p>')


def _html_body(markdown: str, md: MarkdownIt) -> str:
    """The body as WeChat's editor writes it: styled paragraphs, bold headings, lazy images."""
    body = md.render(re.sub(r"!\[[^\]]*\]\(([^)]+)\)", lambda m: f"IMG:{hashlib.sha1(m.group(1).encode()).hexdigest()}", markdown))
    body = re.sub(r"<p>IMG:([0-9a-f]+)</p>", lambda m: _IMG.format(key=m.group(1) * 2), body)
    body = re.sub(r"<h[1-6]>(.*?)</h[1-6]>", lambda m: f"{_H}{m.group(1)}</span></strong></p>", body)
    body = body.replace("<p>", _P).replace("</p>", "</span></p>").replace("</span></span></p>", "</span></p>")
    return body.replace("\n", "")


class HtmlShape:
    """Browser-saved WeChat pages, made from a real saved page."""

    def __init__(self, shared: Path):
        self.page = (shared / SAVED_HTML).read_text(encoding="utf-8")
        start = self.page.index('<div class="rich_media_content " id="js_content">')
        start = self.page.index(">", start) + 1
        end = self.page.rindex("</div>")
        self.before, self.after = self.page[:start], self.page[end:]
        self.md = MarkdownIt("commonmark")

    def render(self, a: Synthetic) -> bytes:
        url = (f"http://mp.weixin.qq.com/s?__biz={_biz(a)}&mid={_mid(a)}&idx=1&sn={_sn(a)}"
               "&chksm=0350d18334275895&mpshare=1&scene=23#rd")
        head = re.sub(r"saved from url=\(\d+\)\S+", f"saved from url=({len(url):04d}){url}", self.before, count=1)
        title = html.escape(a.title, quote=False)
        head = re.sub(r'(id="activity-name">\s*)[^<]*?(\s*</h2>)', lambda m: m.group(1) + title + m.group(2), head)
        head = re.sub(r'(id="post-date"[^>]*>)[^<]*', lambda m: m.group(1) + a.date, head)
        head = (head.replace("MzAwOTg2MTg5OA==", _biz(a)).replace("mid=503144422", f"mid={_mid(a)}")
                .replace("165f5fb28b61c7b9f818b50680e26f3c", _sn(a))
                .replace(">安格努努<", f">{html.escape(a.account)}<").replace(">drmammy<", f">{_wechat_id(a)}<")
                .replace(">小王老师<", f">{html.escape(a.account)}编辑部<"))
        head = re.sub(r"(功能介绍</label>\s*<span class=\"profile_meta_value\">)[^<]*",
                      lambda m: m.group(1) + html.escape(_intro(a)), head)
        return (head + "\n" + _html_body(a.body, self.md) + "\n                    " + self.after).encode("utf-8")


def shape(name: str, shared: Path) -> TextShape | HtmlShape:
    """The renderer for one page shape."""
    return {"text": TextShape, "html": HtmlShape}[name](shared)


def write_pages(articles: list[Path], out: Path, name: str, shared: Path) -> int:
    """Render ARTICLES into OUT as NAME-shaped raw pages; return the bytes written."""
    out.mkdir(parents=True, exist_ok=True)
    renderer = shape(name, shared)
    total = 0
    suffix = ".txt" if name == "text" else ".html"
    for i, path in enumerate(articles):
        data = renderer.render(read_article(path, i))
        (out / f"{i:06d}{suffix}").write_bytes(data)
        total += len(data)
    return total
