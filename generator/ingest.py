"""Command `wenji import`: input files → sources → clean → content/<date>-<slug>.md, with a Report."""

from __future__ import annotations

import hashlib
import os
import re
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO, Iterable, Iterator, Sequence
from urllib.parse import urlsplit

from generator import confine, imagefetch, sources
from generator.clean import clean, normalize, signals, summary, surrogates, tags
from generator.config import SiteConfig
from generator.errors import GeneratorError, InputError
from generator.inputs import OUTSIDE, Input, iter_inputs
from generator.meta import wechat
from generator.model import frontmatter
from generator.model.article import Article
from generator.report import ImportReport, Outcome, Row
from generator.model.rawdoc import RawDoc

_INTERNAL_EXTRA = {"error", "image_files"}
MAX_BYTES = 64 * 1024 * 1024


@dataclass
class Converted:
    """One article (or not-article) found in an input, cleaned and ready to write."""

    raw: RawDoc
    article: Article | None = None
    error: str | None = None
    slug: str | None = None
    filename: str | None = None
    image_files: dict[str, str] | None = None
    """Image URL in the body → saved copy in raw.assets_dir (see generator.clean.images)."""
    openings: list[str] = field(default_factory=list)
    """Keys of the body's opening paragraphs when the summary came from the body."""

    @property
    def text(self) -> str | None:
        """The file to write (front matter + body) for the article as it stands; None when
        there is none. Dumped on demand: the batch changes articles after cleaning (summaries,
        tags, image paths), and only the articles placed are written."""
        if self.article is None or self.filename is None:
            return None
        return frontmatter.dump(self.article)


@dataclass
class _Known:
    """What the content folder already holds, for idempotence and duplicate detection."""

    by_name: dict[str, Path] = field(default_factory=dict)
    by_key: dict[str, str] = field(default_factory=dict)
    by_origin: dict[str, list[Path]] = field(default_factory=dict)
    """imported_from → the files imported from an input of that name (see _earlier_copy)."""


def identity(raw: RawDoc) -> str:
    """A stable identity: WeChat biz/mid/idx, else the article URL, else account+title+day."""
    if raw.identity:
        return raw.identity
    if raw.url:
        found = wechat.url_identity(raw.url)
        if found:
            return found
        parts = urlsplit(raw.url.strip())
        host = parts.netloc.lower().removeprefix("www.")
        return f"url:{host}{parts.path}{'?' + parts.query if parts.query else ''}"
    day = _day(raw)
    return f"meta:{raw.account or ''}|{normalize.match_key(raw.title or '')}|{day or ''}"


def _day(raw: RawDoc) -> str | None:
    d = raw.date
    if d is None:
        return None
    return (d.date() if hasattr(d, "hour") else d).isoformat()


def slug_for(key: str) -> str:
    """Short ASCII slug derived from the identity (12 hex digits of its SHA-1)."""
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]


def fingerprint(body: str) -> str | None:
    """Content fingerprint of a body, blind to boilerplate-level differences; None if too short."""
    text = normalize.match_key(normalize.plain(body))
    if len(text) < 40:
        return None
    return "body:" + hashlib.sha1(text.encode("utf-8")).hexdigest()


def _meta_key(article: Article) -> str | None:
    f = article.front
    if not f.title or f.date is None:
        return None
    return f"meta:{f.account or ''}|{normalize.match_key(f.title)}|{f.day}"


def _dup_keys(article: Article) -> list[str]:
    return [k for k in (fingerprint(article.body), _meta_key(article)) if k]


def _clean_extra(extra: dict) -> dict:
    def ok(v: object) -> bool:
        if isinstance(v, (str, int, float, bool)):
            return True
        return isinstance(v, list) and all(isinstance(x, (str, int, float)) for x in v)
    return {k: v for k, v in extra.items()
            if k not in _INTERNAL_EXTRA and not k.startswith("_") and ok(v)}


def convert(path: Path, data: bytes, fmt: str | None, cfg: SiteConfig, *,
            origin: str | None = None) -> list[Converted]:
    """Read one input with its adapter and clean every article in it (no disk writes).

    ORIGIN is the input's path relative to the import root (see `clean`)."""
    problem = _unreadable(data)
    if problem:
        raise InputError(problem, path)
    fmt = fmt or sources.detect(path, data)
    if fmt is None:
        raise InputError("unrecognised format", path, hint="force one with --format")
    out = []
    for raw in sources.read(fmt, path, data):
        item = Converted(raw)
        if raw.extra.get("error"):
            item.error = str(raw.extra["error"])
        elif not raw.not_article:
            try:
                _clean_one(item, cfg, origin)
            except Exception as exc:  # a cleaning bug costs this record, not its file
                item.article, item.error = None, f"internal error: {type(exc).__name__}: {exc}"
        out.append(item)
    return out


