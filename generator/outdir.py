"""The output folder: marker, guard, staging folder, atomic swap, background deletion."""

from __future__ import annotations

import ctypes
import errno
import hashlib
import json
import os
import shutil
import signal
import time
from pathlib import Path
from typing import Sequence

from generator import pool
from generator.errors import GeneratorError

MARKER = ".wenji-output"
"""File that marks a folder as Wenji output (so a build never replaces anything else)."""
MARKER_TEXT = b"This folder is written by `wenji build` and replaced as a whole on every build.\n"


def token(digests: dict[str, str]) -> str:
    """Identifies one build's rendered pages (kept in the output's marker file, and named by
    the build's manifest: generator.incremental.manifest)."""
    joined = "\n".join(f"{path}\0{digests[path]}" for path in sorted(digests))
    return hashlib.sha1(joined.encode("utf-8", "surrogatepass")).hexdigest()


def marker(build: str) -> bytes:
    """The marker file's bytes for an output that holds the build whose token is BUILD."""
    return MARKER_TEXT + f"build {build}\n".encode()


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
                                 hint="set output_dir (or --out) to a folder of its own")
    if out_dir.is_symlink() or (out_dir.exists() and not out_dir.is_dir()):
        raise GeneratorError("the output path is not a plain folder", out_dir)
    if out_dir.is_dir() and not (out_dir / MARKER).exists() and any(out_dir.iterdir()):
        raise GeneratorError("the output folder is not empty and was not written by wenji",
                             out_dir, hint="empty or remove it, or choose another --out")


JOURNAL = "journal.json"
"""In a patch's staging folder: the files it replaces, present while it may be half applied."""


def patch(out_dir: Path, files: dict[str, bytes], marker: bytes) -> None:
    """Replace FILES (path → bytes) in OUT_DIR and its marker, rolled back if interrupted.

    The new files are written into the staging folder first, and every file they replace is
    kept there (hard-linked) with a journal, before any is renamed into place; signals that
    ask to stop wait until the renames are done. A build killed during the renames (a few
    milliseconds) leaves the journal, and the next build's recover() puts the previous output
    back before anything else. Each file is always whole: it is renamed, never rewritten.
    """
    staging = staging_dir(out_dir)
    staging.mkdir()
    todo = sorted(files) + [MARKER]
    journal = []
    for i, path in enumerate(todo):
        (staging / f"new-{i}").write_bytes(files[path] if path != MARKER else marker)
        try:
            os.link(out_dir / path, staging / f"old-{i}")
            existed = True
        except FileNotFoundError:
            existed = False
        journal.append([i, path, existed])
    tmp = staging / (JOURNAL + ".tmp")
    tmp.write_text(json.dumps(journal, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, staging / JOURNAL)  # from here on, recover() rolls back
    mask = getattr(signal, "pthread_sigmask", None)  # POSIX only
    stop = {getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)}
    held = mask(signal.SIG_BLOCK, stop) if mask else None
    try:
        for i, path, _ in journal:
            target = out_dir / path
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staging / f"new-{i}", target)
        (staging / JOURNAL).unlink()  # the commit point: the new output is complete
    finally:
        if mask:
            mask(signal.SIG_SETMASK, held)
    shutil.rmtree(staging, ignore_errors=True)


def _roll_back(out_dir: Path, staging: Path) -> None:
    """Put back the files an interrupted patch() had replaced (safe to repeat)."""
    journal = json.loads((staging / JOURNAL).read_text(encoding="utf-8"))
    for i, path, existed in reversed(journal):
        target = out_dir / path
        if existed:
            try:
                os.replace(staging / f"old-{i}", target)
            except FileNotFoundError:  # put back already by an earlier, interrupted rollback
                pass
        else:
            target.unlink(missing_ok=True)
    (staging / JOURNAL).unlink()


def recover(out_dir: Path) -> None:
    """Undo what an interrupted build left: roll back a half-applied patch, restore a
    swapped-out output, drop staging."""
    staging = staging_dir(out_dir)
    if (staging / JOURNAL).is_file() and out_dir.is_dir():
        _roll_back(out_dir, staging)
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
    if not pool.fork_safe():
        _empty_trash(out_dir)
        return
    child = os.fork()
    if child:
        os.waitpid(child, 0)
        return
    try:  # first child: detach a grandchild that deletes, then leave at once
        os.setsid()
        if os.fork() == 0:
            null = os.open(os.devnull, os.O_RDWR)  # hold no pipe of the caller open
            for fd in (0, 1, 2):
                os.dup2(null, fd)
            os.closerange(3, 1024)
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
