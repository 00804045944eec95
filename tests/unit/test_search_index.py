"""Search index: exact substring recall and precision, ranking, facets data, layout, determinism."""

from __future__ import annotations

import dataclasses
import gzip
import json
import random
from pathlib import Path

import pytest

from generator.config import SearchConfig, load_config
from generator.model.site import load_site
from generator.outputs import search as search_output
from generator.search import index as search_index
from generator.search import tokenizer
from generator.search.index import SearchDoc, build_index
from tests.search_reference import Index, scan

FIXTURE = Path(__file__).parent.parent / "fixtures" / "search_site"


@pytest.fixture(scope="module")
def fixture_site():
    cfg = load_config(FIXTURE)
    site, problems = load_site(cfg)
    assert not problems
    return cfg, site


@pytest.fixture(scope="module")
def built(fixture_site):
    """(docs, files, Index, slug by doc id) of the fixture site, as the build plans them."""
    cfg, site = fixture_site
    docs = [search_output.search_doc(e) for e in site.entries]
    files = build_index(docs)
    return docs, files, Index(files.__getitem__), [e.slug for e in site.entries]


def slugs(built, query, sort="relevance"):
    _, _, ix, names = built
    return [names[h.doc] for h in ix.search(query, sort)]


CLASSES = {
    # query: the fixture articles holding it; s27 holds every decoy (the parts apart)
    "雪": {"s06", "s07", "s26"},             # one character, in a title or a body
    "2018年": {"s26"},                       # digits + one Chinese character
    "3月": {"s26"},
    "A股": {"s26"},
    "b站": {"s26"},
    "12点": {"s26"},
    "AI交互": {"s26"},                       # mixed script: adjacency, not AND
    "P2P平台": {"s26"},
    "Git/SVN": {"s26"},                      # punctuation inside the term
    "gpt": {"s26", "s27"},                   # infix of ChatGPT; s27 has GPT alone
    "hatg": {"s26"},
    "Ａ股": {"s26"},                          # width variants, both ways
    "２０１８": {"s26", "s27"},
    "星火科技": {"s26"},                      # account names are searchable text
    "星火": {"s26", "s27"},
    "P2P 平台": {"s26", "s27"},              # space-separated terms: AND
    "A股 雪落": {"s26"},
    "段简": {"s01"},                         # crosses a word boundary; s05 has 段 and 简 apart
    "简单的测试": {"s01"},
    "一段简单的测试文本": {"s01"},
    "ＡＢＣ": {"s03"},
    "aBc": {"s03"},
    "python": {"s03", "s04"},               # s03 writes it in full-width letters
    "pyth": {"s03", "s04"},
    "ytho": {"s03", "s04"},
    "Python教程": {"s04"},
    "covid 新冠": {"s12"},
    "COVID-19": {"s12"},
    "下雪": {"s07"},
    "img": {"s02"},
    "𠮷野家": {"s13"},                       # astral characters: two UTF-16 units each
    "之后是生僻字𠮷野": {"s13"},
    "𠮷": {"s13"},
    "表情之后": set(),                        # an emoji stands between them
    "白鹭": {"s14"},
    "不存在的词": set(),
    "，。": set(),
}


@pytest.mark.parametrize("query", sorted(CLASSES))
def test_query_classes_match_brute_force(built, query):
    docs, _, _, names = built
    assert set(slugs(built, query)) == CLASSES[query]
    assert {names[i] for i in scan(docs, query)} == CLASSES[query]


def test_ranking_title_first_then_bm25_then_newest(built):
    # s08 has it in the title; s09 five times in a short body; s11 and s10 tie (s11 newer);
    # s06 and s14 only name it in their account (灯塔号), s14's body is longer; s07 is undated.
    assert slugs(built, "灯塔") == ["s08", "s09", "s11", "s10", "s06", "s07", "s14"]
    assert slugs(built, "灯塔", "newest") == ["s14", "s06", "s09", "s11", "s10", "s08", "s07"]
    assert slugs(built, "灯塔", "oldest") == ["s08", "s10", "s11", "s09", "s06", "s14", "s07"]


def test_every_substring_of_the_fixture_is_found_exactly(built):
    docs, _, ix, _ = built
    queries = set()
    for doc in docs:
        for field in (doc.title, doc.account or "", doc.text):
            text = tokenizer.fold(field)
            for n in (1, 2, 3, 4, 7):
                queries.update(text[i:i + n] for i in range(0, len(text) - n + 1, 3))
    queries = {q for q in queries if tokenizer.terms(q)}
    assert len(queries) > 500
    for q in sorted(queries):
        assert {h.doc for h in ix.search(q)} == scan(docs, q), q


