"""list[Output] → files: render, refuse duplicates, build in a staging folder, swap in atomically."""

from __future__ import annotations

import ctypes
import errno
import hashlib
import multiprocessing
import os
import shutil
import stat
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Callable, Sequence

import jinja2

from generator.errors import GeneratorError, OutputCollisionError
from generator.model.site import die_with_parent
from generator.outputs import Output
from generator.render import env as render_env
from generator.render import fingerprint

MARKER = ".wenji-output"
"""File that marks a folder as Wenji output (so a build never replaces anything else)."""
MARKER_TEXT = b"This folder is written by `wenji build` and replaced as a whole on every build.\n"
PARALLEL_FROM = 400
"""Outputs from which rendering is spread over worker processes."""


@dataclass
class WriteResult:
    written: int = 0
    """Files whose bytes are new or changed."""
    unchanged: int = 0
    """Files identical to the previous build (kept with their old mtime)."""
    digests: dict[str, str] = field(default_factory=dict)
    """Output path → digest of its template and context (for the next build)."""


def check_paths(outputs: Sequence[Output]) -> None:
    """Refuse unsafe output paths and two outputs for one path (naming both sources)."""
    seen: dict[str, Output] = {}
    for out in outputs:
        p = PurePosixPath(out.path)
        if (not out.path or p.is_absolute() or ".." in p.parts or "\\" in out.path
                or out.path.endswith("/") or str(p) != out.path or p.name == MARKER):
            raise GeneratorError(f"unsafe output path '{out.path}'", out.source)
        key = out.path.casefold()  # one file on case-insensitive file systems
        if key in seen:
            raise OutputCollisionError(
                f"{seen[key].source or '?'} and {out.source or '?'} would both write "
                f"'{out.path}'", out.source, hint="change a slug, tag or theme file name")
        seen[key] = out


def token(digests: dict[str, str]) -> str:
    """Identifies one build's rendered pages (kept in the output's marker file)."""
    joined = "\n".join(f"{path}\0{digests[path]}" for path in sorted(digests))
    return hashlib.sha1(joined.encode("utf-8", "surrogatepass")).hexdigest()


def read_token(out_dir: Path) -> str | None:
    """The token of the build that wrote OUT_DIR, if it was a Wenji build."""
    try:
        last = (out_dir / MARKER).read_text(encoding="utf-8").rstrip("\n").rsplit("\n", 1)[-1]
    except (OSError, UnicodeDecodeError):
        return None
    return last.removeprefix("build ") if last.startswith("build ") else None


def staging_dir(out_dir: Path) -> Path:
    return out_dir.parent / f".wenji-staging-{out_dir.name}"


def _old_dir(out_dir: Path) -> Path:
    return out_dir.parent / f".wenji-old-{out_dir.name}"


def guard(out_dir: Path, protected: Sequence[Path]) -> None:
    """Refuse to replace a folder that is not Wenji output (or that holds the site)."""
    target = out_dir.resolve()
    for keep in protected:
        keep = keep.resolve()
        if target == keep or target in keep.parents:
            raise GeneratorError("the output folder would contain the site's own files", out_dir,
                                 hint="set output_dir (or --out) to a folder of its own, e.g. public")
    if out_dir.is_symlink() or (out_dir.exists() and not out_dir.is_dir()):
        raise GeneratorError("the output path is not a plain folder", out_dir)
    if out_dir.is_dir() and not (out_dir / MARKER).exists() and any(out_dir.iterdir()):
        raise GeneratorError("the output folder is not empty and was not written by wenji",
                             out_dir, hint="empty or remove it, or choose another --out")


def recover(out_dir: Path) -> None:
    """Undo what an interrupted build left: restore a swapped-out output, drop staging."""
    old = _old_dir(out_dir)
    if old.is_dir() and not out_dir.exists():
        os.rename(old, out_dir)
    for leftover in (old, staging_dir(out_dir)):
        if leftover.exists():
            shutil.rmtree(leftover, ignore_errors=True)


_TRASH = ".wenji-trash-"


def _empty_trash(out_dir: Path) -> None:
    """Delete every replaced output of OUT_DIR (also those a killed build left behind)."""
    for trash in out_dir.parent.glob(f"{_TRASH}{out_dir.name}-*"):
        shutil.rmtree(trash, ignore_errors=True)


