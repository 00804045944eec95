"""Typed article objects shared by import (written) and build (read)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CHINA_TZ = dt.timezone(dt.timedelta(hours=8))

# Front matter keys in the order they are written.
KNOWN_KEYS = (
    "title", "date", "account", "account_id", "author", "url", "source", "summary", "cover",
    "tags", "status", "slug", "draft", "imported_from", "checksum",
)


@dataclass
class FrontMatter:
    """Known front matter fields, typed; anything else is kept verbatim in `extra`."""

    title: str
    date: dt.date | dt.datetime | None = None
    account: str | None = None
    account_id: str | None = None
    author: str | None = None
    url: str | None = None
    source: str | None = None
    summary: str | None = None
    cover: str | None = None
    tags: list[str] = field(default_factory=list)
    status: str | None = None
    slug: str | None = None
    draft: bool = False
    imported_from: str | None = None
    checksum: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def day(self) -> dt.date | None:
        """The calendar day of `date` (in China time for timestamps)."""
        if self.date is None:
            return None
        if isinstance(self.date, dt.datetime):
            d = self.date.astimezone(CHINA_TZ) if self.date.tzinfo else self.date
            return d.date()
        return self.date

    def sort_key(self) -> tuple:
        """Chronological key; undated articles sort before dated ones."""
        if self.date is None:
            return (0, "")
        if isinstance(self.date, dt.datetime):
            d = self.date if self.date.tzinfo else self.date.replace(tzinfo=CHINA_TZ)
            return (1, d.astimezone(dt.timezone.utc).isoformat())
        return (1, dt.datetime.combine(self.date, dt.time(), CHINA_TZ)
                .astimezone(dt.timezone.utc).isoformat())


@dataclass
class Article:
    """One article: its front matter, its Markdown body, and where it came from."""

    front: FrontMatter
    body: str
    path: Path | None = None
    body_line: int = 1
    """1-based line of `body`'s first line in the file (for error messages)."""
