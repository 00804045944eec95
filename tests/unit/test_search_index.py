"""Search index: exact substring recall and precision, ranking, facets data, layout, determinism."""

from __future__ import annotations

import dataclasses
import gzip
import json
import random
from pathlib import Path

import pytest

from generator.config import SearchConfig, load_config
from generator.model.site import can_fork, load_site
from generator.outputs import search as search_output
from generator.search import index as search_index
from generator.search import tokenizer
from generator.search.index import SearchDoc, build_index
from generator.search.postings import Postings
from generator.search.query import Index, decode, parse, scan

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
    outputs = search_output.plan(site, cfg)
    files = {o.path.removeprefix("search/"): o.data for o in outputs if o.data is not None}
    docs = [search_output.search_doc(e) for e in site.entries]
    return docs, files, Index(files.__getitem__), [e.slug for e in site.entries]


def slugs(built, query, sort="relevance"):
    _, _, ix, names = built
    return [names[h.doc] for h in ix.search(query, sort)]


@pytest.mark.parametrize("query, expected", [
    ("段简", {"s01"}),                      # crosses a word boundary; s05 has 段 and 简 apart
    ("的测", {"s01"}),
    ("简单的测试", {"s01"}),
    ("一段简单的测试文本", {"s01"}),
    ("ＡＢＣ", {"s03"}),                     # full-width query, full-width text
    ("abc", {"s03"}),
    ("aBc", {"s03"}),
    ("python", {"s03", "s04"}),             # s03 writes it in full-width letters
    ("pyth", {"s03", "s04"}),               # prefix
    ("pythonic", {"s04"}),
    ("Python教程", {"s04"}),                # mixed Chinese/Latin: AND
    ("covid 新冠", {"s12"}),
    ("COVID-19", {"s12"}),
    ("雪", {"s06"}),                        # 1 character: titles only (s07 says 下雪 in its body)
    ("的", {"s01", "s07"}),
    ("下雪", {"s07"}),
    ("img", {"s02"}),
    ("onerror", {"s02"}),
    ("𠮷野家", {"s13"}),                    # astral characters: UTF-16 offsets
    ("之后是生僻字𠮷野", {"s13"}),
    ("表情之后", set()),                     # an emoji stands between them
    ("白鹭", {"s14"}),
    ("海风", {f"s{n}" for n in range(15, 26)}),
    ("不存在的词", set()),
    ("，。", set()),
])
def test_known_answers(built, query, expected):
    docs = built[0]
    assert set(slugs(built, query)) == expected
    assert {built[3][i] for i in scan(docs, query)} == expected


def test_ranking_title_first_then_bm25_then_newest(built):
    # s08 has it in the title; s09 five times in a short body; s11 and s10 tie (s11 newer);
    # undated s07 has a longer body.
    assert slugs(built, "灯塔") == ["s08", "s09", "s11", "s10", "s07"]
    assert slugs(built, "灯塔", "newest") == ["s09", "s11", "s10", "s08", "s07"]
    assert slugs(built, "灯塔", "oldest") == ["s08", "s10", "s11", "s09", "s07"]


def test_every_substring_of_the_fixture_is_found_exactly(built):
    docs, _, ix, _ = built
    queries = set()
    for doc in docs:
        for field in (doc.title, doc.text):
            for kind, _, run in tokenizer.runs(tokenizer.fold(field)):
                chars = list(run)
                if kind == "w":
                    queries.update("".join(chars[:n]) for n in range(1, len(chars) + 1))
                    continue
                for n in (1, 2, 3, 4, 7):
                    queries.update("".join(chars[i:i + n]) for i in range(0, len(chars) - n + 1, 3))
    assert len(queries) > 300
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


def test_match_offsets_point_into_the_stored_text(built):
    docs, _, ix, _ = built
    for q in ["灯塔", "𠮷野家", "白鹭", "python", "covid"]:
        for hit in ix.search(q):
            text = ix.text(hit.doc)
            assert text == tokenizer.normalize(docs[hit.doc].text)
            term = parse(q)[0]
            for at in hit.matches[0][1]:
                shown = text.encode("utf-16-le")[2 * at: 2 * (at + tokenizer.units(term.text))]
                assert tokenizer.fold(shown.decode("utf-16-le")) == term.text


def test_a_query_fetches_only_what_it_needs(built):
    _, _, _, _ = built
    docs = _random_docs(random.Random(5), 200)
    files = build_index(docs, shards=50)
    ix = Index(files.__getitem__)
    ix.search("段简单的")   # 2 cover bigrams
    shards = {f for f in ix.fetched if f.startswith("p/")}
    assert 1 <= len(shards) <= 2
    assert ix.fetched - shards == {"manifest.json", "lengths.json.gz"}


