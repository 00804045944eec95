"""The text rules of search, shared (by definition, not by code) with the theme's search.js.

normalize(s)  = NFC(s): the text as stored and shown (canonical composition changes no glyph).
fold(s)       = for each code point c of normalize(s): c' = NFKC(c) if that is one code point of
                the same UTF-16 width and c or c' is a word or CJK character, else c; then c'
                lowercased if that is one code point, else c' (only U+0130 İ). Folding never
                changes the UTF-16 length, so offsets in folded text are offsets in shown text.
terms(q)      = fold(q) split at SPACE characters, repeats dropped; every term must occur.
searchable(d) = fold(title) + "\n" + fold(account) + "\n" + fold(body): a term (which holds no
                SPACE) occurs in it exactly when it occurs in one of the three fields.
"""

from __future__ import annotations

import functools
import re
import unicodedata

CJK_RANGES: tuple[tuple[int, int], ...] = (
    (0x3005, 0x3007), (0x3021, 0x3029), (0x3038, 0x303B), (0x3040, 0x30FF),
    (0x31F0, 0x31FF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xAC00, 0xD7AF),
    (0xF900, 0xFAFF), (0x20000, 0x323AF),
)
"""Han (with 々〆〇 and Hangzhou numerals), kana and Hangul syllables: indexed as bigrams."""
SPACE = ("\x00\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003"
         "\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff")
"""What separates query terms, and what no indexed pair of code units spans (NUL included)."""
_SPACE_RE = re.compile("[" + re.escape(SPACE) + "]+")

_ASTRAL = re.compile("[\U00010000-\U0010FFFF]")


def warm() -> None:
    """Build the cached tables now (before worker processes fork, so they share them)."""
    _compat()


def is_cjk(cp: int) -> bool:
    """True if code point CP is in one of CJK_RANGES."""
    return any(a <= cp <= b for a, b in CJK_RANGES)


def _word_or_cjk(ch: str) -> bool:
    return is_cjk(ord(ch)) or unicodedata.category(ch)[0] in "LNM"


@functools.cache
def _compat() -> tuple[dict[str, str], re.Pattern[str], re.Pattern[str]]:
    """The per-code-point NFKC replacements of fold, and patterns finding BMP and astral sources."""
    table: dict[str, str] = {}
    for cp in range(0x30000):  # no code point above U+2FA1D has a decomposition
        ch = chr(cp)
        if not unicodedata.decomposition(ch):
            continue
        m = unicodedata.normalize("NFKC", ch)
        if (m != ch and len(m) == 1 and (cp > 0xFFFF) == (ord(m) > 0xFFFF)
                and (_word_or_cjk(ch) or _word_or_cjk(m))):
            table[ch] = m
    bmp = "".join(sorted(c for c in table if ord(c) <= 0xFFFF))
    astral = "".join(sorted(c for c in table if ord(c) > 0xFFFF))
    # Two classes: one holding astral code points makes re test every character slowly.
    return table, re.compile(f"[{re.escape(bmp)}]"), re.compile(f"[{re.escape(astral)}]")


def compat_each(text: str) -> str:
    """Replace each word or CJK code point by its one-code-point NFKC form (ＡＢＣ → ABC)."""
    table, bmp, astral = _compat()
    text = bmp.sub(lambda m: table[m.group()], text)
    if _ASTRAL.search(text):
        text = astral.sub(lambda m: table[m.group()], text)
    return text


def lower_each(text: str) -> str:
    """Lowercase TEXT code point by code point (no final-sigma context, İ kept)."""
    lowered = text.lower()
    if len(lowered) == len(text) and "ς" not in lowered:
        return lowered  # the whole-string mapping agreed with the per-code-point one
    out = []
    for ch in text:
        lo = ch.lower()
        out.append(lo if len(lo) == 1 else ch)
    return "".join(out)


def normalize(text: str) -> str:
    """NFC: the form in which text is indexed, stored and shown."""
    return unicodedata.normalize("NFC", text)


def fold_normalized(text: str) -> str:
    """fold() of text that is already normalize()d."""
    return lower_each(compat_each(text))


def fold(text: str) -> str:
    """The searchable form of TEXT, as long as normalize(TEXT) in UTF-16 units."""
    return fold_normalized(normalize(text))


def units(text: str) -> int:
    """Length of TEXT in UTF-16 code units."""
    return len(text) + len(_ASTRAL.findall(text))


def terms(query: str) -> list[str]:
    """The folded terms of QUERY, in order, without repeats (all must occur)."""
    return list(dict.fromkeys(t for t in _SPACE_RE.split(fold(query)) if t))


def searchable(title: str, account: str | None, body: str) -> str:
    """The folded text a document is searched in (BODY already normalized)."""
    return f"{fold(title)}\n{fold(account or '')}\n{fold_normalized(body)}"
