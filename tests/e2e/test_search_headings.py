"""Headings in the search index: each document's h2–h4 (text, id, start in its body text)
agree with the built page's ids and the stored body, in a clean build's base segment and in
the delta segment of a patched build."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

from generator.build import build
from generator.config import load_config

ARTICLE = """---
title: 长文
date: 2024-05-01
---

导言 𠮷 一段。

## 第一节：起点

正文甲。

### Café 与 𠮷

正文乙。

## 第一节：起点

正文丙。
"""


def rows_and_texts(out: Path) -> list[tuple[dict, str]]:
    """(metadata row, body text) of every document of the newest segment of OUT's index."""
    manifest = json.loads((out / "search" / "manifest.json").read_text())
    seg = manifest["segments"][-1]
    folder = out / "search" / seg["name"]
    found = []
    for chunk in sorted(folder.glob("d/*.json.gz")):
        for row in json.loads(gzip.decompress(chunk.read_bytes()))["docs"]:
            file, start, length = row["x"]
            data = (folder / "t" / f"{file}.bin").read_bytes()[2 * start:2 * (start + length)]
            found.append((row, data.decode("utf-16-le")))
    return found


def check(out: Path, ids: list[str]) -> None:
    (row, body), = [(r, b) for r, b in rows_and_texts(out) if r["t"] == "长文"]
    assert [h[1] for h in row["h"]] == ids
    units = body.encode("utf-16-le")
    for text, _, at in row["h"]:  # the text starts there, counted in UTF-16 code units
        assert units[2 * at:2 * (at + len(text.encode("utf-16-le")) // 2)].decode("utf-16-le") == text
    page = next(out.rglob("long/index.html")).read_text(encoding="utf-8")
    assert re.findall(r'<h[234] id="([^"]*)"', page) == ids


def test_headings_reach_the_index_in_full_and_patched_builds(tmp_path):
    root = tmp_path / "site"
    (root / "content").mkdir(parents=True)
    (root / "content" / "2024-05-01-long.md").write_text(ARTICLE, encoding="utf-8")
    (root / "content" / "2024-04-01-plain.md").write_text(
        "---\ntitle: 无标题文\ndate: 2024-04-01\n---\n\n没有小标题。\n", encoding="utf-8")
    (root / "site.yml").write_text("title: 测试\n", encoding="utf-8")
    out = root / "public"
    assert build(load_config(root)).mode == "full"
    check(out, ["第一节起点", "café-与-𠮷", "第一节起点-1"])
    assert "h" not in next(r for r, _ in rows_and_texts(out) if r["t"] == "无标题文")

    edited = ARTICLE.replace("正文丙。", "正文丙。\n\n#### 新加的 小节\n\n新词。")
    (root / "content" / "2024-05-01-long.md").write_text(edited, encoding="utf-8")
    assert build(load_config(root)).mode == "patch"
    manifest = json.loads((out / "search" / "manifest.json").read_text())
    assert len(manifest["segments"]) == 2  # a delta segment holds the edited article
    check(out, ["第一节起点", "café-与-𠮷", "第一节起点-1", "新加的-小节"])
