"""The pages' contexts a full build saves (see generator.render.recipe), for later patches.

Each full build saves them into a folder of its own, named in its manifest; the folder of the
build before stays until the new manifest replaces the old one (manifest.save drops it), so a
build that fails or is killed leaves the previous record whole.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from generator.model import sealed
from generator.render import recipe


def prepare(state: Path) -> Path | None:
    """A new, empty folder under STATE for a full build's contexts (None where the site
    folder is read-only: nothing is saved then)."""
    where = state / f"run-{os.getpid()}-{time.time_ns():x}"
    try:
        where.mkdir(parents=True)
    except OSError:
        return None
    return where


def load(where: Path, saved: recipe.Saved, numbers: set[int]) -> dict[int, tuple[str, bytes]]:
    """Template and saved context of the pages NUMBERS, kept in the folder WHERE (OSError
    when one is missing or fails its check: the contexts are only unpickled once their MAC,
    kept in the sealed manifest, checks out)."""
    found: dict[int, tuple[str, bytes]] = {}
    handles: dict[int, Any] = {}
    try:
        for n in sorted(numbers):
            f = saved.file[n]
            if f not in handles:
                handles[f] = open(where / saved.files[f], "rb")
            handles[f].seek(saved.offset[n])
            blob = handles[f].read(saved.length[n])
            if not saved.holds(n, blob):
                sealed.note_foreign(where / saved.files[f])
                raise OSError(f"saved context {n} fails its check")
            found[n] = (saved.templates[saved.template[n]], blob)
    finally:
        for fh in handles.values():
            fh.close()
    return found
