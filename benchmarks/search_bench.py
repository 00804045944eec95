"""Search benchmark: Wenji's index and Pagefind side by side on the same built site.

    python3 benchmarks/search_bench.py                     # 1,000 and 10,000 articles
    python3 benchmarks/search_bench.py --sizes 1000        # quick check
    pip install "pagefind[extended]"                       # the reference (Chinese segmentation)

For each size: build the synthetic corpus with Wenji (search on), time Wenji's index step, run
Pagefind over the article pages of the same output, then measure in Chromium (fresh browser
profile per query, served by a local server that answers Range requests and gzips text like
static hosts do): bytes each engine downloads for 2- and 4-character Chinese queries (showing
10 results with excerpts), and recall/precision of 50 queries drawn from the corpus against a
substring scan. See benchmarks/README.md and docs/search-format.md.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import resource
import shutil
import statistics
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus  # noqa: E402
import measure  # noqa: E402
import results  # noqa: E402
from tools import REPO, wenji_env  # noqa: E402

sys.path.insert(0, str(REPO))
from generator.config import load_config  # noqa: E402
from generator.model.site import load_site  # noqa: E402
from generator.outputs.search import search_doc  # noqa: E402
from generator.search import tokenizer  # noqa: E402
from generator.search.index import build_index  # noqa: E402
from tests.search_reference import Index, scan  # noqa: E402

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
PAGEFIND_GLOB = "[0-9][0-9][0-9][0-9]/[0-9][0-9]/*/index.html"
"""Only article pages, as Wenji indexes only articles."""
PAGEFIND_EXCLUDE = ".kicker, .article-meta, .article-footer"
"""Pagefind then indexes what Wenji does: the title (h1) and the body."""
UI_FILES = re.compile(r"pagefind-(component-ui|modular-ui|ui|highlight)\.(js|css)$")
SHOWN = 10
HARNESS = """<!DOCTYPE html><meta charset="utf-8"><title>pagefind</title><script type="module">
const q = new URLSearchParams(location.search).get("q");
const pagefind = await import("../pagefind/pagefind.js");
await pagefind.init();
const found = await pagefind.search(q);
const shown = await Promise.all(found.results.slice(0, %d).map(r => r.data()));
window.done = {ids: found.results.map(r => r.id), shown: shown.map(d => d.url)};
</script>""" % SHOWN
COMPRESSIBLE = (".html", ".js", ".json", ".css", ".svg", ".xml")
SITE_YML = """\
# Written by benchmarks/search_bench.py: the synthetic corpus as a Wenji site with search.
title: 文章集基准站点
base_url: https://example.org/
content_dir: {content}
per_page: 10
feed_size: 20
search:
  enabled: true
"""


def log(*args: object) -> None:
    print(*args, file=sys.stderr, flush=True)


class Served(BaseHTTPRequestHandler):
    """Static files with Range requests and on-the-fly gzip of text types; records bytes sent."""

    root: Path
    ranges = True
    sent: list[tuple[str, int]] = []
    _gz: dict[Path, bytes] = {}

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802
        path = self.path.split("?", 1)[0]
        file = self.root / path.lstrip("/")
        if file.is_dir():
            file = file / "index.html"
        if not file.is_file():
            self.send_error(404)
            return
        body, status, headers = file.read_bytes(), 200, {}
        m = re.fullmatch(r"bytes=(\d+)-(\d+)", self.headers.get("Range", ""))
        if m and self.ranges:
            start, end = int(m[1]), min(int(m[2]), len(body) - 1)
            headers["Content-Range"] = f"bytes {start}-{end}/{len(body)}"
            body, status = body[start:end + 1], 206
        elif file.suffix in COMPRESSIBLE and "gzip" in self.headers.get("Accept-Encoding", ""):
            if file not in self._gz:
                self._gz[file] = gzip.compress(body, 6, mtime=0)
            body, headers["Content-Encoding"] = self._gz[file], "gzip"
        kind = {".js": "text/javascript", ".json": "application/json", ".css": "text/css",
                ".html": "text/html; charset=utf-8", ".wasm": "application/wasm"}
        headers["Content-Type"] = kind.get(file.suffix, "application/octet-stream")
        headers["Content-Length"] = str(len(body))
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)
        # status line, our headers, Server and Date lines, blank line
        head = 17 + sum(len(k) + len(v) + 4 for k, v in headers.items()) + 70 + 2
        self.sent.append((path, len(body) + head))


def serve(root: Path, ranges: bool) -> tuple[ThreadingHTTPServer, str]:
    handler = type("H", (Served,), {"root": root, "ranges": ranges, "sent": [], "_gz": {}})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def _cpu() -> float:
    """CPU seconds of this process and its waited-for children (forked index workers)."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def draw_queries(docs, count: int, seed: int) -> list[str]:
    """COUNT Chinese substrings of the corpus: 40% 2 chars, 40% 4 chars, 20% 3 or 6 chars."""
    rng = random.Random(seed)
    lengths = [2, 4] * (count * 2 // 5) + [3, 6] * count
    out: list[str] = []
    while len(out) < count:
        doc = rng.choice(docs)
        field = doc.title if rng.random() < 0.1 else doc.text
        n = lengths[len(out)]
        runs = re.findall(f"[\u3400-\u9fff]{{{n},}}", tokenizer.fold(field))
        if runs:
            run = rng.choice(runs)
            i = rng.randrange(len(run) - n + 1)
            if run[i:i + n] not in out:
                out.append(run[i:i + n])
    return out


def folder_size(folder: Path, skip=lambda p: False) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file() and not skip(p)]
    return sum(p.stat().st_size for p in files), len(files)