def _random_docs(rng: random.Random, n: int) -> list[SearchDoc]:
    """Texts over a tiny alphabet, so substrings repeat, overlap (啊啊啊) and cross boundaries."""
    han = "啊段简单的测试𠮷"
    words = ["ab", "abc", "Abd", "ＡＢＣ", "x", "xy", "2018"]
    docs = []
    for i in range(n):
        parts = []
        for _ in range(rng.randint(1, 25)):
            r = rng.random()
            parts.append("".join(rng.choice(han) for _ in range(rng.randint(1, 6))) if r < 0.6
                         else rng.choice(words) if r < 0.8 else rng.choice(" ，。😀-"))
        title = "".join(rng.choice(han) for _ in range(rng.randint(0, 4)))
        day = None if i % 9 == 8 else f"20{10 + i % 9:02d}-01-01"
        docs.append(SearchDoc(title, f"d{i}/", "".join(parts), day, f"号{i % 3}", ("甲",)))
    days = sorted((d for d in docs if d.date), key=lambda d: d.date, reverse=True)
    return days + [d for d in docs if not d.date]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_corpus_matches_substring_truth(seed):
    rng = random.Random(seed)
    docs = _random_docs(rng, 60)
    ix = Index(build_index(docs, shards=7).__getitem__)
    han = "啊段简单的测试𠮷"
    queries = ["".join(rng.choice(han) for _ in range(rng.randint(1, 6))) for _ in range(150)]
    queries += ["ab", "abc", "ＡＢ", "a", "x", "xy", "20", "2018", "啊啊啊", "啊啊啊啊", "ab 啊啊"]
    for doc in docs[:20]:
        text = tokenizer.fold(doc.text)
        for _ in range(5):
            i = rng.randrange(len(text))
            queries.append(text[i:i + rng.randint(2, 8)])
    for q in queries:
        assert {h.doc for h in ix.search(q)} == scan(docs, q), q


def test_a_query_fetches_only_what_it_needs():
    docs = _random_docs(random.Random(5), 200)
    ix = Index(build_index(docs, shards=50).__getitem__)
    ix.search("段简")  # one key: its shard's directory and its postings; lengths for ranking
    assert {f.split("/", 1)[1][:2] for f in ix.fetched} == {"k/", "p/", "le"}
    assert len(ix.fetched) == 3
    ix.search("段简单的")  # two cover pairs, with positions
    assert len({f for f in ix.fetched if "/k/" in f}) <= 3
    ix.search("单")
    assert not any("/d/" in f or "/t/" in f or "facets" in f for f in ix.fetched)


def test_files_and_manifest(built):
    docs, files, ix, names = built
    manifest = json.loads(files["manifest.json"])
    assert manifest["format"] == "wenji-search" and manifest["version"] == 2
    assert manifest["docs"] == len(docs) == 27
    assert manifest["years"][0] == [2022, 0, 1]
    assert manifest["years"][-1] == [2014, 24, 2]
    assert sum(y[2] for y in manifest["years"]) == 26  # s07 is undated (and last)
    assert names[-1] == "s07"
    [base] = manifest["segments"]
    assert base["ids"] is None and base["docs"] == 27 and base["chunk"] == 8
    name = base["name"]
    assert set(files) == ({"manifest.json"} | {f"{name}/{f}" for f in
                          ["lengths.json.gz", "facets.json.gz", "t/0.bin"]}
                          | {f"{name}/d/{n}.json.gz" for n in range(4)}
                          | {f"{name}/{kind}/{n}.bin" for n in range(base["shards"])
                             for kind in "kp"})
    facets = json.loads(gzip.decompress(files[f"{name}/facets.json.gz"]))
    i = names.index("s02")
    assert facets["accounts"][facets["a"][i]] == "<b>粗体号</b>"
    assert [facets["tags"][t] for t in facets["g"][i]] == ["<script>alert(2)</script>", "安全"]
    meta = ix.doc(i)
    assert meta["t"] == "<img src=x onerror=alert(1)>" and meta["u"] == "2020/07/s02/"
    assert meta["d"] == "2020-07-01"
    f, start, length = meta["x"]
    body = files[f"{name}/t/{f}.bin"][2 * start:2 * (start + length)].decode("utf-16-le")
    assert body == tokenizer.normalize(docs[i].text)


def test_plan_outputs(fixture_site):
    cfg, site = fixture_site
    outputs = search_output.plan(site, cfg)
    page = [o for o in outputs if o.template]
    assert [(o.path, o.template) for o in page] == [("search/index.html", "search.html")]
    [folder] = [o for o in outputs if o.files]  # made in the write phase, not while planning
    assert folder.path == "search"
    files: dict[str, bytes] = {}
    folder.files(files.__setitem__)
    assert files == build_index(search_output.search_doc(e) for e in site.entries)
    assert list(files)[-1] == "manifest.json"  # written last
    off = dataclasses.replace(cfg, search=SearchConfig(enabled=False))
    assert search_output.plan(site, off) == []
    fixed = dataclasses.replace(cfg, search=SearchConfig(shards=3))
    [folder] = [o for o in search_output.plan(site, fixed) if o.files]
    files.clear()
    folder.files(files.__setitem__)
    assert json.loads(files["manifest.json"])["segments"][0]["shards"] == 3


def test_bytes_are_deterministic():
    docs = _random_docs(random.Random(9), 120)
    assert build_index(docs) == build_index(docs)


def test_layout_keeps_under_a_thousand_files():
    assert search_index.layout(100_000, 150_000_000)[0] == search_index.MAX_SHARDS
    chunk, text_bytes = search_index.layout(100_000, 150_000_000)[1:]
    assert -(-100_000 // chunk) <= search_index.MAX_CHUNKS
    assert -(-300_000_000 // text_bytes) <= search_index.MAX_TEXT_FILES
    base = 2 * search_index.MAX_SHARDS + search_index.MAX_CHUNKS + search_index.MAX_TEXT_FILES + 3
    assert base < 1000


def test_empty_and_bodiless_sites():
    empty = build_index([])
    assert json.loads(empty["manifest.json"])["docs"] == 0
    assert Index(empty.__getitem__).search("测试") == []
    files = build_index([SearchDoc("只有标题", "a/", "", "2020-01-01")])
    ix = Index(files.__getitem__)
    assert [h.doc for h in ix.search("标题")] == [0] and ix.search("题") and not ix.search("无")
