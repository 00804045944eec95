"""Front matter in the plain shape the importer writes, read without a YAML parser.

Most front matter is one `key: value` per line, the value a quoted string, a plain word or
date, or a flow list of those. For such text simple_load() returns exactly what the YAML
loader returns, three to four times faster than libyaml (whose objects are still built in
Python); for anything else (comments, block scalars, escapes, nesting, values YAML
reads as numbers, booleans or null, unusual characters) it returns None and YAML decides, so
errors are still explained by the YAML loader. tests/unit/test_frontmatter.py compares the two.
"""

from __future__ import annotations

import re
from typing import Any, Callable

_LINE = re.compile(r"([a-z_][a-z0-9_]*):[ ]+(\S(?:.*\S)?)[ ]*")
_DOUBLE = re.compile(r'"([^"\\]*)"')
_SINGLE = re.compile(r"'((?:[^']|'')*)'")
_PLAIN_START = frozenset("-?:,[]{}#&*!|>'\"%@`")
_FLOW_SPECIAL = frozenset(",[]{}:?")
_UNUSUAL = re.compile("[^\n\x20-\x7e\u00a0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")
"""Characters YAML treats specially (tab, CR, NEL, line/paragraph separators, BOM, controls)."""


def simple_load(text: str, is_text: Callable[[str], bool]) -> dict[str, Any] | None:
    """TEXT's mapping, if TEXT is plain one-line `key: value` front matter; else None.

    IS_TEXT(s) tells whether YAML reads the plain (unquoted) scalar s as a string.
    """
    if _UNUSUAL.search(text):
        return None
    data: dict[str, Any] = {}
    for line in text.split("\n"):
        if not line:
            continue
        m = _LINE.fullmatch(line)
        if m is None:
            return None
        key, value = m.groups()
        if key in data or not is_text(key):
            return None
        if value[0] == "[":
            if value[-1] != "]":
                return None
            items: list[str] = []
            inner = value[1:-1].strip()
            for part in inner.split(",") if inner else []:
                item = _scalar(part.strip(), is_text, flow=True)
                if item is None:
                    return None
                items.append(item)
            data[key] = items
        else:
            scalar = _scalar(value, is_text, flow=False)
            if scalar is None:
                return None
            data[key] = scalar
    return data


def _scalar(value: str, is_text: Callable[[str], bool], flow: bool) -> str | None:
    """The text of a one-line scalar YAML reads as a string; None for anything else."""
    if not value:
        return None
    m = _DOUBLE.fullmatch(value)
    if m:
        return m.group(1)
    if not flow:
        m = _SINGLE.fullmatch(value)
        if m:
            return m.group(1).replace("''", "'")
    if (value[0] in _PLAIN_START or ": " in value or " #" in value or value[-1] == ":"
            or (flow and not _FLOW_SPECIAL.isdisjoint(value))):
        return None
    return value if is_text(value) else None
