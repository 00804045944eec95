"""Folder outputs (Output.files: the search index), made beside the page renderers.

A folder output makes many files from the whole site at once. It is planned with the pages
but costs nothing before the write phase: then it runs in a forked process of its own while
the page workers render (so its time overlaps theirs), or in this process, after the pages,
when the build does not fork. A folder that cannot be made fails the build: the previous
output stays as it was.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

from generator import pool
from generator.errors import GeneratorError
from generator.outputs import Output

Place = Callable[[str, "str | None", bytes], bool]
"""(target file, the previous build's file or None, bytes) → True when the bytes are new."""


@dataclass
class Made:
    """Files of the folder outputs whose bytes are new, and those kept from the last build."""

    written: int = 0
    unchanged: int = 0

    def add(self, counts: tuple[int, int]) -> None:
        """Count one folder's (new, all) files."""
        new, made = counts
        self.written += new
        self.unchanged += made - new


def make(out: Output, staging: Path, previous: Path | None, place: Place) -> tuple[int, int]:
    """Make the folder output OUT under STAGING (PREVIOUS: the output folder it replaces);
    (how many of its files are new, how many it made): the others are linked from PREVIOUS."""
    assert out.files is not None
    new = made = 0
    root = os.path.join(staging, out.path)
    before = os.path.join(previous, out.path) if previous is not None else None
    folders: set[str] = set()

    def put(rel: str, data: bytes) -> None:
        target = os.path.join(root, rel)
        parent = os.path.dirname(target)
        if parent not in folders:
            os.makedirs(parent, exist_ok=True)
            folders.add(parent)
        nonlocal new, made
        new += place(target, os.path.join(before, rel) if before is not None else None, data)
        made += 1

    out.files(put)
    return new, made


def _child(conn, parent: int, out: Output, staging: Path, previous: Path | None,
           place: Place) -> None:
    pool.die_with_parent()
    if os.getppid() != parent:  # the build died before the line above
        os._exit(1)
    gc.freeze()  # the parent's objects stay out of the collector's reach (no page copied)
    try:
        conn.send(("ok", make(out, staging, previous, place)))
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, which fails the build
        conn.send(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        conn.close()


class Running:
    """The folder outputs OUTS of one build, started (forked when FORK) into STAGING.

    A folder whose process dies (the out-of-memory killer, a crash in native code) is made
    again once in a fresh process; a second death fails the build.
    """

    def __init__(self, outs: Sequence[Output], staging: Path, previous: Path | None,
                 place: Place, fork: bool) -> None:
        self.args = (staging, previous, place)
        self.here: list[Output] = []
        self.forked: list[tuple[Output, multiprocessing.process.BaseProcess, object]] = []
        for out in outs:
            if fork:
                self.forked.append(self._fork(out))
            else:
                self.here.append(out)

    def _fork(self, out: Output) -> tuple[Output, multiprocessing.process.BaseProcess, object]:
        ctx = multiprocessing.get_context("fork")
        conn, child = ctx.Pipe(duplex=False)
        process = ctx.Process(target=_child, args=(child, os.getpid(), out, *self.args),
                              daemon=True)
        process.start()
        child.close()
        return out, process, conn

    def finish(self) -> Made:
        """Wait for every folder (making those not forked now); what was written."""
        total = Made()
        for out in self.here:
            total.add(make(out, *self.args))
        while self.forked:
            out, process, conn = self.forked[0]
            answer = _answer(process, conn)
            if answer is None:  # it died: once more, in a fresh process
                self.forked[0] = out, process, conn = self._fork(out)
                answer = _answer(process, conn)
            self.forked.pop(0)
            if answer is None:
                answer = ("error", pool.Died(process.exitcode or 0).reason())
            if answer[0] != "ok":
                self.stop()
                raise GeneratorError(f"the {out.source or out.path} could not be written: "
                                     f"{answer[1]}", out.source,
                                     hint="the previous output is left as it was")
            total.add(answer[1])
        return total

    def stop(self) -> None:
        """End the folder processes still running (the build failed)."""
        for _, process, conn in self.forked:
            if process.is_alive():
                process.kill()
            process.join()
            conn.close()
        self.forked = []


def _answer(process: multiprocessing.process.BaseProcess, conn) -> tuple | None:
    """What the folder PROCESS reported, None if it died first."""
    try:
        answer = conn.recv()
    except EOFError:
        answer = None
    process.join()
    conn.close()
    return answer
