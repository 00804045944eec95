"""Rebuild after a few articles changed: render only the pages that show them, patch the output.

A full build saves, next to its page digests, every page's context with entries by key (see
generator.render.recipe) and, for each entry, the pages whose context holds it. When the next
build finds that only article files changed, and none of them changed what decides the site's
shape (URL, date, tags, account, draft), every page lists the same entries in the same order as
before: only the pages holding a changed entry can differ. Those are rendered from their saved
contexts with the changed entries and the few others they show, and replace their files in the
previous output through outdir.patch(). With search on, the changed articles' index entries
go into one small delta segment of the output's search index (generator.search.segments), in
the same journaled patch. Everything else (new, deleted or renamed files, images, templates,
settings) goes through the full build, which is always right.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from generator import outdir
from generator.config import SiteConfig
from generator.model import cache, sealed
from generator.model.pages import FOLDER as PAGES_FOLDER
from generator.model.entry import Entry
from generator.model.load import entry_cache, load_sources
from generator.outputs import search as search_output
from generator.render import env as render_env
from generator.render import recipe
from generator.search import segments

LIMIT_SHARE = 0.05
"""A patch renders at most this share of the site's pages (else a full build is quicker)."""
LIMIT_MIN = 500
"""… but may always render this many."""


def shape(entry: Entry) -> tuple:
    """What decides where ENTRY is listed and linked: URL, date order, tags, account, draft."""
    front = entry.front
    return (entry.url, front.sort_key(), entry.day, tuple(front.tags), front.account, front.draft)


@dataclass
class Index:
    """What a full build saved for patching: its pages' contexts, and the entries' shapes."""

    key: str
    token: str
    """The token of the full build that saved it (patches only change the token file)."""
    saved: recipe.Saved
    shapes: dict[str, tuple]


