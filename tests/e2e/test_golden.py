"""Build tests/fixtures/site and compare the whole output tree with tests/fixtures/expected/.

Regenerate after an intended change (then review with `git diff tests/fixtures/expected`):

    WENJI_UPDATE_GOLDEN=1 pytest tests/e2e/test_golden.py
"""

from __future__ import annotations

import dataclasses
import difflib
import os
import shutil
from pathlib import Path

from generator.build import build
from generator.config import SearchConfig, load_config

FIXTURES = Path(__file__).parent.parent / "fixtures"
EXPECTED = FIXTURES / "expected"
UPDATE = os.environ.get("WENJI_UPDATE_GOLDEN") == "1"
# Theme assets are compared by the theme's own tests, not here: a CSS tweak is no page change.
SKIP_SUFFIXES = (".css", ".js", ".png", ".svg", ".ico", ".woff2")


def output_tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and not p.name.startswith(".") and not p.name.endswith(SKIP_SUFFIXES)}


def test_fixture_site_matches_golden_output(tmp_path):
    root = tmp_path / "site"
    shutil.copytree(FIXTURES / "site", root)
    # Search outputs belong to the search feature's own tests; keep the golden pages stable.
    cfg = dataclasses.replace(load_config(root), search=SearchConfig(enabled=False))
    result = build(cfg)
    assert result.problems == []
    actual = output_tree(cfg.output_path)
    if UPDATE:
        shutil.rmtree(EXPECTED, ignore_errors=True)
        for rel, data in actual.items():
            (EXPECTED / rel).parent.mkdir(parents=True, exist_ok=True)
            (EXPECTED / rel).write_bytes(data)
        return
    expected = output_tree(EXPECTED)
    problems = [f"missing from the build: {p}" for p in sorted(set(expected) - set(actual))]
    problems += [f"not in the golden output: {p}" for p in sorted(set(actual) - set(expected))]
    for rel in sorted(set(actual) & set(expected)):
        if actual[rel] != expected[rel]:
            diff = difflib.unified_diff(
                expected[rel].decode("utf-8", "replace").splitlines(keepends=True),
                actual[rel].decode("utf-8", "replace").splitlines(keepends=True),
                fromfile=f"expected/{rel}", tofile=f"actual/{rel}", n=2)
            problems.append("".join(diff))
    assert not problems, ("built site differs from tests/fixtures/expected "
                          "(WENJI_UPDATE_GOLDEN=1 pytest tests/e2e/test_golden.py regenerates):\n"
                          + "\n".join(problems)[:20000])
