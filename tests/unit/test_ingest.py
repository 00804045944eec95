"""`wenji import` end to end on real specimens: accounting, idempotence, duplicates, hand edits."""

import io
import json
import shutil
from pathlib import Path

import pytest

from generator.config import load_config
from generator.ingest import ingest
from generator.model import frontmatter
from tests.conftest import wenji as run

FIXTURES = Path(__file__).parent.parent / "fixtures" / "ingest"


@pytest.fixture
def site(tmp_path):
    (tmp_path / "site.yml").write_text("title: t\nimport:\n  tag_rules:\n    组织工作: 党建\n",
                                       encoding="utf-8")
    return tmp_path


def inputs(tmp_path, *names):
    folder = tmp_path / "in"
    folder.mkdir(exist_ok=True)
    for name in names:
        shutil.copy(FIXTURES / name, folder / name)
    return folder


def md_files(site):
    return sorted(p.relative_to(site / "content") for p in (site / "content").rglob("*.md"))


def test_every_input_is_accounted_for_and_bad_inputs_are_named(site, tmp_path):
    src = inputs(tmp_path, "seed.txt", "lou-ye.md", "deleted-page.html")
    (src / "empty.txt").write_bytes(b"")
    (src / "binary.html").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (src / "truncated.html").write_bytes((FIXTURES / "laopo-no1.html").read_bytes()[:3000])
    report_path = tmp_path / "report.json"
    code, out, err = run("import", "--site", str(site), str(src), "--report", str(report_path))
    report = json.loads(report_path.read_text(encoding="utf-8"))
    outcomes = {Path(r["input"]).name: r["outcome"] for r in report["inputs"]}
    assert outcomes["seed.txt"] == "imported"
    assert outcomes["lou-ye.md"] == "imported"
    assert outcomes["deleted-page.html"] == "not article"
    assert outcomes["empty.txt"] == "failed"
    assert outcomes["binary.html"] == "failed"
    assert outcomes["truncated.html"] in ("failed", "rejected", "imported")
    assert len(report["inputs"]) == 6
    assert code == 1
    assert "empty.txt: empty file" in err
    assert "binary.html: binary file" in err
    assert out.strip() == report["summary"]
    assert "1 not an article (deleted page)" in out and "3 failed" in out
    assert len(md_files(site)) == sum(o == "imported" for o in outcomes.values())


def test_reimport_is_idempotent(site, tmp_path):
    src = inputs(tmp_path, "seed.txt", "lou-ye.md")
    cfg = load_config(site)
    first = ingest(cfg, [str(src)])
    files = {p: (site / "content" / p).read_bytes() for p in md_files(site)}
    second = ingest(cfg, [str(src)])
    assert [r.outcome for r in first.rows] == ["imported", "imported"]
    assert [r.outcome for r in second.rows] == ["unchanged", "unchanged"]
    assert {p: (site / "content" / p).read_bytes() for p in md_files(site)} == files
    assert [r.output for r in first.rows] == [r.output for r in second.rows]


def test_same_article_from_two_formats_is_a_duplicate(site, tmp_path):
    src = inputs(tmp_path, "laopo-no1.html", "laopo-no1.txt")
    report = ingest(load_config(site), [str(src)])
    outcomes = sorted(r.outcome for r in report.rows)
    assert outcomes == ["duplicate", "imported"], report.to_json()
    dup = next(r for r in report.rows if r.outcome == "duplicate")
    assert dup.duplicate_of and dup.duplicate_of.endswith(".md")
    assert len(md_files(site)) == 1


def test_hand_edited_article_is_kept_unless_forced(site, tmp_path):
    src = inputs(tmp_path, "seed.txt")
    cfg = load_config(site)
    ingest(cfg, [str(src)])
    [path] = md_files(site)
    target = site / "content" / path
    edited = target.read_text(encoding="utf-8").replace("成长起来。", "成长起来。\n\n编者按：人工校对。")
    target.write_text(edited, encoding="utf-8")
    code, out, err = run("import", "--site", str(site), str(src))
    assert code == 0
    assert "1 kept" in out and "edited since import" in err
    assert target.read_text(encoding="utf-8") == edited
    code, out, _ = run("import", "--site", str(site), str(src), "--force")
    assert "1 updated" in out
    assert "人工校对" not in target.read_text(encoding="utf-8")


