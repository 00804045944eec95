"""Entries → tags, accounts and year/month archives, with unique readable URL segments."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable, Iterable

from generator import urls

if TYPE_CHECKING:
    from generator.model.entry import Entry


@dataclass(eq=False)
class Term:
    """One tag or account: its name, URL segment and entries (newest first)."""

    name: str
    segment: str
    url: str
    entries: list["Entry"] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.entries)

    @property
    def feed_url(self) -> str:
        return urls.feed_url(self.url)


@dataclass(frozen=True)
class TermView:
    """What pages show of a Term (no entries): how saved page contexts keep terms."""

    name: str
    segment: str
    url: str
    count: int

    @property
    def feed_url(self) -> str:
        return urls.feed_url(self.url)


def _digest(name: str, length: int = 6) -> str:
    return hashlib.sha1(name.encode("utf-8")).hexdigest()[:length]


def assign_segments(names: Iterable[str], fallback: str) -> dict[str, str]:
    """Give each name a readable URL segment that is never empty and never shared.

    Names that fold to the same segment (C++ / C#, AI / ai) are told apart deterministically:
    the one equal to the segment (else the first in code-point order) keeps it, the others get
    a short hash of their own name appended, so adding a tag never renames another's suffix.
    """
    groups: dict[str, list[str]] = {}
    for name in sorted(set(names)):
        segment = urls.slugify(name) or f"{fallback}-{_digest(name)}"
        groups.setdefault(segment, []).append(name)
    taken = set(groups)
    segments: dict[str, str] = {}
    for segment, members in groups.items():
        members.sort(key=lambda n: (n != segment, n))
        segments[members[0]] = segment
        for name in members[1:]:
            length = 6
            candidate = f"{segment}-{_digest(name, length)}"
            while candidate in taken:
                length += 2
                candidate = f"{segment}-{_digest(name, length)}"
            taken.add(candidate)
            segments[name] = candidate
    return segments


def collect(entries: list["Entry"], names_of: Callable[["Entry"], Iterable[str]], fallback: str,
            url_of: Callable[[str], str]) -> dict[str, Term]:
    """Group ENTRIES (newest first) by the names NAMES_OF gives; terms sorted by name."""
    members: dict[str, list["Entry"]] = {}
    for entry in entries:
        for name in names_of(entry):
            members.setdefault(name, []).append(entry)
    segments = assign_segments(members, fallback)
    return {name: Term(name, segments[name], url_of(segments[name]), members[name])
            for name in sorted(members)}


def archive(entries: list["Entry"]) -> dict[int, dict[int, list["Entry"]]]:
    """Dated ENTRIES (newest first) → {year: {month: entries}}, newest year and month first."""
    years: dict[int, dict[int, list["Entry"]]] = {}
    for entry in entries:
        day = entry.day
        if day is not None:
            years.setdefault(day.year, {}).setdefault(day.month, []).append(entry)
    return {y: dict(sorted(years[y].items(), reverse=True)) for y in sorted(years, reverse=True)}
