"""The search text rules against the shared case table (search.js is checked against the same)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.search import postings, tokenizer
from tests.search_reference import cover, key_of

CASES = json.loads((Path(__file__).parent.parent / "fixtures" / "search_site" /
                    "tokenizer_cases.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("text, folded", CASES["fold"])
def test_fold(text, folded):
    assert tokenizer.fold(text) == folded


@pytest.mark.parametrize("query, terms", CASES["terms"])
def test_terms(query, terms):
    assert tokenizer.terms(query) == terms


@pytest.mark.parametrize("units, key, shards, shard", CASES["keys"])
def test_keys_and_shards(units, key, shards, shard):
    assert key_of(units) == key
    assert postings.shard_of(key, shards) == shard


@pytest.mark.parametrize("n, starts", CASES["cover"])
def test_cover_pins_every_code_unit(n, starts):
    assert cover(n) == starts
    assert {s + k for s in starts for k in (0, 1)} == set(range(n))


TEXT = st.text(st.sampled_from(
    "段简单的测试ＡＢＣabcXYZİΣσς 𠮷😀，。…①ﬁｶﾞe\u0301\u3000豈\uf900Ⅻ-_'1"), max_size=40)


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_fold_keeps_utf16_length(text):
    shown = tokenizer.normalize(text)
    assert tokenizer.units(tokenizer.fold(text)) == tokenizer.units(shown)
    assert tokenizer.fold(shown) == tokenizer.fold(text)


@settings(max_examples=200, deadline=None)
@given(TEXT)
def test_terms_hold_no_space(query):
    for term in tokenizer.terms(query):
        assert term and not set(term) & set(tokenizer.SPACE)
