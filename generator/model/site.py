"""Entries → Site: ordered and grouped into tags, accounts and date archives (load_site loads
the content folder first)."""

from __future__ import annotations

import bisect
import heapq
from dataclasses import dataclass, field

from generator import urls
from generator.config import SiteConfig
from generator.errors import ArticleCrash, FrontMatterError, GeneratorError, OutputCollisionError
from generator.model import load, pages, taxonomy
from generator.model.entry import Entry, pool_bodies
from generator.model.pages import Standalone
from generator.model.taxonomy import Term


@dataclass(eq=False)
class Site:
    """Everything the outputs need, loaded before anything is rendered."""

    entries: list[Entry]
    """Dated entries newest first, then undated ones (by URL)."""
    tags: dict[str, list[Entry]]
    accounts: dict[str, list[Entry]]
    tag_terms: dict[str, Term]
    account_terms: dict[str, Term]
    years: dict[int, dict[int, list[Entry]]]
    """{year: {month: entries}}, newest first at every level."""
    undated: list[Entry]
    drafts_left_out: int = 0
    pages: list[Standalone] = field(default_factory=list)
    """Standalone pages (about, 说明…), footer order."""
    images: dict[str, str] = field(default_factory=dict)
    """Image files of the content folder: path relative to it → path."""
    _index: dict[int, int] = field(default_factory=dict, repr=False)
    _tag_positions: dict[str, list[int]] = field(default_factory=dict, repr=False)

    @property
    def dated(self) -> list[Entry]:
        return self.entries[: len(self.entries) - len(self.undated)]

    def neighbours(self, entry: Entry) -> tuple[Entry | None, Entry | None]:
        """(newer, older) entry next to ENTRY in date order (undated ones among themselves)."""
        i = self._index[id(entry)]
        first = len(self.entries) - len(self.undated) if entry.front.date is None else 0
        last = len(self.entries) - len(self.undated) if entry.front.date is not None else \
            len(self.entries)
        newer = self.entries[i - 1] if i > first else None
        older = self.entries[i + 1] if i + 1 < last else None
        return newer, older

    def related(self, entry: Entry, limit: int, window: int = 24) -> list[Entry]:
        """Up to LIMIT entries sharing most tags with ENTRY, nearest in time first."""
        if limit <= 0 or not entry.front.tags:
            return []
        me = self._index[id(entry)]
        score: dict[int, int] = {}
        for tag in entry.front.tags:
            positions = self._tag_positions.get(tag)
            if not positions:
                continue
            at = bisect.bisect_left(positions, me)
            for i in positions[max(0, at - window): at + window + 1]:
                score[i] = score.get(i, 0) + 1
        score.pop(me, None)
        best = heapq.nsmallest(limit, [(-n, abs(i - me), i) for i, n in score.items()])
        return [self.entries[i] for _, _, i in best]


def load_site(cfg: SiteConfig, *, drafts: bool | None = None, cached: bool = False,
              clean: bool = False, scanned: load.Scan | None = None,
              ) -> tuple[Site, list[GeneratorError]]:
    """Load every article under cfg.content_path; bad files become problems and are left out.

    With cfg.strict the first problem is raised instead. Two entries with the same URL raise
    OutputCollisionError naming both files. CACHED reuses (and refreshes) the entries of
    unchanged files kept in the site's cache folder; CLEAN ignores what is kept there.
    SCANNED is scan(cfg.content_path, cfg.site_dir), when the caller has it already.
    """
    include_drafts = cfg.drafts if drafts is None else drafts
    if scanned is None:
        scanned = load.scan(cfg.content_path, cfg.site_dir)
    sources = scanned.articles
    problems: list[GeneratorError] = []
    entries: list[Entry] = []
    left_out = 0
    loaded = load.load_cached(sources, cfg, clean) if cached else load.load_sources(sources, cfg)
    for item in loaded:
        if isinstance(item, tuple):
            kind = ArticleCrash if item[0] == load.DIED else FrontMatterError
            problems.append(kind(item[1], item[2], item[3], item[4]))
        elif item.front.draft and not include_drafts:
            left_out += 1
        else:
            entries.append(item)
    standalone, bad_pages = pages.load_pages(scanned.pages)
    problems += bad_pages
    if problems and cfg.strict:
        first = problems[0]
        more = f" (and {len(problems) - 1} more bad articles)" if len(problems) > 1 else ""
        raise FrontMatterError(first.message + more, first.path, first.line, first.hint)
    _refuse_collisions(entries)
    del loaded
    pool_bodies(entries)
    site = make_site(entries, left_out)
    site.images = {rel: path for rel, path, _ in scanned.images}
    site.pages = standalone
    return site, problems


def _refuse_collisions(entries: list[Entry]) -> None:
    seen: dict[str, Entry] = {}
    for entry in entries:
        key = urls.output_path(entry.url).casefold()
        other = seen.get(key)
        if other is not None:
            raise OutputCollisionError(
                f"{other.source_path} and {entry.source_path} would both be written to "
                f"/{entry.url}", entry.source_path,
                hint="give one of them a different 'slug:' in its front matter")
        seen[key] = entry


def make_site(entries: list[Entry], drafts_left_out: int = 0) -> Site:
    """Order ENTRIES (newest first, undated last) and group them into tags, accounts, archives."""
    dated = [e for e in entries if e.front.date is not None]
    undated = sorted((e for e in entries if e.front.date is None), key=lambda e: e.url)
    dated.sort(key=lambda e: e.url)
    dated.sort(key=lambda e: e.front.sort_key(), reverse=True)
    ordered = dated + undated
    tag_terms = taxonomy.collect(ordered, lambda e: e.front.tags, "tag", urls.tag_url)
    account_terms = taxonomy.collect(ordered, lambda e: [e.front.account] if e.front.account
                                     else [], "account", urls.account_url)
    index = {id(e): i for i, e in enumerate(ordered)}
    return Site(
        entries=ordered,
        tags={name: term.entries for name, term in tag_terms.items()},
        accounts={name: term.entries for name, term in account_terms.items()},
        tag_terms=tag_terms, account_terms=account_terms,
        years=taxonomy.archive(dated), undated=undated, drafts_left_out=drafts_left_out,
        _index=index,
        # positions made here, before render workers are forked: they share them
        _tag_positions={name: [index[id(e)] for e in term.entries]
                        for name, term in tag_terms.items()},
    )
