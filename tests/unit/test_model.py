"""load_site on the fixture site and on small made-up sites: order, drafts, undated, problems."""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
from pathlib import Path

import pytest

from generator.config import load_config, override
from generator.errors import FrontMatterError, OutputCollisionError
from generator.model import load as load_module
from generator.model.entry import pack, pool_bodies, unpack
from generator.model.site import load_site

FIXTURE = Path(__file__).parent.parent / "fixtures" / "site"


@pytest.fixture(scope="module")
def site():
    loaded, problems = load_site(load_config(FIXTURE))
    assert problems == []
    return loaded


def make_site(tmp_path: Path, files: dict[str, str], **config) -> Path:
    (tmp_path / "site.yml").write_text("title: t\n", encoding="utf-8")
    for name, text in files.items():
        path = tmp_path / "content" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path


def article(title: str, date: str | None = "2020-01-01", **fields: str) -> str:
    lines = [f"title: {title}"] + ([f"date: {date}"] if date else [])
    lines += [f"{k}: {v}" for k, v in fields.items()]
    return "---\n" + "\n".join(lines) + "\n---\n\n正文。\n"


def test_entries_are_newest_first_with_undated_last(site):
    days = [e.front.sort_key() for e in site.dated]
    assert days == sorted(days, reverse=True)
    assert [e.title for e in site.undated] == ["没有日期的文章"]
    assert site.entries[-1] is site.undated[0]
    assert site.entries[-1].url == "undated/f2a7b8c9d0e1/"


def test_same_day_articles_keep_time_order(site):
    same_day = [e.title for e in site.entries if e.day == dt.date(2018, 9, 27)]
    assert same_day[0].startswith("同一天的第三篇")  # 18:05
    assert same_day[1].startswith("同一天的第二篇")  # 09:30
    assert same_day[2].startswith("绍兴组工")  # date only: midnight


def test_drafts_left_out_unless_asked(site, tmp_path):
    assert all(not e.front.draft for e in site.entries)
    assert site.drafts_left_out == 1
    with_drafts, _ = load_site(load_config(FIXTURE), drafts=True)
    assert len(with_drafts.entries) == len(site.entries) + 1


def test_entry_contract(site):
    e = next(x for x in site.entries if x.title == "年轻干部奔跑计划")
    assert e.slug == "d4e5f6a1b2c3"  # file name without the date prefix
    assert e.url == "2018/10/d4e5f6a1b2c3/"
    assert e.source_path.name == "2018-10-03-d4e5f6a1b2c3.md"
    assert e.day == e.front.day and e.minutes >= 1
    assert "年轻干部奔跑计划" in e.text and "<" not in e.text
    assert e.html.startswith("<p>") and 'class="footnotes"' in e.html
    custom = next(x for x in site.entries if x.source_path.parent.name == "专题")
    assert custom.slug == "五四-青年节" and custom.url == "2021/05/五四-青年节/"


@pytest.mark.parametrize("text", ["", "<p>正文 text</p>\n" * 50, "x\ud800y", "\x00\x78"])
def test_bodies_pack_both_ways(text):
    small, squeezed = pack(text, squeeze=False), pack(text, squeeze=True)
    assert unpack(small) == unpack(squeezed) == text
    assert unpack(memoryview(b"--" + small)[2:]) == text  # as pooled
    if len(text) > 500:
        assert len(squeezed) < len(small) / 4


def test_large_collections_keep_bodies_compressed(monkeypatch):
    small, _ = load_site(load_config(FIXTURE))
    monkeypatch.setattr(load_module, "SQUEEZE_FROM", 1)
    large, _ = load_site(load_config(FIXTURE))
    for a, b in zip(small.entries, large.entries, strict=True):
        assert a.html == b.html and a.text == b.text
        assert bytes(a.packed_html[:1]) == b"\x00" and bytes(b.packed_html[:1]) == b"\x78"
    pool_bodies(large.entries + small.entries)  # both forms in one buffer
    assert [e.html for e in large.entries] == [e.html for e in small.entries]


def test_word_count_counts_han_characters(site):
    e = next(x for x in site.entries if x.title == "没有标签的文章")
    assert e.words == 15  # 这篇文章没有任何标签 + 也没有摘要 (punctuation not counted)
    assert e.minutes == 1


def test_tags_accounts_archives(site):
    assert list(site.tags) == sorted(site.tags)
    assert [e.title for e in site.tags["社区"]][-1] == "没有日期的文章"
    assert site.tag_terms["C#"].segment != site.tag_terms["C++"].segment
    assert site.tag_terms["AI"].segment != site.tag_terms["ai"].segment
    assert site.tag_terms["自然拼读（Phonics）"].url == "tags/自然拼读-phonics/"
    assert len(site.accounts["越城组工"]) == 4
    assert list(site.years) == [2021, 2020, 2019, 2018]
    assert list(site.years[2019]) == [12, 2, 1]
    assert sum(len(es) for months in site.years.values() for es in months.values()) == \
        len(site.dated)


def test_utc_timestamp_files_under_china_day(tmp_path):
    root = make_site(tmp_path, {"a.md": article("a", "2021-06-30T20:00:00Z")})
    site, _ = load_site(load_config(root))
    assert site.entries[0].url == "2021/07/a/"


