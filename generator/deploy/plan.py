"""Deploy plans: the files a deploy will upload and delete, and the local files it reads."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Protocol

from generator.writer import MARKER


@dataclass
class Plan:
    """What applying a deploy changes on the target (paths are relative, with '/')."""

    uploads: list[str] = field(default_factory=list)
    deletes: list[str] = field(default_factory=list)
    unchanged: int = 0

    @property
    def empty(self) -> bool:
        return not self.uploads and not self.deletes

    def counts(self) -> str:
        return (f"{len(self.uploads)} to upload, {len(self.deletes)} to delete, "
                f"{self.unchanged} unchanged")

    def print(self, stream: IO[str], limit: int = 20) -> None:
        """Print the uploads and deletions (at most LIMIT of each) and the counts."""
        for verb, paths in (("upload", self.uploads), ("delete", self.deletes)):
            for path in paths[:limit]:
                print(f"  {verb}  {path}", file=stream)
            if len(paths) > limit:
                print(f"  {verb}  … and {len(paths) - limit} more", file=stream)
        print(self.counts(), file=stream)


class Publisher(Protocol):
    """A deploy target: plan() reads the target and diffs; apply() carries the plan out."""

    def plan(self, local: Path) -> Plan: ...

    def apply(self, local: Path, plan: Plan) -> None: ...

    def close(self) -> None: ...


def local_files(root: Path) -> dict[str, Path]:
    """Map each regular file under ROOT to its relative '/' path, sorted.

    Symlinks are skipped, and so is the build's output marker (it is not part of the site).
    """
    found: dict[str, Path] = {}
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not os.path.islink(os.path.join(folder, d)))
        for name in files:
            path = Path(folder, name)
            if path.is_file() and not path.is_symlink():
                found[path.relative_to(root).as_posix()] = path
    found.pop(MARKER, None)
    return dict(sorted(found.items()))
