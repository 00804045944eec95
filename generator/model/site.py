"""content/**/*.md → Site: parsed, rendered entries plus tags, accounts and date archives."""

from __future__ import annotations

import bisect
import contextlib
import dataclasses
import datetime as dt
import heapq
import functools
import hashlib
import operator
import os
import pickle
import re
import stat
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator import confine, encoding, pool
from generator.config import SiteConfig
from generator.errors import (ArticleCrash, FrontMatterError, GeneratorError,
                              OutputCollisionError)
from generator.meta import session
from generator.model import cache, frontmatter, pages, taxonomy
from generator.model.article import Article, FrontMatter
from generator.model.pages import Standalone
from generator.model.taxonomy import Term
from generator.render import limits, media, markdown, urls

PARALLEL_FROM = 300
"""Collections at least this large are loaded by one worker process per CPU (smaller ones
by one worker: a crash there costs one article, not the build)."""
SUMMARY_CHARS = 120

_DATE_PREFIX = re.compile(r"^(?:\d{4}-\d{2}-\d{2}|undated)-")
_SPACE = re.compile(r"\s+")


@dataclass(eq=False, slots=True)
class Entry:
    """One publishable article: its front matter, rendered body and place in the site.

    The body's HTML and plain text are kept as UTF-8 bytes (see pack): a site holds every
    entry in memory, and the render workers share them copy-on-write.
    """

    front: FrontMatter
    slug: str
    url: str
    """Root-relative URL without a leading slash, e.g. 2018/09/abc123/."""
    packed_text: bytes | memoryview | None
    """None when the site has no search index (the text is then made from the HTML if asked)."""
    packed_html: bytes | memoryview
    source: str
    """The Markdown file's path."""
    words: int = 0
    """Han characters plus Latin words."""
    minutes: int = 1
    """Reading time."""
    summary: str = ""
    """front.summary, else the opening of the text."""
    digest: str = ""
    """Changes whenever anything a page shows of this entry changes (file bytes and URL)."""
    day: dt.date | None = None
    """The calendar day of front.date."""
    key: str = ""
    """The file's path relative to the content folder (names the entry in the build cache)."""

    @property
    def title(self) -> str:
        return self.front.title

    @property
    def html(self) -> str:
        """Rendered, sanitized body HTML."""
        return unpack(self.packed_html)

    @property
    def text(self) -> str:
        """Plain text of the body (search)."""
        if self.packed_text is None:
            return markdown.plain_text(self.html)
        return unpack(self.packed_text)

    @property
    def source_path(self) -> Path:
        return Path(self.source)

    def __reduce__(self) -> tuple:
        values = _FIELDS(self)
        if isinstance(values[3], memoryview) or isinstance(values[4], memoryview):  # pooled
            values = (*values[:3], _bytes(values[3]), _bytes(values[4]), *values[5:])
        return Entry, values


_NAMES = tuple(f.name for f in dataclasses.fields(Entry))
assert _NAMES[3:5] == ("packed_text", "packed_html")
_FIELDS = operator.attrgetter(*_NAMES)


def _bytes(value: bytes | memoryview | None) -> bytes | None:
    return bytes(value) if isinstance(value, memoryview) else value


def pool_bodies(entries: list[Entry]) -> None:
    """Move the packed bodies of ENTRIES into one buffer, each entry keeping a view of its part.

    Render workers share the site with the parent copy-on-write, and reading a Python object
    writes to its reference count: a body kept in an object of its own gets the memory page
    holding its header copied into every worker that renders it (a 100,000-article site:
    ~400 MB). Views into one buffer are small objects side by side; the buffer is only read.
    """
    blob = b"".join(part for e in entries for part in (e.packed_text or b"", e.packed_html))
    view = memoryview(blob)
    at = 0
    for e in entries:
        if e.packed_text is not None:
            n = len(e.packed_text)
            e.packed_text = view[at:at + n]
            at += n
        n = len(e.packed_html)
        e.packed_html = view[at:at + n]
        at += n
    _release_free_memory()


