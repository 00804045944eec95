"""Lone surrogate halves, replaced before cleaning (RawDoc → RawDoc, pure).

A JSON record may hold `"\\ud800"` (and a script an unpaired `\\udc00`): Python reads it, but
it cannot be written as UTF-8, so it would fail its article (and, before, every record of its
file). Each one is replaced with U+FFFD: a replaced character is better than a lost article.
What was replaced is counted in RawDoc.warnings, which the import report shows.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from generator.model.rawdoc import RawDoc

_SURROGATE = re.compile("[\ud800-\udfff]")


def repair(raw: RawDoc) -> RawDoc:
    """RAW with every lone surrogate in its text (body, fields, tags, extra) replaced."""
    changes: dict[str, Any] = {}
    count = 0
    for f in dataclasses.fields(raw):
        if f.name in ("input", "warnings"):
            continue
        value, n = _replace(getattr(raw, f.name))
        if n:
            changes[f.name] = value
            count += n
    if not count:
        return raw
    note = (f"{count} invalid character{'s' if count != 1 else ''} (lone surrogate half, "
            f"e.g. \\ud800) replaced with U+FFFD")
    return dataclasses.replace(raw, **changes, warnings=[*raw.warnings, note])


def _replace(value: Any) -> tuple[Any, int]:
    """VALUE (text, or lists/dicts of it) with lone surrogates replaced, and how many were."""
    if isinstance(value, str):  # (a search, which copies nothing, first: bodies are long)
        return _SURROGATE.subn("\ufffd", value) if _SURROGATE.search(value) else (value, 0)
    if isinstance(value, list):
        pairs = [_replace(v) for v in value]
        n = sum(c for _, c in pairs)
        return ([v for v, _ in pairs] if n else value), n
    if isinstance(value, dict):
        out, n = {}, 0
        for k, v in value.items():
            (k2, a), (v2, b) = _replace(k), _replace(v)
            out[k2] = v2
            n += a + b
        return (out if n else value), n
    return value, 0
