"""Untrusted article HTML → clean, inert Markdown.

The HTML is parsed (BeautifulSoup over Python's html.parser, which keeps duplicate attributes
that browser-saved pages contain), stripped of everything executable or invisible (script, style,
iframe, form, svg, hidden elements, WeChat widgets, event handlers, non-http URLs), and walked
into Markdown blocks: paragraphs, headings (also recovered from short all-bold lines), lists,
blockquotes, GFM tables, fenced code (`<pre>`, WeChat `code-snippet`), emphasis, links, images.
Text is Markdown-escaped so nothing becomes markup; no raw HTML is ever emitted.

Images: the emitted URL is the remote one (`data-src`, else `src`, …; see `image_url`). Saved
pages also name a local copy (`src="./NAME_files/640.jpeg"`, possibly as a duplicate `src`);
`local_src` reads it, and `generator.clean.images.local_files` maps each emitted URL to that
file so `images.localize` can swap in a local copy later.
"""

from __future__ import annotations

import html.entities as html_entities
import re

from bs4 import BeautifulSoup, Comment, NavigableString, Tag
from bs4.element import CData, Declaration, Doctype, ProcessingInstruction

from generator.clean import md_writer as mdi
from generator.clean import urls

DROP = frozenset("""script style iframe frame frameset form svg math noscript template object embed
applet head meta link title base button input select option textarea canvas audio video source
track map area dialog param picture-source""".split())
BLOCKS = frozenset("""address article aside blockquote center dd details div dl dt fieldset
figcaption figure footer header hgroup li main nav ol p pre section summary table tbody thead
tfoot tr td th ul caption""".split())
HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_WIDGET_CLASSES = {"code-snippet__line-index", "weapp_display_element", "js_product_container",
                   "mp_profile_iframe_wrp", "js_uneditable", "qqmusic_area", "js_ad_link",
                   "wx_profile_card_inner", "weapp_text_link_wrp"}
_KEEP_CUSTOM = {"mpchecktext", "mp-text"}
_HIDDEN = re.compile(r"display\s*:\s*none", re.I)
_BOLD = re.compile(r"font-weight\s*:\s*(bold|bolder|[6-9]00)\b", re.I)
_ITALIC = re.compile(r"font-style\s*:\s*(italic|oblique)", re.I)
_STRIKE = re.compile(r"text-decoration[\w-]*\s*:[^;]*line-through", re.I)
_VIDEO = re.compile(r"^(?:https?:)?//v\.qq\.com/\S*?[?&]vid=(\w+)")
_ALT_NOISE = {"图片", "image", "img", "picture", "cover_image"}


def parse(html: str) -> BeautifulSoup:
    """Parse untrusted HTML; a duplicate attribute is kept as `data-duplicate-NAME`."""
    def on_duplicate(attrs: dict, key: str, value: str) -> None:
        attrs.setdefault(f"data-duplicate-{key}", value)
    html = _BARE_AMP.sub(_bare_amp, html)
    return BeautifulSoup(html, "html.parser", on_duplicate_attribute=on_duplicate)


# "&mid=1" in a pasted URL is text, not the entity ∣: like a browser, decode a named reference
# without ';' only for the legacy names HTML allows that for (&nbsp, &amp, &copy…).
_BARE_AMP = re.compile(r"&([A-Za-z][A-Za-z0-9]*)(?![A-Za-z0-9;])")
_LEGACY = {name for name in html_entities.html5 if not name.endswith(";")}


def _bare_amp(m: re.Match[str]) -> str:
    return m.group(0) if m.group(1) in _LEGACY else "&amp;" + m.group(1)


def _attr(tag: Tag, name: str) -> str:
    v = tag.get(name)
    return " ".join(v) if isinstance(v, list) else (v or "")


def is_hidden(tag: Tag) -> bool:
    """True for an element the reader never sees (display:none, hidden attribute)."""
    return tag.has_attr("hidden") or bool(_HIDDEN.search(_attr(tag, "style")))


def _dropped(tag: Tag) -> bool:
    name = tag.name.lower()
    if name in DROP or is_hidden(tag):
        return True
    if set(tag.get("class") or ()) & _WIDGET_CLASSES:
        return True
    custom = "-" in name or name.startswith(("mp", "qq"))
    return custom and name not in _KEEP_CUSTOM and not tag.get_text(strip=True)


def _attrs(tag: Tag) -> dict[str, str]:
    return {k: (" ".join(v) if isinstance(v, list) else v or "") for k, v in tag.attrs.items()}


def local_src(tag: Tag) -> str | None:
    """The saved-page file an <img> points at (`./NAME_files/640.jpeg`), if any."""
    return urls.saved_copy(_attrs(tag))


def image_url(tag: Tag, base_url: str | None = None) -> str | None:
    """The real (remote) URL of an <img>, or None for placeholders, trackers and data: URIs."""
    return urls.image_src(_attrs(tag), base_url)


