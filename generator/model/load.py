"""content/**/*.md → entries: the content folder scanned, each article parsed and rendered
(in worker processes for large collections), unchanged ones reused from the entry cache."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import pickle
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator import confine, encoding, pool, session, urls
from generator.config import SiteConfig
from generator.errors import FrontMatterError, GeneratorError
from generator.markup import headings, limits, markdown, media
from generator.model import cache, frontmatter, pages
from generator.model.article import Article, FrontMatter
from generator.model.entry import Entry, pack

PARALLEL_FROM = 300
"""Collections at least this large are loaded by one worker process per CPU (smaller ones
by one worker: a crash there costs one article, not the build)."""
SUMMARY_CHARS = 120

_DATE_PREFIX = re.compile(r"^(?:\d{4}-\d{2}-\d{2}|undated)-")
_SPACE = re.compile(r"\s+")

SQUEEZE_FROM = 128 * 2**20
"""Source bytes from which bodies are kept compressed (see generator.model.entry.pack)."""

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
                    into = found.pages if prefix.startswith(pages.FOLDER + "/") else found.articles
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
    limits.check(article.body, path, article.body_line)
    # written by hand or by an older Wenji: no reader-session value reaches a page or feed
    article.front = front = session.scrub_fields(article.front)
    article.body = session.scrub_text(article.body)
    slug = derive_slug(front, path)
    html, plain, heads = markdown.rendered(article.body)
    words = markdown.word_count(plain)
    summary = front.summary or _SPACE.sub(" ", plain[: SUMMARY_CHARS * 2]).strip()[:SUMMARY_CHARS]
    url = urls.article_url(pattern, slug, front.day)
    html = media.relocate(html, url)
    digest = hashlib.sha1(raw + b"\0" + url.encode("utf-8")).hexdigest()
    text = pack(plain, squeeze) if keep_text else None
    return Entry(front, slug, url, text, pack(html, squeeze), str(path), words,
                 markdown.reading_minutes(words, per_minute), summary, digest, front.day,
                 packed_headings=headings.pack(heads) if keep_text else b"")


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
    settings = dict(pattern=cfg.article_url, per_minute=cfg.chars_per_minute,
                    keep_text=cfg.search.enabled,
                    squeeze=sum(st[0] for _, _, st in sources) >= SQUEEZE_FROM)
    if not sources or not pool.fork_safe():
        return [_load_one(source, **settings) for source in sources]
    jobs = pool.workers() if len(sources) >= PARALLEL_FROM else 1
    size = max(16, min(256, len(sources) // (jobs * 8)))
    chunks = [sources[i:i + size] for i in range(0, len(sources), size)]
    one = functools.partial(_load_one, **settings, pickled=True)
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


def load_cached(sources: list[Source], cfg: SiteConfig, clean: bool) -> list[Any]:
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
