"""Bounds on a Markdown body before it reaches native code (markdown-it-pyrs, nh3).

markdown-it-pyrs recurses once per nesting level of quotes and lists: about 40,000 levels
overflow the stack and kill the process. html5ever (inside nh3) spends time on every element
in proportion to the depth it sits at: 50,000 nested quotes take over ten seconds. And
markdown-it-pyrs takes time quadratic in the number of link reference definitions (20,000:
17 s). Real articles come nowhere near these; hostile or broken ones do. So:

- MAX_BODY_CHARS: a longer body is not rendered; the article is reported (check).
- MAX_NESTING: a line whose quote and list markers (with the indentation before them, two
  columns counting as a level of the list it may continue) would open more levels than this
  is flattened: the first marker past the limit is escaped with a backslash, so it and the
  rest of the line read as text at the deepest level allowed. No text is lost; only the excess nesting is. (A code
  line indented by over 200 columns and starting with a marker would show the backslash.)
- MAX_REFERENCES: a body with more reference definitions is converted by the pure-Python
  markdown-it-py, which writes the same HTML in linear time (about ten times slower).

- MAX_HTML_DEPTH: raw HTML whose elements nest deeper than this is not rendered; the article
  is reported with the line where the limit is passed (check). html5ever's time grows
  with the square of the depth (150,000 nested divs: minutes); no browser shows such a page
  anyway (Chromium stops nesting at 512).

Whatever gets past these meets the per-article time budget (generator.pool).
"""

from __future__ import annotations

import re
from pathlib import Path

from generator.errors import GeneratorError

MAX_BODY_CHARS = 4_000_000
"""Characters of Markdown body (about 200 times the longest WeChat article)."""
MAX_NESTING = 100
"""Quote and list levels opened by one line."""
MAX_REFERENCES = 1000
"""Link reference (and footnote) definitions the fast converter is given."""
MAX_HTML_DEPTH = 5000
"""Levels of raw HTML elements open at once."""

_START = r"[ \t>*+\-0-9.)]{%d,}" % (MAX_NESTING // 2)
_SUSPECT = re.compile("^" + _START, re.M)
"""Line starts that could open MAX_NESTING levels (checked exactly by _flatten_prefix)."""
_SUSPECT_LATER = re.compile("\n" + _START)  # the same, found ~20 times faster (literal first)
_MARKER = re.compile(r"([ \t]*)(?:>|[-+*](?=[ \t]|$)|\d{1,9}([.)])(?=[ \t]|$))")
_DEFINITION = re.compile(r"^ {0,3}\[[^\]\n]+\]:", re.M)


def flatten(body: str) -> str:
    """BODY with every line's nesting past MAX_NESTING flattened (see the module's docstring)."""
    if _SUSPECT.match(body) is None and _SUSPECT_LATER.search(body) is None:
        return body
    return _SUSPECT.sub(lambda m: _flatten_prefix(m.group()), body)


def _flatten_prefix(prefix: str) -> str:
    """The start of a line, PREFIX, with the marker past the limit escaped (if any)."""
    pos, levels, columns = 0, 0, 0
    while True:
        m = _MARKER.match(prefix, pos)
        if m is None or m.end() == pos:
            return prefix
        space = m.group(1)
        width = len(space) + 3 * space.count("\t")
        columns += max(0, width - 1) if levels else width  # one space ends a marker
        levels += 1
        if levels + columns // 2 > MAX_NESTING:
            at = m.start(2) if m.group(2) else m.end(1)
            return prefix[:at] + "\\" + prefix[at:]
        pos = m.end()


def many_references(body: str) -> bool:
    """Whether BODY holds more than MAX_REFERENCES reference or footnote definitions."""
    if body.count("]") <= MAX_REFERENCES:  # one character: counted fastest
        return False
    return len(_DEFINITION.findall(body)) > MAX_REFERENCES


_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)(?:\s[^<>]*)?(/?)>")
_NOT_NESTING = frozenset(
    "area base br col embed hr img input link meta param source track wbr "  # void
    "p li dt dd tr td th option optgroup rb rt rp tbody thead tfoot colgroup caption".split())
"""Elements that never hold themselves open: void ones, and those a sibling closes."""


def too_deep_html(body: str) -> int | None:
    """The offset in BODY where raw HTML elements first nest past MAX_HTML_DEPTH, or None."""
    if body.count("<") <= MAX_HTML_DEPTH:  # one character: counted fastest
        return None
    depth = 0
    for m in _TAG.finditer(body):
        closing, name, empty = m.groups()
        if empty or name.lower() in _NOT_NESTING:
            continue
        depth = max(0, depth - 1) if closing else depth + 1
        if depth > MAX_HTML_DEPTH:
            return m.start()
    return None


def check(body: str, path: Path, line: int) -> None:
    """Refuse a BODY (of PATH, starting at LINE) that is too long or nests raw HTML too deep."""
    if len(body) > MAX_BODY_CHARS:
        raise GeneratorError(f"the body is {len(body):,} characters long; the limit is "
                             f"{MAX_BODY_CHARS:,}", path, line, hint="split the article into parts")
    deep = too_deep_html(body)
    if deep is not None:
        raise GeneratorError(f"raw HTML here nests more than {MAX_HTML_DEPTH:,} elements deep",
                             path, line + body.count("\n", 0, deep),
                             hint="close the HTML elements the article opens")
