"""Forked worker processes whose death costs only the item they were working on.

Loading (Markdown and HTML through native code) and rendering run here. A worker takes a
chunk of items, runs one function on each under a time budget, and sends the chunk's results
back. When a worker dies — a crash in native code, the out-of-memory killer, an overrun of
its time budget (SIGALRM ends it: native code cannot be interrupted any other way) — the
item it was on is tried once more alone in a fresh worker, the rest of its chunk is queued
again, and an item whose worker dies a second time (or that overran its budget) comes back
as Died. Nothing waits on a dead process.
"""

from __future__ import annotations

import mmap
import multiprocessing
import os
import signal
import struct
import threading
from collections import deque
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any, Callable, Iterator, Sequence


@dataclass(frozen=True)
class Died:
    """The result of an item whose worker died on it."""

    code: int
    """The worker's exit code: -N when signal N ended it."""
    budget: float = 0.0

    @property
    def timed_out(self) -> bool:
        return self.code == -signal.SIGALRM

    def reason(self) -> str:
        if self.timed_out:
            return f"took longer than its time budget of {self.budget:g} s"
        if self.code >= 0:
            return f"its worker process exited with code {self.code}"
        number = -self.code
        name = signal.Signals(number).name if number in signal.valid_signals() else str(number)
        what = {signal.SIGSEGV: "crashed (segmentation fault, e.g. a stack overflow)",
                signal.SIGBUS: "crashed (bus error)", signal.SIGABRT: "crashed (aborted)",
                signal.SIGKILL: "was killed (SIGKILL, e.g. by the out-of-memory killer)"}
        return f"its worker process {what.get(number, f'was ended by {name}')}"


@dataclass(frozen=True)
class Failed:
    """The result of an item whose function raised (functions here should not)."""

    error: str


def die_with_parent() -> None:
    """In a worker: get killed when the build process dies (Linux), leaving no orphans."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, 9)  # PR_SET_PDEATHSIG, SIGKILL
    except (AttributeError, OSError):
        pass


def release_free_memory() -> None:
    """Give the memory of freed objects back to the system (glibc keeps it otherwise)."""
    try:
        import ctypes

        ctypes.CDLL(None).malloc_trim(0)
    except (AttributeError, OSError):
        pass


def workers() -> int:
    """How many processes to use (the CPUs this process may run on)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def fork_safe() -> bool:
    """True when worker processes may be forked safely (no other threads running)."""
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


def can_fork() -> bool:
    """True when forking is safe and worth it (more than one CPU)."""
    return fork_safe() and workers() > 1


Job = tuple[list[Any], int]
"""(items, deaths they have been through)."""


class _Worker:
    def __init__(self, one: Callable[[Any], Any], after: Callable[[], None] | None,
                 budget: float):
        ctx = multiprocessing.get_context("fork")
        self.position = _Position()
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_serve, args=(child, one, after, budget,
                                                        self.position), daemon=True)
        self.process.start()
        child.close()
        self.job: Job | None = None

    def give(self, job: Job) -> None:
        self.job = job
        self.position.set(-1)
        try:
            self.conn.send(job[0])
        except OSError:  # it died: its sentinel tells
            pass

    def stop(self) -> None:
        if self.process.is_alive():
            try:
                self.conn.send(None)
            except OSError:
                pass
        self.conn.close()


class _Position:
    """Index in its chunk of the item a worker is on, -1 between items: a word of memory
    shared with the worker (anonymous, so nothing is left behind on disk)."""

    def __init__(self) -> None:
        self._map = mmap.mmap(-1, 8)
        self.set(-1)

    def set(self, value: int) -> None:
        struct.pack_into("q", self._map, 0, value)

    def get(self) -> int:
        return struct.unpack_from("q", self._map, 0)[0]


def _serve(conn: Connection, one: Callable[[Any], Any], after: Callable[[], None] | None,
           budget: float, position: _Position) -> None:
    """A worker's loop: run ONE on each item of every chunk received, under BUDGET seconds
    each; send back the chunk's results."""
    die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the build process handles Ctrl-C
    signal.signal(signal.SIGALRM, signal.SIG_DFL)  # an overrun ends the process
    while True:
        try:
            items = conn.recv()
        except EOFError:
            return
        if items is None:
            return
        results = []
        for k, item in enumerate(items):
            position.set(k)
            if budget:
                signal.setitimer(signal.ITIMER_REAL, budget)
            results.append(_call(one, item))
            if budget:
                signal.setitimer(signal.ITIMER_REAL, 0)
        position.set(-1)
        if after is not None:
            after()
        conn.send(results)


