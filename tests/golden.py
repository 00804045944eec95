"""Golden-file comparison shared by the cleaning case tests and the built-site tests.

Set WENJI_UPDATE_GOLDEN=1 to rewrite the expected files from the current output instead of
comparing (then review the diff with git before committing).
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

UPDATE = os.environ.get("WENJI_UPDATE_GOLDEN") == "1"


def check_text(actual: str, expected_path: Path) -> None:
    """Assert ACTUAL equals the golden file (or rewrite it when updating)."""
    if UPDATE or not expected_path.exists():
        if not UPDATE:
            raise AssertionError(f"missing golden file {expected_path}; "
                                 "run with WENJI_UPDATE_GOLDEN=1 to create it")
        expected_path.parent.mkdir(parents=True, exist_ok=True)
        expected_path.write_text(actual, encoding="utf-8")
        return
    expected = expected_path.read_text(encoding="utf-8")
    if actual != expected:
        diff = "".join(difflib.unified_diff(
            expected.splitlines(keepends=True), actual.splitlines(keepends=True),
            fromfile=str(expected_path), tofile="actual", n=2))
        raise AssertionError(f"output differs from {expected_path.name}:\n{diff[:6000]}")
