"""The build state: one sealed manifest of what an output folder holds, written once per build.

The manifest names the build key (settings, templates, code), the stamps of every input file,
each page's context digest, each entry's shape, where the pages' contexts were saved, the
search index's segments and the build's problems and counts. The output folder's marker holds
one token (generator.outdir.token of the page digests); the manifest is only believed while
the marker holds its token, so an output edited, replaced or deleted by hand is built again in
full. Like every cache file it is sealed (generator.model.sealed): a planted one is ignored.
"""

from __future__ import annotations

import dataclasses
import pickle
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.model import cache
from generator.model.cache import Stamp
from generator.model.entry import Entry
from generator.render import recipe

_LAZY = ("digests", "shapes", "saved")
"""The large fields, each kept pickled apart inside the manifest and unpickled when first
asked for (a build that finds nothing changed reads only the stamps; a patch, which changes
only the digests, writes the others back as it read them)."""
_OLD = ("last", "pages")
"""Names of the state files earlier versions kept per output folder (removed when seen)."""


def shape(entry: Entry) -> tuple:
    """What decides where ENTRY is listed and linked: URL, date order, tags, account, draft."""
    front = entry.front
    return (entry.url, front.sort_key(), entry.day, tuple(front.tags), front.account, front.draft)


@dataclass
class Manifest:
    """What the output folder holds, as the build that wrote it left it."""

    key: str
    """Digest of the settings, templates and code every page depends on."""
    token: str
    """The token in the output's marker file when it holds this build."""
    inputs: dict[str, Stamp]
    """Stamp of every file the build read besides templates (see fingerprint.input_stamps)."""
    digests: dict[str, str]
    """Output path → digest of its template and context."""
    shapes: dict[str, tuple]
    """Entry key → shape (see shape()), in the site's order: a search document's id."""
    saved: recipe.Saved | None
    """Where each page's context was saved (None: not saved, e.g. a read-only site folder)."""
    contexts: str | None = None
    """The folder (under the state folder) holding those contexts."""
    search: dict | None = None
    """The search index's segments (what the output's search/manifest.json says)."""
    problems: list[tuple] = field(default_factory=list)
    """(message, path, line, hint) of each article or page left out."""
    files: int = 0
    articles: int = 0
    complete: bool = True
    """False when a page's renderer crashed: the next build tries again in full."""

    def patched(self, **changes: Any) -> "Manifest":
        """A copy with CHANGES (the unchanged large fields keep their pickled bytes)."""
        new = dataclasses.replace(self, **changes)
        new.__dict__["_blobs"] = {name: kept for name, kept in self._kept().items()
                                  if name not in changes}
        return new

    def _kept(self) -> dict[str, tuple[bytes, Any]]:
        return self.__dict__.get("_blobs", {})

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        kept = state.pop("_blobs", {})
        lazy = {}
        for name in _LAZY:
            if name not in state:  # never unpickled: as it was read
                lazy[name] = kept[name][0]
                continue
            value = state.pop(name)
            blob, source = kept.get(name, (None, None))
            lazy[name] = blob if blob is not None and source is value else \
                pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        state["_lazy"] = lazy
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        lazy = state.pop("_lazy")
        self.__dict__.update(state)
        self.__dict__["_blobs"] = {name: (blob, None) for name, blob in lazy.items()}

    def __getattr__(self, name: str) -> Any:
        """Unpickle a _LAZY field when it is first asked for."""
        kept = self.__dict__.get("_blobs", {})
        if name not in _LAZY or name not in kept:
            raise AttributeError(name)
        value = pickle.loads(kept[name][0])
        self.__dict__[name] = value
        kept[name] = (kept[name][0], value)
        return value


def folder(cfg: Any) -> Path:
    """The state folder of cfg's output folder (manifest and saved contexts)."""
    return cache.place(cfg, "state")


def load(cfg: Any) -> Manifest | None:
    """The manifest of cfg's output folder, if one this user's Wenji wrote is there."""
    found = cache.read_pickle(folder(cfg) / "manifest.pickle")
    return found if isinstance(found, Manifest) else None


def save(cfg: Any, manifest: Manifest) -> None:
    """Replace the manifest (atomically), then drop saved contexts it no longer names and the
    state files of earlier versions; silently skipped where the site folder is read-only."""
    where = folder(cfg)
    try:
        cache.write_pickle(where / "manifest.pickle", manifest)
    except OSError:
        return
    for item in where.iterdir():
        if item.is_dir() and item.name != manifest.contexts:
            shutil.rmtree(item, ignore_errors=True)
    forget_old(cfg)


def forget_old(cfg: Any) -> None:
    """Remove the state files earlier versions kept for cfg's output folder."""
    for name in _OLD:
        old = cache.place(cfg, name)
        shutil.rmtree(old, ignore_errors=True)
        old.with_suffix(".pickle").unlink(missing_ok=True)
