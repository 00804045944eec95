"""Command `wenji serve`: build into a temp folder, serve it, rebuild on changes, reload pages."""

from __future__ import annotations

import dataclasses
import sys
import tempfile
import threading
import time
import traceback
import webbrowser
from pathlib import Path
from typing import IO, Any, Callable

from generator.config import SiteConfig, load_config, override
from generator.errors import GeneratorError
from generator.serve_handler import PreviewHTTPServer
from generator.watch import Change, ChangeKind, Watcher


class BuildState:
    """The latest build's epoch and error; readers never see the output while a build writes it."""

    def __init__(self) -> None:
        self.cond = threading.Condition()
        self.epoch = 0
        self.error: str | None = None
        self.built = False
        self.building = False
        self.readers = 0
        self.closed = False

    def begin_build(self) -> None:
        """Block new readers and wait for the ones reading the output to finish."""
        with self.cond:
            self.building = True
            self.cond.wait_for(lambda: self.readers == 0, timeout=30)

    def end_build(self, error: str | None) -> None:
        """Publish the result of a build and wake everyone waiting on it."""
        with self.cond:
            self.building = False
            self.error = error
            self.built = self.built or error is None
            self.epoch += 1
            self.cond.notify_all()

    def enter_read(self, timeout: float) -> None:
        """Wait (up to TIMEOUT) until no build is writing, then count a reader in."""
        with self.cond:
            self.cond.wait_for(lambda: not self.building or self.closed, timeout=timeout)
            self.readers += 1

    def leave_read(self) -> None:
        with self.cond:
            self.readers -= 1
            self.cond.notify_all()

    def wait_epoch(self, seen: int, timeout: float) -> int:
        """Wait until the epoch differs from SEEN (or TIMEOUT passes, or the server closes)."""
        with self.cond:
            self.cond.wait_for(lambda: self.epoch != seen or self.closed, timeout=timeout)
            return self.epoch

    def close(self) -> None:
        with self.cond:
            self.closed = True
            self.cond.notify_all()


class PreviewServer:
    """Serve ROOT (rebuilt by BUILDER) over HTTP with live reload and a build-error overlay."""

    def __init__(self, builder: Callable[[], Any], root: Path, *, host: str = "127.0.0.1",
                 port: int = 0, base_path: str = "/", stream: IO[str] | None = None,
                 read_timeout: float = 120.0):
        self.builder = builder
        self.root = Path(root)
        self.host = host
        self.base_path = base_path
        self.stream = stream if stream is not None else sys.stderr
        self.read_timeout = read_timeout
        self.state = BuildState()
        self._port = port
        self._httpd: PreviewHTTPServer | None = None
        self._thread: threading.Thread | None = None

    def __enter__(self) -> PreviewServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        return self._httpd.server_address[1] if self._httpd else self._port

    @property
    def url(self) -> str:
        host = "localhost" if self.host in ("", "0.0.0.0", "::") else self.host
        host = f"[{host}]" if ":" in host else host
        return f"http://{host}:{self.port}{self.base_path}"

    def start(self) -> None:
        """Bind the socket and serve requests from a background thread."""
        try:
            self._httpd = PreviewHTTPServer((self.host, self._port), self)
        except OSError as exc:
            raise GeneratorError(f"cannot listen on {self.host}:{self._port}: {exc.strerror}",
                                 hint="is another server running there? pass --port N "
                                      "(0 picks a free port)") from None
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.1,),
                                        name="wenji-http", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Close reload streams, stop serving and release the socket."""
        self.state.close()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def rebuild(self, reason: str = "") -> bool:
        """Run the builder; on failure keep the last good output and show the error."""
        started = time.monotonic()
        self.state.begin_build()
        error = None
        try:
            self.builder()
        except GeneratorError as exc:
            error = str(exc)
        except Exception as exc:  # a bug must not take the preview down; show it instead
            traceback.print_exc(file=self.stream)
            where = getattr(exc, "filename", None)
            line = getattr(exc, "lineno", None)
            error = (f"{where}:{line}: " if where and line else f"{where}: " if where else "") \
                + f"{type(exc).__name__}: {exc}"
        finally:
            self.state.end_build(error)
        took = time.monotonic() - started
        if error is None:
            print(f"built in {took:.2f}s{f' ({reason})' if reason else ''}", file=self.stream)
        else:
            print(f"error: {error}\n  build failed; still serving the last good build",
                  file=self.stream)
        self.stream.flush()
        return error is None


def _cli_overrides(cfg: SiteConfig) -> dict[str, Any]:
    """Return the fields where CFG differs from site.yml (command-line options to keep on reload)."""
    try:
        base = load_config(cfg.site_dir)
    except GeneratorError:
        return {}
    return {f.name: getattr(cfg, f.name) for f in dataclasses.fields(cfg)
            if getattr(cfg, f.name) != getattr(base, f.name)}


class SiteBuilder:
    """Rebuild the site into the preview folder; an edited article that fails to load stops the build.

    (A plain build leaves bad articles out; in preview the old page must stay, with the error.)
    """

    def __init__(self, cfg: SiteConfig, out: Path, build: Callable[[SiteConfig], Any],
                 url: Callable[[], str]):
        self.site_dir = cfg.site_dir
        self.keep = _cli_overrides(cfg)
        self.out = out
        self.build = build
        self.url = url
        self.suspects: set[Path] = set()

    def note(self, changes: frozenset[Change]) -> None:
        """Remember edited articles: each must load before the next build may replace the output."""
        self.suspects |= {c.path for c in changes if c.kind is ChangeKind.CONTENT
                          and c.path.suffix == ".md" and not c.path.name.startswith(".")}

    def __call__(self) -> None:
        cfg = override(load_config(self.site_dir), **self.keep)
        self._check_edited(cfg)
        self.build(override(cfg, output_dir=str(self.out), base_url=self.url()))

    def _check_edited(self, cfg: SiteConfig) -> None:
        from generator.model.site import load_entry

        for path in sorted(self.suspects):
            if path.is_file():
                load_entry(path, cfg.article_url, cfg.chars_per_minute)  # raises GeneratorError
            self.suspects.discard(path)


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
    if builder is None:
        from generator.build import build

        def builder(site: SiteConfig) -> Any:
            return build(site, stream=stream)

    with tempfile.TemporaryDirectory(prefix="wenji-serve-") as tmp, \
            Watcher(cfg, debounce=debounce) as watcher:
        site_builder = SiteBuilder(cfg, Path(tmp) / "site", builder, lambda: preview.url)
        preview = PreviewServer(site_builder, site_builder.out, host=host, port=port,
                                base_path=cfg.base_path, stream=stream)
        with preview:
            preview.rebuild()
            print(f"serving {preview.url} (Ctrl-C to stop)", file=stream, flush=True)
            if open_browser:
                threading.Thread(target=opener, args=(preview.url,), daemon=True).start()
            for changes in watcher.changes(stop):
                site_builder.note(changes)
                preview.rebuild(_describe(changes, Path(cfg.site_dir)))
