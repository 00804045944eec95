"""A reader in Chromium follows home → archive → month → article → tag on the built fixture."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Iterator

import pytest

from generator.build import build
from generator.config import load_config, override
from tests.browser.conftest import StaticServer

FIXTURE = Path(__file__).parent.parent / "fixtures" / "site"
pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site_url(tmp_path_factory) -> Iterator[str]:
    """The fixture site built under a sub-path and served over HTTP: http://127.0.0.1:N/archive/."""
    tmp = tmp_path_factory.mktemp("browse")
    root = tmp / "site"
    shutil.copytree(FIXTURE, root)
    www = tmp / "www"
    server = StaticServer(www)
    base = server.url + "archive/"
    result = build(override(load_config(root), base_url=base, output_dir=str(www / "archive")))
    assert result.problems == []
    with server:
        yield base


@pytest.mark.parametrize("width", [390, 1280])
def test_reader_follows_home_archive_month_article_tag(site_url, new_page, tmp_path, width):
    page = new_page(width=width, height=844 if width < 500 else 900)
    page.goto(site_url)
    assert page.title() == "测试文集"
    assert page.locator("h1").inner_text() == "测试文集"
    # the stylesheet applied (line height for Chinese text) and nothing overflows sideways
    assert page.evaluate("parseFloat(getComputedStyle(document.body).lineHeight) / "
                         "parseFloat(getComputedStyle(document.body).fontSize)") > 1.6
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=str(tmp_path / f"home-{width}.png"), full_page=True)

    page.get_by_role("navigation", name="主导航").get_by_role("link", name="归档").click()
    page.wait_for_url("**/archive/archive/")
    assert page.locator("h1").inner_text() == "归档"
    page.screenshot(path=str(tmp_path / f"archive-{width}.png"), full_page=True)

    page.locator("#y2018 ~ ul a", has_text="9月").click()
    page.wait_for_url("**/2018/09/")
    assert page.locator("h1").inner_text().startswith("2018年9月")
    assert page.locator(".entry").count() == 3  # three articles on the same day

    page.locator(".entry-title a", has_text="绍兴组工").click()
    page.wait_for_url("**/2018/09/a1b2c3d4e5f6/")
    assert "组织工作新担当" in page.locator("h1").inner_text()
    assert page.locator("meta[name=referrer]").get_attribute("content") == "no-referrer"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=str(tmp_path / f"article-{width}.png"), full_page=True)

    page.locator(".tags a", has_text="#党建").click()
    page.wait_for_url("**/tags/%E5%85%9A%E5%BB%BA/")
    assert page.locator("h1").inner_text() == "#党建"
    assert page.locator(".entry").count() == 3
    page.screenshot(path=str(tmp_path / f"tag-{width}.png"), full_page=True)
    assert page.errors == []


def test_skip_link_and_focus_are_visible(site_url, new_page):
    page = new_page()
    page.goto(site_url)
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert skip.evaluate("el => el === document.activeElement")
    assert skip.evaluate("el => el.getBoundingClientRect().top >= 0")
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"


def test_dark_mode_follows_the_system(site_url, new_page, tmp_path):
    light = new_page(color_scheme="light")
    dark = new_page(width=390, height=844, color_scheme="dark")
    account = site_url + "accounts/%E8%B6%8A%E5%9F%8E%E7%BB%84%E5%B7%A5/"
    for p in (light, dark):
        p.goto(account)
    background = "getComputedStyle(document.body).backgroundColor"
    assert light.evaluate(background) != dark.evaluate(background)
    assert dark.locator("h1").inner_text() == "越城组工"
    dark.screenshot(path=str(tmp_path / "account-dark-390.png"), full_page=True)
