"""A reader in Chromium sees the interface in the site's language (zh-CN, zh-TW, en)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect

from generator.build import build
from generator.config import load_config, override
from tests.browser.conftest import StaticServer

FIXTURE = Path(__file__).parent.parent / "fixtures" / "site"
pytestmark = pytest.mark.browser

SEEN = {
    "zh-CN": (["首页", "归档", "标签", "公众号"], "2018年9月27日", "相关文章"),
    "zh-TW": (["首頁", "歸檔", "標籤", "公眾號"], "2018年9月27日", "相關文章"),
    "en": (["Home", "Archive", "Tags", "Accounts"], "September 27, 2018", "Related articles"),
}
SEARCH = {  # the search page's script: a result count, a result's date, nothing found
    "zh-CN": (r"找到 \d+ 篇文章。", r"\d{4}年\d{1,2}月\d{1,2}日", "没有找到包含“QQQZZZ”的文章。"),
    "zh-TW": (r"找到 \d+ 篇文章。", r"\d{4}年\d{1,2}月\d{1,2}日", "沒有找到包含「QQQZZZ」的文章。"),
    "en": (r"\d+ articles? found\.", r"[A-Z][a-z]+ \d{1,2}, \d{4}", "No article contains “QQQZZZ”."),
}


@pytest.mark.parametrize("language", list(SEEN))
def test_interface_language_in_the_browser(language, tmp_path, new_page):
    shutil.copytree(FIXTURE, tmp_path / "site")
    with StaticServer(tmp_path / "www") as server:
        base = server.url
        cfg = override(load_config(tmp_path / "site"), language=language, base_url=base,
                       output_dir=str(tmp_path / "www"))
        assert build(cfg).problems == []
        nav, date, related = SEEN[language]
        page = new_page()
        page.goto(base, wait_until="networkidle")  # nothing left in flight when we move on
        assert page.evaluate("document.documentElement.lang") == language
        links = page.get_by_role("navigation").first.get_by_role("link")
        assert links.all_inner_texts() == nav
        page.goto(base + "2018/09/a1b2c3d4e5f6/", wait_until="networkidle")
        assert page.locator(".article-meta time").inner_text() == date
        assert page.locator("#related-title").inner_text() == related
        page.screenshot(path=str(tmp_path / f"article-{language}.png"))
        assert page.errors == []
        found, day, nothing = SEARCH[language]
        page.goto(base + "search/?q=党建", wait_until="networkidle")
        status = page.locator("#search-status")
        expect(status).to_have_text(re.compile(found))
        assert re.fullmatch(day, page.locator("#search-results time").first.inner_text())
        page.goto(base + "search/?q=QQQZZZ", wait_until="networkidle")
        expect(status).to_have_text(nothing)
        assert page.errors == []
