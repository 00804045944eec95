"""A real Chromium on a `wenji serve` page reloads by itself after an edit and shows build errors."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Iterator

import pytest

from tests.e2e.test_serve import A_URL, make_site, start_serve

pytestmark = pytest.mark.browser


@pytest.fixture()
def served_site(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    site = make_site(tmp_path / "site")
    stop = threading.Event()
    thread, url = start_serve(site, stop)
    yield site, url
    stop.set()
    thread.join(10)


def test_page_reloads_itself_after_an_edit_and_after_a_fix(served_site, new_page) -> None:  # noqa
    site, url = served_site
    page = new_page()
    page.goto(url.split("/archive/")[0] + A_URL)
    assert "原来的文字" in page.inner_text("body")
    page.wait_for_function("() => !!document.querySelector('script[data-epoch]')")
    page.evaluate("window.__before_reload = true")
    article = site / "content" / "2020-01-02-a.md"
    good = article.read_text(encoding="utf-8")

    article.write_text(good.replace("原来的文字", "新的文字"), encoding="utf-8")
    page.wait_for_function("() => document.body.innerText.includes('新的文字')", timeout=15000)
    assert page.evaluate("window.__before_reload") is None  # a real reload, not a DOM patch

    article.write_text(good.replace("title: 第一篇", "title: [坏"), encoding="utf-8")
    overlay = page.locator("#wenji-build-error")
    overlay.wait_for(state="visible", timeout=15000)
    assert "2020-01-02-a.md" in overlay.inner_text()
    assert overlay.evaluate("el => getComputedStyle(el).position") == "fixed"
    assert "新的文字" in page.content()  # the last good page is still underneath

    article.write_text(good.replace("原来的文字", "修好了"), encoding="utf-8")
    page.wait_for_function("() => document.body.innerText.includes('修好了')", timeout=15000)
    assert page.locator("#wenji-build-error").count() == 0
