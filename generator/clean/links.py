"""Relative links and images in an imported body: resolve them against the article's URL, or
unlink them (keeping the text) when nothing says where they pointed."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

_IMAGE = re.compile(r"!\[((?:[^\]\\]|\\.)*)\]\(([^)\s]+)(\s+\"[^\"]*\")?\)")
_LINK = re.compile(r"(?<!!)\[((?:[^\]\\]|\\.)*)\]\(([^)\s]+)(\s+\"[^\"]*\")?\)")
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
_KEEP = ("http://", "https://", "mailto:", "#")


def _is_relative(url: str) -> bool:
    return not url.lower().startswith(_KEEP) and not urlsplit(url).scheme


def resolve(markdown: str, base_url: str | None, *, keep_relative_images: bool = False) -> str:
    """Make relative link/image URLs absolute against BASE_URL, or unlink/drop them."""
    base = base_url if base_url and base_url.lower().startswith(("http://", "https://")) else None

    def image(m: re.Match[str]) -> str:
        alt, url, title = m.group(1), m.group(2), m.group(3) or ""
        if not _is_relative(url) or keep_relative_images:
            return m.group(0)
        return f"![{alt}]({urljoin(base, url)}{title})" if base else alt

    def link(m: re.Match[str]) -> str:
        text, url, title = m.group(1), m.group(2), m.group(3) or ""
        if not _is_relative(url):
            return m.group(0)
        return f"[{text}]({urljoin(base, url)}{title})" if base else text

    out, in_code = [], False
    for line in markdown.split("\n"):
        if _FENCE.match(line):
            in_code = not in_code
        elif not in_code and "](" in line:
            line = _LINK.sub(link, _IMAGE.sub(image, line))
        out.append(line)
    return "\n".join(out)
