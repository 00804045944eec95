"""Local images of imported articles: content/images/<hash>.<ext> → the same path in the site.

The importer links localised pictures relative to the Markdown file (`images/<hash>.jpg`), so
they show in any Markdown editor. In the built site that path is re-anchored to the site root,
relative to the article page, so it works under any base_url and in feeds (xml:base).
"""

from __future__ import annotations

import re

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".gif", ".webp", ".bmp", ".avif"}
_LOCAL_SRC = re.compile(r'(<img\b[^>]*?\ssrc=")(?![a-zA-Z][\w+.-]*:|//|/|#)([^"]+)"')


def relocate(html: str, page_url: str) -> str:
    """Point relative <img src> at the site root, seen from the page at PAGE_URL."""
    if "<img" not in html:
        return html
    up = "../" * page_url.strip("/").count("/") + ("../" if page_url.strip("/") else "")
    return _LOCAL_SRC.sub(lambda m: f'{m.group(1)}{up}{m.group(2).removeprefix("./")}"', html)
