"""The two sides of a deploy and their difference: the local files, what the target holds, the plan."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Callable, Protocol

from generator.deploy.guard import MARKER
from generator.outdir import MARKER as BUILD_MARKER


@dataclass
class Local:
    """The files to publish: the built output, plus a few files deploy adds (in a scratch folder).

    Every path is absolute, so publishers may run tools in any working folder.
    """

    roots: list[Path]
    files: dict[str, Path]


def load_local(output: Path, scratch: Path, extra: dict[str, bytes]) -> Local:
    """The output's files and EXTRA (name → bytes, written under SCRATCH), by relative path."""
    scratch.mkdir(parents=True, exist_ok=True)
    for name, data in extra.items():
        (scratch / name).parent.mkdir(parents=True, exist_ok=True)
        (scratch / name).write_bytes(data)
    files = {**local_files(output), **local_files(scratch)}
    return Local([output.absolute(), scratch.absolute()], dict(sorted(files.items())))


@dataclass
class Remote:
    """What the target holds: relative path → what it knows of that file (a path, an id, an ETag)."""

    files: dict[str, Any]
    same: Callable[[Path, Any], bool]
    """Whether a local file equals the target's file (given what the target knows of it)."""
    empty: bool
    """Nothing at all is there (no files, no folders): a new or empty target."""

    @property
    def marked(self) -> bool:
        """A previous deploy wrote there (its marker is present)."""
        return MARKER in self.files


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


def diff(local: Local, remote: Remote) -> Plan:
    """Upload what the target lacks or holds differently; delete what the site no longer has."""
    plan = Plan(deletes=sorted(rel for rel in remote.files if rel not in local.files))
    for rel, path in local.files.items():
        if rel in remote.files and remote.same(path, remote.files[rel]):
            plan.unchanged += 1
        else:
            plan.uploads.append(rel)
    return plan


class Publisher(Protocol):
    """One kind of target. deploy() calls: remote → (diff) → upload → delete → finish, then close."""

    extra: dict[str, bytes]
    """Files this kind of target needs besides the site (e.g. .nojekyll for GitHub Pages)."""
    local_path: Path | None
    """The folder on this machine that the target writes into, if any (checked for overlaps)."""

    def remote(self, local: Local) -> Remote: ...

    def upload(self, local: Local, paths: list[str]) -> None: ...

    def delete(self, local: Local, paths: list[str]) -> None: ...

    def finish(self) -> None: ...

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
    found.pop(BUILD_MARKER, None)
    return dict(sorted(found.items()))
