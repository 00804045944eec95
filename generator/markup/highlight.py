"""Sanitized body HTML → the same HTML with fenced code blocks highlighted (Pygments, at build
time: no script in the reader's browser).

Only blocks whose fence names a language Pygments knows are touched; the code is unescaped,
highlighted and escaped again by Pygments, so the spans it adds carry nothing from the input
but text. The colours are the theme's `css/highlight.css`, written by
`python -m generator.markup.highlight > themes/default/static/css/highlight.css`.
"""

from __future__ import annotations

import html as htmllib
import re
from functools import lru_cache

from pygments import highlight as _pygmentize
from pygments.formatters import HtmlFormatter
from pygments.lexer import Lexer
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

_BLOCK = re.compile(r'<pre><code class="language-([A-Za-z0-9_+#.-]{1,40})">(.*?)</code></pre>', re.S)
_FORMATTER = HtmlFormatter(nowrap=True)
LIGHT, DARK = "default", "github-dark"
MAX_CODE = 200_000
"""Longer blocks stay plain (highlighting is linear, but a page of that much code is a dump)."""


@lru_cache(maxsize=256)
def _lexer(name: str) -> Lexer | None:
    try:
        return get_lexer_by_name(name.lower(), stripnl=False, ensurenl=False)
    except ClassNotFound:
        return None


def _block(m: re.Match[str]) -> str:
    lexer = _lexer(m.group(1))
    if lexer is None or len(m.group(2)) > MAX_CODE:
        return m.group(0)
    code = _pygmentize(htmllib.unescape(m.group(2)), lexer, _FORMATTER)
    return f'<pre class="highlight"><code class="language-{m.group(1)}">{code}</code></pre>'


def code_blocks(html: str) -> str:
    """HTML with each `<pre><code class="language-…">` block highlighted."""
    if '<code class="language-' not in html:
        return html
    return _BLOCK.sub(_block, html)


def _rules(style: str) -> list[str]:
    defs = HtmlFormatter(style=style).get_style_defs(".highlight").splitlines()
    # Keep token colours only: the theme's own pre box (background, spacing) stays.
    return [line for line in defs if line.startswith(".highlight .") and "hll" not in line]


def stylesheet() -> str:
    """CSS for highlighted code: Pygments' LIGHT style, DARK under prefers-color-scheme: dark."""
    dark = "\n".join(f"  {rule}" for rule in _rules(DARK))
    return (f"/* Code highlighting: Pygments '{LIGHT}' and '{DARK}' token colours "
            "(python -m generator.markup.highlight) */\n"
            + "\n".join(_rules(LIGHT))
            + f"\n@media (prefers-color-scheme: dark) {{\n{dark}\n}}\n")


if __name__ == "__main__":
    print(stylesheet(), end="")
