"""A real Chromium on a `wenji serve` page reloads by itself after an edit and shows build errors."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Iterator

import pytest

from tests.e2e.test_serve import A_URL, B_URL, make_site, start_serve

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

    article.write_text(good.replace("原来的文字", "修好了"), encoding="utf-8")
    page.wait_for_function("() => document.body.innerText.includes('修好了')", timeout=15000)
    assert page.locator("#wenji-build-error").count() == 0


def _wait_reload(page, marker: str = "__before_reload") -> None:  # noqa: ANN001
    page.wait_for_function(f"() => window.{marker} === undefined", timeout=15000)
    page.wait_for_load_state()


def test_error_panel_lists_a_bad_article_the_rest_browses_dismiss_and_fix(served_site,
                                                                          new_page) -> None:  # noqa
    site, url = served_site
    root = url.split("/archive/")[0]
    page = new_page()
    page.goto(root + B_URL)
    page.wait_for_function("() => !!document.querySelector('script[data-epoch]')")
    page.evaluate("window.__before_reload = true")
    article = site / "content" / "2020-01-02-a.md"
    good = article.read_text(encoding="utf-8")
    article.write_text(good.replace("date: 2020-01-02", "date: [坏"), encoding="utf-8")

    panel = page.locator("#wenji-build-error")
    panel.wait_for(state="visible", timeout=15000)
    assert "content/2020-01-02-a.md:4" in panel.inner_text()
    assert "YAML" in panel.inner_text() and str(site) not in page.content()
    assert "另一篇" in page.inner_text("body")  # this page still browses, under the panel
    box = panel.bounding_box()
    assert box and box["width"] < 1280 * 0.8 and box["height"] < 900 * 0.5  # a panel, not a wall
    page.goto(root + url.split(root)[1])  # the home page lists the good article, with the panel
    assert "第二篇" in page.inner_text("body") and panel.is_visible()

    page.locator("#wenji-build-error [data-wenji-dismiss]").click()
    assert panel.count() == 0
    page.goto(root + B_URL)  # dismissed until the next build, on every page
    page.wait_for_function("() => !!document.querySelector('script[data-epoch]')")
    assert panel.count() == 0 and "另一篇" in page.inner_text("body")

    page.evaluate("window.__before_reload = true")
    article.write_text(good.replace("date: 2020-01-02", "date: [还是坏"), encoding="utf-8")
    _wait_reload(page)
    panel.wait_for(state="visible", timeout=15000)  # the next failing build shows it again

    page.evaluate("window.__before_reload = true")
    article.write_text(good.replace("原来的文字", "修好了"), encoding="utf-8")
    _wait_reload(page)
    assert panel.count() == 0
    page.goto(root + A_URL)
    assert "修好了" in page.inner_text("body") and panel.count() == 0


def test_broken_template_keeps_the_last_good_page_with_the_panel(served_site, new_page) -> None:  # noqa
    site, url = served_site
    page = new_page()
    page.goto(url.split("/archive/")[0] + A_URL)
    page.wait_for_function("() => !!document.querySelector('script[data-epoch]')")
    template = site / "theme" / "templates" / "article.html"
    template.parent.mkdir(parents=True)
    template.write_text("{% extends 'base.html' %}{% block content %}{% if %}{% endblock %}",
                        encoding="utf-8")
    panel = page.locator("#wenji-build-error")
    panel.wait_for(state="visible", timeout=15000)
    assert "Build failed" in panel.inner_text()
    assert "theme/templates/article.html:1" in panel.inner_text()
    assert "原来的文字" in page.inner_text("body")  # the last good page, under the panel
    template.unlink()
    page.wait_for_function("() => !document.getElementById('wenji-build-error')", timeout=15000)
    assert "原来的文字" in page.inner_text("body")


def test_the_panel_escapes_file_names_and_messages(tmp_path: Path, new_page) -> None:  # noqa
    name = '<img src=x onerror="window.__pwned=1">.md'
    site = make_site(tmp_path / "site", {
        f"content/{name}": "---\ntitle: <script>window.__pwned=2</script>\ndate: [<b>x\n---\n"})
    stop = threading.Event()
    thread, url = start_serve(site, stop)
    try:
        page = new_page()
        page.goto(url.split("/archive/")[0] + B_URL)
        panel = page.locator("#wenji-build-error")
        panel.wait_for(state="visible", timeout=15000)
        assert f"content/{name}:" in panel.inner_text()
        assert panel.locator("img, script, b").count() == 0
        assert page.evaluate("window.__pwned") is None
    finally:
        stop.set()
        thread.join(10)
