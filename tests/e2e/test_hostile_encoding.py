"""Hostile bytes: a file that is not valid text is named with its line and column, not an offset.

Content files must be UTF-8; import also reads GB18030 (and reports only what neither reads).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from tests.conftest import wenji as run

FIXTURE = Path(__file__).parent.parent / "fixtures" / "site"


def test_a_content_file_that_is_not_utf8_is_named_by_line_and_column(tmp_path):
    site = tmp_path / "site"
    shutil.copytree(FIXTURE, site)
    bad = site / "content" / "bad.md"
    bad.write_bytes("---\ntitle: 坏文件\n---\n\n第一段。\n\n正文".encode() + b"\xff\xfe tail\n")
    code, out, err = run("build", "--site", str(site))
    assert code == 1
    assert f"error: {bad}:7: not valid UTF-8 (byte 0xff at column 3) (hint: save the file as " \
           "UTF-8" in err
    assert (site / "public" / "index.html").is_file()  # the rest is built


def test_import_reads_gb18030_and_names_line_and_column_of_what_it_cannot_read(tmp_path):
    site, src = tmp_path / "site", tmp_path / "src"
    site.mkdir()
    src.mkdir()
    (site / "site.yml").write_text("title: t\n", encoding="utf-8")
    body = "国标编码的文章\n\n2024-01-02\n\n这是一篇用 GB18030 保存的文章，正文足够长，能够导入。\n"
    (src / "gb.txt").write_bytes(body.encode("gb18030"))
    (src / "bad.txt").write_bytes("标题\n\n正文\n".encode() + b"ab" + b"\xff" * 80 + b"\n")
    code, out, err = run("import", "--site", str(site), str(src), "--report",
                         str(tmp_path / "report.json"))
    assert code == 1
    [written] = (site / "content").glob("*.md")
    assert "这是一篇用 GB18030 保存的文章" in written.read_text("utf-8")
    assert (f"failed: {src / 'bad.txt'}:4: not valid UTF-8 or GB18030 (byte 0xff at column 3)"
            in err)
    rows = json.loads((tmp_path / "report.json").read_text("utf-8"))["inputs"]
    assert {r["outcome"] for r in rows} == {"imported", "failed"}
