"""The preview's build state: which build the output holds, what went wrong, who is reading."""

from __future__ import annotations

import threading
from typing import Callable

from generator.serve.problems import Problem


class BuildState:
    """The latest build's epoch and problems; readers never see the output while a build writes it.

    `failure` is the error of a build that failed as a whole (the output still holds the last good
    build); `left_out` lists the bad articles the last good build left out.
    """

    def __init__(self) -> None:
        self.cond = threading.Condition()
        self.epoch = 0
        self.failure: Problem | None = None
        self.left_out: tuple[Problem, ...] = ()
        self.built = False
        self.building = False
        self.readers = 0
        self.closed = False
        self._listeners: list[Callable[[], None]] = []

    @property
    def problems(self) -> tuple[Problem, ...]:
        """Everything the panel lists: the failure first, then the articles left out."""
        return ((self.failure,) if self.failure else ()) + self.left_out

    def listen(self, callback: Callable[[], None]) -> None:
        """Call CALLBACK (from the building thread) after every build and on close."""
        self._listeners.append(callback)

    def begin_build(self) -> None:
        """Block new readers and wait for the ones reading the output to finish."""
        with self.cond:
            self.building = True
            self.cond.wait_for(lambda: self.readers == 0, timeout=30)

    def end_build(self, failure: Problem | None, left_out: tuple[Problem, ...] = ()) -> None:
        """Publish the result of a build and wake everyone waiting on it."""
        with self.cond:
            self.building = False
            self.failure = failure
            if failure is None:
                self.left_out = left_out
                self.built = True
            self.epoch += 1
            self.cond.notify_all()
        self._notify()

    def enter_read(self, timeout: float) -> None:
        """Wait (up to TIMEOUT) until no build is writing, then count a reader in."""
        with self.cond:
            self.cond.wait_for(lambda: not self.building or self.closed, timeout=timeout)
            self.readers += 1

    def leave_read(self) -> None:
        with self.cond:
            self.readers -= 1
            self.cond.notify_all()

    def close(self) -> None:
        with self.cond:
            self.closed = True
            self.cond.notify_all()
        self._notify()

    def _notify(self) -> None:
        for callback in list(self._listeners):
            callback()
