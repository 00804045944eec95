"""The Jinja environment: partial_cached renders a fragment once per page root and variant."""

from __future__ import annotations

import re
from pathlib import Path

import jinja2
import pytest

from generator.config import load_config, override
from generator.render import env as render_env
from generator.render.env import make_env, render
from generator.render.theme import Theme


@pytest.fixture
def site(tmp_path: Path) -> Path:
    (tmp_path / "site.yml").write_text("title: T\nbase_url: https://example.org/a/\n")
    templates = tmp_path / "theme" / "templates"
    (templates / "partials").mkdir(parents=True)
    (templates / "partials" / "card.html").write_text(
        '<a href="{{ it.url | link }}">{{ it.name }}</a>{{ bump() }}', encoding="utf-8")
    (templates / "list.html").write_text(
        '{% for x in items %}{{ partial_cached("partials/card.html", x, x.url) }};{% endfor %}',
        encoding="utf-8")
    return tmp_path


def _env(site: Path, **changes):
    cfg = override(load_config(site), **changes)
    env = make_env(cfg, Theme.load(cfg))
    calls = []
    env.globals["bump"] = lambda: calls.append(1) or ""
    return env, calls


ITEMS = [{"url": "2020/01/x/", "name": "<甲>"}, {"url": "2020/01/y/", "name": "乙"}]


def test_a_cached_partial_renders_once_per_variant(site):
    env, calls = _env(site)
    first = render(env, "list.html", "index.html", {"items": ITEMS})
    again = render(env, "list.html", "tags/t/index.html", {"items": ITEMS[::-1] + ITEMS})
    assert first.decode() == ('<a href="/a/2020/01/x/">&lt;甲&gt;</a>;'
                              '<a href="/a/2020/01/y/">乙</a>;')
    assert again.decode().count("&lt;甲&gt;") == 2
    assert len(calls) == 2  # two items, each rendered once for both pages


def test_relative_links_are_cached_per_page_depth(site):
    env, calls = _env(site, relative_links=True)
    top = render(env, "list.html", "index.html", {"items": ITEMS[:1]})
    deep = render(env, "list.html", "tags/t/index.html", {"items": ITEMS[:1]})
    also_deep = render(env, "list.html", "tags/u/index.html", {"items": ITEMS[:1]})
    assert top.decode() == '<a href="./2020/01/x/">&lt;甲&gt;</a>;'
    assert deep.decode() == '<a href="../../2020/01/x/">&lt;甲&gt;</a>;' == also_deep.decode()
    assert len(calls) == 2  # one per depth


def test_the_cache_starts_afresh_when_full(site, monkeypatch):
    monkeypatch.setattr(render_env, "FRAGMENT_LIMIT", 1)
    env, calls = _env(site)
    for _ in range(2):
        assert render(env, "list.html", "index.html", {"items": ITEMS}).decode().count("<a") == 2
    assert len(calls) == 4
    assert len(env.fragments) == 1  # type: ignore[attr-defined]


def test_each_build_environment_has_its_own_cache(site):
    env, calls = _env(site)
    render(env, "list.html", "index.html", {"items": ITEMS})
    other, other_calls = _env(site)
    render(other, "list.html", "index.html", {"items": ITEMS})
    assert len(calls) == 2 and len(other_calls) == 2


def test_a_cached_partial_cannot_read_the_page_url(site):
    """What a cached partial shows must not depend on the page: page.url fails loudly."""
    (site / "theme" / "templates" / "partials" / "card.html").write_text(
        "{{ page.url }}", encoding="utf-8")
    env, _ = _env(site)
    with pytest.raises(jinja2.UndefinedError, match="url"):
        render(env, "list.html", "index.html", {"items": ITEMS})


def test_the_default_header_marks_the_section_of_every_page(tmp_path):
    """The header is cached per first URL segment; aria-current follows the page's section."""
    (tmp_path / "site.yml").write_text("title: T\nbase_url: https://example.org/\n")
    cfg = load_config(tmp_path)
    env = make_env(cfg, Theme.load(cfg))
    current = {}
    for path in ("index.html", "page/2/index.html", "archive/index.html", "2020/index.html",
                 "tags/index.html", "tags/by-name.html", "tags/党建/index.html",
                 "accounts/x/index.html", "404.html", "index.html"):
        html = render(env, "404.html", path, {"title": "x"}).decode()
        current[path] = re.findall(r'<a href="([^"]*)" aria-current="page">', html)
    assert current == {
        "index.html": ["/"], "page/2/index.html": [], "archive/index.html": ["/archive/"],
        "2020/index.html": [], "tags/index.html": ["/tags/"], "tags/by-name.html": ["/tags/"],
        "tags/党建/index.html": ["/tags/"], "accounts/x/index.html": ["/accounts/"],
        "404.html": []}
