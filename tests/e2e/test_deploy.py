"""wenji deploy with real git (a local bare repository), real rsync and file:// folders."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from generator.config import DeployConfig, SiteConfig, override
from generator.deploy import deploy
from generator.deploy.guard import MARKER, MARKER_TEXT
from generator.errors import GeneratorError

OUTPUT = {
    "index.html": "<html><body>首页</body></html>",
    "2020/01/a/index.html": "<html><body>文章 A</body></html>",
    "2020/01/b/index.html": "<html><body>文章 B</body></html>",
    "tags/英语启蒙/index.html": "<html><body>标签</body></html>",
    "css/site.css": "body { color: #333 }",
    "feed.xml": "<feed/>",
}
OLD = 1_000_000_000  # a past mtime, so rewritten files are easy to tell apart


def git(*args: str, cwd: Path | None = None) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True)
    return done.stdout


@pytest.fixture(autouse=True)
def git_identity(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run git with a known identity and no user or system configuration."""
    home = tmp_path_factory.mktemp("gitconfig")
    (home / "config").write_text("[init]\n\tdefaultBranch = main\n", encoding="utf-8")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(home / "config"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for who in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{who}_NAME", "Wenji Test")
        monkeypatch.setenv(f"GIT_{who}_EMAIL", "test@example.org")


def write_tree(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")


def tree(root: Path, skip: tuple[str, ...] = (".git",)) -> dict[str, bytes]:
    """Read every file under ROOT (except SKIP folders) as {relative path: bytes}."""
    found = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if path.is_file() and rel.parts[0] not in skip:
            found[rel.as_posix()] = path.read_bytes()
    return found


def published(root: Path) -> dict[str, bytes]:
    """The files a deploy put at ROOT, less its marker (which must be there)."""
    found = tree(root)
    assert found.pop(MARKER) == MARKER_TEXT
    return found


def previous_deployment(root: Path, files: dict[str, str]) -> None:
    """Make ROOT look like a folder an earlier deploy wrote (its marker and FILES)."""
    write_tree(root, files)
    root.mkdir(parents=True, exist_ok=True)
    (root / MARKER).write_bytes(MARKER_TEXT)


def snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    return {rel: (data, (root / rel).stat().st_mtime_ns) for rel, data in tree(root).items()}


@pytest.fixture()
def cfg(tmp_path: Path) -> SiteConfig:
    """A site whose output folder already holds a finished build."""
    site = tmp_path / "site"
    write_tree(site / "public", OUTPUT)
    return override(SiteConfig(), site_dir=site, title="测试站", base_url="https://example.org/",
                    deploy=DeployConfig(cname="archive.example.org", max_deletes=256))


def run_deploy(cfg: SiteConfig, target: str, **options) -> tuple:  # noqa: ANN003
    stream = io.StringIO()
    result = deploy(cfg, target, build_first=False, stream=stream, **options)
    return result, stream.getvalue()


# ---------------------------------------------------------------- git


@pytest.fixture()
def bare(tmp_path: Path) -> Path:
    remote = tmp_path / "remote.git"
    git("init", "-q", "--bare", str(remote))
    return remote


def clone(bare: Path, dest: Path, branch: str = "gh-pages") -> Path:
    git("clone", "-q", "--branch", branch, str(bare), str(dest))
    return dest


def test_git_deploy_commits_the_build_with_nojekyll_and_cname(cfg: SiteConfig, bare: Path,
                                                              tmp_path: Path) -> None:
    result, printed = run_deploy(cfg, f"git+{bare}")
    assert result.applied and len(result.plan.uploads) == len(OUTPUT) + 3
    assert "upload  .nojekyll" in printed and f"upload  {MARKER}" in printed
    back = clone(bare, tmp_path / "back")
    expected = tree(cfg.output_path)
    expected[".nojekyll"] = b""
    expected["CNAME"] = b"archive.example.org\n"
    assert published(back) == expected
    assert git("log", "--format=%s", cwd=back).splitlines() == ["Deploy 测试站"]


def test_git_deploy_twice_keeps_history_and_deletes_stale_files(cfg: SiteConfig, bare: Path,
                                                                tmp_path: Path) -> None:
    run_deploy(cfg, f"git+file://{bare}#site")
    out = cfg.output_path
    (out / "2020/01/b/index.html").unlink()
    (out / "index.html").write_text("<html><body>新首页</body></html>", encoding="utf-8")
    result, _ = run_deploy(cfg, f"git+file://{bare}#site")
    assert result.plan.uploads == ["index.html"]
    assert result.plan.deletes == ["2020/01/b/index.html"]
    back = clone(bare, tmp_path / "back", branch="site")
    assert len(git("rev-list", "HEAD", cwd=back).split()) == 2
    assert not (back / "2020/01/b").exists()
    assert (back / "index.html").read_text(encoding="utf-8") == "<html><body>新首页</body></html>"
    assert git("diff", "--name-status", "HEAD~1", "HEAD", cwd=back).split() == [
        "D", "2020/01/b/index.html", "M", "index.html"]

    again, _ = run_deploy(cfg, f"git+file://{bare}#site")
    assert again.plan.empty and not again.applied
    assert git("rev-list", "--count", "site", cwd=bare).strip() == "2"


def test_git_deploy_leaves_other_branches_alone(cfg: SiteConfig, bare: Path, tmp_path: Path) -> None:
    work = tmp_path / "work"
    git("init", "-q", str(work))
    (work / "README.md").write_text("source", encoding="utf-8")
    git("add", "README.md", cwd=work)
    git("commit", "-qm", "source", cwd=work)
    git("push", "-q", str(bare), "main", cwd=work)
    before = git("rev-parse", "main", cwd=bare)
    run_deploy(cfg, f"git+{bare}")
    assert git("rev-parse", "main", cwd=bare) == before
    assert "README.md" not in git("ls-tree", "-r", "--name-only", "gh-pages", cwd=bare)


def test_git_dry_run_pushes_nothing(cfg: SiteConfig, bare: Path) -> None:
    result, printed = run_deploy(cfg, f"git+{bare}", dry_run=True)
    assert result.dry_run and not result.applied
    assert "(dry run)" in result.summary() and "upload  index.html" in printed
    assert git("ls-remote", str(bare)) == ""


def test_git_push_failure_is_a_clear_error(cfg: SiteConfig, tmp_path: Path) -> None:
    with pytest.raises(GeneratorError, match="git ls-remote.*failed"):
        run_deploy(cfg, f"git+{tmp_path / 'missing.git'}")


def test_git_url_password_is_never_printed(cfg: SiteConfig) -> None:
    stream = io.StringIO()
    with pytest.raises(GeneratorError) as caught:
        deploy(cfg, "git+http://user:s3cret@127.0.0.1:9/x.git", build_first=False, stream=stream)
    assert "s3cret" not in str(caught.value) + stream.getvalue()


# ---------------------------------------------------------------- rsync


needs_rsync = pytest.mark.skipif(shutil.which("rsync") is None, reason="rsync is not installed")


@needs_rsync
def test_rsync_mirrors_the_output_and_deletes_stale_files(cfg: SiteConfig, tmp_path: Path) -> None:
    dest = tmp_path / "www"
    previous_deployment(dest, {"stale.html": "old", "old/page/index.html": "old"})
    result, printed = run_deploy(cfg, f"rsync+file://{dest}")
    assert sorted(result.plan.uploads) == sorted(OUTPUT)
    assert result.plan.deletes == ["old/page/index.html", "stale.html"]
    assert "delete  stale.html" in printed
    assert published(dest) == tree(cfg.output_path)
    assert not (dest / "old").exists()

    (cfg.output_path / "css/site.css").write_text("body { color: red }", encoding="utf-8")
    second, _ = run_deploy(cfg, f"rsync+file://{dest}")
    assert second.plan.uploads == ["css/site.css"] and second.plan.deletes == []
    assert second.plan.unchanged == len(OUTPUT)  # and the marker
    assert published(dest) == tree(cfg.output_path)


@needs_rsync
def test_rsync_dry_run_and_guard_change_nothing(cfg: SiteConfig, tmp_path: Path) -> None:
    dest = tmp_path / "www"
    previous_deployment(dest, {f"stale{i}.html": "old" for i in range(4)})
    before = snapshot(dest)
    result, _ = run_deploy(cfg, f"rsync+file://{dest}", dry_run=True)
    assert len(result.plan.deletes) == 4 and not result.applied
    assert snapshot(dest) == before
    with pytest.raises(GeneratorError, match="refusing to delete 4 files"):
        run_deploy(cfg, f"rsync+file://{dest}", max_deletes=3)
    assert snapshot(dest) == before


# ---------------------------------------------------------------- file://


def test_file_sync_rewrites_only_changed_files(cfg: SiteConfig, tmp_path: Path) -> None:
    dest = tmp_path / "www"
    first, _ = run_deploy(cfg, dest.as_uri())
    assert published(dest) == tree(cfg.output_path)
    assert sorted(first.plan.uploads) == sorted([*OUTPUT, MARKER])
    for path in dest.rglob("*"):
        os.utime(path, (OLD, OLD))

    out = cfg.output_path
    (out / "index.html").write_text("<html><body>新首页</body></html>", encoding="utf-8")
    (out / "2020/01/b/index.html").unlink()
    (out / "2020/01/b").rmdir()
    write_tree(out, {"2021/05/c/index.html": "<html>C</html>"})
    second, _ = run_deploy(cfg, dest.as_uri())
    assert second.plan.uploads == ["2021/05/c/index.html", "index.html"]
    assert second.plan.deletes == ["2020/01/b/index.html"]
    assert published(dest) == tree(out)
    assert not (dest / "2020/01/b").exists()
    rewritten = {rel for rel in tree(dest) if (dest / rel).stat().st_mtime != OLD}
    assert rewritten == {"index.html", "2021/05/c/index.html"}
    assert not list(dest.rglob(".wenji-*.tmp"))


def test_file_sync_dry_run_changes_nothing(cfg: SiteConfig, tmp_path: Path) -> None:
    dest = tmp_path / "www"
    previous_deployment(dest, {"index.html": "old", "gone.html": "x"})
    before = snapshot(dest)
    result, printed = run_deploy(cfg, dest.as_uri(), dry_run=True)
    assert result.plan.deletes == ["gone.html"] and "index.html" in result.plan.uploads
    assert "delete  gone.html" in printed
    assert snapshot(dest) == before


def test_max_deletes_guard_trips_unless_confirmed(cfg: SiteConfig, tmp_path: Path) -> None:
    dest = tmp_path / "www"
    previous_deployment(dest, {f"old/{i}.html": "x" for i in range(5)})
    before = snapshot(dest)
    stream = io.StringIO()
    with pytest.raises(GeneratorError, match=r"refusing to delete 5 files .*--max-deletes 4"):
        deploy(cfg, dest.as_uri(), build_first=False, max_deletes=4, stream=stream)
    assert "delete  old/0.html" in stream.getvalue()
    assert snapshot(dest) == before
    limited = override(cfg, deploy=DeployConfig(max_deletes=2))
    with pytest.raises(GeneratorError, match="refusing to delete 5"):
        run_deploy(limited, dest.as_uri())
    result, _ = run_deploy(limited, dest.as_uri(), yes=True)
    assert result.applied and published(dest) == tree(cfg.output_path)


def test_file_sync_replaces_files_and_folders_that_swap_kinds(cfg: SiteConfig, tmp_path: Path) -> None:
    dest = tmp_path / "www"
    previous_deployment(dest, {"css": "a file where a folder goes", "index.html/x": "a folder"})
    run_deploy(cfg, dest.as_uri())
    assert published(dest) == tree(cfg.output_path)


def test_file_sync_refuses_to_write_through_a_symlink(cfg: SiteConfig, tmp_path: Path) -> None:
    dest, outside = tmp_path / "www", tmp_path / "outside"
    previous_deployment(dest, {})
    outside.mkdir()
    (dest / "css").symlink_to(outside, target_is_directory=True)
    with pytest.raises(GeneratorError, match="symlink"):
        run_deploy(cfg, dest.as_uri())
    assert list(outside.iterdir()) == []


def test_file_target_overlapping_the_output_is_refused(cfg: SiteConfig, tmp_path: Path) -> None:
    outside = override(cfg, output_dir=str(tmp_path / "o" / "built"))
    write_tree(outside.output_path, OUTPUT)
    for target, how in ((outside.output_path, "is the output folder"),
                        (outside.output_path / "sub", "is inside the output folder"),
                        (tmp_path / "o", "holds the output folder")):
        with pytest.raises(GeneratorError, match=how):
            run_deploy(outside, target.as_uri())
    assert tree(outside.output_path) == tree(cfg.output_path)


# ---------------------------------------------------------------- building first


def test_empty_output_is_not_deployed(tmp_path: Path) -> None:
    cfg = override(SiteConfig(), site_dir=tmp_path / "site", base_url="https://example.org/")
    with pytest.raises(GeneratorError, match="nothing to deploy"):
        run_deploy(cfg, (tmp_path / "www").as_uri())
    assert not (tmp_path / "www").exists()


def test_a_failed_build_is_never_deployed(cfg: SiteConfig, tmp_path: Path) -> None:
    def failing_build(cfg: SiteConfig, stream=None) -> None:  # noqa: ANN001
        raise GeneratorError("template error", "themes/default/templates/base.html", 3)

    with pytest.raises(GeneratorError, match="template error"):
        deploy(cfg, (tmp_path / "www").as_uri(), builder=failing_build, stream=io.StringIO())
    assert not (tmp_path / "www").exists()


def test_cli_deploy_dry_run_and_guard(cfg: SiteConfig, tmp_path: Path) -> None:
    from generator.cli import main

    (cfg.site_dir / "site.yml").write_text("title: 测试站\nbase_url: https://example.org/\n",
                                           encoding="utf-8")
    dest = tmp_path / "www"
    previous_deployment(dest, {f"old{i}.html": "x" for i in range(3)})
    out, err = io.StringIO(), io.StringIO()
    code = main(["deploy", "--site", str(cfg.site_dir), dest.as_uri(), "--no-build", "--dry-run"],
                out, err)
    assert code == 0, err.getvalue()
    assert "(dry run) would upload 6, delete 3" in out.getvalue()
    code = main(["deploy", "--site", str(cfg.site_dir), dest.as_uri(), "--no-build",
                 "--max-deletes", "2"], out, err)
    assert code == 1 and "refusing to delete 3 files" in err.getvalue()
    assert sorted(p.name for p in dest.iterdir()) == [MARKER, "old0.html", "old1.html", "old2.html"]


# ---------------------------------------------------------------- with the real build


def make_site(root: Path, extra: dict[str, str] | None = None) -> SiteConfig:
    from generator.config import load_config

    write_tree(root, {
        "site.yml": "title: 测试站\nbase_url: https://example.org/\ndeploy:\n  max_deletes: 5\n",
        "content/2020-01-02-a.md": "---\ntitle: 第一篇\ndate: 2020-01-02\nslug: a\n---\n\n正文\n",
        **(extra or {}),
    })
    return load_config(root)


def test_deploy_builds_first_and_ships_the_build(tmp_path: Path, bare: Path) -> None:
    cfg = make_site(tmp_path / "site")
    dest = tmp_path / "www"
    result = deploy(cfg, dest.as_uri(), stream=io.StringIO())
    assert result.applied and "2020/01/a/index.html" in result.plan.uploads
    built = tree(cfg.output_path)
    assert ".wenji-output" in built  # the build's marker stays home
    del built[".wenji-output"]
    assert published(dest) == built
    deploy(cfg, f"git+{bare}", stream=io.StringIO())
    assert ".wenji-output" not in git("ls-tree", "-r", "--name-only", "gh-pages", cwd=bare)


@needs_rsync
def test_rsync_leaves_out_the_build_marker(tmp_path: Path) -> None:
    cfg = make_site(tmp_path / "site")
    dest = tmp_path / "www"
    result = deploy(cfg, f"rsync+file://{dest}", stream=io.StringIO())
    assert ".wenji-output" not in result.plan.uploads and not (dest / ".wenji-output").exists()
    assert (dest / "2020/01/a/index.html").is_file()


def test_broken_template_or_bad_article_blocks_the_deploy(tmp_path: Path) -> None:
    dest = tmp_path / "www"
    broken = make_site(tmp_path / "one", {"theme/templates/article.html": "{% if %}"})
    with pytest.raises(Exception, match="end of statement|template"):
        deploy(broken, dest.as_uri(), stream=io.StringIO())
    bad = make_site(tmp_path / "two", {"content/2020-01-03-bad.md": "---\ntitle: [坏\n---\n"})
    stream = io.StringIO()
    with pytest.raises(GeneratorError, match="build reported errors"):
        deploy(bad, dest.as_uri(), stream=stream)
    assert "2020-01-03-bad.md" in stream.getvalue()
    assert not dest.exists()
