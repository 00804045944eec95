"""Tidy converter artefacts in Markdown prose (html2text and web clippers), code untouched.

- a bold marker split across a hard line break (`**text  ⏎**`) is closed on its own line;
- lines that are nothing but emphasis markers (`****`, `__`, `  *   * `) go, real thematic
  breaks (`* * *`, `***`, `___`) stay;
- empty headings (`#` alone) go, and a list number the item's text repeats (`1. 1\\. text`) goes;
- the line-number bullets WeChat code blocks leave before code (`    *     *     *  code`) go;
- indented blocks that are Chinese prose, not code (paragraphs indented with layout spaces),
  are dedented so they read as paragraphs;
- hard line breaks (two trailing spaces) inside plain paragraphs and quotes become paragraph
  breaks: WeChat pages use `<br>` between what readers see as paragraphs.
"""

from __future__ import annotations

import re

from generator.sources.markdown.inert import code_lines, parse

_LINE_NUMBERS = re.compile(r"^(\s*)(?:\*\s+){2,}(?=[^*\s])")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")
_MARKERS_ONLY = re.compile(r"^[\s*_]+$")
_THEMATIC = {"***", "* * *", "___", "_ _ _", "*****"}
_DOUBLE_NUMBER = re.compile(r"^(\s*(\d{1,9})[.)]\s+)\2\\?[.)、]\s*")
_EMPTY_HEADING = re.compile(r"^ {0,3}#{1,6}[ \t]*#*[ \t]*$")
_QUOTE = re.compile(r"^(\s{0,3}>\s?)+")
_LIST = re.compile(r"^\s*(?:[*+-]|\d{1,9}[.)])(?:\s|$)")
_BLOCK_TAG = re.compile(r"^ {0,3}<(?:figcaption|center|p|div|section|figure|table|blockquote|"
                        r"h[1-6]|ul|ol|pre)\b", re.I)
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)+\|?\s*$")


def tidy(markdown: str) -> str:
    """Return MARKDOWN with converter artefacts removed (see module docstring)."""
    markdown, code = _dedent_prose(
        "\n".join(_LINE_NUMBERS.sub(r"\1", ln) for ln in markdown.split("\n")))
    lines = markdown.split("\n")
    kept: list[str | None] = list(lines)
    last_text: int | None = None
    for i, line in enumerate(lines):
        if i in code:
            last_text = None
            continue
        stripped = line.strip()
        if stripped == "**" and last_text is not None and kept[last_text] is not None \
                and kept[last_text].count("**") % 2 == 1:
            kept[last_text] = kept[last_text].rstrip() + "**  "
            kept[i] = None
            continue
        if stripped and _MARKERS_ONLY.match(line) and stripped not in _THEMATIC:
            kept[i] = None
            continue
        if _EMPTY_HEADING.match(line):
            kept[i] = None
            continue
        if _DOUBLE_NUMBER.match(line):
            kept[i] = line = _DOUBLE_NUMBER.sub(r"\1", line)
        last_text = i if stripped else None
    if all(ln is not None for ln in kept):  # same lines, so the same code lines
        return _split_hard_breaks([ln for ln in kept if ln is not None], code)
    lines = [ln for ln in kept if ln is not None]
    return _split_hard_breaks(lines, code_lines("\n".join(lines)))


def _dedent_prose(markdown: str) -> tuple[str, set[int]]:
    """Turn indented 'code' blocks that are mostly Chinese text back into paragraphs.

    Returns the new text and its code lines.
    """
    lines = markdown.split("\n")
    code: set[int] = set()
    changed = False
    for token in parse(markdown):
        if token.type not in ("code_block", "fence") or not token.map:
            continue
        text = re.sub(r"\s+", "", token.content)
        if token.type == "code_block" and text and len(_CJK.findall(text)) >= 0.5 * len(text):
            for i in range(*token.map):
                lines[i] = lines[i].lstrip()
            changed = True
        else:
            code.update(range(*token.map))
    if changed:
        markdown = "\n".join(lines)
        return markdown, code_lines(markdown)
    return markdown, code


def _split_hard_breaks(lines: list[str], code: set[int]) -> str:
    out: list[str] = []
    para_has_list = in_para = False  # the current paragraph holds a list item / has begun
    for i, line in enumerate(lines):
        out.append(line)
        if i in code or not line.strip():
            para_has_list, in_para = False, False
            continue
        if in_para and _BLOCK_TAG.match(line):  # an HTML block interrupts the paragraph
            out.insert(len(out) - 1, "")
            para_has_list = False
        in_para = True
        para_has_list = para_has_list or bool(_LIST.match(_QUOTE.sub("", line)))
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        if not line.endswith("  ") or not nxt.strip() or i + 1 in code:
            continue
        body = _QUOTE.sub("", line)
        if para_has_list or _LIST.match(
                _QUOTE.sub("", nxt)) or "|" in line or _TABLE_RULE.match(_QUOTE.sub("", nxt)):
            continue
        if body.startswith("    ") or re.match(r"^\s{0,3}#", body):
            continue
        prefix = _QUOTE.match(line)
        out[-1] = line.rstrip()
        out.append(prefix.group(0).rstrip() if prefix else "")
        para_has_list, in_para = False, False
    return "\n".join(out)
