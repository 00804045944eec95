"""Every page of a site full of XSS payloads, and its search page, in Chromium: nothing runs.

The site is tests/e2e/test_hostile.py's hostile site plus the hostile HTML page and Markdown note
run through `wenji import`. An init script replaces alert/confirm/prompt/print with recorders
(the payloads call them) and dialogs are recorded too; after each page loads, a DOM scan looks
for anything that could still run on a click or hover (handlers, script URLs, frames, scripts).

Every built page is opened as a top-level document. To keep that fast, the browser walks the
site by itself: after each load the init script posts the page's findings to the test server,
which answers with the next page to open (two tabs at once, no test round trip per page).
"""

from __future__ import annotations

import io
import json
import re
import threading
from http.server import ThreadingHTTPServer
from typing import Any, Iterator
from urllib.parse import quote

import pytest

from generator.build import build
from generator.cli import main
from generator.config import load_config
from tests.browser.conftest import QuietFiles, StaticServer
from tests.e2e.test_hostile import PAYLOADS, make_hostile_site
from tests.e2e.test_hostile_import import make_import_inputs

pytestmark = pytest.mark.browser

TRAPS = """
window.__pwned = [];
for (const name of ["alert", "confirm", "prompt", "print"]) {
  window[name] = function (arg) { window.__pwned.push(name + ":" + String(arg)); };
}
"""

SCAN = """() => {
  const bad = [];
  const urlAttrs = new Set(["href", "src", "action", "formaction", "data", "srcdoc", "poster",
    "background", "cite", "xlink:href", "codebase", "ping", "srcset", "lowsrc", "dynsrc"]);
  const forbidden = new Set(["iframe", "frame", "frameset", "object", "embed", "applet", "base",
    "svg", "math", "template", "style", "textarea", "video", "audio", "source", "marquee",
    "xmp", "plaintext", "noembed", "param"]);
  const say = (el, what) => bad.push("<" + el.localName + "> " + what);
  for (const el of document.querySelectorAll("*")) {
    for (const a of el.attributes) {
      const name = a.name.toLowerCase();
      if (name.startsWith("on")) say(el, name);
      if (urlAttrs.has(name) || name.endsWith(":href")) {
        let scheme;
        try { scheme = new URL(a.value, document.baseURI).protocol; } catch (e) { scheme = "?"; }
        if (!["http:", "https:", "mailto:"].includes(scheme)) say(el, name + "=" + a.value);
      }
      if (name === "style" && !/^\\s*text-align\\s*:\\s*\\w+\\s*;?\\s*$/.test(a.value)) {
        say(el, "style=" + a.value);
      }
      if (name === "http-equiv") say(el, "http-equiv");
    }
    const tag = el.localName;
    if (forbidden.has(tag) || el.namespaceURI !== "http://www.w3.org/1999/xhtml") say(el, "");
    const data = el.type === "application/ld+json" && !el.src && !el.children.length;
    if (tag === "script" && !data && !(el.src && new URL(el.src).pathname.endsWith("/js/search.js")
                              && !el.textContent.trim())) say(el, el.src || el.textContent);
    if (tag === "noscript" && !document.getElementById("search")) say(el, "");
  }
  return bad;
}"""


CRAWL = TRAPS + """
(() => {
  const scan = """ + SCAN + """;
  const post = window.fetch.bind(window), go = window.location.assign.bind(window.location);
  const ran = window.__pwned, frame = window.requestAnimationFrame.bind(window);
  window.addEventListener("load", () => frame(() => frame(() => setTimeout(async () => {
    const findings = {path: location.pathname, ran: ran.slice(), risky: scan()};
    const res = await post("/__report__", {method: "POST", body: JSON.stringify(findings)});
    const next = await res.text();
    if (next) go(next);
  }, 20))));
})();
"""
TABS = 2


class Crawl:
    """The pages left to open and what the opened ones reported."""

    def __init__(self, paths: list[str]):
        self.todo = list(paths)
        self.expected = len(paths)
        self.reports: list[dict[str, Any]] = []
        self.lock = threading.Lock()
        self.done = threading.Event()

    def take(self) -> str:
        with self.lock:
            return self.todo.pop(0) if self.todo else ""

    def report(self, findings: dict[str, Any]) -> str:
        with self.lock:
            self.reports.append(findings)
            if len(self.reports) >= self.expected:
                self.done.set()
        return self.take()


