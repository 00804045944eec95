"""Whitespace, Unicode and Markdown-escaping rules shared by every input format."""

from __future__ import annotations

import re
import unicodedata

# Spaces that scraped pages use for layout: NBSP, en/em/thin spaces, ideographic space.
_ODD_SPACES = "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a" \
              "\u202f\u205f\u3000"
_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_LAYOUT = _ODD_SPACES + _ZERO_WIDTH
_ODD_TABLE = {ord(c): " " for c in _ODD_SPACES} | {ord(c): None for c in _ZERO_WIDTH}
_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")
_LINE_START = re.compile(r"^(\s*)(#{1,6}|[>+\-=]+|\d+[.)])(?=\s|$)")
_DASHES = re.compile(r"^ {0,3}(-{3,})[ \t]*$")
_NOT_PARAGRAPH = re.compile(r"^\s*$|^ {4}|^\t|^ {0,3}([#>|]|[-*+](\s|$)|\d+[.)](\s|$)|```|~~~|<)")
_NOT_ALNUM = re.compile(r"[\W_]+")  # exactly the characters str.isalnum() rejects
_SENTENCE_END = re.compile(r"[。！？!?，,；;：:.]\W*$")


def inline(text: str | None) -> str | None:
    """Normalise a one-line field (title, account…): NFC, odd spaces folded, runs collapsed."""
    if text is None:
        return None
    text = unicodedata.normalize("NFC", text).translate(_ODD_TABLE)
    text = re.sub(r"\s+", " ", text).strip()
    return text or None


def body(markdown: str) -> str:
    """Normalise a Markdown body: odd spaces, line ends, trailing spaces, blank-line runs.

    Leading layout spaces (NBSP, ideographic) are dropped outside code blocks; code keeps its
    indentation. A dash line right under a paragraph is settled (see `_under_paragraph`).
    """
    markdown = unicodedata.normalize("NFC", markdown.replace("\r\n", "\n").replace("\r", "\n"))
    out: list[str] = []
    fence: str | None = None
    for line in markdown.split("\n"):
        m = _FENCE.match(line)
        if fence is None:
            line = line.lstrip(_LAYOUT) if line[:1] in _LAYOUT else line
            if m:
                fence = m.group(1)[0] * 3
            elif out and _DASHES.match(line) and not _NOT_PARAGRAPH.match(out[-1]):
                out.extend(_under_paragraph(out, line))
                continue
        elif m and m.group(1).startswith(fence):
            fence = None
        out.append(line.translate(_ODD_TABLE).rstrip())
    text = "\n".join(out)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip("\n") + "\n" if text.strip() else ""


def _under_paragraph(out: list[str], dashes: str) -> list[str]:
    """A dash line under paragraph text: a rule (the paragraph stays a paragraph), except where
    it underlines one short line the way a setext heading does (4+ dashes, no sentence end),
    which becomes an ATX `## ` heading so that nothing depends on the underline again."""
    text = out[-1].strip()
    one_line = len(out) == 1 or not out[-2].strip()
    run = len(dashes.strip())
    if one_line and run >= 4 and len(text) <= 50 and not _SENTENCE_END.search(text):
        out[-1] = "## " + text
        return [""]
    return ["", "---"]


def escape_text(text: str) -> str:
    """Escape plain text so Markdown renders it literally (no markup, no raw HTML)."""
    text = _MD_SPECIAL.sub(r"\\\1", text)
    return "\n".join(_LINE_START.sub(_escape_mark, line) for line in text.split("\n"))


def _escape_mark(m: re.Match[str]) -> str:
    # "1." / "1)" is escaped before its mark ("1\."): "\1." would show the backslash.
    return m.group(1) + re.sub(r"^(\d*)", r"\1\\", m.group(2))


def match_key(text: str) -> str:
    """TEXT as matching compares it: NFKC, case-folded, letters and digits only (titles,
    bodies and names compared across formats, widths and punctuation)."""
    return _NOT_ALNUM.sub("", unicodedata.normalize("NFKC", text).casefold())


def plain(markdown: str) -> str:
    """Markdown → rough plain text (for summaries, fingerprints and keyword rules)."""
    text = markdown  # (each rule runs only where its mark occurs: bodies are long)
    if "```" in text:
        text = re.sub(r"```.*?```", " ", text, flags=re.S)
    if "](" in text:
        text = re.sub(r"!\[[^\]]*\]\([^)]*\)", " ", text)
        text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"^\s{0,3}(#{1,6}|>|[-*+]|\d+[.)])\s*", "", text, flags=re.M)
    if "\\" in text:
        text = re.sub(r"\\([\\`*_\[\]<>|#+\-.!()=~])", r"\1", text)
    if "**" in text or "__" in text or "~~" in text or "`" in text:
        text = re.sub(r"(\*\*|__|~~|`)", "", text)
    return text
