"""Folder outputs (the search index) made in a process beside the page workers."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from generator import folders
from generator.errors import GeneratorError
from generator.outputs import Output
from generator.writer import _place


def _folder(tmp_path: Path, deaths: int) -> Output:
    """A folder output whose process SIGKILLs itself the first DEATHS times it runs."""
    tries = tmp_path / "tries"

    def files(put):
        n = len(tries.read_text()) if tries.exists() else 0
        tries.write_text("x" * (n + 1))
        put("a/one.txt", b"one")
        if n < deaths:
            os.kill(os.getpid(), signal.SIGKILL)
        put("two.txt", b"two")

    return Output("idx", files=files, source="test index")


@pytest.mark.parametrize("fork", [False, True])
def test_folder_is_made_and_previous_files_are_linked(tmp_path, fork):
    previous, staging = tmp_path / "old", tmp_path / "new"
    (previous / "idx" / "a").mkdir(parents=True)
    (previous / "idx" / "a" / "one.txt").write_bytes(b"one")
    staging.mkdir()
    running = folders.Running([_folder(tmp_path, 0)], staging, previous, _place, fork)
    assert running.finish() == folders.Made(written=1, unchanged=1)  # two.txt; one.txt kept
    assert (staging / "idx" / "two.txt").read_bytes() == b"two"
    same = (staging / "idx" / "a" / "one.txt").stat().st_ino
    assert same == (previous / "idx" / "a" / "one.txt").stat().st_ino  # linked, not rewritten


def test_a_killed_folder_process_is_run_again_once(tmp_path):
    staging = tmp_path / "new"
    staging.mkdir()
    running = folders.Running([_folder(tmp_path, 1)], staging, None, _place, fork=True)
    assert running.finish() == folders.Made(written=2)
    assert (staging / "idx" / "two.txt").read_bytes() == b"two"
    (tmp_path / "tries").unlink()
    again = folders.Running([_folder(tmp_path, 2)], staging, None, _place, fork=True)
    with pytest.raises(GeneratorError, match="test index could not be written: .*SIGKILL"):
        again.finish()
