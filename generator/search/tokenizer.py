"""The one tokenizer of search, shared (by definition, not by code) with the theme's search.js.

normalize(s) = NFC(s): the text as stored and shown (canonical composition changes no glyph).
fold(s)      = for each code point c of normalize(s): c' = NFKC(c) if that is one code point of
               the same UTF-16 width and c or c' is a word or CJK character, else c; then c'
               lowercased if that is one code point, else c' (only U+0130 İ). Folding never
               changes the UTF-16 length, so offsets in folded text are offsets in shown text.
classes      = CJK (the code point ranges in CJK_RANGES) | word (Unicode category L*, N* or M*,
               not CJK) | separator (everything else).
runs         = maximal runs of one class; separators only split.
tokens       = every overlapping pair of a CJK run (bigram), plus every single CJK character in
               titles (unigram); every word run of at most MAX_WORD code points, whole.
positions    = offsets in UTF-16 code units (JavaScript string indices).
"""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from collections import defaultdict

CJK_RANGES: tuple[tuple[int, int], ...] = (
    (0x3005, 0x3007), (0x3021, 0x3029), (0x3038, 0x303B), (0x3040, 0x30FF),
    (0x31F0, 0x31FF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xAC00, 0xD7AF),
    (0xF900, 0xFAFF), (0x20000, 0x323AF),
)
"""Han (with 々〆〇 and Hangzhou numerals), kana and Hangul syllables: indexed as bigrams."""
MAX_WORD = 40
"""Longer word runs (hashes, base64, URLs glued together) are not indexed."""
KEY_CHARS = 2
"""A word token is filed in the shard of its first KEY_CHARS code points (prefix search)."""

_ASTRAL = re.compile("[\U00010000-\U0010FFFF]")


def _class(ranges: list[tuple[int, int]]) -> str:
    return "".join(f"{re.escape(chr(a))}-{re.escape(chr(b))}" if a != b else re.escape(chr(a))
                   for a, b in ranges)


@functools.cache
def _mark_ranges() -> list[tuple[int, int]]:
    """Code point ranges of category M* (marks live in planes 0, 1 and 14 only)."""
    out: list[tuple[int, int]] = []
    for cp in (*range(0x20000), *range(0xE0000, 0xE1000)):
        if unicodedata.category(chr(cp))[0] == "M":
            if out and out[-1][1] == cp - 1:
                out[-1] = (out[-1][0], cp)
            else:
                out.append((cp, cp))
    return out


@functools.cache
def _runs_re() -> re.Pattern[str]:
    cjk = _class(list(CJK_RANGES))
    marks = _class([r for r in _mark_ranges() if not is_cjk(r[0])])
    # [^\W_] is exactly "category L* or N*" (str.isalnum); marks are added explicitly.
    return re.compile(f"(?P<c>[{cjk}]+)|(?P<w>(?:[^\\W_{cjk}]|[{marks}])+)")


def warm() -> None:
    """Build the cached tables now (before worker processes fork, so they share them)."""
    _compat()
    _runs_re()


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


def runs(folded: str) -> list[tuple[str, int, str]]:
    """(kind 'c' or 'w', UTF-16 offset, text) of each CJK or word run of FOLDED text."""
    astral = [m.start() for m in _ASTRAL.finditer(folded)]
    out = []
    for m in _runs_re().finditer(folded):
        start = m.start()
        offset = start + bisect.bisect_left(astral, start) if astral else start
        out.append(("c" if m.lastgroup == "c" else "w", offset, m.group()))
    return out


def has_astral(text: str) -> bool:
    """True if TEXT has code points outside the BMP (two UTF-16 units each)."""
    return _ASTRAL.search(text) is not None


def offsets(run: str, start: int) -> list[int]:
    """UTF-16 offset of every code point of RUN, which begins at START."""
    out, at = [], start
    for ch in run:
        out.append(at)
        at += 2 if ord(ch) > 0xFFFF else 1
    return out


def tokens(folded: str, title: bool = False) -> dict[str, list[int]]:
    """Index tokens of FOLDED text and the UTF-16 offsets where each starts."""
    out: dict[str, list[int]] = defaultdict(list)
    astral = _ASTRAL.search(folded) is not None
    for kind, start, run in runs(folded):
        if kind == "w":
            if len(run) <= MAX_WORD:
                out[run].append(start)
            continue
        at = offsets(run, start) if astral else range(start, start + len(run))
        for i in range(len(run) - 1):
            out[run[i:i + 2]].append(at[i])
        if title:
            for i, ch in enumerate(run):
                out[ch].append(at[i])
    return out


def token_list(text: str, title: bool = False) -> list[list]:
    """[token, offset] pairs of TEXT (folded first) in offset then token order, for test tables."""
    pairs = [[tok, at] for tok, ats in tokens(fold(text), title).items() for at in ats]
    return sorted(pairs, key=lambda p: (p[1], len(p[0]), p[0]))


def shard_key(token: str) -> str:
    """What a token is hashed by: a CJK token itself, a word by its first KEY_CHARS code points."""
    return token if is_cjk(ord(token[0])) else token[:KEY_CHARS]


def fnv1a(text: str) -> int:
    """32-bit FNV-1a hash of the UTF-8 bytes of TEXT."""
    h = 0x811C9DC5
    for byte in text.encode("utf-8"):
        h = ((h ^ byte) * 0x01000193) & 0xFFFFFFFF
    return h


def shard_of(token: str, shards: int) -> int:
    """The shard file that holds TOKEN's postings."""
    return fnv1a(shard_key(token)) % shards


def cover(run: str) -> list[tuple[str, int]]:
    """The bigrams that pin down CJK RUN (≥ 2 chars) and their UTF-16 offsets within it.

    Bigrams at code points 0, 2, 4, … plus the last one when the length is odd: a document
    holds RUN at p exactly when each bigram occurs at p + its offset.
    """
    at = offsets(run, 0)
    picks = list(range(0, len(run) - 1, 2))
    if len(run) % 2 == 1:
        picks.append(len(run) - 2)
    return [(run[i:i + 2], at[i]) for i in picks]
