"""Loaded entries kept between builds, so unchanged articles are not parsed or rendered again.

Every cache file is sealed with a key kept outside the site folder (see generator.model.sealed):
a cache folder that came with a cloned or downloaded site is ignored, never unpickled.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import re
import shutil
import zlib
from importlib import metadata
from pathlib import Path
from typing import Any

import generator
from generator.model.sealed import read_pickle, write_pickle  # the API of every cache file

FOLDER = ".wenji-cache"
"""Cache folder inside the site folder (safe to delete at any time)."""
LOADER = "generator.model.load"
"""The module that turns a file into an entry: its code and what it imports key the cache."""
_LIBRARIES = ("markdown-it-py", "markdown-it-pyrs", "mdit-py-plugins", "nh3", "Pygments",
              "PyYAML")

Stamp = tuple[int, int, int]


def stamp(path: Path) -> Stamp:
    """What tells an unchanged file: size, modification time (ns) and inode."""
    st = os.stat(path)
    return st.st_size, st.st_mtime_ns, st.st_ino


def place(cfg: Any, name: str) -> Path:
    """Where the cache keeps NAME for cfg's output folder (each --out has its own)."""
    where = hashlib.sha1(str(Path(cfg.output_path).resolve()).encode()).hexdigest()[:16]
    return Path(cfg.site_dir) / FOLDER / f"{name}-{where}"


def forget(cfg: Any) -> None:
    """Remove everything the cache keeps for cfg's output folder (e.g. a throw-away build's)."""
    probe = place(cfg, "")
    for path in probe.parent.glob(f"*{probe.name}*"):
        shutil.rmtree(path) if path.is_dir() else path.unlink(missing_ok=True)


@functools.cache
def code_key() -> str:
    """A digest of the code and library versions an entry's loading depends on (per process)."""
    digest = hashlib.sha256()
    package = Path(generator.__file__).parent
    for path in loader_sources():
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    for name in _LIBRARIES:
        try:
            digest.update(f"{name}={metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(name.encode())
    return digest.hexdigest()


_IMPORT = re.compile(r"^[ \t]*(?:from[ \t]+(generator[\w.]*)[ \t]+import[ \t]+(\([^)]*\)|[^\n]*)"
                     r"|import[ \t]+(generator[\w.]*))", re.M)
_NAME = re.compile(r"(\w+)(?:[ \t]+as[ \t]+\w+)?")


def loader_sources(start: str = LOADER) -> list[Path]:
    """The source files of START and of every generator module it imports, directly or not
    (imports inside functions too), with the packages that hold them: read from the code, so
    a module added to the loading path is in the key without anyone listing it."""
    package = Path(generator.__file__).parent
    seen: set[Path] = set()
    todo = [start]
    while todo:
        name = todo.pop()
        parts = name.split(".")[1:]
        for depth in range(len(parts) + 1):  # the module and every package above it
            folder = package.joinpath(*parts[:depth])
            path = folder / "__init__.py"
            if depth == len(parts) and not path.is_file():
                path = folder.with_suffix(".py")
            if not path.is_file() or path in seen:
                continue
            seen.add(path)
            for module, names, plain in _IMPORT.findall(path.read_text(encoding="utf-8")):
                todo.append(module or plain)
                todo.extend(f"{module}.{name}" for name in _NAME.findall(names))
    return sorted(seen)


class EntryCache:
    """{relative path: (stamp, loaded item)} valid for one KEY of settings, in SHARDS pickles.

    Each item is pickled on its own inside its shard, so a few can be read without the rest
    (see load_some). Only the shards holding a changed file are written again, so editing one
    article of a large collection rewrites a small part of the cache.
    """

    SHARDS = 64

    def __init__(self, folder: Path, *settings: Any):
        self.folder = folder
        self.key = (code_key(), *settings)
        self.loaded: dict[int, dict[str, Stamp]] = {}

    def _shard(self, rel: str) -> int:
        return zlib.crc32(rel.encode("utf-8")) % self.SHARDS

    def _path(self, shard: int) -> Path:
        return self.folder / f"entries-{shard:02d}.pickle"

    def _read(self, shard: int) -> dict[str, tuple[Stamp, bytes]] | None:
        saved = read_pickle(self._path(shard))
        if not isinstance(saved, tuple) or len(saved) != 2:
            return None
        key, part = saved
        return part if key == self.key else None

    def load(self) -> dict[str, tuple[Stamp, Any]]:
        """The cached items (a stale, missing or unreadable shard just contributes nothing)."""
        items: dict[str, tuple[Stamp, Any]] = {}
        for shard in range(self.SHARDS):
            part = self._read(shard)
            if part is None:
                continue
            try:
                items.update((rel, (st, pickle.loads(blob))) for rel, (st, blob) in part.items())
            except (EOFError, pickle.UnpicklingError, ValueError, TypeError, AttributeError,
                    ImportError):
                continue
            self.loaded[shard] = {rel: value[0] for rel, value in part.items()}
        return items

    def load_some(self, rels: set[str]) -> dict[str, tuple[Stamp, Any]]:
        """The cached items of RELS that are there (only their shards are read)."""
        by_shard: dict[int, list[str]] = {}
        for rel in rels:
            by_shard.setdefault(self._shard(rel), []).append(rel)
        items: dict[str, tuple[Stamp, Any]] = {}
        for shard, wanted in sorted(by_shard.items()):
            part = self._read(shard) or {}
            for rel in wanted:
                if rel in part:
                    st, blob = part[rel]
                    items[rel] = (st, pickle.loads(blob))
        return items

    def _write(self, shard: int, part: dict[str, tuple[Stamp, bytes]]) -> None:
        write_pickle(self._path(shard), (self.key, part))

    def save(self, items: dict[str, tuple[Stamp, Any]],
             pickled: dict[str, bytes] | None = None) -> None:
        """Write the shards whose files changed; a read-only site folder just goes uncached.

        PICKLED holds items already pickled (by the workers that loaded them).
        """
        pickled = pickled or {}
        parts: dict[int, dict[str, tuple[Stamp, Any]]] = {s: {} for s in range(self.SHARDS)}
        for rel, value in items.items():
            parts[self._shard(rel)][rel] = value
        try:
            for shard, part in parts.items():
                stamps = {rel: value[0] for rel, value in part.items()}
                if self.loaded.get(shard) == stamps and self._path(shard).exists():
                    continue
                self._write(shard, {rel: (st, pickled.get(rel)
                                          or pickle.dumps(item, pickle.HIGHEST_PROTOCOL))
                                    for rel, (st, item) in part.items()})
                self.loaded[shard] = stamps
        except OSError:
            pass

    def update(self, items: dict[str, tuple[Stamp, Any]]) -> None:
        """Replace the cached ITEMS, leaving every other item of their shards as it is."""
        try:
            for shard in sorted({self._shard(rel) for rel in items}):
                part = self._read(shard) or {}
                part.update((rel, (st, pickle.dumps(item, pickle.HIGHEST_PROTOCOL)))
                            for rel, (st, item) in items.items() if self._shard(rel) == shard)
                self._write(shard, part)
        except OSError:
            pass
