"""Optional extras: without them the base install still imports and builds, and a feature that
needs one names it (the modules are made unimportable in a child process, as if not installed)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"

RUN = ("import sys\n"
       "for name in ('trafilatura', 'jieba'): sys.modules[name] = None  # not installed\n"
       "from generator.cli import main\n"
       "sys.exit(main(sys.argv[1:]))\n")


def wenji(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", RUN, *args], cwd=cwd, capture_output=True,
                          text=True, timeout=120, env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})


def make_site(tmp_path: Path, config: str = "") -> Path:
    (tmp_path / "content").mkdir(parents=True)
    (tmp_path / "site.yml").write_text(config, encoding="utf-8")
    return tmp_path


def test_other_html_names_the_extract_extra_and_the_rest_imports(tmp_path):
    site = make_site(tmp_path / "site")
    src = tmp_path / "src"
    src.mkdir()
    (src / "other.html").write_text("<!doctype html><html><head><title>A blog post</title></head>"
                                    "<body><article><p>" + "Some text. " * 20 + "</p></article>"
                                    "</body></html>", encoding="utf-8")
    (src / "wechat.txt").write_bytes(next((FIXTURES / "clean" / "text").glob("*.txt")).read_bytes())
    done = wenji("import", str(src), cwd=site)
    assert done.returncode == 1, done.stderr
    assert "other.html" in done.stderr and "'extract' extra" in done.stderr
    assert "pip install 'wenji[extract]'" in done.stderr
    assert "1 imported" in done.stdout
    assert len(list((site / "content").glob("*.md"))) == 1
    built = wenji("build", cwd=site)
    assert built.returncode == 0, built.stderr


def test_auto_tags_without_the_extra_stop_before_importing(tmp_path):
    site = make_site(tmp_path / "site", "import:\n  auto_tags: 3\n")
    src = next((FIXTURES / "clean" / "text").glob("*.txt"))
    done = wenji("import", str(src), cwd=site)
    assert done.returncode == 2
    assert "automatic tags need the 'autotags' extra" in done.stderr
    assert "pip install 'wenji[autotags]'" in done.stderr
    assert not list((site / "content").glob("*.md"))
