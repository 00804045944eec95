"""Patch the output after a few articles changed: render only the pages that show them.

A full build saves every page's context with entries by key (see generator.render.recipe and
contexts) and, for each entry, the pages whose context holds it; the manifest keeps where.
When decide() finds that only article files changed, and none of them changed what decides
the site's shape (shape(): URL, date, tags, account, draft), every page lists the same entries
in the same order as before: only the pages holding a changed entry can differ. Those are
rendered from their saved contexts with the changed entries and the few others they show, and
replace their files in the previous output through outdir.patch(). With search on, the changed
articles' index entries go into one small delta segment of the output's search index
(generator.search.segments), in the same journaled patch. Anything else gives None, and the
full build that follows is always right.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import jinja2

from generator import outdir
from generator.config import SiteConfig
from generator.incremental import contexts
from generator.incremental.manifest import Manifest, folder, shape
from generator.model import cache
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


@dataclass
class Planned:
    """A patch ready to be written: the files it replaces and what the output then holds."""

    files: dict[str, bytes]
    """Output path → new bytes (pages and search index files)."""
    fresh: dict[str, tuple[cache.Stamp, Entry]]
    """The changed articles' entries, for the entry cache."""
    unchanged: int
    """Files the patch leaves as they are."""
    state: Manifest


def plan(cfg: SiteConfig, env: jinja2.Environment, last: Manifest, changed: tuple[str, ...],
         inputs: dict[str, cache.Stamp]) -> Planned | None:
    """Load the CHANGED article files (relative paths) and render the pages of the output
    LAST describes that show them, writing nothing.

    None when this change needs a full build (see the module's docstring).
    """
    assert last.saved is not None and last.contexts is not None
    sources = [(rel, str(Path(cfg.content_path) / rel), inputs["content/" + rel])
               for rel in changed]
    fresh: dict[str, Entry] = {}
    for (rel, _, _), entry in zip(sources, load_sources(sources, cfg)):
        if not isinstance(entry, Entry) or last.shapes.get(rel) != shape(entry):
            return None  # a bad file, or one that moved in the site: the full build sees to it
        fresh[rel] = entry
    entries = entry_cache(cfg)
    # every page holding a changed file's entry; those whose context digest is the same
    # (the file was only touched) are skipped below
    pages = {n for rel in fresh for n in last.saved.by_entry.get(rel, ())}
    if len(pages) > max(LIMIT_MIN, LIMIT_SHARE * len(last.saved.paths)):
        return None
    try:
        saved = contexts.load(folder(cfg) / last.contexts, last.saved, pages)
    except OSError:
        return None
    shown = set().union(*(recipe.entry_keys(blob) for _, blob in saved.values()))
    shown -= fresh.keys()
    known = _cached(entries, shown, inputs)
    if known is None:
        return None  # the cache does not hold what the site has: let a full build sort it out
    lookup = {**known, **fresh}
    out_dir = Path(cfg.output_path)
    digests = dict(last.digests)
    files: dict[str, bytes] = {}
    for n, (template, blob) in sorted(saved.items()):
        path = last.saved.paths[n]
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
    search = last.search
    if cfg.search.enabled:
        delta = _search_delta(last, fresh, inputs, entries)
        if delta is None:
            return None  # no index to add to, or time to compact it: a full build
        found, search = delta
        files.update(found)
    return Planned(files, {rel: (inputs["content/" + rel], e) for rel, e in fresh.items()},
                   last.files - pages_written,
                   last.patched(token=outdir.token(digests), inputs=inputs, digests=digests,
                                search=search))


def write(cfg: SiteConfig, planned: Planned) -> int:
    """Keep the fresh entries and replace the planned files in the output (journaled, see
    outdir.patch; the caller has rolled back any patch an earlier build left half done);
    the number of files written."""
    entry_cache(cfg).update(planned.fresh)
    outdir.patch(Path(cfg.output_path), planned.files, outdir.marker(planned.state.token))
    return len(planned.files)


def _search_delta(last: Manifest, fresh: dict[str, Entry], inputs: dict[str, cache.Stamp],
                  entries: cache.EntryCache) -> tuple[dict[str, bytes], dict] | None:
    """The search index files (by output path) that hold the FRESH entries and the index's
    new manifest, or None."""
    keys = list(last.shapes)  # in the site's order: a document's id is its place here
    ids = {key: i for i, key in enumerate(keys)}
    changed = {ids[rel]: search_output.search_doc(e) for rel, e in fresh.items()}

    def current(wanted: list[int]) -> dict[int, search_output.SearchDoc] | None:
        known = _cached(entries, {keys[i] for i in wanted}, inputs)
        if known is None:
            return None
        return {i: search_output.search_doc(known[keys[i]]) for i in wanted}

    found = segments.delta_files(last.search, changed, current)
    if found is None:
        return None
    files, manifest = found
    return {search_output.FOLDER + p: d for p, d in files.items()}, manifest


def _cached(entries: cache.EntryCache, rels: set[str], inputs: dict[str, cache.Stamp]
            ) -> dict[str, Entry] | None:
    """The cached entries of the files RELS, or None when one is missing or not as INPUTS has it."""
    known = entries.load_some(rels)
    if any(known.get(rel, (None,))[0] != inputs.get("content/" + rel) for rel in rels):
        return None
    return {rel: item for rel, (_, item) in known.items()}
