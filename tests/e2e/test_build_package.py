"""The default theme and the `wenji init` scaffold ship inside the installed package (pip install .)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_wheel_carries_the_theme_and_builds_a_site(tmp_path):
    wheels, target, source = tmp_path / "wheels", tmp_path / "installed", tmp_path / "source"
    source.mkdir()  # a copy, so that building leaves nothing in the checkout
    for name in ("pyproject.toml", "README.md", "generator", "themes"):
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, source / name, symlinks=True,
                            ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        elif (REPO / name).exists():
            shutil.copy2(REPO / name, source / name)
    env = {**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels),
                    str(source)], check=True, env=env, cwd=tmp_path, timeout=240)
    wheel = next(wheels.glob("wenji-*.whl"))
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target",
                    str(target), str(wheel)], check=True, env=env, timeout=240)
    assert (target / "generator" / "themes" / "default" / "templates" / "base.html").is_file()
    site = tmp_path / "site"
    shutil.copytree(REPO / "tests" / "fixtures" / "site", site)
    done = subprocess.run(
        [sys.executable, "-c", "import generator.cli, sys; sys.exit(generator.cli.main("
         f"['build', '--site', {str(site)!r}]))"],
        env={**env, "PYTHONPATH": str(target)}, cwd=tmp_path, capture_output=True, text=True,
        timeout=120)
    assert done.returncode == 0, done.stderr
    assert (site / "public" / "css" / "style.css").is_file()
    assert (site / "public" / "2018" / "09" / "a1b2c3d4e5f6" / "index.html").is_file()
    fresh = tmp_path / "fresh"
    done = subprocess.run(
        [sys.executable, "-c", "import generator.cli, sys; sys.exit(generator.cli.main(sys.argv[1:]))",
         "init", str(fresh)], env={**env, "PYTHONPATH": str(target)}, cwd=tmp_path,
        capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert (fresh / ".github" / "workflows" / "wenji-pages.yml").is_file()
    done = subprocess.run(
        [sys.executable, "-c", "import generator.cli, sys; sys.exit(generator.cli.main(sys.argv[1:]))",
         "build", "--site", str(fresh)], env={**env, "PYTHONPATH": str(target)}, cwd=tmp_path,
        capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