def test_dry_run_writes_nothing(site, tmp_path):
    src = inputs(tmp_path, "seed.txt", "lou-ye.md")
    code, out, _ = run("import", "--site", str(site), str(src), "--dry-run")
    assert code == 0 and out.startswith("(dry run) 2 imported")
    assert not (site / "content").exists()


def test_stdin_and_into(site, tmp_path):
    data = (FIXTURES / "seed.txt").read_bytes()
    cfg = load_config(site)
    report = ingest(cfg, ["-"], into=tmp_path / "elsewhere", stdin=io.BytesIO(data))
    [row] = report.rows
    assert row.outcome == "imported" and row.input == "<stdin>"
    text = (tmp_path / "elsewhere" / row.output).read_text(encoding="utf-8")
    article = frontmatter.parse(text)
    assert article.front.title.startswith("绍兴组工：组织工作新担当新作为")
    assert "党建" in article.front.tags  # site.yml keyword rule


def test_missing_input_fails_with_its_name(site):
    code, out, err = run("import", "--site", str(site), "no/such/file.txt")
    assert code == 1
    assert "no/such/file.txt: no such file or folder" in err


def test_scraped_folder_notes_are_not_articles_and_exclude_leaves_inputs_out(site, tmp_path):
    src = inputs(tmp_path, "seed.txt")
    (src / "2018").mkdir()
    shutil.copy(FIXTURES / "lou-ye.md", src / "2018" / "lou-ye.md")
    (src / "README.md").write_text("# 抓取说明\n\n这个文件夹是用脚本抓下来的公众号文章，运行 fetch.py 可以更新。\n",
                                   encoding="utf-8")
    (src / "notes.md").write_text("# 待办\n\n检查一下这些文章里有没有重复的，回头再整理一遍。\n", encoding="utf-8")
    (src / "drafts").mkdir()
    shutil.copy(FIXTURES / "laopo-no1.txt", src / "drafts" / "laopo-no1.txt")
    report = ingest(load_config(site), [str(src)], exclude=["drafts"])
    rows = {Path(r.input).name: r for r in report.rows}
    assert rows["README.md"].outcome == "not article" and "project document" in rows["README.md"].reason
    assert rows["notes.md"].outcome == "not article" and "no article signals" in rows["notes.md"].reason
    assert rows["laopo-no1.txt"].outcome == "excluded"
    assert "1 excluded" in report.summary()
    written = {frontmatter.parse((site / "content" / r.output).read_text(encoding="utf-8")).front.imported_from
               for r in report.rows if r.outcome == "imported"}
    assert written == {"seed.txt", "2018/lou-ye.md"}  # relative to the import root, not the base name
    code, out, _ = run("import", "--site", str(site), "--dry-run", "--exclude", "*.md",
                       "--exclude", "seed.txt", str(src))
    assert "0 imported" not in out and "4 excluded" in out


def test_an_opening_many_articles_share_is_not_their_summary(site, tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    trailer = "欢迎来到本号！想加入免费课程的学习？请留意每篇文章底部的信息，扫码即可报名。"
    for n in range(3):
        (src / f"a{n}.md").write_text(
            f"---\ntitle: 第{n}课\ndate: 2020-01-0{n + 1}\n---\n\n{trailer}\n\n"
            f"这是第{n}课自己的开头，讲的是第{n}个字母的发音和它的用法。\n", encoding="utf-8")
    report = ingest(load_config(site), [str(src)])
    files = [site / "content" / r.output for r in report.rows]
    summaries = [frontmatter.parse(f.read_text(encoding="utf-8")).front.summary for f in files]
    assert summaries == [f"这是第{n}课自己的开头，讲的是第{n}个字母的发音和它的用法。" for n in range(3)]
    # Each file is written as its input is read, and the summary mended once all are read: the
    # outcome is still decided against the file as it was before the import.
    texts = [f.read_text(encoding="utf-8") for f in files]
    files[1].write_text(frontmatter.restamp(texts[1].replace(summaries[1], "旧的摘要")), encoding="utf-8")
    again = ingest(load_config(site), [str(src)])
    assert [r.outcome for r in again.rows] == ["unchanged", "updated", "unchanged"]
    assert [f.read_text(encoding="utf-8") for f in files] == texts
