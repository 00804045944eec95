"""Bounds on a Markdown body before it reaches native code (markdown-it-pyrs, nh3).

markdown-it-pyrs recurses once per nesting level of quotes and lists: about 40,000 levels
overflow the stack and kill the process. html5ever (inside nh3) spends time on every element
in proportion to the depth it sits at: 50,000 nested quotes take over ten seconds. And
markdown-it-pyrs takes time quadratic in the number of link reference definitions (20,000:
17 s). Real articles come nowhere near these; hostile or broken ones do. So:

- MAX_BODY_CHARS: a longer body is not rendered; the article is reported (load_entry).
- MAX_NESTING: a line whose quote and list markers (with the indentation before them, two
  columns counting as a level of the list it may continue) would open more levels than this is flattened: the first
  marker past the limit is escaped with a backslash, so it and the rest of the line read as
  text at the deepest level allowed. No text is lost; only the excess nesting is. (A code
  line indented by over 200 columns and starting with a marker would show the backslash.)
- MAX_REFERENCES: a body with more reference definitions is converted by the pure-Python
  markdown-it-py, which writes the same HTML in linear time (about ten times slower).

Whatever gets past these (deeply nested raw HTML, say) meets the per-article time budget
(generator.pool).
"""

from __future__ import annotations

import re

MAX_BODY_CHARS = 4_000_000
"""Characters of Markdown body (about 200 times the longest WeChat article)."""
MAX_NESTING = 100
"""Quote and list levels opened by one line."""
MAX_REFERENCES = 1000
"""Link reference (and footnote) definitions the fast converter is given."""

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
