"""classify_change: a table of paths in a site folder and what they mean to a build."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from generator.config import SiteConfig, override
from generator.watch import ChangeKind, Watcher, classify_change, is_temp_file, watch_roots

C, T, S, CFG = ChangeKind.CONTENT, ChangeKind.TEMPLATE, ChangeKind.STATIC, ChangeKind.CONFIG

TABLE = [
    ("site.yml", CFG),
    ("content/2020-01-01-a.md", C),
    ("content/sub/dir/b.md", C),
    ("content/images/x.png", C),
    ("content", C),
    ("themes/default/templates/base.html", T),
    ("themes/default/templates/partials/_nav.html", T),
    ("themes/default/theme.yml", T),
    ("themes/default/static/css/site.css", S),
    ("themes/default/static/js/search.js", S),
    ("themes/default/README.md", None),
    ("themes/other", T),
    ("theme/templates/article.html", T),
    ("theme/static/css/extra.css", S),
    ("theme/notes.txt", None),
    # editor temp files
    ("content/.a.md.swp", None),
    ("content/.a.md.swx", None),
    ("content/a.md~", None),
    ("content/.#a.md", None),
    ("content/#a.md#", None),
    ("content/4913", None),
    ("themes/default/templates/.base.html.swp", None),
    ("site.yml~", None),
    # output, VCS, unrelated
    ("public/index.html", None),
    ("public", None),
    ("public/content/x.md", None),
    (".git/index", None),
    (".git/objects/ab/cdef", None),
    ("content/.git/HEAD", None),
    ("README.md", None),
    ("other.yml", None),
    ("tests/x.py", None),
]


@pytest.fixture()
def cfg(tmp_path: Path) -> SiteConfig:
    return override(SiteConfig(), site_dir=tmp_path)


@pytest.mark.parametrize(("rel", "kind"), TABLE, ids=[row[0] for row in TABLE])
def test_classify_relative_and_absolute(cfg: SiteConfig, tmp_path: Path, rel: str,
                                        kind: ChangeKind | None) -> None:
    assert classify_change(tmp_path, Path(rel), cfg) is kind
    assert classify_change(tmp_path, tmp_path / rel, cfg) is kind


def test_outside_site_is_ignored(cfg: SiteConfig, tmp_path: Path) -> None:
    assert classify_change(tmp_path / "site", tmp_path / "elsewhere" / "a.md", cfg) is None
    assert classify_change(tmp_path, tmp_path, cfg) is None


def test_configured_folders_are_honoured(tmp_path: Path) -> None:
    cfg = override(SiteConfig(), site_dir=tmp_path, content_dir="articles", output_dir="_site",
                   theme_override="my-theme")
    assert classify_change(tmp_path, Path("articles/a.md"), cfg) is C
    assert classify_change(tmp_path, Path("content/a.md"), cfg) is None
    assert classify_change(tmp_path, Path("_site/index.html"), cfg) is None
    assert classify_change(tmp_path, Path("public/index.html"), cfg) is None
    assert classify_change(tmp_path, Path("my-theme/templates/base.html"), cfg) is T


def test_theme_folders_outside_the_site(cfg: SiteConfig, tmp_path: Path) -> None:
    bundled = tmp_path.parent / (tmp_path.name + "-themes") / "default"
    dirs = [bundled]
    assert classify_change(tmp_path, bundled / "templates/base.html", cfg, dirs) is T
    assert classify_change(tmp_path, bundled / "static/css/style.css", cfg, dirs) is S
    assert classify_change(tmp_path, bundled / "templates/.base.html.swp", cfg, dirs) is None
    assert classify_change(tmp_path, bundled / "templates/base.html", cfg) is None
    assert classify_change(tmp_path, bundled.parent / "other/templates/x.html", cfg, dirs) is None


def test_watch_roots_include_the_bundled_theme(tmp_path: Path) -> None:
    (tmp_path / "site.yml").write_text("title: t\n", encoding="utf-8")
    roots = dict(watch_roots(override(SiteConfig(), site_dir=tmp_path)))
    assert roots[tmp_path] is False
    assert roots[tmp_path / "content"] is True
    assert any((folder / "templates" / "base.html").is_file() for folder in roots)


@pytest.mark.parametrize("name", ["a.md", "4913.md", "x.swp.md", "notes~old.md"])
def test_ordinary_names_are_not_temp(name: str) -> None:
    assert not is_temp_file(Path("content") / name)


def _deadline(seconds: float) -> threading.Event:
    """An event that sets itself after SECONDS, so a missed file event fails instead of hanging."""
    stop = threading.Event()
    timer = threading.Timer(seconds, stop.set)
    timer.daemon = True
    timer.start()
    return stop


def test_watch_loop_debounces_a_burst(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    (tmp_path / "site.yml").write_text("title: t\n", encoding="utf-8")
    cfg = override(SiteConfig(), site_dir=tmp_path)
    stop = _deadline(5)
    with Watcher(cfg, debounce=0.3) as watcher:
        for i in range(5):
            (tmp_path / "content" / f"{i}.md").write_text("x", encoding="utf-8")
            (tmp_path / "content" / f".{i}.md.swp").write_text("x", encoding="utf-8")
        (tmp_path / "public").mkdir()
        (tmp_path / "public" / "index.html").write_text("x", encoding="utf-8")
        (tmp_path / "site.yml").write_text("title: u\n", encoding="utf-8")
        batch = next(watcher.changes(stop), frozenset())
    stop.set()
    assert {change.kind for change in batch} == {C, CFG}
    assert {change.path.name for change in batch} == {"0.md", "1.md", "2.md", "3.md", "4.md",
                                                      "site.yml"}


def test_watch_picks_up_a_folder_created_later(tmp_path: Path) -> None:
    (tmp_path / "site.yml").write_text("title: t\n", encoding="utf-8")
    cfg = override(SiteConfig(), site_dir=tmp_path)
    stop = _deadline(8)
    with Watcher(cfg, debounce=0.2) as watcher:
        changes = watcher.changes(stop)
        (tmp_path / "theme").mkdir()
        assert {c.kind for c in next(changes)} == {T}
        (tmp_path / "theme" / "templates").mkdir()
        (tmp_path / "theme" / "templates" / "base.html").write_text("x", encoding="utf-8")
        assert T in {c.kind for c in next(changes)}
    stop.set()
