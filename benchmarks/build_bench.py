"""Build benchmark: the same synthetic corpus built cold by Wenji, Hugo and Pelican, plus Wenji rebuilds.

    python3 benchmarks/build_bench.py                       # 1,000 and 10,000 articles, 3 rounds
    python3 benchmarks/build_bench.py --sizes 1000 --repeat 1
    python3 benchmarks/build_bench.py --sizes 100000 --tools wenji --repeat 1

See benchmarks/README.md for what is measured and how.
"""

from __future__ import annotations

import argparse
import signal
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus  # noqa: E402
import measure  # noqa: E402
import results  # noqa: E402
import tools  # noqa: E402
from results import mb, median, ratio, secs, verdict  # noqa: E402

ORDER = ("wenji", "hugo", "pelican", "pagefind")
ADDON = "pagefind"
"""Not a generator: it indexes Hugo's output right after each cold Hugo build (Hugo + Pagefind)."""
SETTLE = 90
"""Seconds to wait after deleting many files before measuring (see tools.Trash)."""
EDIT = "\n\n## 基准测试修改\n\n这一段由构建基准脚本追加，第 {n} 次修改，用来测量只改一篇文章之后的重建时间。\n"


@dataclass
class Series:
    """Repeated runs of one build kind of one tool."""

    label: str
    runs: list[measure.Measured] = field(default_factory=list)
    pages: list[int] = field(default_factory=list)
    feeds: list[int] = field(default_factory=list)
    stale: list[measure.Measured] = field(default_factory=list)
    """Rebuilds during which Wenji's own code changed (its caches rightly miss): left out."""

    def good(self) -> list[measure.Measured]:
        ok = [r for r in self.runs if r.ok]
        return [r for r in ok if r not in self.stale] or ok

    @property
    def wall(self) -> float:
        return median(r.wall for r in self.good())

    @property
    def cpu(self) -> float:
        return median(r.cpu for r in self.good())

    @property
    def rss(self) -> float:
        return median(r.peak_rss for r in self.good())

    @property
    def pss(self) -> float:
        return median(r.peak_pss for r in self.good() if r.peak_pss is not None)

    @property
    def background(self) -> float:
        return median(r.background for r in self.good())

    @property
    def failed(self) -> list[measure.Measured]:
        return [r for r in self.runs if not r.ok]


def log(*args: object) -> None:
    print(*args, file=sys.stderr, flush=True)


def measured(tool: tools.Tool, label: str, series: Series, args: argparse.Namespace,
             code: str | None = None) -> None:
    """Run TOOL's build once, record it in SERIES and log one line.

    CODE is the digest of Wenji's code at the cold build a rebuild follows: a rebuild after the
    code changed (someone editing the checkout) is logged and left out of the medians.
    """
    os.sync()  # flush the previous build's writes so they do not land inside this measurement
    m = measure.run(tool.cmd, cwd=tool.site, env=tool.env, with_pss=args.pss)
    series.runs.append(m)
    if code is not None and tools.code_digest() != code:
        series.stale.append(m)
        label += " (code changed)"
    pages = tools.count_files(tool.output, ".html") if m.ok else 0
    feeds = tools.count_files(tool.output, ".xml") if m.ok else 0
    if m.ok:
        series.pages.append(pages)
        series.feeds.append(feeds)
        log(f"  {label:<22} {m.wall:8.2f} s  cpu {m.cpu:7.1f} s  peak {m.peak_rss / results.MB:6.0f} MB"
            f"  {pages:>7,} html  {feeds:>5,} xml  ({m.max_procs} proc, other load {m.background:.1f} cores)")
    else:
        tail = (m.stderr.strip() or m.stdout.strip()).splitlines()[-8:]
        log(f"  {label:<22} FAILED (exit {m.returncode}) after {m.wall:.1f} s:")
        for line in tail:
            log(f"      {line}")