def test_files_and_manifest(built, fixture_site):
    docs, files, ix, names = built
    manifest = json.loads(files["manifest.json"])
    assert manifest["format"] == "wenji-search" and manifest["version"] == 1
    assert manifest["docs"] == len(docs) == 25
    assert manifest["years"][0] == [2022, 0, 1]
    assert manifest["years"][-1] == [2015, 13, 11]
    assert sum(y[2] for y in manifest["years"]) == 24  # s07 is undated (and last)
    assert names[-1] == "s07"
    assert manifest["chunk"] == 8
    assert set(files) == ({"manifest.json", "lengths.json.gz", "facets.json.gz", "t/0.bin"}
                          | {f"d/{n}.json.gz" for n in range(4)}
                          | {f"p/{n}.json.gz" for n in range(manifest["shards"])})
    facets = json.loads(gzip.decompress(files["facets.json.gz"]))
    i = names.index("s02")
    assert facets["accounts"][facets["a"][i]] == "<b>粗体号</b>"
    assert [facets["tags"][t] for t in facets["g"][i]] == ["<script>alert(2)</script>", "安全"]
    meta = ix.doc(i)
    assert meta["t"] == "<img src=x onerror=alert(1)>" and meta["u"] == "2020/07/s02/"
    assert meta["d"] == "2020-07-01"


def test_plan_outputs(fixture_site):
    cfg, site = fixture_site
    outputs = search_output.plan(site, cfg)
    page = [o for o in outputs if o.template]
    assert [(o.path, o.template) for o in page] == [("search/index.html", "search.html")]
    assert all(o.path.startswith("search/") for o in outputs)
    off = dataclasses.replace(cfg, search=SearchConfig(enabled=False))
    assert search_output.plan(site, off) == []
    fixed = dataclasses.replace(cfg, search=SearchConfig(shards=3))
    assert json.loads(next(o.data for o in search_output.plan(site, fixed)
                           if o.path == "search/manifest.json"))["shards"] == 3


def test_bytes_are_deterministic(fixture_site, monkeypatch):
    docs = _random_docs(random.Random(9), 120)
    first = build_index(docs)
    assert build_index(docs) == first
    if can_fork():  # the forked path must give the very same bytes
        monkeypatch.setattr(search_index, "PARALLEL_FROM", 2)
        assert build_index(docs) == first


def test_postings_round_trip():
    postings = Postings()
    postings.add(0, "", "简单")
    postings.add(5, "段简", "。。。段简单" + "x" * 33 + "段简段简")
    lists = postings.lists()
    assert decode(list(lists["段简"])) == {5: ([0], [3, 39, 41])}
    assert decode(list(lists["简单"])) == {0: ([], [0]), 5: ([], [4])}
    assert decode(list(lists["段"])) == {5: ([0], [])}


@pytest.mark.parametrize("seed", [4, 5])
def test_postings_hold_exactly_the_tokenizer_tokens(seed):
    docs = _random_docs(random.Random(seed), 40)
    halves = [Postings(), Postings()]
    for i, doc in enumerate(docs):
        halves[i >= 20].add(i, tokenizer.fold(doc.title), tokenizer.fold(doc.text))
    whole = halves[0]
    whole.merge(halves[1])
    got: dict[tuple[str, int], tuple[list[int], list[int]]] = {}
    for tok, ints in whole.lists().items():
        for d, positions in decode(list(ints)).items():
            got[tok, d] = positions
    want = {}
    for i, doc in enumerate(docs):
        title = tokenizer.tokens(tokenizer.fold(doc.title), title=True)
        body = tokenizer.tokens(tokenizer.fold(doc.text))
        for tok in title.keys() | body.keys():
            want[tok, i] = (title.get(tok, []), body.get(tok, []))
    assert got == want


def test_shard_count_follows_size():
    rng = random.Random(3)
    small = build_index(_random_docs(rng, 5))
    assert json.loads(small["manifest.json"])["shards"] == 1
    chunk, text_bytes = search_index._layout(100_000, 150_000_000)
    assert -(-100_000 // chunk) <= search_index.MAX_CHUNKS
    assert -(-300_000_000 // text_bytes) <= search_index.MAX_TEXT_FILES
    assert search_index.MAX_SHARDS + search_index.MAX_CHUNKS + search_index.MAX_TEXT_FILES + 4 < 1000


def test_empty_and_bodiless_sites():
    empty = build_index([])
    assert json.loads(empty["manifest.json"])["docs"] == 0
    assert Index(empty.__getitem__).search("测试") == []
    files = build_index([SearchDoc("只有标题", "a/", "", "2020-01-01")])
    ix = Index(files.__getitem__)
    assert [h.doc for h in ix.search("标题")] == [0] and ix.text(0) == ""
