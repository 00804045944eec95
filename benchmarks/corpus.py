"""Synthetic benchmark corpora: generate them once with the shared make_corpus.py, reuse them after."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

from tools import REPO

# A Wenji site over the generated wenji/content, set up to produce the page set the generated
# Hugo and Pelican sites produce: 10 articles per list page, 20 entries per feed.
SITE_YML = """\
# Written by benchmarks/build_bench.py: the synthetic corpus as a Wenji site.
title: 文章集基准站点
base_url: https://example.org/
per_page: 10
archive_per_page: 0     # a whole year (month) on one page, as the Hugo and Pelican sites have it
feed_size: 20
search:
  enabled: {search}
"""

LAYOUT_CONTENT = {"hugo": "hugo/content/posts", "pelican": "pelican/content", "wenji": "wenji/content"}


def folder(root: Path, n: int) -> Path:
    """Where the N-article corpus lives."""
    return root / f"corpus-{n}"


def _complete(out: Path, n: int, layouts: set[str]) -> bool:
    try:
        meta = json.loads((out / "corpus.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if meta.get("n") != n or not layouts <= set(meta.get("tools", [])):
        return False
    for layout in layouts:
        content = out / LAYOUT_CONTENT[layout]
        if not content.is_dir() or count_articles(content) != n:
            return False
    return True


def count_articles(content: Path) -> int:
    """Markdown articles in CONTENT (section files such as Hugo's _index.md left out)."""
    return sum(1 for p in content.glob("*.md") if not p.name.startswith("_"))


def ensure(shared: Path, root: Path, n: int, layouts: set[str], log=print) -> Path:
    """The N-article corpus with LAYOUTS under ROOT, generated unless already complete."""
    out = folder(root, n)
    if _complete(out, n, layouts):
        return out
    script = shared / "bench" / "make_corpus.py"
    if not script.is_file():
        raise SystemExit(f"error: {script} not found; pass --shared DIR (the folder holding bench/)")
    # make_corpus.py recreates --out: keep the layouts already there.
    try:
        have = set(json.loads((out / "corpus.json").read_text(encoding="utf-8")).get("tools", []))
    except (OSError, ValueError):
        have = set()
    wanted = sorted(layouts | (have & set(LAYOUT_CONTENT)))
    log(f"generating {n:,} articles ({','.join(wanted)}) into {_rel(out)} …")
    started = time.perf_counter()
    subprocess.run([sys.executable, str(script), "--n", str(n), "--out", str(out),
                    "--tools", ",".join(wanted)], check=True, stdout=subprocess.DEVNULL)
    log(f"  generated in {time.perf_counter() - started:.1f} s")
    if not _complete(out, n, layouts):
        raise SystemExit(f"error: {_rel(out)} is incomplete after generation")
    return out


def write_site(corpus: Path, search: bool) -> Path:
    """Write CORPUS/wenji/site.yml; return the Wenji site folder."""
    site = corpus / "wenji"
    text = SITE_YML.format(search="true" if search else "false")
    target = site / "site.yml"
    if not target.is_file() or target.read_text(encoding="utf-8") != text:
        target.write_text(text, encoding="utf-8")
    return site


def _rel(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(REPO))
    except ValueError:
        return str(path)
