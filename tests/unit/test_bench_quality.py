"""The import-quality benchmark's own checks on raw files (independent of the importer): a value
found is confirmed in the raw text, a field missing is told from a field the file never states,
and a run over a tiny corpus produces its table."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

import import_quality as q  # noqa: E402

META = Path(__file__).resolve().parents[1] / "fixtures" / "meta"


def test_found_values_are_confirmed_in_any_common_spelling():
    raw = "发布时间：2016年4月14日\n<a href='https://mp.weixin.qq.com/s?__biz=QQ%3D%3D&mid=5&idx=1'>"
    sq = q._squash(raw)
    assert q.in_raw("date", "2016-04-14", raw, sq)
    assert q.in_raw("date", "2018-06-26T16:00:00+08:00", "var ct = \"1530000000\";", "")
    assert not q.in_raw("date", "2016-04-15", raw, sq)
    assert q.in_raw("url", "https://mp.weixin.qq.com/s?__biz=QQ==&mid=5&idx=1", raw, sq)
    assert q.in_raw("title", "技术革命 与农民工", "<h1>技术革命与农民工</h1>", q._squash("<h1>技术革命与农民工</h1>"))


def test_stated_tells_metadata_from_the_text():
    assert q.stated("date", "# 标题\n\n原创 张三 某号 2022-04-20 12:06\n\n正文")
    assert q.stated("date", '{"pubDate": "Fri, 13 Jun 2025 10:32:00 +0800"}')
    assert not q.stated("date", "# 标题\n" + "正文。\n" * 20 + "2021-11-18| 发送安全公告\n")
    assert q.stated("url", "原文链接: http://mp.weixin.qq.com/s?__biz=X&mid=1&idx=1")
    assert not q.stated("url", "[另一篇](https://mp.weixin.qq.com/s/abc)")
    assert q.stated("account", "var nickname = \"某号\";") and not q.stated("account", "正文")


def test_a_run_over_a_small_corpus(tmp_path):
    rows = q.run(META, tmp_path / "work")
    by_file = {r["file"]: r for r in rows}
    assert by_file["backup-page.html"]["date"] == "ok"
    assert by_file["backup-page.html"]["url_source"] == "labelled line"
    assert all(r["outcome"] == "imported" for r in rows if r["file"] != "README.md")
    assert "| date |" in q.summary(rows) and "`byline-export.md`" in q.full_table(rows)