def _clean_one(item: Converted, cfg: SiteConfig, origin: str | None = None) -> None:
    """Clean ITEM.raw into ITEM's article, file name and text (the raw body is let go)."""
    raw = surrogates.repair(item.raw)
    item.image_files = raw.extra.get("image_files")
    raw = replace(raw, extra=_clean_extra(raw.extra))
    item.raw = raw
    item.article = clean(raw, cfg.import_, origin=origin)
    item.raw = replace(raw, html=None, text=None, markdown=None)
    if not normalize.inline(raw.summary):
        item.openings = summary.openings(item.article.body)
    reason = signals.not_article(item.article, raw)
    if reason:
        item.raw.not_article, item.article = reason, None
        return
    key = identity(raw)
    item.slug = slug_for(key)
    day = item.article.front.day
    item.filename = f"{day.isoformat() if day else 'undated'}-{item.slug}.md"


def _unreadable(data: bytes) -> str | None:
    if not data.strip():
        return "empty file"
    if len(data) > MAX_BYTES:
        return f"file too large ({len(data) // 2**20} MB; limit {MAX_BYTES // 2**20} MB)"
    head = data[:8192]
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "binary file, not text"
    return None


def _scan_existing(into: Path) -> _Known:
    known = _Known()
    if not into.is_dir():
        return known
    for f in sorted(into.rglob("*.md")):
        known.by_name[f.name] = f
        try:
            article = frontmatter.parse(f.read_text(encoding="utf-8"), f)
        except (GeneratorError, UnicodeDecodeError, OSError):
            continue
        for key in _dup_keys(article):
            known.by_key.setdefault(key, f.name)
        if article.front.imported_from:
            known.by_origin.setdefault(article.front.imported_from, []).append(f)
    return known


def _earlier_copy(item: Converted, known: _Known, seen: dict[str, str]) -> Path | None:
    """The file an earlier import wrote for this same article under another name, when better
    metadata now names it differently (a date found, a title from the text instead of the file
    name): imported from an input of the same name, never edited by hand, not written in this
    run, and holding the whole of this article's text."""
    assert item.article is not None
    candidates = [f for f in known.by_origin.get(item.article.front.imported_from or "", [])
                  if f.name != item.filename and f.name not in seen.values()]
    if not candidates or len(candidates) > 20:
        return None
    parts = [p for p in (normalize.match_key(normalize.plain(b))
                         for b in re.split(r"\n\s*\n", item.article.body)) if p]
    if sum(map(len, parts)) < 40:
        return None
    for f in candidates:
        try:
            old = f.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        if not frontmatter.is_hand_edited(old) and _holds(normalize.match_key(normalize.plain(
                frontmatter.split(old)[1])), parts):
            return f
    return None


def _holds(text: str, parts: list[str]) -> bool:
    """True when TEXT holds every one of PARTS, in order (lines may have been dropped between)."""
    at = 0
    for part in parts:
        at = text.find(part, at)
        if at < 0:
            return False
        at += len(part)
    return True


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def _localize(item: Converted, into: Path, dry_run: bool) -> list[str]:
    if item.raw.assets_dir is None or item.article is None:
        return []
    assets = item.raw.assets_dir  # next to the page (its real path): a link may not lead away
    if confine.Fence.around(assets.parent).admit(assets) is None:
        return [f"{assets.name}/ ({OUTSIDE.format(assets.parent)})"]
    from generator.clean.images import localize

    body, missing = localize(item.article.body, item.raw.assets_dir, into, dry_run=dry_run,
                             files=item.image_files)
    if body != item.article.body:
        item.article = replace(item.article, body=body)
    return list(missing)


def _fetch_images(item: Converted, row: Row, images: "imagefetch.Fetcher") -> None:
    """Point ITEM's remote images at local copies (downloading them with --fetch-images)."""
    art = item.article
    body, cover, tally = images.localize(art.body, art.front.cover)
    if tally.touched:
        row.images_fetched, row.images_local, row.image_failures = (tally.fetched, tally.local,
                                                                    tally.failed)
    if body != art.body or cover != art.front.cover:
        item.article = replace(art, body=body, front=replace(art.front, cover=cover))


