"""The fixture site built in zh-CN, zh-TW and en: interface text, dates and <html lang> follow
`language`; article text stays as written."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from generator.build import build
from generator.config import load_config, override

FIXTURE = Path(__file__).parent.parent / "fixtures" / "site"

EXPECT = {
    "zh-CN": {"home": ["首页", "归档", "标签", "公众号", "共 13 篇文章"],
              "article": ["2018年9月27日", "相关文章", "约 1 分钟读完"], "archive": "2018年"},
    "zh-TW": {"home": ["首頁", "歸檔", "標籤", "公眾號", "共 13 篇文章"],
              "article": ["2018年9月27日", "相關文章", "約 1 分鐘讀完"], "archive": "2018年"},
    "en": {"home": [">Home<", ">Archive<", ">Tags<", ">Accounts<", "13 articles", "Skip to content"],
           "article": ["September 27, 2018", "Related articles", "1 min read"], "archive": "2018"},
}


@pytest.fixture(scope="module", params=list(EXPECT))
def built(request, tmp_path_factory):
    root = tmp_path_factory.mktemp(request.param)
    shutil.copytree(FIXTURE, root / "site")
    cfg = override(load_config(root / "site"), language=request.param)
    assert build(cfg).problems == []
    return request.param, cfg.output_path


def read(public: Path, rel: str) -> str:
    return (public / rel).read_text(encoding="utf-8")


def test_interface_follows_the_language(built):
    language, public = built
    home = read(public, "index.html")
    assert f'<html lang="{language}">' in home
    for text in EXPECT[language]["home"]:
        assert text in home, text
    article = read(public, "2018/09/a1b2c3d4e5f6/index.html")
    for text in EXPECT[language]["article"]:
        assert text in article, text
    assert "绍兴组工" in article  # the article itself is not translated
    assert f"<h1>{EXPECT[language]['archive']}</h1>" in read(public, "2018/index.html")


def test_english_pages_have_no_chinese_interface_text(built):
    language, public = built
    if language != "en":
        pytest.skip("English only")
    from generator.render.i18n import MESSAGES

    chinese = {part for row in MESSAGES.values() for text in row[:2] if isinstance(text, str)
               for part in re.split(r"\{[a-z]+\}", text) if len(part.strip(" ·：→←")) >= 2}
    for rel in ("404.html", "archive/index.html", "2018/09/index.html", "search/index.html"):
        page = re.sub(r"<meta [^>]*>", "", read(public, rel))  # the site's own description
        assert not [part for part in chinese if part in page], rel
    page_404 = read(public, "404.html")
    assert "Page not found" in page_404 and "页面" not in page_404
    feed = read(public, "tags/" + next(p.name for p in (public / "tags").iterdir()
                                        if (p / "feed.xml").is_file()) + "/feed.xml")
    assert " · Tags · " in feed
