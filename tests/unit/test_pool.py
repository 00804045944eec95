"""Forked workers: a crash, a kill or an overrun costs the item it happened on, nothing else."""

from __future__ import annotations

import os
import signal
import time

import pytest

from generator import pool

pytestmark = pytest.mark.skipif(not pool.fork_safe(), reason="needs fork")


def work(item: int) -> int:
    if item == 13:
        os.kill(os.getpid(), signal.SIGSEGV)  # what a stack overflow in native code does
    if item == 21:
        time.sleep(30)  # overruns its budget
    if item == 30:
        raise ValueError("boom")
    if item == 44:
        os.kill(os.getpid(), signal.SIGKILL)  # what the out-of-memory killer does
    return item * 2


def run_all(chunks: list[list[int]], jobs: int, budget: float = 0.0) -> dict[int, object]:
    got: dict[int, object] = {}
    for items, results in pool.run(work, chunks, jobs, budget=budget):
        assert len(items) == len(results)
        for item, result in zip(items, results):
            assert item not in got, f"{item} answered twice"
            got[item] = result
    return got


def test_every_item_is_answered_once_and_deaths_cost_only_their_item():
    started = time.monotonic()
    got = run_all([list(range(i, i + 10)) for i in range(0, 60, 10)], 2, budget=1)
    assert time.monotonic() - started < 15
    assert sorted(got) == list(range(60))
    assert got[13] == pool.Died(-signal.SIGSEGV, 1)
    assert "segmentation fault" in got[13].reason()
    assert got[21] == pool.Died(-signal.SIGALRM, 1) and got[21].timed_out
    assert got[21].reason() == "took longer than its time budget of 1 s"
    assert got[44] == pool.Died(-signal.SIGKILL, 1) and "out-of-memory" in got[44].reason()
    assert got[30] == pool.Failed("ValueError: boom")
    assert all(got[i] == i * 2 for i in range(60) if i not in (13, 21, 30, 44))


def test_one_worker_survives_a_chunk_of_crashes():
    got = run_all([[13, 1, 44, 2]], 1)
    assert got[1] == 2 and got[2] == 4
    assert isinstance(got[13], pool.Died) and isinstance(got[44], pool.Died)


def test_no_worker_outlives_the_run():
    before = set(os.listdir("/proc/self/task")) if os.path.isdir("/proc/self/task") else set()
    results = pool.run(work, [[1, 2], [3, 4], [5, 6]], 2)
    next(results)
    results.close()  # a caller that stops early (an error in what it got)
    import multiprocessing

    assert multiprocessing.active_children() == []
    assert set(os.listdir("/proc/self/task")) == before if before else True


def test_run_here_answers_alike_without_workers():
    got = {item: r for items, results in pool.run_here(lambda x: 10 // x, [[1, 0], [5]])
           for item, r in zip(items, results)}
    assert got == {1: 10, 0: pool.Failed("ZeroDivisionError: integer division or modulo by zero"),
                   5: 2}
