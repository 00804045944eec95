"""The preview server: rebuild on request, keep the last good output, serve it with live reload."""

from __future__ import annotations

import sys
import time
import traceback
from pathlib import Path
from typing import IO, Any, Callable, Iterable

from generator.errors import ConfigError, GeneratorError
from generator.hosts import WILDCARDS
from generator.serve.connections import HTTPService, Limits, listen
from generator.serve.problems import Problem, Relativizer, preview_labels
from generator.serve.responses import Site
from generator.serve.state import BuildState


def _listen_error(host: str, port: int, exc: OSError) -> ConfigError:
    """A one-line error for a port or host we cannot listen on (a usage error: exit 2)."""
    import errno

    if exc.errno == errno.EADDRINUSE:
        return ConfigError(f"port {port} is already in use on {host}",
                           hint="stop the other server, or pass --port 0 to pick a free port")
    if exc.errno == errno.EACCES:
        return ConfigError(f"no permission to listen on port {port}",
                           hint="ports below 1024 need privileges; pass --port 0 to pick a free port")
    reason = exc.strerror or str(exc)
    return ConfigError(f"cannot listen on {host}:{port}: {reason}",
                       hint="check --host (e.g. 127.0.0.1), or pass --port 0 to pick a free port")


class PreviewServer:
    """Serve ROOT (rebuilt by BUILDER) over HTTP with live reload and an error panel.

    BUILDER may return an object with `problems` (GeneratorErrors of articles the build left
    out); raising means the whole build failed and the last good output stays. Paths in what
    the server shows are relative to SITE_DIR (and never absolute).
    """

    def __init__(self, builder: Callable[[], Any], root: Path, *, host: str = "127.0.0.1",
                 port: int = 0, base_path: str = "/", stream: IO[str] | None = None,
                 read_timeout: float = 120.0, site_dir: Path | None = None,
                 themes: Iterable[tuple[str, Path]] = (), limits: Limits = Limits()):
        self.builder = builder
        self.root = Path(root)
        self.host = host
        self.base_path = base_path
        self.stream = stream if stream is not None else sys.stderr
        self.read_timeout = read_timeout
        self.limits = limits
        self.state = BuildState()
        self.relative = Relativizer(preview_labels(site_dir, self.root, themes))
        self._port = port
        self._service: HTTPService | None = None

    def __enter__(self) -> PreviewServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        return self._service.port if self._service else self._port

    @property
    def url(self) -> str:
        host = "localhost" if self.host in WILDCARDS else self.host
        host = f"[{host}]" if ":" in host else host
        return f"http://{host}:{self.port}{self.base_path}"

    def start(self) -> None:
        """Bind the socket and serve requests from a background thread."""
        if not 0 <= self._port <= 65535:
            raise ConfigError(f"port {self._port} is out of range", hint="use 0–65535 (0 picks a free port)")
        try:
            sock = listen(self.host, self._port)
        except OSError as exc:
            raise _listen_error(self.host, self._port, exc) from None
        site = Site(self.root, self.base_path, self.state, self.read_timeout)
        self._service = HTTPService(site, sock, self.host, limits=self.limits, stream=self.stream)
        self._service.start()

    def stop(self) -> None:
        """Close reload streams, stop serving and release the socket."""
        self.state.close()
        if self._service is not None:
            self._service.stop()
            self._service = None

    def rebuild(self, reason: str = "") -> bool:
        """Run the builder; on failure keep the last good output and show the error."""
        started = time.monotonic()
        self.state.begin_build()
        failure: Problem | None = None
        left_out: tuple[Problem, ...] = ()
        try:
            result = self.builder()
            left_out = tuple(self.relative.problem(p) for p in getattr(result, "problems", ()))
        except GeneratorError as exc:
            failure = self.relative.problem(exc)
        except Exception as exc:  # a bug must not take the preview down; show it instead
            traceback.print_exc(file=self.stream)
            failure = self.relative.problem(exc)
        finally:
            self.state.end_build(failure, left_out)
        took = time.monotonic() - started
        if failure is None:
            bad = f", {len(left_out)} bad article{'s' if len(left_out) != 1 else ''} left out" \
                if left_out else ""
            print(f"built in {took:.2f}s{bad}{f' ({reason})' if reason else ''}", file=self.stream)
        else:
            print(f"error: {failure}\n  build failed; still serving the last good build",
                  file=self.stream)
        self.stream.flush()
        return failure is None
