"""decide(manifest, key, held token, inputs) → Unchanged | Patch | Full, read as a table."""

from __future__ import annotations

import pytest

from generator.incremental.decide import Full, Patch, Unchanged, decide
from generator.incremental.manifest import Manifest
from generator.render.recipe import Saved

INPUTS = {"content/2018-a.md": (10, 1, 1), "content/2019-b.md": (20, 2, 2),
          "content/pages/about.md": (5, 3, 3), "content/img/x.png": (7, 4, 4),
          "static:default/css/style.css": (9, 5, 5)}


def record(**changes) -> Manifest:
    base = Manifest(key="k", token="t", inputs=dict(INPUTS), digests={"index.html": "d"},
                    shapes={}, saved=Saved(), contexts="run-1")
    return base.patched(**changes)


def touched(*names: str, **extra) -> dict:
    inputs = {k: (v[0], v[1] + 1, v[2]) if k in names else v for k, v in INPUTS.items()}
    return {**inputs, **extra}


CASES = [
    ("nothing changed", record(), "k", "t", INPUTS, False, Unchanged()),
    ("one article edited", record(), "k", "t", touched("content/2018-a.md"), False,
     Patch(("2018-a.md",))),
    ("two articles edited", record(), "k", "t",
     touched("content/2018-a.md", "content/2019-b.md"), False,
     Patch(("2018-a.md", "2019-b.md"))),
    ("asked for a clean build", record(), "k", "t", INPUTS, True, Full),
    ("no manifest", None, "k", "t", INPUTS, False, Full),
    ("no marker in the output", record(), "k", None, INPUTS, False, Full),
    ("the output holds another build", record(), "k", "other", INPUTS, False, Full),
    ("settings, templates or code changed", record(), "k2", "t", INPUTS, False, Full),
    ("a page crashed last time", record(complete=False), "k", "t", INPUTS, False,
     Full("", reuse=True)),
    ("an article added", record(), "k", "t", {**INPUTS, "content/new.md": (1, 1, 9)}, False,
     Full("", reuse=True)),
    ("an image changed", record(), "k", "t", touched("content/img/x.png"), False,
     Full("", reuse=True)),
    ("a theme file changed", record(), "k", "t", touched("static:default/css/style.css"),
     False, Full("", reuse=True)),
    ("a standalone page changed", record(), "k", "t", touched("content/pages/about.md"),
     False, Full("", reuse=True)),
    ("no saved contexts (read-only site folder)", record(saved=None), "k", "t",
     touched("content/2018-a.md"), False, Full("", reuse=True)),
]


@pytest.mark.parametrize("name, last, key, held, inputs, clean, expected", CASES,
                         ids=[c[0] for c in CASES])
def test_decide(name, last, key, held, inputs, clean, expected):
    got = decide(last, key, held, inputs, clean)
    if isinstance(expected, Full):
        assert isinstance(got, Full) and got.reuse == expected.reuse and got.reason
    elif expected is Full:
        assert isinstance(got, Full) and not got.reuse and got.reason
    else:
        assert got == expected