def _place(item: Converted, row: Row, into: Path, known: _Known, seen: dict[str, str],
           force: bool, dry_run: bool, images: "imagefetch.Fetcher | None" = None) -> str | None:
    """Decide the outcome for one cleaned article and write it unless told not to; the text the
    target held before (None when there was none, or when the article is not placed)."""
    assert item.article is not None and item.filename
    name = item.filename
    target = known.by_name.get(name, into / name)
    rel = str(target.relative_to(into)) if target.is_relative_to(into) else str(target)
    row.output = rel
    if name in seen:
        row.outcome, row.duplicate_of, row.output = Outcome.DUPLICATE, seen[name], None
        row.reason = "same article as another input"
        return None
    earlier = None if target.exists() else _earlier_copy(item, known, seen)
    keys = _dup_keys(item.article)
    for key in keys if earlier is None else ():
        other = seen.get(key) or known.by_key.get(key)
        if other and other != rel:
            row.outcome, row.duplicate_of, row.output = Outcome.DUPLICATE, other, None
            row.reason = "same content" if key.startswith("body:") else "same title, account and day"
            return None
    seen[name] = rel
    for key in keys:
        seen.setdefault(key, rel)
    row.missing_images = _localize(item, into, dry_run)
    old = target.read_text(encoding="utf-8", errors="replace") if target.exists() else None
    if old is not None and not force and frontmatter.is_hand_edited(old):
        row.outcome, row.reason = Outcome.KEPT, "edited since import; --force overwrites"
        return None  # before any download (a hand-edited file never equals an imported text)
    if images is not None:
        _fetch_images(item, row, images)
    text = frontmatter.dump(item.article)
    if old is not None:
        if old == text:
            row.outcome = Outcome.UNCHANGED
            return old
        row.outcome = Outcome.UPDATED
    else:
        row.outcome = Outcome.IMPORTED
    if earlier is not None:
        row.outcome, row.reason = Outcome.UPDATED, f"renamed from {earlier.name} (metadata found)"
        seen[earlier.name] = rel
    if not dry_run:
        _write(target, text)
        if earlier is not None:
            earlier.unlink()
    return old


def _convert_all(inputs: Iterable[Input],
                 fmt: str | None, cfg: SiteConfig, report: ImportReport,
                 stream: IO[str]) -> Iterator[tuple[str, list[Converted]]]:
    """Each input's name and converted items; an input excluded, refused or unreadable is
    reported."""
    for name, path, data, refused, origin in inputs:
        if origin is None:
            report.add(Row(name, Outcome.EXCLUDED, reason="--exclude"))
            continue
        if refused:
            print(f"warning: {name}: {refused}", file=stream)
            report.add(Row(name, Outcome.REJECTED, reason=refused))
            continue
        try:
            if data is None:
                if not path.exists():
                    raise InputError("no such file or folder", name)
                data = path.read_bytes()
            yield name, convert(path, data, fmt, cfg, origin=origin)
        except GeneratorError as exc:
            hint = f" (hint: {exc.hint})" if exc.hint else ""
            report.add(Row(name, Outcome.FAILED, reason=exc.message + hint, record=exc.line))
        except Exception as exc:  # an adapter bug must not lose the other inputs
            report.add(Row(name, Outcome.FAILED, reason=f"internal error: {type(exc).__name__}: {exc}"))


def _writable(item: Converted) -> bool:
    return (item.article is not None and not item.error and not item.raw.not_article
            and bool(item.article.front.title) and bool(item.article.body.strip()))


def _add_auto_tags(items: list[Converted], n: int) -> None:
    """Give each article N automatic keyword tags, chosen across the whole import."""
    chosen = tags.auto_tags([(i.article.front.title, normalize.plain(i.article.body),
                              i.article.front.tags) for i in items], n)
    for item, words in zip(items, chosen):
        if words:
            front = replace(item.article.front, tags=tags.merge(item.article.front.tags, words))
            item.article = replace(item.article, front=front)


