"""Incremental builds (entry cache + unchanged-file reuse) give exactly what a clean build gives."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from generator.build import build
from generator.config import load_config
from generator.model import cache
from generator.model.site import load_site

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
        assert tree(cfg.output_path) == clean_build(content, root / "site.yml", tmp_path), name
        assert len(result.problems) == (1 if name in ("break one", "redate") else 0), name


def test_cache_reuses_unchanged_entries(tmp_path):
    root = tmp_path / "site"
    shutil.copytree(FIXTURE, root)
    cfg = load_config(root)
    first, _ = load_site(cfg, cached=True)
    assert (root / cache.FOLDER).is_dir()
    again, _ = load_site(cfg, cached=True)
    assert [e.html for e in again.entries] == [e.html for e in first.entries]
    kept = cache.EntryCache(root / cache.FOLDER, str(cfg.content_path), cfg.article_url,
                            cfg.chars_per_minute).load()
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
