"""Command `wenji serve`: build into a temp folder, serve it, rebuild on changes, reload pages."""

from __future__ import annotations

import dataclasses
import sys
import tempfile
import threading
import webbrowser
from pathlib import Path
from typing import IO, Any, Callable

from generator.config import SiteConfig, load_config, override
from generator.errors import GeneratorError
from generator.serve.connections import Limits, raise_open_files_limit
from generator.serve.server import PreviewServer
from generator.watch import Change, Watcher, theme_dirs


def _cli_overrides(cfg: SiteConfig) -> dict[str, Any]:
    """Return the fields where CFG differs from site.yml (command-line options to keep on reload)."""
    try:
        base = load_config(cfg.site_dir)
    except GeneratorError:
        return {}
    return {f.name: getattr(cfg, f.name) for f in dataclasses.fields(cfg)
            if getattr(cfg, f.name) != getattr(base, f.name)}


class SiteBuilder:
    """Rebuild the site into the preview folder with the options given on the command line.

    Bad articles are left out and reported, as `wenji build` does (the preview's panel lists
    them); a broken site.yml or template fails the build and the last good output stays.
    """

    def __init__(self, cfg: SiteConfig, out: Path, build: Callable[[SiteConfig], Any],
                 url: Callable[[], str]):
        self.site_dir = cfg.site_dir
        self.keep = _cli_overrides(cfg)
        self.out = out
        self.build = build
        self.url = url

    def __call__(self) -> Any:
        cfg = override(load_config(self.site_dir), **self.keep)
        return self.build(override(cfg, output_dir=str(self.out), base_url=self.url()))


def _describe(changes: frozenset[Change], site_dir: Path) -> str:
    site = site_dir.absolute()
    names = sorted({str(c.path.relative_to(site)) if site in c.path.parents else str(c.path)
                    for c in changes})
    more = f" and {len(names) - 3} more" if len(names) > 3 else ""
    return ", ".join(names[:3]) + more + " changed"


def serve(cfg: SiteConfig, host: str = "127.0.0.1", port: int = 8000, open_browser: bool = False,
          *, builder: Callable[[SiteConfig], Any] | None = None, stream: IO[str] | None = None,
          stop: threading.Event | None = None, opener: Callable[[str], Any] = webbrowser.open,
          debounce: float = 0.15) -> None:
    """Build, serve and rebuild on change until Ctrl-C (KeyboardInterrupt propagates) or STOP is set."""
    stream = stream if stream is not None else sys.stderr
    raise_open_files_limit(Limits().connections + 512)
    if builder is None:
        from generator.build import build

        def builder(site: SiteConfig) -> Any:
            return build(site, stream=stream)

    with tempfile.TemporaryDirectory(prefix="wenji-serve-") as tmp, \
            Watcher(cfg, debounce=debounce) as watcher:
        site_builder = SiteBuilder(cfg, Path(tmp) / "site", builder, lambda: preview.url)
        preview = PreviewServer(site_builder, site_builder.out, host=host, port=port,
                                base_path=cfg.base_path, stream=stream, site_dir=Path(cfg.site_dir),
                                themes=[(folder.name, folder) for folder in theme_dirs(cfg)])
        with preview:
            preview.rebuild()
            print(f"serving {preview.url} (Ctrl-C to stop)", file=stream, flush=True)
            if open_browser:
                threading.Thread(target=opener, args=(preview.url,), daemon=True).start()
            for changes in watcher.changes(stop):
                preview.rebuild(_describe(changes, Path(cfg.site_dir)))
