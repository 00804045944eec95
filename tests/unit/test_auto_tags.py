"""Automatic tags (jieba, the autotags extra): chosen across an import, without name pieces,
near-duplicates, stop words or keywords that only one article has."""

import io
from pathlib import Path

import pytest

from generator.cli import main
from generator.clean import normalize
from generator.clean.tags import auto_tags, candidates
from generator.config import SiteConfig
from generator.ingest import convert

pytest.importorskip("jieba")

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "corpus" / "markdown_clean"


def docs(*keys: str) -> list[tuple[str, str, list[str]]]:
    """(title, text, tags) of real articles, as the importer reads them."""
    found = []
    for key in keys:
        path = next(CORPUS.glob(f"*{key}*"))
        (item,) = convert(path, path.read_bytes(), None, SiteConfig())
        front = item.article.front
        found.append((front.title, normalize.plain(item.article.body), list(front.tags)))
    return found


def test_pieces_of_a_name_are_not_tags():
    ((title, text, _),) = docs("jia-ling-min")
    words = candidates(title, text, 15)
    assert "贾灵敏" in f"{title}{text}" and "灵敏" not in words


def test_tags_are_chosen_across_the_import():
    articles = docs("jia-ling-min", "qiuyu", "ugly-law", "wanglinqing", "regret-of-wuhan",
                    "people-outside", "li-wen-liang")
    chosen = auto_tags(articles, 5)
    found = [set(candidates(t, x, 15)) for t, x, _ in articles]
    assert sum(map(len, chosen)) >= 10
    for (_, _, have), words in zip(articles, chosen):
        assert len(words) <= 5
        tags = have + words
        assert not any(a != b and a in b for a in tags for b in tags), tags  # no near-duplicates
        for w in words:
            assert sum(w in f for f in found) >= 2, w  # another article has it too


def test_one_article_alone_keeps_its_own_keywords():
    (words,) = auto_tags(docs("qiuyu"), 3)
    assert len(words) == 3


def test_near_duplicates_of_tags_the_article_has_are_left_out():
    ((title, text, _),) = docs("regret-of-wuhan")
    assert "肺炎" in candidates(title, text, 15)
    (words,) = auto_tags([(title, text, ["新冠肺炎"])], 5)
    assert words and "肺炎" not in words


def test_stop_words_and_latin_noise_are_not_tags():
    text = ("我们今天在公众号文章里点击阅读原文。我们分享 the file and the article text。"
            "我们 我们 我们 点击 点击 阅读 阅读 file file article article")
    words = candidates("我们的文章", text, 10)
    assert not {"我们", "文章", "公众号", "点击", "阅读", "file", "article", "the"} & set(words)


def test_import_chooses_tags_across_the_whole_import(tmp_path):
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    (site / "site.yml").write_text("import:\n  auto_tags: 3\n", encoding="utf-8")
    src = tmp_path / "src"
    src.mkdir()
    for key in ("qiuyu", "ugly-law", "wanglinqing"):
        path = next(CORPUS.glob(f"*{key}*"))
        (src / path.name).write_bytes(path.read_bytes())
    out, err = io.StringIO(), io.StringIO()
    assert main(["import", "--site", str(site), str(src)], out, err) == 0, err.getvalue()
    texts = [p.read_text(encoding="utf-8") for p in sorted((site / "content").glob("*.md"))]
    assert len(texts) == 3
    tag_lines = [next(line for line in t.splitlines() if line.startswith("tags:")) for t in texts]
    tag_sets = [set(line[7:-1].split(", ")) for line in tag_lines]
    source = set().union(*(set(have) for _, _, have in docs("qiuyu", "ugly-law", "wanglinqing")))
    automatic = set().union(*tag_sets) - source
    assert automatic, tag_lines
    for tag in automatic:  # an automatic tag links at least two of the articles
        assert sum(tag in tags for tags in tag_sets) >= 2, tag_lines
    out = io.StringIO()  # the same import again changes nothing
    assert main(["import", "--site", str(site), str(src)], out, io.StringIO()) == 0
    assert "3 unchanged" in out.getvalue()