def score(found: list[set[int]], truth: list[set[int]]) -> tuple[float, float]:
    """Micro-averaged recall and precision."""
    hit = sum(len(f & t) for f, t in zip(found, truth))
    return hit / max(1, sum(map(len, truth))), hit / max(1, sum(map(len, found)))


def run_size(n: int, args: argparse.Namespace, browser) -> dict:
    bench = args.work
    root = corpus.ensure(args.shared, bench, n, {"wenji", "hugo"}, log=log)
    site = bench / f"search-{n}"  # a site of our own over the corpus: the build bench shares it
    site.mkdir(parents=True, exist_ok=True)
    (site / "site.yml").write_text(SITE_YML.format(content=f"../{root.name}/wenji/content"),
                                   encoding="utf-8")
    out = site / "public"
    log(f"[{n:,}] wenji build …")
    built = measure.run([sys.executable, "-m", "generator", "build", "--site", ".", "--no-progress",
                         "--clean"], cwd=site, env=wenji_env())
    if not built.ok:
        raise SystemExit(built.stderr[-2000:])
    cfg = load_config(site)
    loaded, _ = load_site(cfg)
    docs = [search_doc(e) for e in loaded.entries]
    started, cpu = time.perf_counter(), _cpu()
    build_index(docs, cfg.search.shards)
    w_index, w_cpu = time.perf_counter() - started, _cpu() - cpu
    log(f"[{n:,}] wenji index step {w_index:.1f} s; pagefind …")
    shutil.rmtree(out / "pagefind", ignore_errors=True)
    pf = measure.run([sys.executable, "-m", "pagefind", "--site", str(out), "--glob", PAGEFIND_GLOB,
                      "--root-selector", "article.article", "--exclude-selectors",
                      PAGEFIND_EXCLUDE, "--quiet"])
    if not pf.ok:
        raise SystemExit(pf.stderr[-2000:])
    (out / "_bench").mkdir(exist_ok=True)
    (out / "_bench" / "pagefind.html").write_text(HARNESS, encoding="utf-8")

    slug_of = {}
    for frag in (out / "pagefind" / "fragment").iterdir():
        data = gzip.decompress(frag.read_bytes()).removeprefix(b"pagefind_dcd")
        slug_of[frag.name.removesuffix(".pf_fragment")] = json.loads(data)["url"]
    doc_of_url = {"/" + e.url: i for i, e in enumerate(loaded.entries)}

    queries = draw_queries(docs, args.queries, args.seed + n)
    truth = [scan(docs, q) for q in queries]
    ix = Index(lambda p: (out / "search" / p).read_bytes())
    wenji_found = [{h.doc for h in ix.search(q)} for q in queries]

    server, base = serve(out, ranges=True)
    plain, plain_base = serve(out, ranges=False)
    pf_found, bytes_ = [], {"wenji": {}, "wenji_norange": {}, "pagefind": {}}
    measured = [q for q in queries if len(q) == 2][:args.bytes_queries] + \
        [q for q in queries if len(q) == 4][:args.bytes_queries]
    for q in queries:
        ids, _ = browse(browser, server, base + "_bench/pagefind.html?q=" + q, "pagefind", bytes_, q in measured)
        pf_found.append({doc_of_url[slug_of[i]] for i in ids if slug_of.get(i) in doc_of_url})
    for q in measured:
        count, _ = browse(browser, server, base + "search/?q=" + q, "wenji", bytes_, True)
        assert count == len(wenji_found[queries.index(q)]), (q, count)
        browse(browser, plain, plain_base + "search/?q=" + q, "wenji_norange", bytes_, True)
    server.shutdown()
    plain.shutdown()

    w_bytes, w_files = folder_size(out / "search", lambda p: p.name == "index.html")
    p_bytes, p_files = folder_size(out / "pagefind", lambda p: bool(UI_FILES.search(p.name)))
    med = {k: {L: statistics.median(b for q, b in v.items() if len(q) == L) for L in (2, 4)}
           for k, v in bytes_.items()}
    return {"n": n, "queries": queries, "truth": [len(t) for t in truth],
            "wenji": {"bytes": w_bytes, "files": w_files, "index_s": w_index, "cpu_s": w_cpu,
                      "build_s": built.wall, "recall_precision": score(wenji_found, truth),
                      "found": [len(f) for f in wenji_found], "query_bytes": med["wenji"],
                      "query_bytes_norange": med["wenji_norange"], "per_query": bytes_["wenji"]},
            "pagefind": {"bytes": p_bytes, "files": p_files, "index_s": pf.wall, "cpu_s": pf.cpu,
                         "recall_precision": score(pf_found, truth),
                         "found": [len(f) for f in pf_found], "query_bytes": med["pagefind"],
                         "per_query": bytes_["pagefind"]}}


