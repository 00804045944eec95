"""What `wenji deploy` refuses, on real folders and real git repositories, through the command line;
and deploying the way the README shows it: from the site folder, with relative paths."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from generator.cli import main
from generator.deploy.guard import MARKER, MARKER_TEXT
from tests.conftest import wenji
from tests.e2e.test_deploy import OUTPUT, git, git_identity, needs_rsync, snapshot, tree, write_tree

__all__ = ["git_identity"]  # the autouse fixture: a known git identity, no user configuration

ROOT = Path(__file__).resolve().parents[2]
SITE_YML = "title: 测试站\nbase_url: https://example.org/\n"
ARTICLE = "---\ntitle: 第一篇\ndate: 2020-01-02\nslug: a\n---\n\n正文\n"
VICTIM = {".ssh/id_ed25519": "-----BEGIN OPENSSH PRIVATE KEY-----\n", "thesis.tex": "\\begin{document}"}


def refused(code: int, err: str, *words: str) -> None:
    """Exit 2 with one line: 'error: refusing …' with a hint."""
    assert code == 2, err
    assert err.count("\n") == 1 and err.startswith("error: refusing to deploy"), err
    assert "(hint: " in err
    for word in words:
        assert word in err, err


@pytest.fixture()
def site(tmp_path: Path) -> Path:
    """A site folder whose output already holds a build (deploy runs with --no-build)."""
    root = tmp_path / "site"
    write_tree(root, {"site.yml": SITE_YML, "content/2020-01-02-a.md": ARTICLE})
    write_tree(root / "public", OUTPUT)
    return root


@pytest.fixture()
def victim(tmp_path: Path) -> Path:
    """A folder that is not a Wenji deployment: a key and a thesis."""
    root = tmp_path / "victim"
    write_tree(root, VICTIM)
    return root


# ------------------------------------------------- not empty, not a previous deployment


@pytest.mark.parametrize("scheme", ["file://", pytest.param("rsync+file://", marks=needs_rsync)])
def test_a_folder_that_is_not_a_deployment_survives(site: Path, victim: Path, scheme: str) -> None:
    before = snapshot(victim)
    for extra in ([], ["--dry-run"], ["--yes", "--max-deletes", "100000"]):
        code, _, err = wenji("deploy", "--site", str(site), f"{scheme}{victim}", "--no-build", *extra)
        refused(code, err, "not empty", MARKER, "--force")
    assert snapshot(victim) == before


def test_a_git_branch_that_is_not_a_deployment_survives(site: Path, tmp_path: Path) -> None:
    work = tmp_path / "work"  # a working copy that takes pushes into its checked-out branch
    git("init", "-q", str(work))
    git("config", "receive.denyCurrentBranch", "updateInstead", cwd=work)
    write_tree(work, VICTIM)
    git("add", "-A", cwd=work)
    git("commit", "-qm", "thesis", cwd=work)
    head = git("rev-parse", "HEAD", cwd=work)
    for target in (f"git+file://{work}#main", f"git+{work}#main"):
        code, _, err = wenji("deploy", "--site", str(site), target, "--no-build")
        refused(code, err, "not empty", MARKER)
    assert git("rev-parse", "HEAD", cwd=work) == head
    assert tree(work) == {k: v.encode() for k, v in VICTIM.items()}


def test_force_is_explicit_and_prints_the_plan(site: Path, victim: Path) -> None:
    code, out, err = wenji("deploy", "--site", str(site), victim.as_uri(), "--no-build", "--force")
    assert code == 0, err
    assert "--force" in err and "delete  thesis.tex" in err and "delete  .ssh/id_ed25519" in err
    assert "upload  index.html" in err and "2 deleted" in out
    assert (victim / MARKER).read_bytes() == MARKER_TEXT and not (victim / "thesis.tex").exists()


# ------------------------------------------------- the marker: first and second deploys


@pytest.mark.parametrize("scheme", ["file://", pytest.param("rsync+file://", marks=needs_rsync),
                                    "git+file://"])
def test_the_marker_makes_the_second_deploy_work(site: Path, tmp_path: Path, scheme: str) -> None:
    dest = tmp_path / "dest"
    dest.mkdir()  # empty: fine
    if scheme == "git+file://":
        git("init", "-q", "--bare", str(dest))
        dest = dest.parent / "dest"
    target = f"{scheme}{dest}" + ("#pages" if scheme == "git+file://" else "")
    code, out, err = wenji("deploy", "--site", str(site), target, "--no-build")
    assert code == 0 and "0 deleted" in out, err
    (site / "public/index.html").write_text("<html><body>新首页</body></html>", encoding="utf-8")
    code, out, err = wenji("deploy", "--site", str(site), target, "--no-build")
    assert code == 0, err
    assert "1 uploaded, 0 deleted" in out
    if scheme == "git+file://":
        assert MARKER in git("ls-tree", "--name-only", "pages", cwd=dest).split()
    else:
        assert (dest / MARKER).read_bytes() == MARKER_TEXT


# ------------------------------------------------- the site, its output and the home folder


@pytest.mark.parametrize(("target", "words"), [
    ("rsync+file://{site}", "is the site folder"),
    ("file://{site}", "is the site folder"),
    ("file://{site}/www", "is inside the site folder"),
    ("file://{site}/..", "holds the site folder"),
    ("file://{alias}/www", "is inside the site folder"),
    ("git+file://{site}#gh-pages", "is the site folder"),
    ("git+{site}/../site/.git#gh-pages", "is inside the site folder"),
    ("file://{home}", "is the home folder"),
    ("rsync+file://{home}/..", "holds the home folder"),
    ("ssh://localhost{site}", "is the site folder"),
])
def test_targets_holding_or_inside_the_site_or_home_are_refused(
        site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, target: str, words: str) -> None:
    home = tmp_path / "users" / "me"
    home.mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    (tmp_path / "alias").symlink_to(site, target_is_directory=True)
    git("init", "-q", str(site))
    before = snapshot(site)
    url = target.format(site=site, home=home, alias=tmp_path / "alias")
    for force in ([], ["--force", "--yes"]):
        code, _, err = wenji("deploy", "--site", str(site), url, "--no-build", *force)
        refused(code, err, words)
    assert snapshot(site) == before


# ------------------------------------------------- the base_url


def test_a_localhost_base_url_is_refused_unless_given(tmp_path: Path) -> None:
    site = tmp_path / "site"
    write_tree(site, {"site.yml": "title: 测试站\n", "content/2020-01-02-a.md": ARTICLE})
    dest = tmp_path / "www"
    code, _, err = wenji("deploy", "--site", str(site), dest.as_uri())
    refused(code, err, "http://localhost:8000/", "--base-url")
    assert not dest.exists() and not (site / "public").exists()
    code, _, err = wenji("deploy", "--site", str(site), dest.as_uri(),
                         "--base-url", "https://archive.example.org/")
    assert code == 0, err
    assert "https://archive.example.org/2020/01/a/" in (dest / "sitemap.xml").read_text("utf-8")


# ------------------------------------------------- --dry-run changes nothing of the user's


def test_dry_run_builds_elsewhere_and_changes_nothing(tmp_path: Path) -> None:
    site = tmp_path / "site"
    write_tree(site, {"site.yml": SITE_YML, "content/2020-01-02-a.md": ARTICLE})
    dest = tmp_path / "www"
    code, out, err = wenji("deploy", "--site", str(site), dest.as_uri(), "--dry-run")
    assert code == 0, err
    assert "(dry run) would upload" in out and "upload  2020/01/a/index.html" in err
    assert "deploy plan for a build in a temporary folder → file://" in err
    assert not dest.exists() and not (site / "public").exists()

    assert wenji("deploy", "--site", str(site), dest.as_uri())[0] == 0
    cache = site / ".wenji-cache"
    kept = sorted(p.name for p in cache.iterdir())
    site_before, dest_before = snapshot(site / "public"), snapshot(dest)
    (site / "content/2020-01-02-a.md").write_text(ARTICLE + "\n新段落\n", encoding="utf-8")
    code, out, err = wenji("deploy", "--site", str(site), dest.as_uri(), "--dry-run")
    assert code == 0, err
    assert "upload  2020/01/a/index.html" in err
    assert snapshot(site / "public") == site_before and snapshot(dest) == dest_before
    per_output = [n for n in sorted(p.name for p in cache.iterdir()) if not n.startswith(
        ("entries-", "templates-"))]  # the shared article and template caches may be refreshed
    assert per_output == [n for n in kept if not n.startswith(("entries-", "templates-"))]


# ------------------------------------------------- from the site folder, as the README shows


def cli(cwd: Path, *argv: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    return subprocess.run([sys.executable, "-m", "generator", *argv], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("output_dir", ["public", "../built", "{tmp}/elsewhere/built"])
def test_deploy_from_the_site_folder_with_relative_paths(tmp_path: Path, output_dir: str) -> None:
    site = tmp_path / "site"
    output_dir = output_dir.format(tmp=tmp_path)
    write_tree(site, {"site.yml": SITE_YML + f"output_dir: {output_dir}\n",
                      "content/2020-01-02-a.md": ARTICLE})
    git("init", "-q", "--bare", str(tmp_path / "remote.git"))
    for target in (f"git+file://{tmp_path}/remote.git#gh-pages", "git+../remote.git#mirror",
                   f"file://{tmp_path}/www"):
        done = cli(site, "deploy", target)
        assert done.returncode == 0, done.stderr
        assert "deployed to" in done.stdout
    built = (site / output_dir).resolve()
    assert (built / "2020/01/a/index.html").is_file()
    page = (built / "2020/01/a/index.html").read_bytes()
    assert (tmp_path / "www/2020/01/a/index.html").read_bytes() == page
    for branch in ("gh-pages", "mirror"):
        shown = git("show", f"{branch}:2020/01/a/index.html", cwd=tmp_path / "remote.git")
        assert shown.encode("utf-8") == page
