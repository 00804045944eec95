"""Run one command and measure it: wall time, CPU time and peak memory of its whole process tree.

Memory is sampled from /proc, because `getrusage(RUSAGE_CHILDREN).ru_maxrss` (and `time -v`,
which reads the same counter) is the high-water mark of the single largest process, not of
the tree: a build that forks workers would look smaller than it is.

- Every `interval` seconds (default 20 ms) the RSS of every process in the tree is read from
  `/proc/PID/statm` and summed; the tree itself is re-listed every 5th sample (a scan of
  `/proc/*/stat` costs ~3 ms, `statm` reads ~0.05 ms each, so the sampler stays near 3% of one core).
- The reported peak is max(largest sampled sum, the kernel's high-water mark of the largest
  single process from wait4()), so a spike shorter than one interval in a single-process
  tool is not missed.
- Summing RSS counts pages shared between processes (forked workers, shared libraries) once
  per process, so for multi-process tools it is an upper bound. With `pss=True` the
  proportional set size (`/proc/PID/smaps_rollup`, shared pages split between sharers) is
  sampled too; reading it costs ~20 ms per GB mapped, so it is sampled at most every
  max(100 ms, 10 × its own cost).
"""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Mapping, Sequence

PAGE = os.sysconf("SC_PAGE_SIZE")


@dataclass
class Measured:
    """What one run of a command cost."""

    cmd: list[str]
    returncode: int
    wall: float
    """Seconds from start to exit."""
    cpu: float
    """User + system CPU seconds of the whole tree (waited-for descendants included)."""
    peak_rss: int
    """Bytes: max(sampled tree RSS sum, largest single process high-water mark)."""
    peak_pss: int | None
    """Bytes: sampled tree PSS peak, when asked for."""
    samples: int
    max_procs: int
    """Most processes seen in the tree at once."""
    background: float
    """CPU cores busy with other processes during the run, on average (noise indicator)."""
    stdout: str
    stderr: str

    @property
    def ok(self) -> bool:
        return self.returncode == 0


def _children_map() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as f:
                stat = f.read()
        except OSError:
            continue
        # comm may contain spaces and parentheses: fields start after the last ')'.
        fields = stat[stat.rfind(b")") + 2:].split()
        kids.setdefault(int(fields[1]), []).append(int(name))
    return kids


def tree(root: int) -> list[int]:
    """ROOT and all its live descendants."""
    kids = _children_map()
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(kids.get(pid, ()))
    return out


def rss(pid: int) -> int:
    """Resident set size of one process in bytes (0 if it is gone)."""
    try:
        with open(f"/proc/{pid}/statm", "rb") as f:
            return int(f.read().split()[1]) * PAGE
    except (OSError, IndexError, ValueError):
        return 0


def pss(pid: int) -> int:
    """Proportional set size of one process in bytes (0 if it is gone or unreadable)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as f:
            for line in f:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


def busy_seconds() -> float:
    """CPU seconds all cores have spent busy since boot (from /proc/stat)."""
    try:
        with open("/proc/stat", "rb") as f:
            fields = [int(x) for x in f.readline().split()[1:9]]
    except (OSError, ValueError):
        return 0.0
    idle = fields[3] + fields[4]  # idle + iowait
    return (sum(fields) - idle) / os.sysconf("SC_CLK_TCK")


def run(cmd: Sequence[str], cwd: Path | str | None = None, env: Mapping[str, str] | None = None,
        interval: float = 0.02, with_pss: bool = False, timeout: float | None = None) -> Measured:
    """Run CMD to completion, sampling its process tree's memory; never raises on failure."""
    busy0 = busy_seconds()
    inherited = rss(os.getpid())
    start = time.perf_counter()
    proc = subprocess.Popen(list(cmd), cwd=cwd, env=None if env is None else dict(env),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                            start_new_session=True)
    try:
        return _watch(proc, list(cmd), start, busy0, interval, with_pss, timeout, inherited)
    except BaseException:  # interrupted harness: take the build's whole process group down with it
        _kill_group(proc.pid)
        raise


def _kill_group(pgid: int) -> None:
    try:
        os.killpg(pgid, signal.SIGKILL)
    except OSError:
        pass


def _watch(proc: subprocess.Popen, cmd: list[str], start: float, busy0: float, interval: float,
           with_pss: bool, timeout: float | None, inherited: int) -> Measured:
    chunks: dict[str, bytes] = {}
    ended: dict[str, object] = {}
    done = threading.Event()

    def drain(name: str, stream: IO[bytes]) -> None:
        chunks[name] = stream.read()

    def reap() -> None:
        # A blocking wait4 in its own thread gives the exact exit time and the kernel's rusage.
        _, status, usage = os.wait4(proc.pid, 0)
        ended.update(wall=time.perf_counter() - start, status=status, usage=usage)
        done.set()

    threads = [threading.Thread(target=drain, args=("out", proc.stdout), daemon=True),
               threading.Thread(target=drain, args=("err", proc.stderr), daemon=True),
               threading.Thread(target=reap, daemon=True)]
    for t in threads:
        t.start()
    pids = [proc.pid]
    peak_rss = peak_pss = samples = max_procs = 0
    next_pss = 0.0
    while not done.is_set():
        if samples % 5 == 0:
            pids = tree(proc.pid)
            max_procs = max(max_procs, len(pids))
        total = sum(rss(p) for p in pids)
        if not done.is_set():  # a reaped pid may already be reused: drop late samples
            peak_rss = max(peak_rss, total)
        now = time.perf_counter()
        if with_pss and now >= next_pss:
            total = sum(pss(p) for p in pids)
            if not done.is_set():
                peak_pss = max(peak_pss, total)
            next_pss = now + max(0.1, 10 * (time.perf_counter() - now))
        samples += 1
        if timeout is not None and now - start > timeout:
            _kill_group(proc.pid)
        done.wait(interval)
    for t in threads:
        t.join()
    wall, usage = float(ended["wall"]), ended["usage"]  # type: ignore[arg-type]
    cpu = usage.ru_utime + usage.ru_stime  # type: ignore[attr-defined]
    # The kernel's high-water mark catches a peak between samples, but a child forked from this
    # process starts with this process's size and Linux keeps that mark across exec: it only
    # counts when it is above what the child inherited (a large harness, e.g. a test run).
    maxrss = usage.ru_maxrss * 1024  # type: ignore[attr-defined]
    if maxrss > inherited:
        peak_rss = max(peak_rss, maxrss)
    proc.returncode = os.waitstatus_to_exitcode(ended["status"])  # type: ignore[arg-type]
    return Measured(cmd=cmd, returncode=proc.returncode, wall=wall, cpu=cpu,
                    peak_rss=peak_rss,
                    peak_pss=peak_pss if with_pss else None, samples=samples, max_procs=max_procs,
                    background=max(0.0, (busy_seconds() - busy0 - cpu) / max(wall, 1e-9)),
                    stdout=chunks.get("out", b"").decode("utf-8", "replace"),
                    stderr=chunks.get("err", b"").decode("utf-8", "replace"))