def _call(one: Callable[[Any], Any], item: Any) -> Any:
    try:
        return one(item)
    except Exception as exc:  # noqa: BLE001 (sent back, not lost)
        return Failed(f"{type(exc).__name__}: {exc}"[:300])


def run_here(one: Callable[[Any], Any], chunks: Sequence[list[Any]],
             after: Callable[[], None] | None = None) -> Iterator[tuple[list[Any], list[Any]]]:
    """run(...) in this process: no time budget, and a crash ends the build."""
    for chunk in chunks:
        results = [_call(one, item) for item in chunk]
        if after is not None:
            after()
        yield chunk, results


def run(one: Callable[[Any], Any], chunks: Sequence[list[Any]], jobs: int, *,
        budget: float = 0.0, after: Callable[[], None] | None = None) -> Iterator[tuple[list[Any], list[Any]]]:
    """Run ONE on every item of CHUNKS in JOBS forked workers; yield (items, results), in
    the order chunks finish, covering every item exactly once.

    A result is what ONE returned, Failed when it raised, or Died when its worker died on it
    (see the module's docstring). ONE runs under BUDGET seconds per item (0: no limit);
    AFTER runs in a worker after each chunk, before its results are sent. Close the
    iterator (contextlib.closing) when not running it to the end: that stops the workers.
    """
    queue: deque[Job] = deque((list(chunk), 0) for chunk in chunks if chunk)
    jobs = max(1, min(jobs, len(queue)))
    pool: list[_Worker] = []
    try:
        pool = [_Worker(one, after, budget) for _ in range(jobs)]
        idle = list(pool)
        busy: dict[Any, _Worker] = {}
        while queue or busy:
            while queue and idle:
                worker = idle.pop()
                worker.give(queue.popleft())
                busy[worker.conn] = busy[worker.process.sentinel] = worker
            for ready in wait(list(busy)):
                worker = busy.get(ready)
                if worker is None:
                    continue  # its connection and its sentinel were both ready
                job, results = worker.job, _receive(worker)
                worker.job = None
                del busy[worker.conn], busy[worker.process.sentinel]
                if results is not None:
                    idle.append(worker)
                    yield job[0], results
                    continue
                pool.remove(worker)
                worker.conn.close()
                died = Died(worker.process.exitcode or 0, budget)
                for item in _after_death(queue, job, worker.position.get(), died):
                    yield [item], [died]
                if queue and len(pool) < jobs:
                    fresh = _Worker(one, after, budget)
                    pool.append(fresh)
                    idle.append(fresh)
    finally:
        for worker in pool:
            worker.stop()
        for worker in pool:
            worker.process.join(timeout=1)
            if worker.process.exitcode is None:
                worker.process.kill()
                worker.process.join()


def _receive(worker: _Worker) -> list[Any] | None:
    """The results WORKER sent, or None when it died (it is then reaped)."""
    if worker.conn.poll():
        try:
            return worker.conn.recv()
        except (EOFError, OSError):
            pass
    worker.process.join(timeout=5)
    if worker.process.exitcode is None:  # cannot be read from, yet alive: end it
        worker.process.kill()
        worker.process.join()
    return None


def _after_death(queue: deque[Job], job: Job, at: int, died: Died) -> list[Any]:
    """Queue again what a dead worker's chunk still needs; return the items given up.

    The item it was on is tried once more alone (an out-of-memory kill may hit an innocent),
    unless it overran its time budget or this was its second death; the other items go back
    as one chunk. A death between items requeues the chunk (twice at most).
    """
    items, deaths = job
    if not 0 <= at < len(items):
        if deaths >= 2:
            return items
        queue.appendleft((items, deaths + 1))
        return []
    rest = items[:at] + items[at + 1:]
    if rest:
        queue.appendleft((rest, deaths))
    if died.timed_out or (deaths and len(items) == 1):
        return [items[at]]
    queue.appendleft(([items[at]], deaths + 1))
    return []