def _release_free_memory() -> None:
    """Give the memory of freed objects back to the system (glibc keeps it otherwise)."""
    try:
        import ctypes

        ctypes.CDLL(None).malloc_trim(0)
    except (AttributeError, OSError):
        pass


SQUEEZE_FROM = 128 * 2**20
"""Source bytes from which bodies are kept compressed (see pack)."""
_PLAIN = b"\x00"  # first byte of a body kept uncompressed (a zlib stream starts with 0x78)


def pack(text: str, squeeze: bool = True) -> bytes:
    """TEXT as UTF-8, zlib-compressed when SQUEEZE.

    Compressing keeps a body in about half the memory (Chinese text) to a fifth (markup-heavy
    pages) but costs ~0.1 ms per article each way, so it is done only for collections large
    enough that memory matters (SQUEEZE_FROM); unpack reads either form.
    """
    data = text.encode("utf-8", "surrogatepass")
    return zlib.compress(data, 1) if squeeze else _PLAIN + data


def unpack(data: bytes | memoryview) -> str:
    """The text pack(...) was given."""
    if data[:1] == _PLAIN:
        return str(data[1:], "utf-8", "surrogatepass")
    return zlib.decompress(data).decode("utf-8", "surrogatepass")


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


Source = tuple[str, str, "cache.Stamp"]
"""(path relative to the content folder in POSIX form, path, stamp) of one file."""


@dataclass
class Scan:
    """What the content folder holds: Markdown articles and images, each sorted by path."""

    articles: list[Source] = field(default_factory=list)
    images: list[Source] = field(default_factory=list)
    pages: list[Source] = field(default_factory=list)
    """Standalone pages (content/pages/, see generator.model.pages)."""
    outside: list[str] = field(default_factory=list)
    """Symbolic links found leading outside the site folder (not followed)."""

    def stamps(self) -> dict[str, "cache.Stamp"]:
        return {rel: st for rel, _, st in self.articles + self.images + self.pages}


def scan(content: Path, site: Path | None = None) -> Scan:
    """Markdown files and images under CONTENT (hidden files and folders skipped).

    A symbolic link is followed only when it stays inside SITE (or CONTENT); an image is then
    copied from the checked target (see generator.confine). Plain strings and one stat per file: this
    runs before every build, also the no-op ones.
    """
    found = Scan()
    fence = confine.Fence.around(content, site)

    def walk(folder: str, prefix: str) -> None:
        with os.scandir(folder) as it:
            for item in it:
                name = item.name
                if name.startswith("."):
                    continue
                path = item.path
                if item.is_symlink():
                    real = fence.admit(path)
                    if real is None:
                        found.outside.append(os.path.join(str(content), prefix + name))
                        continue
                    if item.is_dir():  # like os.walk: symlinked folders not entered
                        continue
                elif item.is_dir():
                    walk(path, prefix + name + "/")
                    continue
                if name.endswith(".md"):
                    into = found.pages if prefix.startswith(pages.FOLDER + "/") else found.articles  # named (slug, messages) as the link is
                elif os.path.splitext(name)[1].lower() in media.IMAGE_SUFFIXES:
                    into = found.images
                    path = os.path.realpath(path)  # copied from the checked target
                else:
                    continue
                try:
                    st = os.stat(path)
                except OSError:  # an article is reported; an image (a dangling link) is not there
                    if into is found.articles:
                        into.append((prefix + name, path, (-1, -1, -1)))
                    continue
                if into is found.articles or stat.S_ISREG(st.st_mode):
                    into.append((prefix + name, path, (st.st_size, st.st_mtime_ns,
                                                       st.st_ino)))

    if content.is_dir():
        walk(str(content), "")
    found.articles.sort()
    found.images.sort()
    found.outside.sort()
    return found


def derive_slug(front: FrontMatter, path: Path) -> str:
    """front.slug, else the file name without a date prefix, folded to a URL segment."""
    for candidate in (front.slug or "", _DATE_PREFIX.sub("", path.stem), path.stem):
        slug = urls.slugify(candidate)
        if slug:
            return slug
    return "a-" + hashlib.sha1(path.name.encode("utf-8")).hexdigest()[:10]