def discard(folder: Path, out_dir: Path) -> None:
    """Delete a replaced output; in a detached background process when that is safe.

    Removing tens of thousands of small files and folders can take longer than the build;
    the folder is first renamed aside, so a deletion cut short is finished by the next build.
    """
    trash = out_dir.parent / f"{_TRASH}{out_dir.name}-{os.getpid()}-{time.monotonic_ns()}"
    os.rename(folder, trash)
    if not (hasattr(os, "fork") and threading.active_count() == 1):
        _empty_trash(out_dir)
        return
    child = os.fork()
    if child:
        os.waitpid(child, 0)
        return
    try:  # first child: detach a grandchild that deletes, then leave at once
        os.setsid()
        if os.fork() == 0:
            os.nice(10)
            _empty_trash(out_dir)
    finally:
        os._exit(0)


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two folders (Linux renameat2); False where unsupported."""
    try:
        fn = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    if fn(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def swap_in(staging: Path, out_dir: Path) -> None:
    """Make STAGING the output; the previous output exists until the new one is in place."""
    if not out_dir.exists():
        os.rename(staging, out_dir)
    elif _exchange(staging, out_dir):
        discard(staging, out_dir)
    else:
        old = _old_dir(out_dir)
        os.rename(out_dir, old)
        os.rename(staging, out_dir)
        discard(old, out_dir)


class _Emitter:
    """Render outputs into the staging folder, linking files unchanged since the last build."""

    def __init__(self, outputs: Sequence[Output], env: jinja2.Environment, staging: Path,
                 previous: Path | None, known: dict[str, str]):
        self.outputs, self.env, self.staging, self.previous = outputs, env, staging, previous
        self.known = known
        """Output path → digest of its template and context in the previous build."""
        self.made: set[str] = set()

    def render(self, out: Output, context: dict[str, Any]) -> bytes:
        try:
            return render_env.render(self.env, out.template or "", out.path, context)
        except jinja2.TemplateSyntaxError as exc:
            raise GeneratorError(f"template error: {exc.message}", exc.filename or exc.name,
                                 exc.lineno) from None
        except jinja2.TemplateError as exc:
            raise GeneratorError(f"template {out.template} failed for /{out.path}: {exc}",
                                 out.source) from None

    def emit(self, index: int) -> tuple[bool, str | None]:
        """Write output INDEX; (True if its bytes changed, digest of its context)."""
        out = self.outputs[index]
        parent, _, _ = out.path.rpartition("/")
        if parent and parent not in self.made:
            os.makedirs(os.path.join(self.staging, parent), exist_ok=True)
            self.made.add(parent)
        target = os.path.join(self.staging, out.path)
        old = os.path.join(self.previous, out.path) if self.previous is not None else None
        digest = None
        if out.data is None:
            context = out.resolved_context()
            digest = fingerprint.of_context(out.template or "", context)
            if old is not None and self.known.get(out.path) == digest and _link(old, target):
                return False, digest
            data = self.render(out, context)
        else:
            data = out.data
        if old is not None and _same(old, data) and _link(old, target):
            return False, digest
        with open(target, "wb") as fh:
            fh.write(data)
        return True, digest

    def run(self, indexes: range) -> Any:
        changed = 0
        digests: list[tuple[int, str]] = []
        try:
            for i in indexes:
                was_changed, digest = self.emit(i)
                changed += was_changed
                if digest is not None:
                    digests.append((i, digest))
        except GeneratorError as exc:  # sent back as plain fields (exceptions lose them)
            return ("error", exc.message, exc.path, exc.line)
        return changed, len(indexes) - changed, digests


def _link(old: str, target: str) -> bool:
    """Reuse the previous build's file (same inode, same mtime); False if it is gone."""
    try:
        os.link(old, target)
    except FileNotFoundError:
        return False
    except OSError:
        try:
            shutil.copy2(old, target)
        except OSError:
            return False
    return True


def _same(path: str, data: bytes) -> bool:
    try:
        st = os.stat(path, follow_symlinks=False)
        if not stat.S_ISREG(st.st_mode) or st.st_size != len(data):
            return False
        with open(path, "rb") as fh:
            return fh.read() == data
    except OSError:
        return False


_JOB: _Emitter | None = None


def _run_chunk(bounds: tuple[int, int]) -> Any:
    assert _JOB is not None
    return _JOB.run(range(*bounds))


def _emit_all(emitter: _Emitter, jobs: int, tick: Callable[[int], None]) -> WriteResult:
    global _JOB
    total = len(emitter.outputs)
    size = 64
    bounds = [(i, min(i + size, total)) for i in range(0, total, size)]
    result = WriteResult()
    if jobs > 1:
        _JOB = emitter
        try:
            with multiprocessing.get_context("fork").Pool(jobs, die_with_parent) as pool:
                for (lo, hi), r in zip(bounds, pool.imap(_run_chunk, bounds)):
                    _tally(result, r, emitter.outputs)
                    tick(hi - lo)
        finally:
            _JOB = None
    else:
        for lo, hi in bounds:
            _tally(result, emitter.run(range(lo, hi)), emitter.outputs)
            tick(hi - lo)
    return result


def _tally(result: WriteResult, r: Any, outputs: Sequence[Output]) -> None:
    if r[0] == "error":
        raise GeneratorError(r[1], r[2], r[3])
    result.written += r[0]
    result.unchanged += r[1]
    result.digests.update((outputs[i].path, digest) for i, digest in r[2])


def write(outputs: Sequence[Output], env: jinja2.Environment, out_dir: Path, *,
          jobs: int = 1, protected: Sequence[Path] = (), known: dict[str, str] | None = None,
          tick: Callable[[int], None] = lambda n: None) -> WriteResult:
    """Render OUTPUTS into OUT_DIR atomically; unchanged files keep their mtime.

    KNOWN maps output paths to the context digests of the build that wrote OUT_DIR; a page
    whose digest is unchanged is not rendered again but linked from there.
    """
    check_paths(outputs)
    recover(out_dir)
    guard(out_dir, protected)
    staging = staging_dir(out_dir)
    staging.mkdir(parents=True)
    try:
        previous = out_dir if out_dir.is_dir() else None
        emitter = _Emitter(outputs, env, staging, previous, known or {})
        result = _emit_all(emitter, jobs if len(outputs) >= PARALLEL_FROM else 1, tick)
        (staging / MARKER).write_bytes(MARKER_TEXT + f"build {token(result.digests)}\n".encode())
        swap_in(staging, out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return result
