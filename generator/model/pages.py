"""content/pages/**.md → standalone pages (about, 说明, contact): no date, not in the lists,
feeds or search; each at /<slug>/ and listed in the footer.

Front matter: `title` (required), `slug` (default: the file name), `weight` (footer order,
then title; default 0), `menu: false` to leave a page out of the footer. Unknown keys are kept
for templates as `extra`, like an article's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator import urls
from generator.errors import FrontMatterError, GeneratorError
from generator.markup import limits, markdown, media
from generator.model import frontmatter
from generator.model.article import Article

FOLDER = "pages"
"""The folder under content/ that holds standalone pages instead of articles."""


@dataclass(frozen=True)
class Standalone:
    """One standalone page, rendered."""

    title: str
    url: str
    html: str
    weight: int
    menu: bool
    source: str
    extra: dict[str, Any] = field(default_factory=dict)


def _int(value: Any, key: str, path: Path) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise FrontMatterError(f"'{key}' must be a whole number, not {value!r}", path)
    return value


def _read(path: Path) -> tuple[Article, str, int, bool, dict[str, Any]]:
    """(article, url, weight, menu, extra) of the page file PATH, nothing rendered."""
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FrontMatterError(f"not UTF-8 text (byte {exc.start})", path,
                               hint="save the file as UTF-8") from None
    except OSError as exc:
        raise FrontMatterError(f"cannot read: {exc.strerror}", path) from None
    article = frontmatter.parse(text, path)
    extra = dict(article.front.extra)
    weight = _int(extra.pop("weight", 0), "weight", path)
    menu = extra.pop("menu", True)
    if not isinstance(menu, bool):
        raise FrontMatterError(f"'menu' must be true or false, not {menu!r}", path)
    slug = urls.slugify(article.front.slug or path.stem) or "page"
    return article, f"{slug}/", weight, menu, extra


def load_page(path: Path) -> Standalone:
    """Read and render one standalone page."""
    article, url, weight, menu, extra = _read(path)
    limits.check(article.body, path, article.body_line)
    html, _ = markdown.render(article.body)
    return Standalone(article.front.title, url, media.relocate(html, url), weight, menu,
                      str(path), extra)


def load_pages(sources: list[tuple[str, str, Any]]) -> tuple[list[Standalone], list[GeneratorError]]:
    """Every standalone page of SOURCES (footer order); bad ones become problems."""
    pages, problems = [], []
    for _, path, _ in sources:
        try:
            pages.append(load_page(Path(path)))
        except GeneratorError as exc:
            problems.append(exc)
    pages.sort(key=lambda p: (p.weight, p.title, p.url))
    return pages, problems


def menu(sources: list[tuple[str, str, Any]]) -> tuple[tuple[str, str], ...]:
    """(title, url) of the footer's pages among SOURCES (the scan's content/pages files), read
    from their front matter alone (bad ones skipped)."""
    found = []
    for _, path, _ in sources:
        try:
            article, url, weight, listed, _ = _read(Path(path))
        except GeneratorError:
            continue
        if listed:
            found.append((weight, article.front.title, url))
    return tuple((title, url) for _, title, url in sorted(found))