def load_entry(path: Path, pattern: str, per_minute: int, keep_text: bool = True,
               squeeze: bool = True) -> Entry:
    """Read, parse and render one article file (KEEP_TEXT: pack its plain text too; SQUEEZE:
    compress them, see pack). Anything that goes wrong is a GeneratorError naming the file
    and the line: of the front matter, or where the body starts."""
    try:
        raw = path.read_bytes()
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        message, line = encoding.undecodable(raw) or ("not valid UTF-8", None)
        raise FrontMatterError(message, path, line, hint="save the file as UTF-8 (from GB18030: "
                               "iconv -f GB18030 -t UTF-8)") from None
    except OSError as exc:
        raise FrontMatterError(f"cannot read: {exc.strerror}", path) from None
    try:
        article = frontmatter.parse(text, path)
    except GeneratorError:
        raise
    except Exception as exc:  # noqa: BLE001 (a bug or a library's: this article only)
        raise FrontMatterError(f"front matter cannot be read: {_describe(exc)}", path, 2) from None
    try:
        return _make_entry(article, raw, path, pattern, per_minute, keep_text, squeeze)
    except GeneratorError:
        raise
    except Exception as exc:  # noqa: BLE001
        raise GeneratorError(f"cannot be rendered: {_describe(exc)}", path,
                             article.body_line) from None


def _describe(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}"[:300]


def _make_entry(article: Article, raw: bytes, path: Path, pattern: str, per_minute: int,
                keep_text: bool, squeeze: bool) -> Entry:
    article.path = path
    if len(article.body) > limits.MAX_BODY_CHARS:
        raise GeneratorError(f"the body is {len(article.body):,} characters long; the limit is "
                             f"{limits.MAX_BODY_CHARS:,}", path, article.body_line,
                             hint="split the article into parts")
    # written by hand or by an older Wenji: no reader-session value reaches a page or feed
    article.front = front = session.scrub_fields(article.front)
    article.body = session.scrub_text(article.body)
    slug = derive_slug(front, path)
    html, plain = markdown.render(article.body)
    words = markdown.word_count(plain)
    summary = front.summary or _SPACE.sub(" ", plain[: SUMMARY_CHARS * 2]).strip()[:SUMMARY_CHARS]
    url = urls.article_url(pattern, slug, front.day)
    html = media.relocate(html, url)
    digest = hashlib.sha1(raw + b"\0" + url.encode("utf-8")).hexdigest()
    text = pack(plain, squeeze) if keep_text else None
    return Entry(front, slug, url, text, pack(html, squeeze), str(path), words,
                 markdown.reading_minutes(words, per_minute), summary, digest, front.day)


def _load_one(source: Source, pattern: str, per_minute: int, keep_text: bool, squeeze: bool,
              pickled: bool = False) -> Any:
    """Load SOURCE: an Entry with its key set (pickled on its own when PICKLED, a worker's
    answer; see load_sources) or a problem tuple."""
    rel, path, _ = source
    try:
        entry = load_entry(Path(path), pattern, per_minute, keep_text, squeeze)
    except GeneratorError as exc:  # exceptions with extra fields do not pickle whole
        return (type(exc).__name__, exc.message, exc.path, exc.line, exc.hint)
    entry.key = rel
    return pickle.dumps(entry, pickle.HIGHEST_PROTOCOL) if pickled else entry


DIED = "Died"
"""The first field of the problem tuple of an article its worker died on (a crash or an
overrun): not kept in the entry cache, so the next build tries it again."""


def _died(path: str, how: pool.Died | pool.Failed) -> tuple:
    """The problem tuple of the article at PATH that its worker died (or raised) on."""
    line = frontmatter.body_line(path)
    if isinstance(how, pool.Failed):
        return ("Failed", f"cannot be built: {how.error}", path, line, None)
    hint = ("raise 'timeout' in site.yml if it is only long" if how.timed_out else
            "see the article limits in the README; report it if it is within them")
    return (DIED, f"cannot be built: {how.reason()}", path, line, hint)