class _Handler(QuietFiles):
    """The built site, plus POST /__report__: one page's findings in, the next page out."""

    server: _Server

    def do_POST(self) -> None:  # noqa: N802 - stdlib name
        findings = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        assert self.server.crawl is not None
        body = self.server.crawl.report(findings).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    crawl: Crawl | None = None

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Pages left mid-load drop their connections; that is not an error."""


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Iterator[dict[str, Any]]:
    """The hostile site, imported inputs included, built and served on 127.0.0.1."""
    tmp = tmp_path_factory.mktemp("hostile-browser")
    root = tmp / "site"
    make_hostile_site(root)
    make_import_inputs(tmp / "raw")
    assert main(["import", "--site", str(root), str(tmp / "raw")], io.StringIO(),
                io.StringIO()) == 0
    cfg = load_config(root)
    result = build(cfg, stream=io.StringIO())
    assert result.problems == [] and result.articles == len(PAYLOADS) + 2
    with StaticServer(cfg.output_path, _Handler, _Server) as served:
        yield {"out": cfg.output_path, "server": served.server, "url": served.url}


def new_context(browser: Any, script: str) -> Any:
    """A context with SCRIPT in every frame; requests leaving 127.0.0.1 are refused."""
    ctx = browser.new_context(viewport={"width": 360, "height": 640})  # a phone: less to paint
    ctx.add_init_script(script)
    ctx.route(re.compile(r"^(?!http://127\.0\.0\.1:)"), lambda route: route.abort())
    return ctx


def watched(context: Any) -> Any:
    """A new page that records dialogs and uncaught errors."""
    page = context.new_page()
    page.dialogs, page.errors = [], []
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    return page


@pytest.mark.slow  # 30-60 s on two cores: some 250 pages
def test_no_built_page_runs_or_carries_a_payload(browser, hostile_site):
    out, base = hostile_site["out"], hostile_site["url"]
    paths = ["/" + quote(p.relative_to(out).as_posix().removesuffix("index.html"))
             for p in sorted(out.rglob("*.html"))]
    assert len(paths) > 2 * len(PAYLOADS)
    crawl = hostile_site["server"].crawl = Crawl(paths)
    ctx = new_context(browser, CRAWL)
    try:
        tabs = [watched(ctx) for _ in range(TABS)]
        for tab in tabs:
            tab.goto(base.rstrip("/") + crawl.take(), wait_until="commit")
        assert crawl.done.wait(240), f"{len(crawl.reports)} of {len(paths)} pages reported"
        bad = {r["path"]: r["ran"] + r["risky"] for r in crawl.reports if r["ran"] or r["risky"]}
        assert bad == {}
        assert sorted(r["path"] for r in crawl.reports) == sorted(paths)  # each opened, none left
        assert [m for t in tabs for m in t.dialogs + t.errors] == []
        # the payloads are on the pages, as text
        tabs[0].goto(base + "2020/02/a001/", wait_until="load")  # article 1: dated 2020-02-02
        assert tabs[0].locator("#article-title").inner_text() == PAYLOADS[1]
    finally:
        ctx.close()


def check(page: Any) -> list[str]:
    """What ran on PAGE, or could run there on a click or hover (empty when it is inert)."""
    ran, risky = page.evaluate("[window.__pwned, (" + SCAN + ")()]")
    return [f"ran {call}" for call in ran] + risky


FINISHED = """q => new URLSearchParams(location.search).get('q') === q
    && /^(找到|没有|请输入)/.test(document.getElementById('search-status').textContent)
    && !document.querySelector('#search-results [aria-busy]')"""
SEARCH_ALL = """async (payloads) => {
  const scan = """ + SCAN + """;
  const finished = """ + FINISHED + """;
  const box = document.getElementById("search-q");
  const settle = (q) => new Promise((resolve) => {
    const tick = () => finished(q) ? resolve() : setTimeout(tick, 5);
    tick();
  });
  const out = [];
  for (const q of payloads) {  // the search form, submitted with each payload in the box
    box.value = q;
    box.form.requestSubmit();
    await settle(q);
    out.push([q, document.getElementById("search-status").textContent,
              window.__pwned.slice(), scan()]);
  }
  return out;
}"""


def test_search_for_every_payload_runs_nothing(browser, hostile_site):
    base = hostile_site["url"] + "search/"
    ctx = new_context(browser, TRAPS)
    page = watched(ctx)
    found = {}
    for p in PAYLOADS[::11]:  # as a ?q= link (a fresh page) and typed on the keyboard
        page.goto(f"{base}?q={quote(p, safe='')}", wait_until="load")
        page.wait_for_function(FINISHED, arg=p)
        found.update({"link " + p: problems} if (problems := check(page)) else {})
        page.locator("#search-q").fill("")
        page.locator("#search-q").press_sequentially(p[:12])
        page.locator("#search-q").press("Enter")
        page.wait_for_function(FINISHED, arg=p[:12])
        found.update({"typed " + p[:12]: problems} if (problems := check(page)) else {})
    results = page.evaluate(SEARCH_ALL, PAYLOADS)
    found.update({q: ran + risky for q, _, ran, risky in results if ran or risky})
    # the account and tag filters list hostile names, also one taken from the URL
    page.goto(f"{base}?q=alert&tag={quote(PAYLOADS[3], safe='')}", wait_until="load")
    page.wait_for_function(FINISHED, arg="alert")
    page.evaluate("document.getElementById('search-facets').open = true")  # opened if filtered
    page.wait_for_function("document.querySelectorAll('#search-tag option').length > 20")
    tags = page.eval_on_selector_all("#search-tag option", "os => os.map(o => o.value)")
    assert PAYLOADS[3] in tags and page.input_value("#search-tag") == PAYLOADS[3]
    page.select_option("#search-account", index=1)
    page.wait_for_function("new URLSearchParams(location.search).has('account')")
    found.update({"facets": problems} if (problems := check(page)) else {})
    assert found == {}
    assert sum(status.startswith("找到") for _, status, _, _ in results) >= len(PAYLOADS) * 0.8
    assert page.dialogs == [] and page.errors == []
    page.goto(base + "?q=" + quote("<img src=x onerror=alert(1)>"), wait_until="load")
    page.wait_for_function(FINISHED, arg="<img src=x onerror=alert(1)>")
    titles = page.locator("#search-results .entry-title").all_inner_texts()
    assert "<img src=x onerror=alert(1)>" in titles
    ctx.close()
