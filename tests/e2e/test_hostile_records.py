"""Hostile records: one bad record in a JSON Lines, JSON or CSV file costs that record only.

Inputs: tests/fixtures/hostile/records/ (see its README). They go through `wenji import` and
`wenji build`; every record must be accounted for (imported, with a warning where something
was repaired or left out, or failed with file:record and a reason), and the site must build.
"""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

from generator.cli import main
from generator.model import frontmatter

RECORDS = Path(__file__).resolve().parents[1] / "fixtures" / "hostile" / "records"
# file → {record: (outcome, reason or warning)}; every record of every file is here.
EXPECTED = {
    "hostile.jsonl": {
        1: ("imported", None),
        2: ("imported", "1 invalid character (lone surrogate half, e.g. \\ud800) replaced with "
                        "U+FFFD"),
        3: ("imported", "date '99999999999999999999' is out of range or unreadable; left out"),
        4: ("imported", "date '-99999999999' is out of range or unreadable; left out"),
        5: ("imported", "date '0' is out of range or unreadable; left out"),
        6: ("imported", "date '0000-01-01' is out of range or unreadable; left out"),
        7: ("imported", "date '10000-01-01' is out of range or unreadable; left out"),
        8: ("imported", "date '0001-01-01T05:00:00+08:00' is out of range or unreadable; left "
                        "out"),
        9: ("imported", "date '9999-12-31T16:00:00Z' is out of range or unreadable; left out"),
        10: ("failed", "line 10: invalid JSON: Expecting value"),
        11: ("imported", None),
    },
    "broken-array.json": {
        1: ("imported", None),
        2: ("failed", "record 2 (line 8): invalid JSON: Expecting ',' delimiter"),
        3: ("imported", None),
    },
    "pretty-stream.json": {
        1: ("imported", None),
        2: ("failed", "record 2 (line 7): invalid JSON: Expecting ',' delimiter"),
        3: ("imported", None),
    },
    "rows.csv": {
        2: ("imported", None),
        3: ("failed", "line 3: 1 cell more than the header"),
        4: ("imported", "date '10000-01-01' is out of range or unreadable; left out"),
        5: ("imported", "date '99999999999999999999' is out of range or unreadable; left out"),
        6: ("imported", None),
    },
}
UNDATED = {"时间戳溢出", "负时间戳", "零时间戳", "零年", "万年", "转到协调世界时溢出",
           "转到中国时间溢出", "表格年份溢出", "表格时间戳溢出"}


def test_every_record_is_accounted_for_and_the_good_ones_build(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "site.yml").write_text("title: 坏记录\n", encoding="utf-8")
    raw = tmp_path / "raw"
    shutil.copytree(RECORDS, raw)
    (raw / "README.md").unlink()
    long_body = "很长的正文。" * 25000  # 150,000 characters: over the csv module's default limit
    (raw / "long.csv").write_text(f"title,content\n长正文,{long_body}\n", encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    code = main(["import", "--site", str(site), str(raw), "--report", str(site / "r.json")],
                out, err)
    assert code == 1  # some records failed
    assert out.getvalue().strip() == "19 imported, 4 failed, 10 warnings"

    rows = json.loads((site / "r.json").read_text("utf-8"))["inputs"]
    got: dict[str, dict[int, tuple]] = {}
    for row in rows:
        note = row.get("reason") or "; ".join(row.get("warnings", [])) or None
        got.setdefault(Path(row["input"]).name, {})[row["record"]] = (row["outcome"], note)
    assert got.pop("long.csv") == {2: ("imported", None)}
    for name, records in EXPECTED.items():
        assert got[name] == records, name
    lines = err.getvalue().splitlines()
    assert (f"warning: {raw / 'hostile.jsonl'}:3: date '99999999999999999999' is out of range "
            "or unreadable; left out") in lines
    assert f"failed: {raw / 'rows.csv'}:3: line 3: 1 cell more than the header" in lines

    articles = {a.front.title: a for a in (frontmatter.parse(p.read_text("utf-8"), p)
                                           for p in (site / "content").glob("*.md"))}
    assert len(articles) == 19
    assert {t for t, a in articles.items() if a.front.date is None} == UNDATED | {"长正文"}
    assert "坏字符\ufffd在这里" in articles["孤立代理项"].body
    assert len(articles["长正文"].body) > 140000

    assert main(["build", "--site", str(site)], out, err) == 0, err.getvalue()
    pages = [p for p in (site / "public").rglob("index.html")
             if "孤立代理项" in p.read_text("utf-8")]
    assert any("坏字符\ufffd在这里" in p.read_text("utf-8") for p in pages)
    feed = (site / "public" / "feed.xml").read_text("utf-8")
    assert "好记录二" in feed


def test_an_overflowing_ct_in_a_saved_wechat_page_is_not_used_and_the_page_imports(tmp_path):
    """Regression: `_g.ct` of 20 digits raised OverflowError and failed the whole page."""
    import gzip

    specimen = (RECORDS.parents[1] / "clean" / "wechat-html"
                / "wechat-article__wechat-article-exporter__01-a5d00bb3.html.gz")
    page = gzip.decompress(specimen.read_bytes()).decode("utf-8")
    assert page.count("'1762338600'") == 8
    (tmp_path / "page.html").write_text(page.replace("'1762338600'", "'99999999999999999999'"),
                                        encoding="utf-8")
    site = tmp_path / "site"
    site.mkdir()
    (site / "site.yml").write_text("title: t\n", encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    assert main(["import", "--site", str(site), str(tmp_path / "page.html")], out, err) == 0
    assert out.getvalue().strip() == "1 imported, 1 warning"
    assert err.getvalue() == (f"warning: {tmp_path / 'page.html'}: timestamp "
                              "99999999999999999999 is out of range; not used\n")
    [path] = (site / "content").glob("*.md")
    assert path.name.startswith("2025-11-05-")  # the page's publish_time text is used instead
