"""Import benchmark: `wenji import` on N generated raw pages (page-text dumps and saved WeChat pages).

    python3 benchmarks/import_bench.py                  # 10,000 pages of each shape
    python3 benchmarks/import_bench.py --n 1000 --shapes text

See benchmarks/README.md for what is measured and how.
"""

from __future__ import annotations

import argparse
import signal
import hashlib
import os
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus  # noqa: E402
import measure  # noqa: E402
import rawpages  # noqa: E402
import results  # noqa: E402
import tools  # noqa: E402
from results import mb, median, secs, verdict  # noqa: E402

SITE_YML = "# Written by benchmarks/import_bench.py.\ntitle: 导入基准站点\nbase_url: https://example.org/\n"


def log(*args: object) -> None:
    print(*args, file=sys.stderr, flush=True)


def _stamp(n: int, shape: str) -> str:
    code = Path(rawpages.__file__).read_bytes()
    return f"{n} {shape} {hashlib.sha1(code).hexdigest()}\n"


def ensure_pages(args: argparse.Namespace, shape: str) -> Path:
    """N raw pages of SHAPE, generated unless already there from the same generator code."""
    raw = args.work / f"import-{args.n}" / f"raw-{shape}"
    stamp = raw / ".complete"
    if stamp.is_file() and stamp.read_text() == _stamp(args.n, shape):
        return raw
    source = corpus.ensure(args.shared, args.work, args.n, {"wenji"}, log=log)
    articles = sorted((source / "wenji" / "content").glob("*.md"))[: args.n]
    shutil.rmtree(raw, ignore_errors=True)
    log(f"writing {len(articles):,} raw {shape} pages …")
    started = time.perf_counter()
    size = rawpages.write_pages(articles, raw, shape, args.shared)
    log(f"  {size / results.MB:,.0f} MB in {time.perf_counter() - started:.1f} s")
    stamp.write_text(_stamp(args.n, shape))
    return raw


def summary_line(m: measure.Measured) -> str:
    lines = [l for l in m.stdout.strip().splitlines() if l.strip()]
    return lines[-1].strip() if lines else ""


def bench_shape(args: argparse.Namespace, shape: str) -> dict:
    """Import the SHAPE pages into an empty site ARGS.repeat times, then once more over the result."""
    raw = ensure_pages(args, shape)
    site = args.work / f"import-{args.n}" / f"site-{shape}"
    site.mkdir(parents=True, exist_ok=True)
    (site / "site.yml").write_text(SITE_YML, encoding="utf-8")
    cmd = [sys.executable, "-m", "generator", "import", os.path.relpath(raw, site), "--site", ".",
           "--no-progress"]
    runs, reruns = [], []
    for r in range(args.repeat):
        shutil.rmtree(site / "content", ignore_errors=True)
        (site / "content").mkdir()
        runs.append(_one(cmd, site, f"{shape} import {r + 1}/{args.repeat}", args))
    if args.reimport and runs and runs[-1].ok:
        reruns.append(_one(cmd, site, f"{shape} re-import", args))
    written = sum(1 for _ in (site / "content").glob("*.md"))
    return {"shape": shape, "runs": runs, "reruns": reruns, "written": written,
            "raw_bytes": sum(p.stat().st_size for p in raw.iterdir() if p.name != ".complete")}


def _one(cmd: list[str], site: Path, label: str, args: argparse.Namespace) -> measure.Measured:
    m = measure.run(cmd, cwd=site, env=tools.wenji_env(), with_pss=args.pss)
    if m.ok or m.returncode == 1:  # 1 = some inputs failed or were skipped: still a finished import
        log(f"  {label:<22} {m.wall:8.1f} s  cpu {m.cpu:7.1f} s  peak {m.peak_rss / results.MB:6.0f} MB"
            f"  ({m.max_procs} proc, other load {m.background:.1f})  {summary_line(m)}")
    else:
        log(f"  {label:<22} FAILED (exit {m.returncode}) after {m.wall:.1f} s:")
        for line in (m.stderr.strip() or m.stdout.strip()).splitlines()[-8:]:
            log(f"      {line}")
    return m


