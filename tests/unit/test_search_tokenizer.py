"""The search tokenizer against the shared case table (search.js is checked against the same)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.search import tokenizer
from generator.search.query import parse

CASES = json.loads((Path(__file__).parent.parent / "fixtures" / "search_site" /
                    "tokenizer_cases.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("text, folded", CASES["fold"])
def test_fold(text, folded):
    assert tokenizer.fold(text) == folded


@pytest.mark.parametrize("case", CASES["tokens"], ids=lambda c: c["text"][:12])
def test_tokens(case):
    assert tokenizer.token_list(case["text"], case["title"]) == case["tokens"]


@pytest.mark.parametrize("run, bigrams", CASES["cover"])
def test_cover(run, bigrams):
    assert [list(b) for b in tokenizer.cover(run)] == bigrams


@pytest.mark.parametrize("query, terms", CASES["parse"])
def test_parse(query, terms):
    assert [[t.kind, t.text] for t in parse(query)] == terms


@pytest.mark.parametrize("token, key, fnv, shards, shard", CASES["shard"])
def test_shard(token, key, fnv, shards, shard):
    assert tokenizer.shard_key(token) == key
    assert tokenizer.fnv1a(key) == fnv
    assert tokenizer.shard_of(token, shards) == shard


def test_cover_pins_every_character():
    for n in range(2, 12):
        run = "".join(chr(0x4E00 + i) for i in range(n))
        picked = tokenizer.cover(run)
        covered = {o + k for _, o in picked for k in (0, 1)}
        assert covered == set(range(n))
        assert len(picked) == n // 2 + n % 2


TEXT = st.text(st.sampled_from(
    "段简单的测试ＡＢＣabcXYZİΣσς 𠮷😀，。…①ﬁｶﾞe\u0301\u3000豈\uf900Ⅻ-_'1"), max_size=40)


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_fold_keeps_utf16_length(text):
    shown = tokenizer.normalize(text)
    assert tokenizer.units(tokenizer.fold(text)) == tokenizer.units(shown)
    assert tokenizer.fold(shown) == tokenizer.fold(text)


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_token_offsets_point_at_the_token(text):
    folded = tokenizer.fold(text)
    utf16 = folded.encode("utf-16-le")
    for token, offsets in tokenizer.tokens(folded, title=True).items():
        for at in offsets:
            assert utf16[2 * at: 2 * at + 2 * tokenizer.units(token)].decode("utf-16-le") == token
