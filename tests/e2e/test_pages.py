"""Standalone pages from content/pages/: their own URL, listed in every footer, kept out of
the article lists, feeds and search; edits rebuild the footers; collisions and bad files named."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

from generator.cli import main

FIXTURE = Path(__file__).parent.parent / "fixtures" / "site"

ABOUT = "---\ntitle: 关于本站\nweight: 2\n---\n\n这个存档收集**公众号**文章。\n\n![图](../images/x.png)\n"
HOWTO = "---\ntitle: 使用说明\nweight: 1\n---\n\n按标签浏览。\n"
HIDDEN = "---\ntitle: 不在页脚\nslug: notice\nmenu: false\n---\n\n只有链接能到。\n"


def build(site: Path, *extra: str) -> tuple[int, str]:
    err = io.StringIO()
    code = main(["build", "--site", str(site), *extra], io.StringIO(), err)
    return code, err.getvalue()


@pytest.fixture()
def site(tmp_path) -> Path:
    root = tmp_path / "site"
    shutil.copytree(FIXTURE, root)
    pages = root / "content" / "pages"
    pages.mkdir()
    (pages / "about.md").write_text(ABOUT, encoding="utf-8")
    (pages / "howto.md").write_text(HOWTO, encoding="utf-8")
    (pages / "hidden.md").write_text(HIDDEN, encoding="utf-8")
    return root


def footer(html: str) -> str:
    return html.split('<footer class="site-footer">', 1)[1]


def test_pages_have_their_own_url_and_every_footer_lists_them(site):
    code, err = build(site)
    assert code == 0, err
    public = site / "public"
    about = (public / "about" / "index.html").read_text(encoding="utf-8")
    assert "<h1 id=\"article-title\">关于本站</h1>" in about and "<strong>公众号</strong>" in about
    assert (public / "notice" / "index.html").is_file()
    for page in ("index.html", "2018/09/a1b2c3d4e5f6/index.html", "about/index.html"):
        links = footer((public / page).read_text(encoding="utf-8"))
        assert links.index("使用说明") < links.index("关于本站")  # weight order
        assert "不在页脚" not in links
    sitemap = (public / "sitemap.xml").read_text(encoding="utf-8")
    assert "/about/</loc>" in sitemap and "/notice/</loc>" in sitemap
    home = (public / "index.html").read_text(encoding="utf-8").split("<footer", 1)[0]
    assert "关于本站" not in home and "共 13 篇文章" in home  # not an article
    assert "关于本站" not in (public / "feed.xml").read_text(encoding="utf-8")
    for shard in (public / "search").rglob("*"):
        if shard.is_file() and shard.suffix in (".json", ".txt"):
            assert "这个存档收集" not in shard.read_text(encoding="utf-8", errors="ignore")


def test_editing_a_page_rebuilds_every_footer_like_a_clean_build(site, tmp_path):
    assert build(site)[0] == 0
    about = site / "content" / "pages" / "about.md"
    about.write_text(ABOUT.replace("关于本站", "本站简介"), encoding="utf-8")
    assert build(site)[0] == 0
    clean = tmp_path / "clean"
    assert build(site, "--clean", "--out", str(clean))[0] == 0
    for path in clean.rglob("*.html"):
        rel = path.relative_to(clean)
        assert (site / "public" / rel).read_bytes() == path.read_bytes(), rel
    assert "本站简介" in footer((site / "public" / "index.html").read_text(encoding="utf-8"))


def test_a_page_that_would_overwrite_another_is_named(site):
    (site / "content" / "pages" / "archive.md").write_text("---\ntitle: 归档\n---\n\nx\n",
                                                           encoding="utf-8")
    code, err = build(site)
    assert code == 1
    assert "pages/archive.md" in err and "archive/index.html" in err
    assert not (site / "public").exists()


def test_a_bad_page_is_reported_and_the_rest_builds(site):
    (site / "content" / "pages" / "bad.md").write_text("---\ntitle: [\n---\nx\n", encoding="utf-8")
    (site / "content" / "pages" / "deep.md").write_text(
        "---\ntitle: 深\n---\n\n" + "<div>" * 100_000 + "\n", encoding="utf-8")
    code, err = build(site)
    assert code == 1 and "pages/bad.md:3: YAML error" in err
    assert "pages/deep.md:5: raw HTML here nests more than 5,000 elements deep" in err
    assert (site / "public" / "about" / "index.html").is_file()
