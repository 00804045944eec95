"""STAGE 5: Site → list[Output] (what to write where); no disk I/O here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

Context = dict[str, Any] | Callable[[], dict[str, Any]]
Put = Callable[[str, bytes], None]
"""Receives one file of a folder output: (path inside the folder, bytes)."""


@dataclass(eq=False)
class Output:
    """One file of the built site: literal DATA, a copy of the file COPY_OF, or TEMPLATE
    rendered with CONTEXT.

    CONTEXT may be a zero-argument callable returning the dict; it is then called only when
    the page is rendered (in a worker process on large sites), so costly context is built in
    parallel. COPY_OF is read only when the file is written (an archive's images can be many
    gigabytes). SOURCE names what produced the file, for collision errors.

    With FILES, the output is the folder PATH, whose files FILES(put) makes in the write
    phase (the search index): it runs beside the page renderers, not before them.
    """

    path: str
    data: bytes | None = None
    template: str | None = None
    context: Context | None = None
    source: str | None = None
    copy_of: str | None = None
    files: Callable[[Put], None] | None = None

    def resolved_context(self) -> dict[str, Any]:
        ctx = self.context
        return ctx() if callable(ctx) else (ctx or {})


from generator.outputs import (  # noqa: E402
    feeds, indexes, pages, search, sitemap, standalone, static)

ALL: tuple[Callable[..., list[Output]], ...] = (
    pages.plan, standalone.plan, indexes.plan, feeds.plan, sitemap.plan, static.plan, search.plan)
"""Every plan function: plan(site, cfg) -> list[Output]."""