class _Doc:
    """Walks an element tree into Markdown blocks (or one inline run list for cells/headings)."""

    def __init__(self, base_url: str | None, inline_only: bool = False):
        self.base_url = base_url
        self.inline_only = inline_only
        self.blocks: list[mdi.Block] = []
        self.runs: list[mdi.Run] = []

    # -- inline accumulation -------------------------------------------------------------
    def text(self, s: str, marks: frozenset, link: mdi.Link | None) -> None:
        s = re.sub(r"[ \t\r\f]*\n[ \t\r\n\f]*", "\n", s)
        s = re.sub(r"[ \t\r\f]+", " ", s)
        if s:
            self.runs.append(mdi.Run("text", s, marks, link))

    def space(self) -> None:
        if self.runs:
            self.runs.append(mdi.Run("text", " ", frozenset(), None))

    def flush(self) -> None:
        if self.inline_only:
            self.space()
            return
        block = mdi.paragraph(self.runs)
        self.runs = []
        if block:
            self.blocks.append(block)

    def add(self, block: mdi.Block | None) -> None:
        self.flush()
        if block:
            self.blocks.append(block)

    # -- the walk -------------------------------------------------------------------------
    def walk(self, node: Tag, marks: frozenset = frozenset(), link: mdi.Link | None = None,
             skip_li: bool = False) -> None:
        for child in list(node.children):
            if isinstance(child, (Comment, CData, ProcessingInstruction, Declaration, Doctype)):
                continue
            if isinstance(child, NavigableString):
                self.text(str(child), marks, link)
            elif isinstance(child, Tag) and child.name == "iframe":
                self.video(child)
            elif isinstance(child, Tag) and not _dropped(child):
                if skip_li and child.name == "li":
                    continue
                self.element(child, marks, link)

    def video(self, tag: Tag) -> None:
        """A Tencent Video player becomes a plain link to the video page; other frames vanish."""
        m = _VIDEO.search(_attr(tag, "data-src") or _attr(tag, "src"))
        if m and not is_hidden(tag):
            link = mdi.Link(f"https://v.qq.com/x/page/{m.group(1)}.html")
            self.add(mdi.paragraph([mdi.Run("text", "视频", frozenset(), link)]))

    def element(self, tag: Tag, marks: frozenset, link: mdi.Link | None) -> None:
        name = tag.name.lower()
        if name == "br":
            self.flush()
        elif name == "img":
            url = image_url(tag, self.base_url)
            if url:
                alt = _attr(tag, "alt").strip() or _attr(tag, "title").strip()
                alt = "" if alt.lower() in _ALT_NOISE else alt
                self.runs.append(mdi.Run("img", alt, frozenset(), link, url))
        elif name == "hr":
            self.add(None if self.inline_only else mdi.Block("hr", "---"))
        elif self.inline_only:
            self.inline_element(tag, name, marks, link)
        elif name in HEADINGS:
            self.add(self.heading(tag, HEADINGS[name]))
        elif name in ("ul", "ol"):
            self.add(self.list_block(tag, name == "ol"))
        elif name == "blockquote":
            self.add(mdi.quote(self.sub(tag).markdown()))
        elif name == "pre" or (name in ("section", "div") and _is_code_box(tag)):
            self.add(mdi.code_block(_pre_text(tag), _language(tag)))
        elif name == "table":
            self.table(tag)
        elif name in BLOCKS:
            self.flush()
            self.walk(tag, marks | _style_marks(tag), link)
            self.flush()
        else:
            self.inline_element(tag, name, marks, link)

    def inline_element(self, tag: Tag, name: str, marks: frozenset, link: mdi.Link | None) -> None:
        if name == "a":
            href = urls.link_url(_attr(tag, "href"), self.base_url)
            self.walk(tag, marks, mdi.Link(href) if href else link)
        elif name in ("code", "kbd", "samp", "tt") or (name == "pre" and self.inline_only):
            text = _pre_text(tag)
            if text.strip():
                self.runs.append(mdi.Run("code", text, marks, link))
        elif name in ("strong", "b"):
            self.walk(tag, marks | {"strong"}, link)
        elif name in ("em", "i", "cite", "dfn", "var"):
            self.walk(tag, marks | {"em"}, link)
        elif name in ("del", "s", "strike"):
            self.walk(tag, marks | {"del"}, link)
        else:
            if self.inline_only and (name in BLOCKS or name in HEADINGS):
                self.space()
            self.walk(tag, marks | _style_marks(tag), link)

    # -- blocks -----------------------------------------------------------------------------
    def sub(self, tag: Tag, inline_only: bool = False, skip_li: bool = False) -> "_Doc":
        doc = _Doc(self.base_url, inline_only)
        doc.walk(tag, skip_li=skip_li)
        if not inline_only:
            doc.flush()
        return doc

    def heading(self, tag: Tag, level: int) -> mdi.Block | None:
        doc = self.sub(tag, inline_only=True)
        images = [r for r in doc.runs if r.kind == "img"]
        block = mdi.heading([r for r in doc.runs if r.kind != "img"], level)
        if images:
            self.add(block)
            return mdi.paragraph(images)
        return block

    def list_block(self, tag: Tag, ordered: bool) -> mdi.Block | None:
        items = [li for li in tag.find_all("li")
                 if li.find_parent(["ul", "ol"]) is tag and not _dropped(li)
                 and not any(_dropped(p) for p in li.parents if p is not tag and p.name)]
        try:
            start = int(_attr(tag, "start") or 1)
        except ValueError:
            start = 1
        return mdi.list_block([self.sub(li, skip_li=True).markdown(tight=True) for li in items],
                              ordered, start)

    def table(self, tag: Tag) -> None:
        rows = []
        for tr in tag.find_all("tr"):
            if tr.find_parent("table") is not tag:
                continue
            cells = [c for c in tr.find_all(["td", "th"], recursive=False) if not _dropped(c)]
            rows.append(cells)
        rows = [r for r in rows if r]
        width = max((len(r) for r in rows), default=0)
        if width <= 1:  # a layout table: its cells are just blocks
            for row in rows:
                for cell in row:
                    self.flush()
                    self.walk(cell)
            self.flush()
            return
        grid = []
        for row in rows:
            line = []
            for cell in row:
                line.append(mdi.render_runs(self.sub(cell, inline_only=True).runs, table=True))
                try:
                    span = min(int(_attr(cell, "colspan") or 1), 50)
                except ValueError:
                    span = 1
                line.extend([""] * (span - 1))
            grid.append(line)
        self.add(mdi.table(grid))

    def markdown(self, tight: bool = False) -> str:
        self.flush()
        return mdi.join(self.blocks, tight)


