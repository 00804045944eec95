"""Page-text dumps stored as Python-repr strings (`text:'…'`) → the page text.

`ast.literal_eval` decodes well-formed literals (it never runs code); a literal that is cut
off or otherwise odd is unescaped by hand instead.
"""

from __future__ import annotations

import ast
import warnings
import re

WRAPPED = re.compile(r"text\s*:\s*[bBrRuU]{0,2}['\"]")
_PY_ESCAPE = re.compile(r"\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[0-7]{1,3}|\n|.)",
                        re.S)
_PY_SIMPLE = {"n": "\n", "t": "\t", "r": "\r", "a": "\a", "b": "\b", "f": "\f", "v": "\v",
              "\n": ""}


def unwrap(raw: str) -> list[tuple[int, str]]:
    """The page text(s) in RAW: `text:'...'` records decoded, else RAW itself."""
    raw = raw.lstrip("\ufeff")
    start = raw.lstrip()
    if not WRAPPED.match(start):
        if "\n" not in raw.strip() and raw.count("\\n") >= 3:
            return [(1, _unescape(raw.strip(), False))]
        return [(1, raw)]
    out: list[tuple[int, str]] = []
    line = raw[:len(raw) - len(start)].count("\n") + 1
    for piece in re.split(r"\n(?=text\s*:\s*[bBrRuU]{0,2}['\"])", start):
        out.append((line, _literal(piece.split(":", 1)[1].strip())))
        line += piece.count("\n") + 1
    return out


def _literal(expr: str) -> str:
    """Decode a Python string (or bytes) literal; unescape by hand when it is cut off or odd."""
    try:
        with warnings.catch_warnings():  # odd escapes in scraped text are not our warnings
            warnings.simplefilter("ignore", SyntaxWarning)
            warnings.simplefilter("ignore", DeprecationWarning)
            value = ast.literal_eval(expr)
    except (ValueError, SyntaxError, MemoryError, RecursionError, TypeError):
        value = None
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    if isinstance(value, str):
        return value
    prefix = re.match(r"[bBrRuU]{0,2}", expr).group(0)
    body = expr[len(prefix):]
    quote = body[:1]
    body = body[1:]
    if quote and body.endswith(quote) and not _odd_tail(body[:-1]):
        body = body[:-1]
    elif _odd_tail(body):
        body = body[:-1]  # cut off in the middle of an escape
    if "r" in prefix.lower():
        return body
    return _unescape(body, "b" in prefix.lower())


def _odd_tail(text: str) -> bool:
    """True when TEXT ends in an unpaired backslash."""
    return (len(text) - len(text.rstrip("\\"))) % 2 == 1


def _unescape(body: str, is_bytes: bool) -> str:
    """Python string escapes → characters (bytes escapes → UTF-8 text)."""
    def sub(m: re.Match[str]) -> str:
        code = m.group(1)
        if code[0] in "xuU" and len(code) > 1:
            value = int(code[1:], 16)
            return chr(value) if value <= 0x10FFFF else "\ufffd"
        if code[0] in "01234567":
            return chr(int(code, 8))
        return _PY_SIMPLE.get(code, code if code in "\\'\"" else "\\" + code)

    text = _PY_ESCAPE.sub(sub, body)
    if is_bytes:
        raw = b"".join(bytes([ord(c)]) if ord(c) < 256 else c.encode("utf-8") for c in text)
        text = raw.decode("utf-8", errors="replace")
    return text
