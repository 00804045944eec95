"""The README's "Your own archive" commands, run exactly as printed, from an empty folder:
init → import → build → check → serve → deploy to a local bare git repository and to a folder,
from the site folder with relative paths."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures"

# `wenji` is the code under test: the console script runs generator.cli:main, as -m does.
PRELUDE = f'set -euo pipefail\nwenji() {{ "{sys.executable}" -m generator "$@"; }}\n'


def readme_block(heading: str) -> list[str]:
    """The commands of the first ```bash block after HEADING in README.md, comments removed."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    after = text[text.index(heading):]
    block = re.search(r"```bash\n(.*?)```", after, re.S).group(1)
    lines = [re.sub(r"\s+#.*$", "", line).strip() for line in block.splitlines()]
    return [line for line in lines if line]


def scraped(folder: Path) -> None:
    folder.mkdir()
    for name in ("laopo-no1.html", "lou-ye.md", "seed.txt", "deleted-page.html"):
        (folder / name).write_bytes((FIXTURES / "ingest" / name).read_bytes())
    for path in sorted((FIXTURES / "corpus").rglob("*.md"))[:6]:
        (folder / path.name).write_bytes(path.read_bytes())


def serve_until_answered(script: str, cwd: Path, env: dict) -> str:
    proc = subprocess.Popen(["bash", "-c", script], cwd=cwd, env=env, start_new_session=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen("http://127.0.0.1:8000/", timeout=2) as answer:
                    return answer.read().decode("utf-8")
            except OSError:
                if proc.poll() is not None:
                    pytest.fail(f"wenji serve ended: {proc.stdout.read()}")
                time.sleep(0.3)
        pytest.fail("wenji serve did not answer on http://127.0.0.1:8000/ within 60 s")
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        proc.wait(timeout=30)


def test_readme_quick_start_runs_as_printed(tmp_path):
    commands = readme_block("## Your own archive")
    assert commands[0].startswith("wenji init") and any(c.startswith("wenji deploy") for c in commands)
    scraped(tmp_path / "scraped")
    env = {**os.environ, "PYTHONPATH": str(REPO), "HOME": str(tmp_path / "home")}
    (tmp_path / "home").mkdir()
    cwd_script = ""  # `cd` lines carry over to the following commands
    for command in commands:
        script = PRELUDE + cwd_script + command + "\npwd\n"
        if command.startswith("wenji serve"):
            page = serve_until_answered(PRELUDE + cwd_script + command, tmp_path, env)
            assert "<html" in page
            continue
        done = subprocess.run(["bash", "-c", script], cwd=tmp_path, env=env, capture_output=True,
                              text=True, timeout=300)
        assert done.returncode == 0, f"{command}\n{done.stdout}\n{done.stderr}"
        cwd_script = f"cd {done.stdout.strip().splitlines()[-1]}\n"
    site = tmp_path / "my-archive"
    articles = list((site / "content").glob("*.md"))
    assert len(articles) >= 6
    published = list((tmp_path / "published").rglob("index.html"))
    assert len(published) > len(articles)
    home = (tmp_path / "published" / "index.html").read_text(encoding="utf-8")
    assert "localhost" not in home
    log = subprocess.run(["git", "--git-dir", str(tmp_path / "archive.git"), "ls-tree", "-r",
                          "--name-only", "gh-pages"], capture_output=True, text=True, check=True)
    assert "index.html" in log.stdout.splitlines() and ".nojekyll" in log.stdout.splitlines()