def _style_marks(tag: Tag) -> frozenset:
    style = _attr(tag, "style")
    if not style:
        return frozenset()
    marks = set()
    if _BOLD.search(style):
        marks.add("strong")
    if _ITALIC.search(style):
        marks.add("em")
    if _STRIKE.search(style):
        marks.add("del")
    return frozenset(marks)


def _is_code_box(tag: Tag) -> bool:
    classes = " ".join(tag.get("class") or ())
    return "code-snippet" in classes and tag.find("pre") is None


def _language(tag: Tag) -> str:
    for node in [tag, *tag.find_all(["code", "pre"], limit=3)]:
        lang = _attr(node, "data-lang")
        if not lang:
            m = re.search(r"\b(?:language|lang|code-snippet_?_)-?([A-Za-z0-9+#]+)\b",
                          _attr(node, "class"))
            lang = m.group(1) if m and m.group(1) not in ("fix", "js", "outer") else ""
        if re.fullmatch(r"[A-Za-z0-9+#._-]{1,20}", lang or ""):
            return lang.lower()
    return ""


def _pre_text(tag: Tag) -> str:
    """The text of a code element: <br> and line-per-<code> (WeChat code-snippet) as newlines."""
    kids = [c for c in tag.children if isinstance(c, Tag) or str(c).strip()]
    lines = [c for c in kids if isinstance(c, Tag) and c.name == "code"]
    if len(lines) > 1:
        return "\n".join(_pre_text(c) for c in lines)
    if len(kids) == 1 and isinstance(kids[0], Tag) and kids[0].name in ("pre", "code"):
        return _pre_text(kids[0])
    out: list[str] = []
    for node in tag.descendants:
        if isinstance(node, Tag):
            if node.name == "br":
                out.append("\n")
            elif node.name in ("p", "div", "li", "section") and out and out[-1][-1:] != "\n":
                out.append("\n")
        elif isinstance(node, NavigableString) and not isinstance(node, Comment):
            if not any(isinstance(p, Tag) and (_dropped(p)) for p in node.parents
                       if p is not tag and p.name):
                out.append(str(node))
    return "".join(out).replace("\u00a0", " ")


def convert(html: str, *, base_url: str | None = None) -> str:
    """Untrusted article HTML → clean Markdown (no raw HTML, nothing executable)."""
    if not html or not html.strip():
        return ""
    soup = parse(html)
    root = soup.body or soup
    doc = _Doc(base_url)
    try:
        doc.walk(root)
        doc.flush()
    except RecursionError:  # absurdly deep nesting: keep the text, lose the structure
        return _flat(root)
    return mdi.finish(doc.blocks)


def _flat(root: Tag) -> str:
    """Plain paragraphs of the visible text, without walking the tree recursively."""
    dropped: set[int] = set()
    parts: list[str] = []
    for node in root.descendants:
        parent = node.parent
        if id(parent) in dropped:
            if isinstance(node, Tag):
                dropped.add(id(node))
            continue
        if isinstance(node, Tag):
            if _dropped(node):
                dropped.add(id(node))
            elif node.name in BLOCKS or node.name in HEADINGS or node.name == "br":
                parts.append("\n")
        elif isinstance(node, NavigableString) and not isinstance(
                node, (Comment, CData, ProcessingInstruction, Declaration, Doctype)):
            parts.append(str(node))
    blocks = [mdi.paragraph([mdi.Run("text", line)]) for line in "".join(parts).split("\n")]
    return mdi.finish([b for b in blocks if b])
