"""Bounds on Markdown before native code: nesting flattened, references counted."""

from __future__ import annotations

from pathlib import Path

import lxml.html
import pytest

from generator.markup import limits, markdown

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "corpus" / "markdown_clean"


def depth(html: str, tag: str) -> int:
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    return max((len(e.xpath(f"ancestor-or-self::{tag}")) for e in root.iter(tag)), default=0)


@pytest.mark.parametrize("line, tag", [
    (">" * 100_000 + " 末", "blockquote"),
    ("> " * 500 + "末", "blockquote"),
    ("- " * 500 + "末", "ul"),
    ("1. " * 500 + "末", "ol"),
    ("12) " * 500 + "末", "ol"),
    ("\t" * 60 + "> " * 80 + "末", "blockquote"),
], ids=["quotes-100k", "spaced-quotes", "bullets", "ordered", "ordered-paren", "tabs"])
def test_a_line_opens_at_most_the_limit_and_keeps_its_text(line, tag):
    html, text = markdown.render(line + "\n")
    assert depth(html, tag) <= limits.MAX_NESTING
    assert text.endswith("末")


def test_nesting_within_the_limit_is_untouched():
    body = "> " * 99 + "x\n\n" + "- " * 50 + "y\n\n" + " " * 60 + "code\n\n    " + ">" * 80 + "\n"
    assert limits.flatten(body) == body
    assert depth(markdown.render("> " * 100 + "x\n")[0], "blockquote") == 100


def test_indentation_counts_towards_the_limit():
    """A list continued by indentation nests deeper line by line: two columns, one level."""
    body = "- " * 90 + "a\n" + " " * 180 + "- " * 90 + "b\n"
    html, _ = markdown.render(body)
    assert depth(html, "ul") <= limits.MAX_NESTING + 1


def test_real_articles_pass_unchanged():
    for path in sorted(CORPUS.glob("*.md")):
        text = path.read_text("utf-8")
        assert limits.flatten(text) == text, path.name
        assert not limits.many_references(text)


def test_many_references_take_the_python_parser_with_the_same_html():
    refs = "".join(f"[r{i}]: https://example.com/{i}\n" for i in range(limits.MAX_REFERENCES + 1))
    body = "见[甲][r0]与[乙][r1000]。\n\n" + refs
    assert limits.many_references(body)
    assert not limits.many_references(body[: body.index("[r999]:")])
    html = markdown.to_html(body)
    assert '<a href="https://example.com/1000">乙</a>' in html
    assert html == markdown._CONVERT(body)


def test_raw_html_nesting_is_bounded_where_it_passes_the_limit():
    n = limits.MAX_HTML_DEPTH
    assert limits.too_deep_html("<div>" * n + "x" + "</div>" * n) is None
    body = "甲\n\n" + "<blockquote class='q'>" * n + "<DIV>" + "<div>" * 10
    assert limits.too_deep_html(body) == body.index("<DIV>")
    closed = ("<div>" * 100 + "</div>" * 100) * (n // 50)  # many blocks, none deep
    assert limits.too_deep_html(closed) is None
    # void elements, self-closed ones and those a sibling closes never add a level
    flat = "<div>" + ("<p>x<br><img src=a.png><li>y<td>z<span/>" * n) + "</div>"
    assert limits.too_deep_html(flat) is None
