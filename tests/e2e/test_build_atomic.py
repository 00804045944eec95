"""Build behaviour around the output folder: atomic swap, SIGKILL, determinism, mtimes, errors."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator.build import build
from generator.config import load_config
from generator.errors import GeneratorError, OutputCollisionError
from generator.outdir import MARKER, staging_dir

REPO = Path(__file__).resolve().parents[2]
FIXTURE = REPO / "tests" / "fixtures" / "site"


def copy_fixture(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    shutil.copytree(FIXTURE, root)
    return root


def tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def wenji(*args: str, cwd: Path | None = None, **kw) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "generator", *args], capture_output=True,
                          text=True, env=env, cwd=cwd, timeout=120, **kw)


def test_two_builds_are_byte_identical(tmp_path):
    a, b = copy_fixture(tmp_path / "a"), copy_fixture(tmp_path / "b")
    build(load_config(a))
    build(load_config(b))
    assert tree(a / "public") == tree(b / "public")


def test_unchanged_files_keep_their_mtime(tmp_path):
    root = copy_fixture(tmp_path)
    cfg = load_config(root)
    first = build(cfg)
    assert first.written == first.pages and first.unchanged == 0
    out = cfg.output_path
    past = time.time() - 86400
    for p in out.rglob("*"):
        os.utime(p, (past, past))
    again = build(cfg)
    assert again.written == 0 and again.unchanged == first.pages
    assert all(abs(p.stat().st_mtime - past) < 1 for p in out.rglob("*") if p.is_file()
               and p.name != MARKER)
    article = root / "content" / "2020-02-02-d0e1f2a7b8c9.md"
    article.write_text(article.read_text(encoding="utf-8") + "\n新加的一段。\n", encoding="utf-8")
    third = build(cfg)
    changed = out / "2020/02/d0e1f2a7b8c9/index.html"
    assert changed.stat().st_mtime > past + 3600 and "新加的一段" in changed.read_text("utf-8")
    assert abs((out / "2018/09/a1b2c3d4e5f6/index.html").stat().st_mtime - past) < 1
    assert 0 < third.written < 20  # the page, its neighbours, lists, feeds, search data


def test_failed_build_leaves_previous_output(tmp_path):
    root = copy_fixture(tmp_path)
    cfg = load_config(root)
    build(cfg)
    before = tree(cfg.output_path)
    (root / "theme" / "templates").mkdir(parents=True)
    (root / "theme" / "templates" / "article.html").write_text(
        "{% extends 'default/article.html' %}{% block content %}{{ missing.name }}{% endblock %}",
        encoding="utf-8")
    with pytest.raises(GeneratorError, match="article.html"):
        build(cfg)
    assert tree(cfg.output_path) == before
    assert not staging_dir(cfg.output_path).exists()


def test_override_extends_the_default_template(tmp_path):
    root = copy_fixture(tmp_path)
    (root / "theme" / "templates").mkdir(parents=True)
    (root / "theme" / "static" / "css").mkdir(parents=True)
    (root / "theme" / "templates" / "article.html").write_text(
        "{% extends 'default/article.html' %}{% block head %}<meta name=\"x-override\" "
        "content=\"yes\">{% endblock %}", encoding="utf-8")
    (root / "theme" / "static" / "css" / "style.css").write_text("body{}", encoding="utf-8")
    cfg = load_config(root)
    build(cfg)
    page = (cfg.output_path / "2018/10/d4e5f6a1b2c3/index.html").read_text(encoding="utf-8")
    assert 'name="x-override"' in page and "年轻干部奔跑计划" in page
    assert (cfg.output_path / "css/style.css").read_text(encoding="utf-8") == "body{}"


def test_refuses_to_replace_a_foreign_folder(tmp_path):
    root = copy_fixture(tmp_path)
    (root / "public").mkdir()
    (root / "public" / "precious.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(GeneratorError, match="not written by wenji"):
        build(load_config(root))
    assert (root / "public" / "precious.txt").read_text(encoding="utf-8") == "keep me"


def test_colliding_outputs_name_both_sources(tmp_path):
    root = copy_fixture(tmp_path)
    (root / "site.yml").write_text((root / "site.yml").read_text(encoding="utf-8")
                                   + "article_url: /{slug}/\n", encoding="utf-8")
    (root / "content" / "t2.md").write_text("---\ntitle: 标签页\ndate: 2020-01-01\nslug: tags\n---\n",
                                            encoding="utf-8")
    with pytest.raises(OutputCollisionError, match="t2.md") as info:
        build(load_config(root))
    assert "tag index" in str(info.value)


def test_cli_reports_bad_front_matter_with_file_line_and_exit_code(tmp_path):
    root = copy_fixture(tmp_path)
    (root / "content" / "bad.md").write_text("---\ntitle: 坏\ndate: 2018-02-30\n---\n正文\n",
                                             encoding="utf-8")
    done = wenji("build", "--site", str(root))
    assert done.returncode == 1, done.stderr
    assert "bad.md:3" in done.stderr and "invalid date" in done.stderr
    assert "1 bad article left out" in done.stdout
    assert (root / "public" / "index.html").is_file()  # the rest was built
    strict = wenji("build", "--site", str(root), "--strict", "--out", "strict-out")
    assert strict.returncode == 1 and "bad.md:3" in strict.stderr
    assert not (root / "strict-out").exists()
    checked = wenji("check", "--site", str(root))
    assert checked.returncode == 0 and "0 broken" in checked.stdout


def test_check_finds_broken_links(tmp_path):
    root = copy_fixture(tmp_path)
    build(load_config(root))
    (root / "public" / "tags" / "党建" / "index.html").unlink()
    done = wenji("check", "--site", str(root))
    assert done.returncode == 1
    assert "2018/09/a1b2c3d4e5f6/index.html" in done.stderr
    assert "%E5%85%9A%E5%BB%BA" in done.stderr


def make_big_site(root: Path, n: int) -> None:
    (root / "content").mkdir(parents=True)
    (root / "site.yml").write_text("title: 大站\nper_page: 5\n", encoding="utf-8")
    body = "\n\n".join("这是用来让构建慢一点的第{}段文字，包含一些内容。".format(i) * 8 for i in range(12))
    for i in range(n):
        (root / "content" / f"2020-{i % 12 + 1:02d}-01-a{i:05d}.md").write_text(
            f"---\ntitle: 第{i}篇\ndate: 2020-{i % 12 + 1:02d}-01\naccount: 号{i % 9}\n"
            f"tags: [标签{i % 40}, 话题{i % 13}]\n---\n\n{body}\n", encoding="utf-8")


def test_sigkill_mid_build_leaves_old_output_intact(tmp_path):
    root = tmp_path / "big"
    make_big_site(root, 1500)
    first = wenji("build", "--site", str(root))
    assert first.returncode == 0, first.stderr
    before = tree(root / "public")
    (root / "content" / "2020-01-01-new.md").write_text("---\ntitle: 新\ndate: 2021-01-01\n---\n",
                                                       encoding="utf-8")
    staging = staging_dir(root / "public")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen([sys.executable, "-m", "generator", "build", "--site", str(root)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
                            start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and proc.poll() is None:
            if staging.is_dir() and sum(1 for _ in staging.rglob("index.html")) > 200:
                break
            time.sleep(0.005)
        assert proc.poll() is None, "build finished before it could be interrupted"
        os.kill(proc.pid, signal.SIGKILL)  # the build process only; its workers must follow
        proc.wait(timeout=10)
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    time.sleep(0.3)
    assert tree(root / "public") == before
    again = wenji("build", "--site", str(root))
    assert again.returncode == 0 and not staging.exists()
    assert (root / "public" / "2021/01/new/index.html").is_file()


@pytest.mark.parametrize("path", ["", "/etc/passwd", "a/../b", "..", "a//b", "./a", "a/./b",
                                  "a/", "a\\b", ".wenji-output", "x/.wenji-output"])
def test_unsafe_output_paths_are_refused(path):
    from generator.outputs import Output
    from generator.writer import check_paths

    with pytest.raises(GeneratorError, match="unsafe output path"):
        check_paths([Output(path, data=b"x", source="test")])
    check_paths([Output("a/b/index.html", data=b"x"), Output("tags/标签/feed.xml", data=b"")])