class RecipeStore:
    """The saved page contexts of one output folder (written by the render processes)."""

    def __init__(self, cfg: SiteConfig):
        self.folder = cache.place(cfg, "pages")

    def prepare(self) -> Path | None:
        """An emptied folder for a full build's contexts (None where the site is read-only)."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            (self.folder / "token").unlink(missing_ok=True)  # invalid until all is written
            for old in self.folder.iterdir():
                old.unlink()
        except OSError:
            return None
        return self.folder

    def save_index(self, index: Index) -> None:
        """Keep INDEX (silently skipped where the site is read-only)."""
        try:
            cache.write_pickle(self.folder / "index.pickle", index)
            self.save_token(index.token)
        except OSError:
            pass

    def save_token(self, token: str) -> None:
        """Mark the saved pages as those of the output whose marker holds TOKEN."""
        tmp = self.folder / f"token.{os.getpid()}.tmp"
        tmp.write_text(token, encoding="ascii")
        os.replace(tmp, self.folder / "token")

    def load_index(self, key: str, token: str | None) -> Index | None:
        """The saved Index, if it describes the output whose marker holds TOKEN."""
        try:
            if (self.folder / "token").read_text(encoding="ascii") != token:
                return None
        except (OSError, UnicodeDecodeError):
            return None
        index = cache.read_pickle(self.folder / "index.pickle")
        return index if isinstance(index, Index) and index.key == key else None

    def load(self, saved: recipe.Saved, numbers: set[int]) -> dict[int, tuple[str, bytes]]:
        """Template and saved context of the pages NUMBERS (OSError when one is missing or
        fails its check: the contexts are only unpickled once their MAC, kept in the sealed
        index, checks out)."""
        found: dict[int, tuple[str, bytes]] = {}
        handles: dict[int, Any] = {}
        try:
            for n in sorted(numbers):
                f = saved.file[n]
                if f not in handles:
                    handles[f] = open(self.folder / saved.files[f], "rb")
                handles[f].seek(saved.offset[n])
                blob = handles[f].read(saved.length[n])
                if not saved.holds(n, blob):
                    sealed.note_foreign(self.folder / saved.files[f])
                    raise OSError(f"saved context {n} fails its check")
                found[n] = (saved.templates[saved.template[n]], blob)
        finally:
            for fh in handles.values():
                fh.close()
        return found


@dataclass
class Patched:
    """What a patch did (build.BuildResult is made from it)."""

    written: int
    unchanged: int
    articles: int


def try_patch(cfg: SiteConfig, env: jinja2.Environment, key: str, saved: dict[str, Any],
              inputs: dict[str, cache.Stamp]) -> Patched | None:
    """Patch the output for the article files changed since the build SAVED describes.

    None when this change needs a full build (see the module's docstring); nothing has been
    touched then. The caller has rolled back any patch an earlier build left half done.
    """
    before: dict[str, cache.Stamp] = saved["inputs"]
    if before.keys() != inputs.keys():
        return None
    keys = [k for k in inputs if inputs[k] != before[k]]
    if not keys or not all(k.startswith("content/") and k.endswith(".md") for k in keys):
        return None  # an image or a theme file changed: a full build copies it
    if any(k.startswith(f"content/{PAGES_FOLDER}/") for k in keys):
        return None  # a standalone page: every footer lists it
    changed = [k.removeprefix("content/") for k in keys]
    store = RecipeStore(cfg)
    index = store.load_index(key, saved["token"])
    digests = cache.PageDigests(cfg, key).load(saved["token"])
    if index is None or not digests:
        return None
    sources = [(rel, str(Path(cfg.content_path) / rel), inputs["content/" + rel])
               for rel in changed]
    fresh: dict[str, Entry] = {}
    for (rel, _, _), entry in zip(sources, load_sources(sources, cfg)):
        if not isinstance(entry, Entry) or index.shapes.get(rel) != shape(entry):
            return None  # a bad file, or one that moved in the site: the full build sees to it
        fresh[rel] = entry
    entries = entry_cache(cfg)
    # every page holding a changed file's entry; those whose context digest is the same
    # (the file was only touched) are skipped below
    pages = {n for rel in fresh for n in index.saved.by_entry.get(rel, ())}
    if len(pages) > max(LIMIT_MIN, LIMIT_SHARE * len(index.saved.paths)):
        return None
    try:
        saved_contexts = store.load(index.saved, pages)
    except OSError:
        return None
    shown = set().union(*(recipe.entry_keys(blob) for _, blob in saved_contexts.values()))
    shown -= fresh.keys()
    known = _cached(entries, shown, inputs)
    if known is None:
        return None  # the cache does not hold what the site has: let a full build sort it out
    lookup = {**known, **fresh}
    out_dir = Path(cfg.output_path)
    files: dict[str, bytes] = {}
    for n, (template, blob) in sorted(saved_contexts.items()):
        path = index.saved.paths[n]
        context = recipe.loads(blob, lookup.__getitem__)
        digest = recipe.record(template, context).digest
        if digests.get(path) == digest:
            continue
        try:
            data = render_env.render(env, template, path, context)
        except jinja2.TemplateError:  # the full build reports it as it should
            return None
        digests[path] = digest
        try:
            same = (out_dir / path).read_bytes() == data
        except OSError:
            return None
        if not same:
            files[path] = data
    pages_written = len(files)
    if cfg.search.enabled:
        delta = _search_delta(out_dir, index, fresh, inputs, entries)
        if delta is None:
            return None  # no index to add to, or time to compact it: a full build
        files.update(delta)
    token = outdir.token(digests)
    entries.update({rel: (inputs["content/" + rel], e) for rel, e in fresh.items()})
    outdir.patch(out_dir, files, outdir.MARKER_TEXT + f"build {token}\n".encode())
    cache.PageDigests(cfg, key).save(token, digests)
    store.save_token(token)
    cache.LastBuild(cfg).save(key=key, token=token, inputs=inputs, files=saved["files"],
                              articles=saved["articles"], problems=saved["problems"])
    return Patched(len(files), saved["files"] - pages_written, saved["articles"])


def _search_delta(out_dir: Path, index: Index, fresh: dict[str, Entry],
                  inputs: dict[str, cache.Stamp], entries: cache.EntryCache
                  ) -> dict[str, bytes] | None:
    """The search index files (by output path) that hold the FRESH entries, or None."""
    keys = list(index.shapes)  # in the site's order: a document's id is its place here
    ids = {key: i for i, key in enumerate(keys)}
    changed = {ids[rel]: search_output.search_doc(e) for rel, e in fresh.items()}

    def current(wanted: list[int]) -> dict[int, search_output.SearchDoc] | None:
        known = _cached(entries, {keys[i] for i in wanted}, inputs)
        if known is None:
            return None
        return {i: search_output.search_doc(known[keys[i]]) for i in wanted}

    found = segments.delta_files(out_dir / search_output.FOLDER, changed, current)
    return None if found is None else {search_output.FOLDER + p: d for p, d in found.items()}


def _cached(entries: cache.EntryCache, rels: set[str], inputs: dict[str, cache.Stamp]
            ) -> dict[str, Entry] | None:
    """The cached entries of the files RELS, or None when one is missing or not as INPUTS has it."""
    known = entries.load_some(rels)
    if any(known.get(rel, (None,))[0] != inputs.get("content/" + rel) for rel in rels):
        return None
    return {rel: item for rel, (_, item) in known.items()}
