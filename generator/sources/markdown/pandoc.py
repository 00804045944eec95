"""Pandoc's Markdown extensions → CommonMark that keeps the content.

Pandoc conversions (`pandoc -t markdown page.html`) carry attribute blocks — `{#id .class
key=value}` after headings, links, images, code and bracketed spans (`[text]{.underline}`) —
and fenced divs (`::: {.note}` … `:::`), and a `<br>` becomes a `\\` line of its own.
CommonMark shows all of that as literal text. The attribute
blocks go (a span keeps its text), the div fences go (their content stays), a fenced code
block's `{.python}` becomes its info string. Code blocks are left alone.
"""

from __future__ import annotations

import re

from generator.sources.markdown.inert import code_lines

_ATTR = r"\{\s*(?:-|=\w+|(?:[#.][\w:.-]+|[\w-]+=(?:\"[^\"\n]*\"|[^\s}]+))(?:\s+(?:[#.][\w:.-]+|[\w-]+=(?:\"[^\"\n]*\"|[^\s}]+)))*)\s*\}"
_DIV_FENCE = re.compile(r"^ {0,3}:{3,}\s*(?:" + _ATTR + r"|[\w-]+)?\s*:*\s*$")
_HEADING_ATTR = re.compile(r"^( {0,3}#{1,6}\s.*?)\s*" + _ATTR + r"\s*$")
_SPAN = re.compile(r"(?<![!\]])\[((?:(?!\n\s*\n)[^\[\]])*)\]" + _ATTR)
_AFTER_INLINE = re.compile(r"(\]\([^)\n]*\)|`)" + _ATTR)
_CODE_FENCE = re.compile(r"^( {0,3}(?:`{3,}|~{3,}))\s*\{\s*\.?([\w+-]+)[^}\n]*\}\s*$")
_MARK = re.compile(r":::|\]\{|\}\s*$|`\{|^ {0,3}(?:`{3,}|~{3,})\s*\{|^\\$", re.M)


def unpandoc(markdown: str) -> str:
    """MARKDOWN without pandoc's attribute blocks and div fences (see the module doc)."""
    if not _MARK.search(markdown):
        return markdown
    lines = markdown.split("\n")
    fences = {i for i, ln in enumerate(lines) if _CODE_FENCE.match(ln)}
    for i in fences:
        lines[i] = _CODE_FENCE.sub(r"\1\2", lines[i])
    code = code_lines("\n".join(lines))
    out: list[str] = []
    prose: list[str] = []
    for i, line in enumerate(lines):
        if i in code and i not in fences:
            out += _prose(prose) + [line]
            prose = []
        elif _DIV_FENCE.match(line):
            continue
        elif line.strip() == "\\":  # pandoc's hard line break standing alone: an empty line
            prose.append("")
        else:
            prose.append(_HEADING_ATTR.sub(r"\1", line))
    return "\n".join(out + _prose(prose))


def _prose(lines: list[str]) -> list[str]:
    """Prose lines without spans' attribute blocks (innermost first; a span may run over
    lines) and the blocks after links, images and code spans."""
    text = "\n".join(lines)
    while True:
        text, n = _SPAN.subn(r"\1", text)
        if not n:
            break
    return _AFTER_INLINE.sub(r"\1", text).split("\n") if lines else []