def test_bad_front_matter_is_a_problem_and_left_out(tmp_path):
    root = make_site(tmp_path, {
        "good.md": article("好"),
        "bad-yaml.md": "---\ntitle: x\ntags: [a, b\n---\n\nbody\n",
        "no-title.md": "---\ndate: 2020-01-01\n---\n\nbody\n",
        "bad-date.md": "---\ntitle: x\ndate: 2018-13-45\n---\n",
        "latin1.md": "---\ntitle: caf\xe9\n---\n",
    })
    (root / "content" / "latin1.md").write_bytes("---\ntitle: café\n---\n".encode("latin-1"))
    site, problems = load_site(load_config(root))
    assert [e.title for e in site.entries] == ["好"]
    where = sorted((Path(p.path).name, p.line) for p in problems)
    assert where == [("bad-date.md", 3), ("bad-yaml.md", 4), ("latin1.md", 2),
                     ("no-title.md", 2)]
    [latin1] = [p for p in problems if Path(p.path).name == "latin1.md"]
    assert latin1.message == "not valid UTF-8 (byte 0xe9 at column 11)"
    assert all(isinstance(p, FrontMatterError) for p in problems)


def test_strict_fails_on_the_first_bad_file(tmp_path):
    root = make_site(tmp_path, {"a.md": article("a"), "b.md": "no front matter\n"})
    with pytest.raises(FrontMatterError, match="no front matter") as info:
        load_site(override(load_config(root), strict=True))
    assert info.value.path.endswith("b.md") and info.value.line == 1


def test_two_articles_with_one_url_name_both_files(tmp_path):
    root = make_site(tmp_path, {"x/same.md": article("a"), "y/same.md": article("b")})
    with pytest.raises(OutputCollisionError) as info:
        load_site(load_config(root))
    assert "x/same.md" in str(info.value) and "y/same.md" in str(info.value)


def test_parallel_load_equals_serial(tmp_path, monkeypatch):
    files = {f"2020-01-{i % 28 + 1:02d}-n{i}.md": article(f"第{i}篇", f"2020-01-{i % 28 + 1:02d}",
                                                          tags=f"[标签{i % 7}]")
             for i in range(320)}
    files["broken.md"] = "---\ntitle: [\n---\n"
    root = make_site(tmp_path, files)
    parallel, p_problems = load_site(load_config(root))
    monkeypatch.setattr(load_module, "PARALLEL_FROM", 10**9)
    serial, s_problems = load_site(load_config(root))
    assert [e.url for e in parallel.entries] == [e.url for e in serial.entries]
    assert [e.html for e in parallel.entries] == [e.html for e in serial.entries]
    assert [(p.path, p.line, p.message) for p in p_problems] == \
        [(p.path, p.line, p.message) for p in s_problems]
    assert len(p_problems) == 1


def test_entries_loaded_in_workers_are_cached_as_they_came(tmp_path, monkeypatch):
    """Workers send entries pickled; the entry cache keeps those bytes, and what a later
    build reads back from it equals a serial load."""
    files = {f"2020-02-{i % 28 + 1:02d}-c{i}.md": article(f"缓存{i}", f"2020-02-{i % 28 + 1:02d}")
             for i in range(40)}
    root = make_site(tmp_path, files)
    monkeypatch.setattr(load_module, "PARALLEL_FROM", 8)
    first, _ = load_site(load_config(root), cached=True)
    kept = load_module.entry_cache(load_config(root)).load()
    assert len(kept) == 40 and all(e.key for _, e in kept.values())
    monkeypatch.setattr(load_module, "PARALLEL_FROM", 10**9)
    again, _ = load_site(load_config(root), cached=True)  # every entry from the cache
    serial, _ = load_site(load_config(root))
    for a, b, c in zip(first.entries, again.entries, serial.entries, strict=True):
        assert (a.key, a.url, a.html, a.digest, a.source) == (b.key, b.url, b.html, b.digest,
                                                              b.source)
        assert (b.key, b.url, b.html, b.digest, b.front) == (c.key, c.url, c.html, c.digest,
                                                             c.front)


def test_related_prefers_shared_tags(site):
    e = next(x for x in site.entries if x.title.startswith("同一天的第二篇"))
    related = site.related(e, 3)
    assert e not in related and related
    assert related[0].title.startswith(("绍兴组工", "子文件夹"))  # shares 党建


def test_missing_content_folder_is_an_empty_site(tmp_path):
    (tmp_path / "site.yml").write_text("title: t\n", encoding="utf-8")
    site, problems = load_site(load_config(tmp_path))
    assert site.entries == [] and problems == []
    shutil.rmtree(tmp_path)


def test_prev_next_follow_date_order_and_keep_undated_apart(site):
    oldest = site.dated[-1]
    assert site.neighbours(oldest) == (site.dated[-2], None)
    assert site.neighbours(site.entries[0]) == (None, site.entries[1])
    assert site.neighbours(site.undated[0]) == (None, None)


def test_text_is_the_same_whether_packed_or_made_from_the_html():
    cfg = load_config(FIXTURE)
    with_search, _ = load_site(cfg)
    without, _ = load_site(override(cfg, search=dataclasses.replace(cfg.search, enabled=False)))
    assert all(e.packed_text is None for e in without.entries)
    assert [e.text for e in without.entries] == [e.text for e in with_search.entries]
    assert [e.words for e in without.entries] == [e.words for e in with_search.entries]
