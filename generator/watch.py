"""File changes in a site folder → kinds of change; a debounced watchdog loop yielding change sets."""

from __future__ import annotations

import enum
import fnmatch
import queue
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Sequence

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from generator.config import CONFIG_NAME, SiteConfig
from generator.errors import GeneratorError

# Editor, VCS and OS droppings that never affect a build (Lektor WatchFilter, Zola is_temp_file).
_IGNORED_NAMES = ("*.swp", "*.swx", "*.swo", "*.swpx", "*~", ".#*", "#*#", "4913", "*.kate-swp",
                  "*.tmp", ".DS_Store", "Thumbs.db", ".goutputstream-*", "*.crdownload")
_IGNORED_DIRS = {".git", ".hg", ".svn", "__pycache__", ".idea", ".vscode", "node_modules"}
_THEMES_DIR = "themes"


class ChangeKind(enum.Enum):
    """What a changed file is to the build."""

    CONTENT = "content"
    TEMPLATE = "template"
    STATIC = "static"
    CONFIG = "config"


@dataclass(frozen=True)
class Change:
    kind: ChangeKind
    path: Path


def is_temp_file(path: Path) -> bool:
    """Tell whether PATH is an editor swap/backup file or lies in a VCS or cache folder."""
    if any(part in _IGNORED_DIRS for part in path.parts):
        return True
    return any(fnmatch.fnmatchcase(path.name, pattern) for pattern in _IGNORED_NAMES)


def _under(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def _theme_kind(rel: Path) -> ChangeKind | None:
    """Classify REL, a path inside one theme folder (or the folder itself)."""
    if not rel.parts:
        return ChangeKind.TEMPLATE
    if rel.parts[0] == "static":
        return ChangeKind.STATIC
    if rel.parts[0] == "templates" or rel.name == "theme.yml":
        return ChangeKind.TEMPLATE
    return None


def classify_change(site_dir: Path, path: Path, cfg: SiteConfig,
                    theme_dirs: Sequence[Path] = ()) -> ChangeKind | None:
    """Say what kind of change PATH is for the site in SITE_DIR, or None if a build ignores it.

    THEME_DIRS are theme folders outside the site (e.g. bundled themes) that the build uses.
    """
    site = Path(site_dir).absolute()
    path = Path(path)
    path = path if path.is_absolute() else site / path
    if is_temp_file(path.relative_to(site) if _under(path, site) else Path(path.name)):
        return None
    if not _under(path, site) or path == site:
        for folder in theme_dirs:
            if _under(path, folder.absolute()):
                return _theme_kind(path.relative_to(folder.absolute()))
        return None
    if _under(path, (site / cfg.output_dir).absolute()):
        return None
    if path == site / CONFIG_NAME:
        return ChangeKind.CONFIG
    if _under(path, (site / cfg.content_dir).absolute()):
        return ChangeKind.CONTENT
    override = (site / cfg.theme_override).absolute()
    if _under(path, override):
        return _theme_kind(path.relative_to(override))
    themes = site / _THEMES_DIR
    if _under(path, themes):
        inner = path.relative_to(themes)
        return _theme_kind(Path(*inner.parts[1:])) if inner.parts else ChangeKind.TEMPLATE
    return None


def theme_dirs(cfg: SiteConfig) -> list[Path]:
    """Return the folders of the theme chain the build uses (empty if the theme cannot load)."""
    from generator.render.theme import Theme

    try:
        return [folder.absolute() for _name, folder in Theme.load(cfg).chain]
    except GeneratorError:
        return []


def watch_roots(cfg: SiteConfig) -> list[tuple[Path, bool]]:
    """List (folder, recursive) pairs to watch: content, themes, overrides, the site folder itself."""
    site = Path(cfg.site_dir).absolute()
    roots = [(site, False), ((site / cfg.content_dir).absolute(), True),
             ((site / cfg.theme_override).absolute(), True), (site / _THEMES_DIR, True)]
    return roots + [(folder, True) for folder in theme_dirs(cfg) if not _under(folder, site)]


class Watcher:
    """Watch a site's sources with watchdog; `changes()` yields debounced sets of changes."""

    def __init__(self, cfg: SiteConfig, *, debounce: float = 0.15, max_wait: float = 2.0):
        self.cfg = cfg
        self.debounce = debounce
        self.max_wait = max_wait
        self._site = Path(cfg.site_dir).absolute()
        self._events: queue.Queue[Path] = queue.Queue()
        self._observer = Observer()
        self._handler = _Handler(self._events)
        self._scheduled: set[Path] = set()
        self._themes = theme_dirs(cfg)

    def __enter__(self) -> Watcher:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> None:
        """Begin collecting file events (before the first build, so no edit is missed)."""
        self._schedule_new()
        self._observer.start()

    def stop(self) -> None:
        """Stop the watchdog observer thread."""
        if self._observer.is_alive():
            self._observer.stop()
            self._observer.join(timeout=5)

    def _schedule_new(self) -> None:
        for root, recursive in watch_roots(self.cfg):
            if root not in self._scheduled and root.is_dir():
                self._observer.schedule(self._handler, str(root), recursive=recursive)
                self._scheduled.add(root)

    def changes(self, stop: threading.Event | None = None) -> Iterator[frozenset[Change]]:
        """Yield each burst of relevant changes once DEBOUNCE seconds pass without another event."""
        while stop is None or not stop.is_set():
            try:
                first = self._events.get(timeout=0.1)
            except queue.Empty:
                continue
            batch, started = [first], time.monotonic()
            while time.monotonic() - started < self.max_wait:
                try:
                    batch.append(self._events.get(timeout=self.debounce))
                except queue.Empty:
                    break
            self._schedule_new()
            changes = frozenset(Change(kind, path) for path in batch
                                if (kind := classify_change(self._site, path, self.cfg, self._themes))
                                is not None)
            if changes:
                yield changes


class _Handler(FileSystemEventHandler):
    """Queue the paths of watchdog events that can change a file's content."""

    _WANTED = {"created", "modified", "deleted", "moved", "closed"}

    def __init__(self, events: queue.Queue[Path]):
        self._events = events

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type not in self._WANTED:
            return
        if event.is_directory and event.event_type in ("modified", "closed"):
            return
        for raw in (event.src_path, event.dest_path):
            if raw:
                self._events.put(Path(raw if isinstance(raw, str) else raw.decode()))