def browse(browser, server, url: str, engine: str, bytes_: dict, record: bool) -> tuple[int, int]:
    """Open URL in a fresh profile, wait for the results; record the bytes the search fetched."""
    context = browser.new_context()
    page = context.new_page()
    server.RequestHandlerClass.sent.clear()
    page.goto(url)
    if engine == "pagefind":
        page.wait_for_function("window.done", timeout=120_000)
        ids = page.evaluate("window.done.ids")
        count = len(ids)
    else:
        page.wait_for_function("""() => {
            const s = document.getElementById('search-status').textContent;
            return (s.startsWith('找到') || s.startsWith('没有'))
                && !document.querySelector('#search-results [aria-busy]'); }""", timeout=120_000)
        status = page.inner_text("#search-status")
        ids, count = [], int(re.search(r"\d+", status)[0]) if status.startswith("找到") else 0
    page.wait_for_load_state("networkidle")
    context.close()
    skip = re.compile(r"(\.html|/|\.css|favicon\.svg)$")
    total = sum(b for p, b in server.RequestHandlerClass.sent if not skip.search(p))
    if record:
        bytes_[engine][url.rsplit("q=", 1)[1]] = total
    return (ids if engine == "pagefind" else count), total


def report(runs: list[dict], info: dict) -> str:
    kb = lambda b: f"{b / 1024:,.0f} KB"  # noqa: E731
    out = ["# Search: Wenji vs Pagefind", "", results.machine_lines(info), ""]
    for r in runs:
        w, p = r["wenji"], r["pagefind"]
        rows = [
            ("index bytes", f"{w['bytes'] / 2**20:.1f} MB", f"{p['bytes'] / 2**20:.1f} MB",
             results.ratio(w["bytes"], p["bytes"])),
            ("index files", f"{w['files']:,}", f"{p['files']:,}", results.ratio(w["files"], p["files"])),
            ("indexing time", f"{w['index_s']:.1f} s", f"{p['index_s']:.1f} s",
             results.ratio(w["index_s"], p["index_s"])),
            ("indexing CPU time", f"{w['cpu_s']:.1f} s", f"{p['cpu_s']:.1f} s",
             results.ratio(w["cpu_s"], p["cpu_s"])),
            ("bytes per 2-char query", kb(w["query_bytes"][2]), kb(p["query_bytes"][2]),
             results.ratio(w["query_bytes"][2], p["query_bytes"][2])),
            ("bytes per 4-char query", kb(w["query_bytes"][4]), kb(p["query_bytes"][4]),
             results.ratio(w["query_bytes"][4], p["query_bytes"][4])),
            (f"recall ({len(r['queries'])} queries)", f"{w['recall_precision'][0]:.1%}",
             f"{p['recall_precision'][0]:.1%}", ""),
            ("precision", f"{w['recall_precision'][1]:.1%}", f"{p['recall_precision'][1]:.1%}", ""),
        ]
        out += [f"## {r['n']:,} articles", "",
                results.table(["", "Wenji", "Pagefind", "Wenji / Pagefind"], rows), "",
                f"Without Range support on the server, Wenji's queries download "
                f"{kb(w['query_bytes_norange'][2])} (2 chars) and {kb(w['query_bytes_norange'][4])} "
                f"(4 chars): excerpts then come from whole text files.", ""]
        first = max(w["query_bytes"][L] / p["query_bytes"][L] for L in (2, 4))
        out += [f"- first-query bytes, Wenji / Pagefind: **{first:.2f}×** at most (target ≤ 0.4×) "
                f"{results.verdict(first <= 0.4)}",
                f"- Wenji's index files: **{w['files']:,}** (target < 1,000) "
                f"{results.verdict(w['files'] < 1000)}", ""]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="1000,10000", help="comma list of article counts")
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared",
                    help="folder holding bench/make_corpus.py (default: ../shared)")
    ap.add_argument("--work", type=Path, default=REPO / "build" / "bench",
                    help="where corpora are generated and built (default: build/bench)")
    ap.add_argument("--queries", type=int, default=50)
    ap.add_argument("--bytes-queries", type=int, default=5,
                    help="queries of each length (2, 4 chars) whose downloads are measured")
    ap.add_argument("--seed", type=int, default=4)
    ap.add_argument("--name", default="search", help="results/NAME.md and NAME.json")
    args = ap.parse_args(argv)
    from playwright.sync_api import sync_playwright
    runs = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        for n in (int(s) for s in args.sizes.split(",")):
            runs.append(run_size(n, args, browser))
        browser.close()
    info = results.machine({"pagefind": [sys.executable, "-m", "pagefind", "--version"]})
    md = report(runs, info)
    print(md)
    log(f"written {results.write(args.name, md, {'machine': info, 'runs': runs})}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