def edit_one(site: Path, n: int, round_: int) -> tuple[Path, bytes]:
    """Append a paragraph to the body of one article in the middle of the corpus; return its old bytes."""
    path = site / "content" / f"p{n // 2:06d}.md"
    if not path.is_file():
        path = sorted((site / "content").glob("*.md"))[n // 2]
    old = path.read_bytes()
    path.write_bytes(old.rstrip(b"\n") + EDIT.format(n=round_ + 1).encode("utf-8"))
    return path, old


def bench_size(n: int, args: argparse.Namespace, trash: tools.Trash) -> dict:
    """Build the N-article corpus with every tool, interleaved, ARGS.repeat times."""
    names = [t for t in ORDER if t in args.tools]
    folder = corpus.ensure(args.shared, args.work, n, set(names) - {ADDON}, log=log)
    if "wenji" in names:
        corpus.write_site(folder, args.search)
    builders = {name: tools.BUILDERS[name](folder) for name in names}
    rebuild = tools.wenji(folder, clean=False) if "wenji" in names else None
    series = {name: Series(name) for name in names}
    noop, edit = Series("wenji no-op rebuild"), Series("wenji one-article edit")
    generators = [name for name in names if name != ADDON]
    for r in range(args.repeat):
        log(f"{n:,} articles, round {r + 1}/{args.repeat}")
        rotated = generators[r % len(generators):] + generators[:r % len(generators)]
        for name in rotated:
            tool = builders[name]
            tool.clear(trash)
            code = tools.code_digest()
            measured(tool, f"{name} cold", series[name], args)
            if name == "hugo" and ADDON in names and series[name].runs[-1].ok:
                builders[ADDON].clear(trash)
                measured(builders[ADDON], "pagefind on hugo's", series[ADDON], args)
            if name == "wenji" and rebuild and series[name].runs[-1].ok and not args.no_rebuilds:
                measured(rebuild, "wenji no-op", noop, args, code)
                path, old = edit_one(rebuild.site, n, r)
                try:
                    measured(rebuild, "wenji edit one", edit, args, code)
                finally:
                    path.write_bytes(old)
    return {"n": n, "series": series, "noop": noop, "edit": edit, "search": args.search}


def cold_table(res: dict) -> str:
    rows = []
    for s in res["series"].values():
        if not s.good():
            rows.append([s.label, f"failed (exit {s.failed[0].returncode})", "", "", "", "", "", ""])
            continue
        pages = int(median(s.pages))
        if s.label == ADDON:  # writes an index, no pages
            rows.append([f"{s.label} (indexing Hugo's output)", secs(s.wall), secs(s.cpu), mb(s.rss),
                         "–", "–", "–", f"{s.background:.2f}"])
            continue
        rows.append([s.label, secs(s.wall), secs(s.cpu), mb(s.rss), f"{pages:,}",
                     f"{int(median(s.feeds)):,}", f"{pages / s.wall:,.0f}", f"{s.background:.2f}"])
    header = ["cold build", "wall s", "CPU s", "peak RSS MB", "HTML pages", "XML files", "pages/s",
              "other load"]
    if any(r.peak_pss for s in res["series"].values() for r in s.runs):
        header.insert(4, "peak PSS MB")
        for row, s in zip(rows, res["series"].values()):
            row.insert(4, mb(s.pss) if s.good() else "")
    return results.table(header, rows)


def ratio_lines(res: dict) -> list[str]:
    s = res["series"]
    w, h, p, pf = (s.get(k) for k in ("wenji", "hugo", "pelican", ADDON))
    ok = lambda x: x is not None and bool(x.good())  # noqa: E731
    lines = []
    if ok(w) and ok(h) and ok(pf):
        both = h.wall + pf.wall
        lines.append(f"- wenji / (hugo + pagefind) time: **{ratio(w.wall, both)}** (target ≤ 0.3× at "
                     f"10,000) {verdict(w.wall <= 0.3 * both)}; CPU {ratio(w.cpu, h.cpu + pf.cpu)}")
        pss = w.pss == w.pss and pf.pss == pf.pss
        wm, pm = (w.pss, pf.pss) if pss else (w.rss, pf.rss)
        lines.append(f"- wenji peak memory / pagefind's indexing peak: **{ratio(wm, pm)}** "
                     f"{'PSS' if pss else 'RSS'} (target ≤ 0.2×) {verdict(wm <= 0.2 * pm)}")
    if ok(w) and ok(h):
        limit = 1.5 if res["search"] else 1.0  # issue 13: ≤ 1.5× with the search index on
        lines.append(f"- wenji / hugo time: **{ratio(w.wall, h.wall)}** (target ≤ {limit:g}× at 10,000"
                     f"{', search on' if limit > 1 else ', search off'}) {verdict(w.wall <= limit * h.wall)}")
        if w.pss == w.pss and h.pss == h.pss:  # PSS sampled: the fair figure for forked workers
            lines.append(f"- wenji / hugo peak memory: **{ratio(w.pss, h.pss)}** PSS (target < 1×) "
                         f"{verdict(w.pss < h.pss)}; RSS sum {ratio(w.rss, h.rss)} (counts the "
                         "workers' shared pages once per process)")
        else:
            lines.append(f"- wenji / hugo peak memory: **{ratio(w.rss, h.rss)}** RSS (target < 1×) "
                         f"{verdict(w.rss < h.rss)}")
        lines.append(f"- wenji / hugo CPU time: {ratio(w.cpu, h.cpu)} (no target; hardly moved by other load)")
    if ok(w) and ok(p):
        lines.append(f"- pelican / wenji time: **{ratio(p.wall, w.wall)}** (target ≥ 5×) "
                     f"{verdict(p.wall >= 5 * w.wall)}")
        lines.append(f"- pelican / wenji CPU time: {ratio(p.cpu, w.cpu)}")
    if ok(w) and res["n"] >= 100_000:
        fair = w.pss if w.pss == w.pss else w.rss
        lines.append(f"- wenji peak memory at {res['n']:,} articles: **{mb(fair)} MB** "
                     f"{'PSS' if fair is w.pss else 'RSS'} (target < 2,048 MB) "
                     f"{verdict(fair < 2 * 1024 * results.MB)}; RSS sum {mb(w.rss)} MB")
    return lines


def rebuild_table(res: dict) -> str:
    hugo = res["series"].get("hugo")
    full = hugo.wall if hugo and hugo.good() else float("nan")
    rows = []
    for s in (res["noop"], res["edit"]):
        if not s.runs:
            continue
        if not s.good():
            rows.append([s.label, f"failed (exit {s.failed[0].returncode})", "", "", ""])
            continue
        target = s.wall < 1.0 and (full != full or s.wall < full / 10)
        rows.append([s.label, secs(s.wall), mb(s.rss), ratio(s.wall, full), verdict(target)])
    if not rows:
        return ""
    text = results.table(["rebuild", "wall s", "peak RSS MB", "vs Hugo full build",
                          "< 1/10 of Hugo and < 1 s"], rows)
    for s in (res["noop"], res["edit"]):
        if s.stale:
            kept = "left out" if len(s.stale) < len(s.runs) else "kept: no other runs"
            text += (f"\n\n{s.label}: in {len(s.stale)} of {len(s.runs)} rounds Wenji's code changed "
                     f"during the round, so its caches missed ({kept}).")
    return text


def markdown(all_results: list[dict], info: dict[str, str], args: argparse.Namespace) -> str:
    parts = ["# Build benchmark", "",
             f"`python3 benchmarks/build_bench.py {' '.join(args.argv)}`".replace(" `", "`"), "",
             f"Median of {args.repeat} interleaved round(s); peak RSS is the whole process tree "
             "(see benchmarks/README.md). Wenji's search index: "
             + ("on (as the default site.yml)." if args.search else "**off** (not the default).")
             + (" Pagefind indexes Hugo's output right after each cold Hugo build."
                if ADDON in args.tools else ""),
             "", results.machine_lines(info)]
    for res in all_results:
        parts += ["", f"## {res['n']:,} articles", "", cold_table(res), ""]
        parts += ratio_lines(res)
        rebuilds = rebuild_table(res)
        if rebuilds:
            parts += ["", rebuilds]
    return "\n".join(parts)


def data(all_results: list[dict], info: dict[str, str]) -> dict:
    out = {"machine": info, "sizes": []}
    for res in all_results:
        entry = {"n": res["n"], "builds": {}}
        for s in [*res["series"].values(), res["noop"], res["edit"]]:
            if s.runs:
                entry["builds"][s.label] = {"runs": [dict(results.run_record(m), code_changed=m in s.stale)
                                                     for m in s.runs],
                                            "pages": s.pages, "feeds": s.feeds,
                                            "median_wall": s.wall, "median_peak_rss": s.rss}
        out["sizes"].append(entry)
    return out


def parse(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(description="Benchmark cold builds of Wenji, Hugo and Pelican "
                                "on identical synthetic corpora, and Wenji's incremental rebuilds.")
    p.add_argument("--sizes", default="1000,10000", help="article counts, comma-separated (default: 1000,10000)")
    p.add_argument("--tools", default=",".join(ORDER),
                   help=f"tools to run (default: {','.join(ORDER)}; pagefind indexes Hugo's output, "
                        "so it needs hugo)")
    p.add_argument("--repeat", type=int, default=3, help="rounds per size; medians are reported (default: 3)")
    p.add_argument("--shared", type=Path, default=tools.REPO.parent / "shared",
                   help="folder holding bench/make_corpus.py (default: ../shared next to the repo)")
    p.add_argument("--work", type=Path, default=tools.REPO / "build" / "bench",
                   help="where corpora are generated and built (default: build/bench)")
    p.add_argument("--no-search", dest="search", action="store_false",
                   help="turn Wenji's search index off (the default site.yml has it on, and so "
                        "does the headline figure; Hugo and Pelican write none)")
    p.add_argument("--pss", action="store_true", help="also sample PSS (fair for forked workers; costs CPU)")
    p.add_argument("--no-rebuilds", action="store_true", help="skip Wenji's no-op and one-edit rebuilds")
    p.add_argument("--name", help="results file name (default: build-<sizes>)")
    args = p.parse_args(argv)
    # as recorded in the results: folder options name this machine's paths, so they are left out
    args.argv = results.shown_argv(argv)
    args.sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    args.tools = [t.strip() for t in args.tools.split(",") if t.strip()]
    unknown = set(args.tools) - set(ORDER)
    if unknown:
        p.error(f"unknown tools: {', '.join(sorted(unknown))} (choose from {', '.join(ORDER)})")
    if ADDON in args.tools and "hugo" not in args.tools:
        p.error("pagefind indexes Hugo's output: add hugo to --tools")
    args.shared, args.work = args.shared.resolve(), args.work.resolve()
    return args


def main(argv: list[str] | None = None) -> int:
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so a killed run stops its build too
    args = parse(sys.argv[1:] if argv is None else argv)
    try:
        for name in args.tools:  # fail early, naming the pip command, before any long run
            tools.BUILDERS[name](args.work)
    except tools.MissingTool as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    started = time.perf_counter()
    trash = tools.Trash(args.work / "trash")
    if trash.empty():  # an interrupted run's: let the file system settle (see tools.Trash)
        os.sync()
        log(f"deleted an earlier run's old outputs; waiting {SETTLE} s for the disk to settle")
        time.sleep(SETTLE)
    try:
        all_results = [bench_size(n, args, trash) for n in args.sizes]
    finally:
        trash.empty()
    versions = {"hugo": lambda: [tools.hugo_binary(), "version"],
                "pelican": lambda: [sys.executable, "-m", "pelican", "--version"],
                ADDON: lambda: [sys.executable, "-m", "pagefind", "--version"]}
    info = results.machine({k: v() for k, v in versions.items() if k in args.tools})
    text = markdown(all_results, info, args)
    name = args.name or "build-" + "-".join(str(n) for n in args.sizes) + (
        "" if set(args.tools) == set(ORDER) else "-" + "-".join(args.tools))
    path = results.write(name, text, data(all_results, info))
    print(text)
    log(f"\nwritten {path.relative_to(tools.REPO)} (+ .json) in {time.perf_counter() - started:.0f} s")
    failed = any(s.failed for res in all_results for s in [*res["series"].values(), res["noop"], res["edit"]])
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
