"""Search with patched builds: one edited article becomes a small delta segment of the index.

Every stage of a run of edits (new segments, merges of segments, the fall-back to a full
build) must answer every query exactly as a clean build of the same articles does, write only
a few bytes of index per patch, and a build killed while writing a segment must leave an index
that answers as the previous or the new build.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from generator import outdir
from generator.build import build
from generator.config import load_config
from generator.model.site import load_site
from generator.outputs.search import search_doc
from generator.search import segments
from generator.search.index import build_index
from tests.search_reference import Index
from tests.unit.test_search_index import CLASSES

FIXTURE = Path(__file__).parent.parent / "fixtures" / "search_site"
REPO = Path(__file__).resolve().parents[2]
QUERIES = sorted(CLASSES) + ["海风", "灯塔", "的", "新词", "改过", "码头 第十"]


def answers(load) -> list[list[int]]:
    ix = Index(load)
    return [[h.doc for h in ix.search(q)] for q in QUERIES + EXTRA]


EXTRA = [f"新词{n}号" for n in range(30)] + [f"改过{n}" for n in range(30)]


def clean_answers(root: Path) -> list[list[int]]:
    site, _ = load_site(load_config(root))
    files = build_index([search_doc(e) for e in site.entries])
    return answers(files.__getitem__)


def edit(root: Path, n: int) -> None:
    """Stage N: rewrite one article's body (and every third time its title), keeping its shape."""
    page = root / "content" / f"s{n % 25 + 1:02d}.md"
    text = page.read_text(encoding="utf-8")
    head, _, body = text.partition("\n---\n")
    if n % 3 == 0:
        head = head.replace('title: "', f'title: "改过{n}', 1)
    page.write_text(f"{head}\n---\n\n第{n}次修改：新词{n}号。{body.strip()[:40]}\n", encoding="utf-8")


def test_patched_index_answers_as_a_clean_build_at_every_stage(tmp_path, monkeypatch):
    monkeypatch.setattr(segments, "MAX_DELTAS", 3)
    monkeypatch.setattr(segments, "MAX_RETIRED", 4)
    root = tmp_path / "site"
    shutil.copytree(FIXTURE, root)
    cfg = load_config(root)
    out = cfg.output_path / "search"
    assert build(cfg).mode == "full"
    modes = []
    for n in range(12):
        edit(root, n)
        before = {p for p in out.rglob("*") if p.is_file()}
        result = build(load_config(root))
        modes.append(result.mode)
        assert answers(lambda p: (out / p).read_bytes()) == clean_answers(root), n
        if result.mode == "patch":
            new = {p for p in out.rglob("*") if p.is_file()} - before
            assert sum(p.stat().st_size for p in new) < 12_000  # one document's worth
            manifest = json.loads((out / "manifest.json").read_text())
            assert len(manifest["segments"]) <= 1 + segments.MAX_DELTAS
    # deltas added (0-2), merged (3), added (4, 5); at 6 merging would leave more than 4
    # merged-away segments: a full build; then the same again (merge at 10)
    assert modes == ["patch"] * 6 + ["full"] + ["patch"] * 5
    assert build(load_config(root), clean=True).mode == "full"
    assert answers(lambda p: (out / p).read_bytes()) == clean_answers(root)


def index_state(out: Path) -> list[list[int]] | None:
    """The answers of the index in OUT, or None if it is not whole."""
    try:
        return answers(lambda p: (out / "search" / p).read_bytes())
    except (OSError, ValueError, KeyError, IndexError):
        return None


def test_sigkill_while_writing_a_segment_leaves_a_consistent_index(tmp_path):
    root = tmp_path / "site"
    shutil.copytree(FIXTURE, root)
    out = root / "public"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    cmd = [sys.executable, "-m", "generator", "build", "--site", str(root), "--no-progress"]
    assert subprocess.run(cmd, env=env, capture_output=True).returncode == 0
    started = time.monotonic()
    edit(root, 100)
    assert subprocess.run(cmd, env=env, capture_output=True).returncode == 0
    took = time.monotonic() - started
    previous = index_state(out)
    for k in range(8):
        edit(root, 101 + k)
        states = [previous, clean_answers(root)]
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, start_new_session=True)
        time.sleep(took * (0.4 + 0.08 * k))
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        outdir.recover(out)  # what the next build does first
        state = index_state(out)
        assert state is not None and state in states, k
        assert subprocess.run(cmd, env=env, capture_output=True).returncode == 0
        previous = index_state(out)
        assert previous == states[1]
