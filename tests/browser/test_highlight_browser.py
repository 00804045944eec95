"""Highlighted code in Chromium, in the light and the dark colour scheme."""

from __future__ import annotations

from typing import Iterator

import pytest

from generator.build import build
from generator.config import load_config, override
from tests.browser.conftest import StaticServer

pytestmark = pytest.mark.browser

ARTICLE = """---
title: 代码示例
date: 2024-03-01
---

一段 Python：

```python
def greet(name):
    # say hello
    return "你好，" + name
```
"""


@pytest.fixture(scope="module")
def article_url(tmp_path_factory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("highlight")
    (root / "content").mkdir()
    (root / "content" / "2024-03-01-code.md").write_text(ARTICLE, encoding="utf-8")
    (root / "site.yml").write_text("title: 代码\n", encoding="utf-8")
    with StaticServer(root / "public") as server:
        assert build(override(load_config(root), base_url=server.url)).problems == []
        page = next((root / "public").rglob("code/index.html")).relative_to(root / "public")
        yield f"{server.url}{page.parent.as_posix()}/"


COLOURS = """() => {
  const style = (sel) => getComputedStyle(document.querySelector(sel));
  return {keyword: style('.highlight .k').color, comment: style('.highlight .c1').color,
          string: style('.highlight .s2').color, text: style('.article-body p').color,
          box: style('.article-body pre').backgroundColor};
}"""


def test_code_is_coloured_in_light_and_dark(article_url, new_page, tmp_path):
    seen = {}
    for scheme in ("light", "dark"):
        page = new_page(color_scheme=scheme)
        page.goto(article_url)
        colours = page.evaluate(COLOURS)
        assert len({colours["keyword"], colours["comment"], colours["string"],
                    colours["text"]}) == 4, colours  # tokens stand apart from text and each other
        assert page.errors == []
        page.locator("pre").screenshot(path=str(tmp_path / f"code-{scheme}.png"))
        seen[scheme] = colours
    assert seen["light"]["keyword"] != seen["dark"]["keyword"]
    assert seen["light"]["box"] != seen["dark"]["box"]  # the theme's own box follows the scheme
