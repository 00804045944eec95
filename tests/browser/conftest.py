"""Shared Playwright fixtures: a real Chromium (/usr/bin/chromium) for every browser test.

`browser` is session-wide; `new_page(width=1280, height=900)` opens a fresh page that records
console errors and failed requests (as `page.errors`). Without the binary the tests are skipped,
unless CI=true, where a missing browser is a failure.
"""

from __future__ import annotations

import functools
import os
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]


def _unavailable(reason: str) -> None:
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"browser tests cannot run under CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """A headless Chromium launched through Playwright."""
    if not CHROMIUM.exists():
        _unavailable(f"Chromium is not installed at {CHROMIUM}")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed (pip install -e '.[test]')")
    with sync_playwright() as pw:
        launched = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture()
def new_page(browser: Any) -> Iterator[Callable[..., Any]]:
    """Factory for pages that collect console errors and failed requests in `page.errors`."""
    contexts: list[Any] = []

    def make(width: int = 1280, height: int = 900, **options: Any) -> Any:
        context = browser.new_context(viewport={"width": width, "height": height}, **options)
        contexts.append(context)
        page = context.new_page()
        page.errors = []
        page.on("console", lambda m: m.type == "error" and page.errors.append(m.text))
        page.on("pageerror", lambda e: page.errors.append(str(e)))
        page.on("requestfailed", lambda r: page.errors.append(f"failed: {r.url}"))
        page.on("response", lambda r: r.status >= 400 and page.errors.append(
            f"{r.status}: {r.url}"))
        return page

    yield make
    for context in contexts:
        context.close()


class QuietFiles(SimpleHTTPRequestHandler):
    """The standard library's file handler, without a log line per request."""

    def log_message(self, *args: object) -> None:
        pass


class StaticServer:
    """A folder served over HTTP on 127.0.0.1 (a free port) while the `with` block runs;
    `url` is known before the site is built, so the build can be given it as base_url.
    HANDLER (a SimpleHTTPRequestHandler) and SERVER (the server class) may be replaced."""

    def __init__(self, folder: Path, handler: type = QuietFiles,
                 server: type = ThreadingHTTPServer):
        folder.mkdir(parents=True, exist_ok=True)
        self.server = server(("127.0.0.1", 0), functools.partial(handler, directory=str(folder)))
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "StaticServer":
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.thread.join(5)
        self.server.server_close()