def load_sources(sources: list[Source], cfg: SiteConfig,
                 pickled: dict[str, bytes] | None = None) -> list[Any]:
    """Load SOURCES (an Entry, its key set, or a problem tuple each) in worker processes.

    A crash, or an overrun of the time budget (cfg.timeout), costs only the article it
    happened on (generator.pool). Where no process may be forked (threads running, as in the
    preview server), this process loads them itself, without that protection. Workers send
    each entry pickled on its own; with PICKLED, those bytes are kept there by relative path,
    so the entry cache can store them without pickling the entries again.
    """
    settings = (cfg.article_url, cfg.chars_per_minute, cfg.search.enabled,
                sum(st[0] for _, _, st in sources) >= SQUEEZE_FROM)
    if not sources or not pool.fork_safe():
        return [_load_one(source, *settings) for source in sources]
    jobs = pool.workers() if len(sources) >= PARALLEL_FROM else 1
    size = max(16, min(256, len(sources) // (jobs * 8)))
    chunks = [sources[i:i + size] for i in range(0, len(sources), size)]
    one = functools.partial(_load_one, pattern=settings[0], per_minute=settings[1],
                            keep_text=settings[2], squeeze=settings[3], pickled=True)
    loaded: dict[str, Any] = {}
    with contextlib.closing(pool.run(one, chunks, jobs, budget=cfg.timeout)) as results:
        for items, answers in results:  # while later chunks are loading
            for (rel, path, _), item in zip(items, answers):
                if isinstance(item, bytes):
                    if pickled is not None:
                        pickled[rel] = item
                    item = pickle.loads(item)
                elif isinstance(item, (pool.Died, pool.Failed)):
                    item = _died(path, item)
                loaded[rel] = item
    return [loaded[rel] for rel, _, _ in sources]


def entry_cache(cfg: SiteConfig) -> cache.EntryCache:
    """The site's cache of loaded entries, for the settings loading depends on."""
    return cache.EntryCache(Path(cfg.site_dir) / cache.FOLDER, cfg.content_dir,
                            cfg.article_url, cfg.chars_per_minute, cfg.search.enabled)


def _load_cached(sources: list[Source], cfg: SiteConfig, clean: bool) -> list[Any]:
    """Load SOURCES, reusing entries of unchanged files from the site's cache folder."""
    store = entry_cache(cfg)
    old = {} if clean else store.load()
    items: dict[str, Any] = {}
    todo: list[Source] = []
    for source in sources:
        rel, path, stamp = source
        hit = old.get(rel)
        if hit is not None and hit[0] == stamp:
            items[rel] = hit[1]
            if isinstance(hit[1], Entry):  # the site folder may be named differently this time
                hit[1].source = path
        else:
            todo.append(source)
    pickled: dict[str, bytes] = {}
    for (rel, _, _), item in zip(todo, load_sources(todo, cfg, pickled)):
        items[rel] = item
    store.save({rel: (stamp, items[rel]) for rel, _, stamp in sources
                if not (isinstance(items[rel], tuple) and items[rel][0] == DIED)}, pickled)
    del pickled
    return [items[rel] for rel, _, _ in sources]


def load_site(cfg: SiteConfig, *, drafts: bool | None = None, cached: bool = False,
              clean: bool = False, scanned: Scan | None = None,
              ) -> tuple[Site, list[GeneratorError]]:
    """Load every article under cfg.content_path; bad files become problems and are left out.

    With cfg.strict the first problem is raised instead. Two entries with the same URL raise
    OutputCollisionError naming both files. CACHED reuses (and refreshes) the entries of
    unchanged files kept in the site's cache folder; CLEAN ignores what is kept there.
    SCANNED is scan(cfg.content_path, cfg.site_dir), when the caller has it already.
    """
    include_drafts = cfg.drafts if drafts is None else drafts
    if scanned is None:
        scanned = scan(cfg.content_path, cfg.site_dir)
    sources = scanned.articles
    problems: list[GeneratorError] = []
    entries: list[Entry] = []
    left_out = 0
    loaded = _load_cached(sources, cfg, clean) if cached else load_sources(sources, cfg)
    for item in loaded:
        if isinstance(item, tuple):
            kind = ArticleCrash if item[0] == DIED else FrontMatterError
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
