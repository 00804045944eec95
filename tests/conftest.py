"""Every test keeps Wenji's per-user files (the cache key) in a temporary home, not the real one.

`wenji(*argv)` runs the command line in this process, for the tests of its messages.
"""

from __future__ import annotations

import io
import os

import pytest

from generator.cli import main
from generator.model import sealed


def wenji(*argv: str | os.PathLike) -> tuple[int, str, str]:
    """Run `wenji ARGV` in this process (paths given as they are): (exit status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    code = main([str(a) for a in argv], out, err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(autouse=True, scope="session")
def _user_cache_home(tmp_path_factory):
    """$XDG_CACHE_HOME for the whole run (subprocesses inherit it)."""
    before = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("user-cache"))
    sealed.signing_key.cache_clear()
    yield
    if before is None:
        os.environ.pop("XDG_CACHE_HOME", None)
    else:
        os.environ["XDG_CACHE_HOME"] = before
    sealed.signing_key.cache_clear()