def finished(m: measure.Measured) -> bool:
    return m.returncode in (0, 1) and bool(summary_line(m))


def markdown(res: list[dict], info: dict[str, str], args: argparse.Namespace) -> str:
    rows = []
    for r in res:
        for label, runs in (("import", r["runs"]), ("re-import (nothing new)", r["reruns"])):
            good = [m for m in runs if finished(m)]
            if not runs:
                continue
            if not good:
                rows.append([f"{r['shape']} {label}", f"failed (exit {runs[0].returncode})", "", "", "", "", ""])
                continue
            wall, rss = median(m.wall for m in good), median(m.peak_rss for m in good)
            rows.append([f"{r['shape']} {label}", secs(wall), secs(median(m.cpu for m in good)), mb(rss),
                         f"{args.n / wall:,.0f}", verdict(rss < 2 * 1024 * results.MB),
                         "`" + summary_line(good[-1]) + "`"])
    raw = ", ".join(f"{r['shape']} {r['raw_bytes'] / results.MB:,.0f} MB" for r in res)
    parts = ["# Import benchmark", "",
             f"`python3 benchmarks/import_bench.py {' '.join(args.argv)}`".replace(" `", "`"), "",
             f"{args.n:,} generated raw pages per shape ({raw}); median of {args.repeat} run(s) "
             "into an empty content folder, then one re-import over the result.", "",
             results.machine_lines(info), "",
             results.table(["run", "wall s", "CPU s", "peak RSS MB", "pages/s", "peak < 2 GB", "summary line"],
                           rows, left=[-1])]
    return "\n".join(parts)


def parse(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(description="Benchmark `wenji import` on generated raw WeChat pages.")
    p.add_argument("--n", type=int, default=10_000, help="raw pages per shape (default: 10000)")
    p.add_argument("--shapes", default="text,html", help="page shapes: text, html (default: both)")
    p.add_argument("--repeat", type=int, default=1, help="imports per shape; medians reported (default: 1)")
    p.add_argument("--no-reimport", dest="reimport", action="store_false",
                   help="skip the second import over the imported content")
    p.add_argument("--shared", type=Path, default=tools.REPO.parent / "shared",
                   help="folder holding bench/make_corpus.py and the corpus (default: ../shared)")
    p.add_argument("--work", type=Path, default=tools.REPO / "build" / "bench",
                   help="scratch folder (default: build/bench)")
    p.add_argument("--pss", action="store_true", help="also sample PSS (fair for forked workers; costs CPU)")
    args = p.parse_args(argv)
    args.argv = results.shown_argv(argv)
    args.shapes = [s.strip() for s in args.shapes.split(",") if s.strip()]
    bad = set(args.shapes) - set(rawpages.SHAPES)
    if bad:
        p.error(f"unknown shapes: {', '.join(sorted(bad))} (choose from {', '.join(rawpages.SHAPES)})")
    args.shared, args.work = args.shared.resolve(), args.work.resolve()
    return args


def main(argv: list[str] | None = None) -> int:
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so a killed run stops its build too
    args = parse(sys.argv[1:] if argv is None else argv)
    if not (tools.REPO / "generator" / "ingest.py").is_file():
        print("error: wenji import is not available in this checkout (no generator/ingest.py)", file=sys.stderr)
        return 2
    res = [bench_shape(args, shape) for shape in args.shapes]
    text = markdown(res, results.machine(), args)
    data = {"n": args.n, "shapes": [{"shape": r["shape"], "written": r["written"], "raw_bytes": r["raw_bytes"],
                                     "runs": [results.run_record(m) for m in r["runs"]],
                                     "reruns": [results.run_record(m) for m in r["reruns"]],
                                     "summary": [summary_line(m) for m in r["runs"] + r["reruns"]]}
                                    for r in res]}
    path = results.write(f"import-{args.n}", text, data)
    print(text)
    log(f"\nwritten {path.relative_to(tools.REPO)} (+ .json)")
    return 0 if all(finished(m) for r in res for m in r["runs"] + r["reruns"]) else 1


if __name__ == "__main__":
    sys.exit(main())
