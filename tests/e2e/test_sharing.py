"""What a shared link and a reader of code see: OpenGraph, Twitter card and JSON-LD `Article`
checked field by field as a link-preview validator reads them, and build-time highlighting."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup

from generator.cli import main

BASE = "https://example.org/archive/"

ARTICLES = {
    "2019-05-08-p2p.md": """---
title: P2P 平台的故事 </script><script>alert(1)</script>
date: 2019-05-08T09:30:00+08:00
account: 财经观察
author: 王五
url: https://mp.weixin.qq.com/s/abcDEF123
cover: https://mmbiz.qpic.cn/mmbiz_jpg/cover/640
tags: [金融, P2P]
summary: 一个关于 P2P 平台的故事 & 教训
---

正文第一段。

```python
def hello(name):
    return f"<b>{name}</b>"  # <script>alert(1)</script>
```

```nosuchlanguage
plain <text>
```
""",
    "2020-01-02-img.md": """---
title: 只有正文图片
date: 2020-01-02
---

![图](https://mmbiz.qpic.cn/mmbiz_png/body/640)

没有封面。
""",
    "undated-plain.md": """---
title: 没有图片也没有日期
---

只有文字。
""",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("sharing")
    (root / "content").mkdir()
    (root / "site.yml").write_text(f"title: 测试存档\nbase_url: {BASE}\n", encoding="utf-8")
    for name, text in ARTICLES.items():
        (root / "content" / name).write_text(text, encoding="utf-8")
    err = io.StringIO()
    assert main(["build", "--site", str(root)], io.StringIO(), err) == 0, err.getvalue()
    return root / "public"


def page(public: Path, title_part: str) -> BeautifulSoup:
    for path in public.rglob("index.html"):
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        h1 = soup.find("h1", id="article-title")
        if h1 and title_part in h1.get_text():
            return soup
    raise AssertionError(f"no article page titled {title_part!r}")


def meta(soup: BeautifulSoup, key: str) -> str | None:
    tag = soup.find("meta", attrs={"property": key}) or soup.find("meta", attrs={"name": key})
    return tag["content"] if tag else None


def absolute(url: str | None) -> bool:
    return bool(url) and urlsplit(url).scheme in ("http", "https") and bool(urlsplit(url).netloc)


def ld(soup: BeautifulSoup) -> dict:
    (script,) = soup.find_all("script", type="application/ld+json")
    return json.loads(script.string)


def test_opengraph_twitter_and_json_ld_of_a_full_article(site):
    soup = page(site, "P2P 平台的故事")
    title = soup.find("h1", id="article-title").get_text()
    canonical = soup.find("link", rel="canonical")["href"]
    assert meta(soup, "og:type") == "article"
    assert meta(soup, "og:title") == title and "</script>" in title
    assert meta(soup, "og:url") == canonical and canonical.startswith(BASE)
    assert meta(soup, "og:site_name") == "测试存档" and meta(soup, "og:locale") == "zh_CN"
    assert meta(soup, "og:description") == "一个关于 P2P 平台的故事 & 教训"
    assert meta(soup, "og:image") == "https://mmbiz.qpic.cn/mmbiz_jpg/cover/640"
    published = dt.datetime.fromisoformat(meta(soup, "article:published_time"))
    assert published == dt.datetime(2019, 5, 8, 1, 30, tzinfo=dt.timezone.utc)
    assert meta(soup, "article:author") == "王五"
    assert sorted(t["content"] for t in soup.find_all("meta", property="article:tag")) == ["P2P", "金融"]
    assert meta(soup, "twitter:card") == "summary_large_image"
    assert meta(soup, "twitter:title") == title and absolute(meta(soup, "twitter:image"))
    data = ld(soup)
    assert data["@context"] == "https://schema.org" and data["@type"] == "Article"
    assert data["headline"] == title and data["description"] == meta(soup, "og:description")
    assert data["url"] == data["mainEntityOfPage"] == canonical
    assert data["author"] == {"@type": "Person", "name": "王五"}
    assert data["publisher"]["@type"] == "Organization" and data["publisher"]["name"] == "财经观察"
    assert absolute(data["publisher"]["url"]) and data["image"] == [meta(soup, "og:image")]
    assert dt.datetime.fromisoformat(data["datePublished"]) == published
    assert data["isBasedOn"] == "https://mp.weixin.qq.com/s/abcDEF123"
    assert data["keywords"] == ["P2P", "金融"] or sorted(data["keywords"]) == ["P2P", "金融"]
    assert data["inLanguage"] == "zh-CN"


def test_the_title_cannot_end_the_json_ld_script(site):
    raw = next(p for p in site.rglob("index.html")
               if "P2P 平台的故事" in p.read_text(encoding="utf-8")
               and "application/ld+json" in p.read_text(encoding="utf-8"))
    text = raw.read_text(encoding="utf-8")
    block = text.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert "<" not in block and ">" not in block and "\\u003c/script\\u003e" in block


def test_the_first_body_image_stands_in_for_a_missing_cover(site):
    soup = page(site, "只有正文图片")
    assert meta(soup, "og:image") == "https://mmbiz.qpic.cn/mmbiz_png/body/640"
    assert meta(soup, "twitter:card") == "summary_large_image"
    assert "author" not in ld(soup) and "publisher" not in ld(soup)


def test_no_picture_and_no_date_leave_those_fields_out(site):
    soup = page(site, "没有图片也没有日期")
    assert meta(soup, "og:image") is None and meta(soup, "article:published_time") is None
    assert meta(soup, "twitter:card") == "summary"
    data = ld(soup)
    assert "image" not in data and "datePublished" not in data and data["headline"]


def test_code_blocks_are_highlighted_at_build_time(site):
    soup = page(site, "P2P 平台的故事")
    blocks = soup.select(".article-body pre")
    python, plain = blocks
    assert "highlight" in python["class"]
    assert python.find("span", class_="k").get_text() == "def"
    assert "<script>alert(1)</script>" in python.get_text()  # shown as text ...
    assert not soup.select(".article-body script")  # ... never as markup
    assert plain.get("class") is None and plain.get_text() == "plain <text>\n"
    link = soup.find("link", href=lambda h: h and h.endswith("css/highlight.css"))
    assert link is not None and (site / "css" / "highlight.css").is_file()
    other = page(site, "只有正文图片")
    assert other.find("link", href=lambda h: h and h.endswith("css/highlight.css")) is None