def ingest(cfg: SiteConfig, srcs: list[str], *, into: Path | None = None, fmt: str | None = None,
           force: bool = False, dry_run: bool = False, auto_tags: int | None = None,
           progress: bool | None = None, fetch_images: bool = False, stdin: IO[bytes] | None = None,
           stream: IO[str] = sys.stderr, exclude: Sequence[str] = ()) -> ImportReport:
    """Import every article found in SRCS into INTO (default: the site's content folder).

    Each article is written as soon as its input is read and cleaned; only a small record of it
    is kept, so that memory does not grow with the import. Two rules look at the whole import:
    a summary that opens with a paragraph several articles share (a course trailer) is taken
    again from the article's own text, once every input is read, by rewriting the few files
    concerned (`_Written`); automatic tags are chosen across the import, so with them (and with
    --dry-run, which has no files to come back to) the articles are held until every input is
    read. Inputs matching an EXCLUDE glob are reported as excluded and not read."""
    from tqdm import tqdm

    into = Path(into) if into else cfg.content_path
    if fmt and fmt != "auto" and fmt not in sources.FORMATS:
        raise GeneratorError(f"unknown format '{fmt}'", hint="one of: auto, " + ", ".join(sources.FORMATS))
    fmt = None if fmt in (None, "auto") else fmt
    n_auto = cfg.import_.auto_tags if auto_tags is None else auto_tags
    if n_auto > 0:
        tags.require_auto_tags()
    report = ImportReport()
    images = imagefetch.for_site(cfg, into, fetch=fetch_images, dry_run=dry_run)
    known = _scan_existing(into)
    seen: dict[str, str] = {}
    inputs = list(iter_inputs(srcs, stdin, exclude))
    show = progress if progress is not None else (len(inputs) >= 20 and stream.isatty())
    hold = dry_run or n_auto > 0
    held: list[tuple[Converted, Row]] = []
    written: list[_Written] = []
    openings: dict[str, list[str]] = {}
    for name, items in _convert_all(tqdm(inputs, disable=not show, file=stream, unit="file",
                                         leave=False), fmt, cfg, report, stream):
        if not items:
            report.add(Row(name, Outcome.REJECTED, reason="no article found"))
        for item in items:
            row = report.add(_row(name, item))
            if not _writable(item):
                continue
            if item.openings:
                openings[item.slug] = item.openings
            if hold:
                held.append((item, row))
                continue
            old = _placed(item, row, into, known, seen, force, dry_run, images)
            if item.openings and row.outcome in _WRITTEN:
                written.append(_Written(row, into / row.output, item.openings[0], _digest(old)))
    shared = summary.shared_openings(openings.values())
    if hold:
        _resummarize([item for item, _ in held], shared)
        if n_auto > 0:
            _add_auto_tags([item for item, _ in held], n_auto)
        for item, row in held:
            _placed(item, row, into, known, seen, force, dry_run, images)
    for w in written:
        if w.opening in shared:
            w.resummarize(shared)
    if images is not None and (fetch_images or images.total.touched):
        report.images = images.total.line()
    return report


_WRITTEN = (Outcome.IMPORTED, Outcome.UPDATED, Outcome.UNCHANGED)


def _row(name: str, item: Converted) -> Row:
    """ITEM's report row: why it is not written, or (still to be placed) where its fields came from."""
    row = Row(name, Outcome.FAILED, record=item.raw.record, warnings=list(item.raw.warnings))
    if item.error:
        row.reason = item.error
    elif item.raw.not_article:
        row.outcome, row.reason = Outcome.NOT_ARTICLE, item.raw.not_article
    elif item.article is None or not item.article.front.title:
        row.outcome, row.reason = Outcome.REJECTED, "no title"
    elif not item.article.body.strip():
        row.outcome, row.reason = Outcome.REJECTED, "empty body"
    else:
        row.fields = {k: v for k, v in item.raw.found.items() if getattr(item.raw, k, None)}
    return row


def _placed(item: Converted, row: Row, into: Path, known: _Known, seen: dict[str, str],
            force: bool, dry_run: bool, images: "imagefetch.Fetcher | None") -> str | None:
    """`_place`, a write that fails costing this article only."""
    try:
        return _place(item, row, into, known, seen, force, dry_run, images)
    except OSError as exc:
        row.outcome, row.reason = Outcome.FAILED, f"cannot write: {exc.strerror or exc}"
        return None


def _digest(text: str | None) -> bytes | None:
    return None if text is None else hashlib.sha1(text.encode("utf-8")).digest()


@dataclass
class _Written:
    """An article written (or found unchanged) before the whole import was read, with what the
    shared-openings rule needs to come back to it: its first opening key and a digest of the
    file as it was before this import (None when there was none)."""

    row: Row
    path: Path
    opening: str
    before: bytes | None

    def resummarize(self, shared: set[str]) -> None:
        """Take the summary again without the SHARED openings, and rewrite the file if it changes;
        the outcome is then decided against the file as it was before this import."""
        try:
            text = self.path.read_text(encoding="utf-8")
            final = frontmatter.dump(_resummarized(frontmatter.parse(text, self.path), shared))
            if final == text:
                return
            if self.before is not None:
                self.row.outcome = Outcome.UNCHANGED if _digest(final) == self.before else Outcome.UPDATED
            _write(self.path, final)
        except (OSError, GeneratorError) as exc:
            self.row.outcome = Outcome.FAILED
            self.row.reason = f"cannot write: {getattr(exc, 'strerror', None) or exc}"


def _resummarize(items: list[Converted], shared: set[str]) -> None:
    """Take summaries again where they open with a paragraph several articles share."""
    for item in items:
        if item.article is None or not item.openings or item.openings[0] not in shared:
            continue
        item.article = _resummarized(item.article, shared)


def _resummarized(article: Article, shared: set[str]) -> Article:
    """ARTICLE with its summary taken again from its body, skipping the SHARED openings."""
    front = replace(article.front, summary=summary.summarize(article.body, shared=shared))
    return replace(article, front=front)
