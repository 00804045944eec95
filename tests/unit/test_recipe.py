"""Saved page contexts: loading one and saving it again gives the same bytes and digest.

Patching (generator.incremental.patch) renders a page from its saved context and compares the digest
with the one the full build recorded: an unchanged page must get the same digest, or the
output's marker would differ from a clean build's.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from generator import outputs
from generator.config import load_config
from generator.model.site import load_site
from generator.render import recipe

FIXTURE = Path(__file__).parent.parent / "fixtures" / "site"


def planned_pages():
    cfg = load_config(FIXTURE)
    site, _ = load_site(cfg)
    pages = [o for plan in outputs.ALL for o in plan(site, cfg) if o.template]
    return site, pages


def test_a_saved_context_round_trips_to_the_same_bytes_and_digest():
    site, pages = planned_pages()
    by_key = {e.key: e for e in site.entries}
    assert len(pages) > 50
    for out in pages:
        data, keys, digest, mac = recipe.record(out.template, out.resolved_context())
        again = recipe.record(out.template, recipe.loads(data, by_key.__getitem__))
        assert again == (data, keys, digest, mac), out.path
        assert recipe.entry_keys(data) == set(keys)


def test_the_digest_follows_the_entries_a_page_shows():
    site, pages = planned_pages()
    home = next(o for o in pages if o.path == "index.html")
    context = home.resolved_context()
    data, keys, digest, _ = recipe.record("index.html", context)
    shown = context["entries"][0]
    assert shown.key in keys
    edited = dataclasses.replace(shown, digest="0" * 40)
    swapped = recipe.loads(data, lambda k: edited if k == shown.key else
                           next(e for e in site.entries if e.key == k))
    assert recipe.record("index.html", swapped)[2] != digest
    assert recipe.record("other.html", context)[2] != digest
