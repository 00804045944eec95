"""JSON text → its records, one by one, so that one broken record costs only itself.

The forms read: one JSON value (an array, an object wrapping an array under `articles`,
`data`, `items`, `records` or `list`, or a single object); JSON Lines; and, when neither parses
(a JSON array with one broken record, pretty-printed objects one after another as `jq .`
writes them), each object that parses on its own, skipping from a broken one to where the next
record opens. Pure: text in, (number, where, value, problem) tuples out.
"""

from __future__ import annotations

import json
import re
from typing import Any, Iterator

_OPENING = re.compile(r"[\[,}]\s*(\{)")
_LINE_OPENING = re.compile(r"^[ \t]*(\{)", re.M)

Record = tuple[int, str, Any, "str | None"]
"""(number, where, value, problem): the record's 1-based position (its line in JSON Lines),
"record 3" / "line 7" / "record 3 (line 12)" for messages, the parsed value (None when
broken), and what is wrong with it ("invalid JSON: …") or None."""


def split(text: str) -> Iterator[Record]:
    """The records of TEXT (see the module doc), broken ones with their problem."""
    whole = _whole_json(text)
    if whole is not None:
        for n, item in enumerate(whole, 1):
            yield n, f"record {n}", item, None
        return
    if _not_line_by_line(text):
        yield from _salvage(text)
        return
    for n, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        try:
            yield n, f"line {n}", json.loads(line), None
        except ValueError as exc:
            yield n, f"line {n}", None, f"invalid JSON: {getattr(exc, 'msg', exc)}"


def _whole_json(text: str) -> list[Any] | None:
    """The records of a file that is one JSON value (array, wrapper object, single object)."""
    try:
        value = json.loads(text)
    except ValueError:
        return None
    if isinstance(value, list):
        return value
    if isinstance(value, dict):
        for key in ("articles", "data", "items", "records", "list"):
            if isinstance(value.get(key), list):
                return value[key]
        return [value]
    return None


def _not_line_by_line(text: str) -> bool:
    """True for a JSON array, or pretty-printed objects, whose first line is not a record."""
    first = next((ln for ln in text.split("\n") if ln.strip()), "").strip()
    if not first.startswith(("[", "{")):
        return False
    try:
        json.loads(first)
    except ValueError:
        return True
    return False


def _salvage(text: str) -> Iterator[Record]:
    """The records of a JSON array or object stream that does not parse as a whole: each
    object that parses is a record (numbered by position); each broken one an error row."""
    decoder = json.JSONDecoder()
    pos = len(text) - len(text.lstrip())
    pos += text[pos] == "["
    starts = _record_starts(text, pos)
    n, line, counted = 0, 1, 0
    while True:
        while pos < len(text) and text[pos] in " \t\r\n,":
            pos += 1
        if pos >= len(text) or text[pos] == "]":
            return
        n, line, counted = n + 1, line + text.count("\n", counted, pos), pos
        where = f"record {n} (line {line})"
        try:
            item, pos = decoder.raw_decode(text, pos)
        except ValueError as exc:
            yield n, where, None, f"invalid JSON: {getattr(exc, 'msg', exc)}"
            pos = next((s for s in starts if s > pos), len(text))
            continue
        yield n, where, item, None


def _record_starts(text: str, pos: int) -> list[int]:
    """Where records may start after a broken one. Records laid out a line each: an object
    opening its line at the first record's indentation (never one nested in a record). Else: an
    object that follows a comma, a closing brace or the array's bracket."""
    first = text.find("{", pos)
    indent = _indent(text, first) if first >= 0 else None
    if indent is not None:
        lined = [m.start(1) for m in _LINE_OPENING.finditer(text, first + 1)
                 if _indent(text, m.start(1)) == indent]
        if lined:
            return lined
    return [m.start(1) for m in _OPENING.finditer(text, max(pos - 1, 0))]


def _indent(text: str, i: int) -> int | None:
    """The blanks before position I when only blanks (and `[`) precede it on its line."""
    head = text[text.rfind("\n", 0, i) + 1:i]
    return None if head.strip(" \t[") else len(head) - len(head.lstrip(" \t"))

