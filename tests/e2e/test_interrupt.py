"""SIGKILL a real `wenji build` at random moments, 20 times: the output is always a complete build.

A site of 300 articles is built once; then, 20 times: an article is added, edited or deleted, a
`wenji build` subprocess is started and killed with SIGKILL after a seeded random delay spread
over the last build's duration (so kills land in start-up, loading, rendering, writing and the
swap; every fourth delay counts from the moment it starts writing files, a short phase), and
the output folder must be byte for byte the previous complete build (or, when the kill came
after the atomic swap, the new one). A build that patches a few pages in place (generator.incremental)
and is killed during its renames leaves a journal instead, and rolling it back must give the
previous build exactly. Its worker processes must die with it. After every other
kill the next build is killed too, on top of the leftovers; otherwise the next build runs to
the end and must succeed, leave no staging folder behind and show the changes. At the end a
clean build (no cache) must give the same tree as the incrementally built one. (Search is off:
building its index takes half of each build and writes nothing until the files are written.)
"""

from __future__ import annotations

import hashlib
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator import outdir
from generator.outdir import staging_dir
from tests.e2e.test_build_atomic import make_big_site

REPO = Path(__file__).resolve().parents[2]
KILLS = 20
ARTICLES = 300
SEED = 6


def tree(folder: Path) -> dict[str, str]:
    """Relative path → SHA-256 of every file under FOLDER (empty if it does not exist)."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def command(site: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "generator", "build", "--site", str(site), "--no-progress",
            *extra]


ENV = {**os.environ, "PYTHONPATH": str(REPO)}


def complete_build(site: Path, *extra: str) -> float:
    """Run a build to the end; return its wall time."""
    started = time.monotonic()
    done = subprocess.run(command(site, *extra), capture_output=True, text=True, env=ENV,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    return time.monotonic() - started


def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def killed_build(site: Path, delay: float, from_writing: bool) -> tuple[bool, bool]:
    """Start a build, SIGKILL it DELAY s after its start (or after it starts writing files).

    Return (was it still running, was it writing files).
    """
    staging = staging_dir(site / "public")
    proc = subprocess.Popen(command(site), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env=ENV, start_new_session=True)
    try:
        while from_writing and proc.poll() is None and not staging.is_dir():
            time.sleep(0.002)
        time.sleep(delay)
        running = proc.poll() is None
        writing = running and staging.is_dir()
        if running:
            os.kill(proc.pid, signal.SIGKILL)  # the build process only: its workers must follow
        proc.wait(timeout=30)
        deadline = time.monotonic() + 5
        while group_alive(proc.pid) and time.monotonic() < deadline:
            time.sleep(0.02)
        assert not group_alive(proc.pid), "worker processes outlived the killed build"
    finally:
        if group_alive(proc.pid):
            os.killpg(proc.pid, signal.SIGKILL)
    return running, writing


def change(site: Path, k: int) -> str:
    """Add, edit or delete an article; return the output file that must show the change."""
    content = site / "content"
    if k % 3 == 0:
        day = f"2021-03-{k % 28 + 1:02d}"
        (content / f"{day}-new{k}.md").write_text(
            f"---\ntitle: 新文章{k}\ndate: {day}\nslug: new{k}\n---\n\n第{k}次新加的文章。\n",
            encoding="utf-8")
        return f"2021/03/new{k}/index.html"
    victim = sorted(content.glob("2020-*.md"))[k]
    if k % 3 == 1:
        victim.write_text(victim.read_text("utf-8") + f"\n第{k}次修改。\n", encoding="utf-8")
        return "index.html"
    victim.unlink()
    return "index.html"


@pytest.mark.slow  # 50-70 s on two cores: some 30 builds of 300 articles
def test_sigkill_at_random_moments_never_leaves_a_broken_output(tmp_path):
    site = tmp_path / "site"
    make_big_site(site, ARTICLES)
    with (site / "site.yml").open("a", encoding="utf-8") as fh:
        fh.write("search: {enabled: false}\n")  # half of each build's time, and no files on disk
    took = complete_build(site)
    previous = tree(site / "public")
    assert len(previous) > 2 * ARTICLES
    rng = random.Random(SEED)
    running_kills = writing_kills = 0
    to_show: list[str] = []
    for k in range(KILLS):
        to_show.append(change(site, k))
        from_writing = k % 2 == 1  # writing files is a short part of a build: aim at it often
        running, writing = killed_build(site, rng.uniform(0.0, 0.25 if from_writing else 1.0) * took,
                                        from_writing)
        running_kills += running
        writing_kills += writing
        left = tree(site / "public")
        if (staging_dir(site / "public") / outdir.JOURNAL).exists():
            # killed between the first and last rename of a patch (a few ms): the journal
            # puts the previous build back, as the next build's first step does
            outdir.recover(site / "public")
            left = tree(site / "public")
            assert left == previous, f"kill {k}: the rolled-back patch is not the previous build"
        if k % 2 == 0 and left == previous:
            continue  # the next build starts on top of what this one left behind
        took = complete_build(site)
        current = tree(site / "public")
        assert left in (previous, current), f"kill {k}: the output is neither complete build"
        assert not staging_dir(site / "public").exists()
        assert not (site / ".wenji-old-public").exists()
        assert current != previous and all(path in current for path in to_show)
        previous, to_show = current, []
    assert running_kills >= KILLS // 2, f"only {running_kills} kills landed during a build"
    assert writing_kills >= 3, f"only {writing_kills} kills landed while files were written"
    # the incremental cache survived the kills: a clean build agrees with it
    complete_build(site, "--clean", "--out", str(tmp_path / "clean"))
    assert tree(tmp_path / "clean") == previous
