"""Incremental builds (entry cache + unchanged-file reuse) give exactly what a clean build gives."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest

from generator.build import build
from generator.config import load_config
from generator.model import cache
from generator.model.load import entry_cache
from generator.model.site import load_site
from tests.search_reference import Index

FIXTURE = Path(__file__).parent.parent / "fixtures" / "site"


def tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def clean_build(content: Path, site_yml: Path, tmp: Path) -> dict[str, str]:
    fresh = tmp / "fresh"
    shutil.rmtree(fresh, ignore_errors=True)
    (fresh).mkdir(parents=True)
    shutil.copy2(site_yml, fresh / "site.yml")
    shutil.copytree(content, fresh / "content")
    build(load_config(fresh), clean=True)
    return tree(fresh / "public")


def test_incremental_equals_clean_after_a_series_of_changes(tmp_path):
    root = tmp_path / "site"
    shutil.copytree(FIXTURE, root)
    cfg = load_config(root)
    content = root / "content"
    build(cfg)
    steps = [
        ("edit a body", lambda: (content / "2018-10-03-d4e5f6a1b2c3.md").write_text(
            (content / "2018-10-03-d4e5f6a1b2c3.md").read_text("utf-8") + "\n补充一段。\n",
            encoding="utf-8")),
        ("retag", lambda: (content / "2019-12-31-b8c9d0e1f2a7.md").write_text(
            (content / "2019-12-31-b8c9d0e1f2a7.md").read_text("utf-8").replace(
                'tags: ["英语启蒙"]', 'tags: ["英语启蒙", "新标签"]'), encoding="utf-8")),
        ("add", lambda: (content / "2022-03-08-new.md").write_text(
            "---\ntitle: 新文章\ndate: 2022-03-08\naccount: 新公众号\ntags: [党建]\n---\n\n新的正文。\n",
            encoding="utf-8")),
        ("rename", lambda: (content / "2020-02-02-d0e1f2a7b8c9.md").rename(
            content / "2020-02-02-renamed.md")),
        ("delete", lambda: (content / "2019-01-15-e5f6a1b2c3d4.md").unlink()),
        ("break one", lambda: (content / "2018-09-27-c3d4e5f6a1b2.md").write_text(
            "---\ntitle: [坏\n---\n", encoding="utf-8")),
        ("redate", lambda: (content / "2022-03-08-new.md").write_text(
            "---\ntitle: 新文章\ndate: 2017-01-01\naccount: 新公众号\n---\n\n新的正文。\n",
            encoding="utf-8")),
    ]
    for name, change in steps:
        change()
        result = build(cfg)
        clean = clean_build(content, root / "site.yml", tmp_path)
        if result.mode == "patch":  # the search index got a delta segment: same answers
            assert searched(cfg.output_path) == searched(tmp_path / "fresh" / "public"), name
            clean = {p: h for p, h in clean.items() if not p.startswith("search/")}
            assert {p: h for p, h in tree(cfg.output_path).items()
                    if not p.startswith("search/")} == clean, name
        else:
            assert tree(cfg.output_path) == clean, name
        assert len(result.problems) == (1 if name in ("break one", "redate") else 0), name


def searched(out: Path) -> list[list[int]]:
    """What the search index in OUT answers to a few queries (documents in rank order)."""
    index = Index(lambda p: (out / "search" / p).read_bytes())
    return [[h.doc for h in index.search(q)] for q in ("补充一段", "的", "干部", "2018年", "党建")]


def test_cache_reuses_unchanged_entries(tmp_path):
    root = tmp_path / "site"
    shutil.copytree(FIXTURE, root)
    cfg = load_config(root)
    first, _ = load_site(cfg, cached=True)
    assert (root / cache.FOLDER).is_dir()
    again, _ = load_site(cfg, cached=True)
    assert [e.html for e in again.entries] == [e.html for e in first.entries]
    kept = entry_cache(cfg).load()
    assert len(kept) == 14  # every file, the draft included
    target = root / "content" / "2020-02-02-d0e1f2a7b8c9.md"
    target.write_text(target.read_text("utf-8").replace("也没有摘要", "改过了"), encoding="utf-8")
    changed, _ = load_site(cfg, cached=True)
    assert "改过了" in next(e.text for e in changed.entries if e.source_path == target)


def test_a_corrupt_cache_is_ignored(tmp_path):
    root = tmp_path / "site"
    shutil.copytree(FIXTURE, root)
    (root / cache.FOLDER).mkdir()
    for shard in range(cache.EntryCache.SHARDS):
        (root / cache.FOLDER / f"entries-{shard:02d}.pickle").write_bytes(b"not a pickle")
    site, problems = load_site(load_config(root), cached=True)
    assert len(site.entries) == 13 and problems == []


def test_unchanged_pages_are_not_rendered_again(tmp_path):
    root = tmp_path / "site"
    shutil.copytree(FIXTURE, root)
    cfg = load_config(root)
    build(cfg)
    page = cfg.output_path / "2018/10/d4e5f6a1b2c3/index.html"
    page.write_text("stand-in", encoding="utf-8")  # only a re-render would restore it
    build(cfg)
    assert page.read_text(encoding="utf-8") == "stand-in"
    (root / "site.yml").write_text((root / "site.yml").read_text("utf-8").replace(
        "title: 测试文集", "title: 改名的文集"), encoding="utf-8")
    build(load_config(root))  # a setting every page shows: all pages rendered again
    assert "改名的文集" in page.read_text(encoding="utf-8")
    page.write_text("stand-in", encoding="utf-8")
    build(load_config(root), clean=True)
    assert "年轻干部奔跑计划" in page.read_text(encoding="utf-8")


def test_nothing_changed_means_nothing_done(tmp_path):
    root = tmp_path / "site"
    shutil.copytree(FIXTURE, root)
    (root / "content" / "bad.md").write_text("---\ntitle: [\n---\n", encoding="utf-8")
    cfg = load_config(root)
    first = build(cfg)
    again = build(cfg)
    assert again.phases["load"] == 0.0  # the shortcut: inputs, settings, output all unchanged
    assert (again.written, again.unchanged, again.articles) == (0, first.pages, first.articles)
    assert [str(p) for p in again.problems] == [str(p) for p in first.problems] != []
    css = root / "theme" / "static" / "css" / "style.css"
    css.parent.mkdir(parents=True)
    css.write_text("body{color:red}", encoding="utf-8")
    third = build(cfg)
    assert third.phases["load"] > 0.0 and third.written >= 1
    assert (cfg.output_path / "css" / "style.css").read_text(encoding="utf-8") == "body{color:red}"
    (cfg.output_path / "index.html").unlink()  # output changed behind our back: marker still ok
    (cfg.output_path / ".wenji-output").write_text("tampered", encoding="utf-8")
    fourth = build(cfg)
    assert fourth.phases["load"] > 0.0 and (cfg.output_path / "index.html").is_file()


def edit(path: Path, old: str | None, new: str) -> None:
    """Replace OLD by NEW in PATH (append NEW when OLD is None)."""
    text = path.read_text("utf-8")
    assert old is None or old in text
    path.write_text(text + new if old is None else text.replace(old, new, 1), encoding="utf-8")


def test_patched_output_equals_clean_build(tmp_path):
    """Edits that keep the site's shape are patched in place, and give a clean build's bytes."""
    root = tmp_path / "site"
    shutil.copytree(FIXTURE, root)
    with (root / "site.yml").open("a", encoding="utf-8") as fh:
        fh.write("search: {enabled: false}\n")  # an edited text changes the whole index
    cfg = load_config(root)
    content = root / "content"
    first = build(cfg)
    assert first.mode == "full"
    body = content / "2018-10-03-d4e5f6a1b2c3.md"
    other = content / "2020-02-02-d0e1f2a7b8c9.md"
    steps = [
        ("append to a body", "patch", lambda: edit(body, None, "\n补充的一段话。\n")),
        ("retitle (shown by neighbours and lists)", "patch",
         lambda: edit(body, 'title: "年轻干部奔跑计划"', 'title: "年轻干部奔跑计划（修订）"')),
        ("two files at once", "patch", lambda: (edit(body, None, "\n又一段。\n"),
                                                 edit(other, None, "\n另一篇的补充。\n"))),
        ("same bytes, new mtime", "patch", lambda: os.utime(body)),
        ("retag: the site's shape changes", "full",
         lambda: edit(body, "tags: [", "tags: [新标签, ")),
        ("edit after the full build", "patch", lambda: edit(other, None, "\n最后一次。\n")),
    ]
    for name, mode, change in steps:
        before = {p: p.stat().st_ino for p in cfg.output_path.rglob("*") if p.is_file()}
        change()
        result = build(cfg)
        assert result.mode == mode, name
        assert tree(cfg.output_path) == clean_build(content, root / "site.yml", tmp_path), name
        if mode == "patch":
            kept = [p for p, ino in before.items() if p.stat().st_ino == ino]
            assert result.written == len(before) - len(kept) - 1 < len(before) // 4, name  # marker
    assert "年轻干部奔跑计划（修订）" in (cfg.output_path / "2018/10/index.html").read_text("utf-8")


def test_interrupted_patch_is_rolled_back(tmp_path, monkeypatch):
    """A patch cut short after some of its renames leaves a journal; recover() restores all."""
    from generator import outdir

    root = tmp_path / "site"
    shutil.copytree(FIXTURE, root)
    with (root / "site.yml").open("a", encoding="utf-8") as fh:
        fh.write("search: {enabled: false}\n")
    cfg = load_config(root)
    build(cfg)
    previous = tree(cfg.output_path)
    edit(root / "content" / "2018-10-03-d4e5f6a1b2c3.md", 'title: "年轻干部奔跑计划"',
         'title: "改过的标题"')
    real, calls = os.replace, []

    def dies_after_three(src, dst):  # the process dies (here: raises) in the middle of the renames
        if str(dst).startswith(str(cfg.output_path)) and len(calls) == 3:
            raise KeyboardInterrupt
        calls.append(dst)
        return real(src, dst)

    monkeypatch.setattr(outdir.os, "replace", dies_after_three)
    with pytest.raises(KeyboardInterrupt):
        build(cfg)
    monkeypatch.undo()
    assert tree(cfg.output_path) != previous  # half applied: three pages are new
    outdir.recover(cfg.output_path)  # what every build does first
    assert tree(cfg.output_path) == previous
    again = build(cfg)
    assert again.mode == "patch" and "改过的标题" in (cfg.output_path / "2018/10/index.html").read_text("utf-8")


def test_state_files_of_earlier_versions_are_dropped(tmp_path):
    """The first build after an upgrade: earlier versions' records are ignored and removed."""
    from generator.incremental import manifest
    from generator.model import sealed

    root = tmp_path / "site"
    shutil.copytree(FIXTURE, root)
    cfg = load_config(root)
    build(cfg)
    (manifest.folder(cfg) / "manifest.pickle").unlink()  # as before the upgrade: none
    old = [cache.place(cfg, "last").with_suffix(".pickle"),
           cache.place(cfg, "pages").with_suffix(".pickle"),
           cache.place(cfg, "pages") / "index.pickle"]
    for path in old:
        path.parent.mkdir(parents=True, exist_ok=True)
        sealed.write_pickle(path, {"key": "old", "token": "old", "inputs": {}})
    (cache.place(cfg, "pages") / "token").write_text("old", encoding="ascii")
    result = build(cfg)
    assert result.mode == "full" and result.problems == []
    assert not any(path.exists() for path in old) and not cache.place(cfg, "pages").exists()
    assert build(cfg).mode == "unchanged"
