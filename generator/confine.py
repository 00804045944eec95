"""Symbolic links that lead out of the folder a command was given are never followed.

A cloned archive or a scraped folder may hold a link such as `notes.txt → ~/.ssh/id_ed25519`;
following it would import or publish a file the user never meant to share. Every walk of the
user's folders (import sources, content, theme files) asks a Fence about the links it meets and
reads the real path the fence returns: the checked target, never the link a second time.
A link that stays inside is followed like a plain file; folders reached through a link are not
entered (as os.walk and Path.rglob do).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Callable, Iterable


def _real(path: str | os.PathLike) -> str:
    return os.path.realpath(os.fspath(path))


@dataclass(frozen=True)
class Fence:
    """The folders (by real path) that files may be read from."""

    roots: tuple[str, ...]

    @classmethod
    def around(cls, *folders: str | os.PathLike | None) -> "Fence":
        """A fence around FOLDERS (None entries ignored)."""
        return cls(tuple(dict.fromkeys(_real(f) for f in folders if f is not None)))

    def holds(self, real: str) -> bool:
        """Whether the real path REAL lies in one of the folders."""
        return any(real == root or real.startswith(root.rstrip(os.sep) + os.sep)
                   for root in self.roots)

    def admit(self, path: str | os.PathLike) -> str | None:
        """PATH's real path if it stays inside the fence, else None."""
        real = _real(path)
        return real if self.holds(real) else None


@dataclass
class Walk:
    """Regular files under a folder, and the links found leading outside the fence."""

    files: list[tuple[str, str]] = field(default_factory=list)
    """(path relative to the folder in POSIX form, path to read), sorted."""
    outside: list[str] = field(default_factory=list)
    """Links (as found under the folder) that lead outside the fence: not followed."""


def walk(folder: str | os.PathLike, fence: Fence,
         enter: Callable[[str], bool] = lambda name: True) -> Walk:
    """The regular files under FOLDER, entering the folders whose name ENTER accepts, reading
    through no link that leaves FENCE."""
    found = Walk()
    if fence.admit(folder) is None:
        found.outside.append(str(folder))
        return found

    def visit(path: str, prefix: str) -> None:
        try:
            items = sorted(os.scandir(path), key=lambda e: e.name)
        except OSError:
            return
        for item in items:
            name = item.name
            if item.is_symlink():
                real = fence.admit(item.path)
                if real is None:
                    found.outside.append(os.path.join(str(folder), prefix + name))
                elif os.path.isfile(real):  # a linked folder is not entered
                    found.files.append((prefix + name, real))
            elif item.is_dir():
                if enter(name):
                    visit(item.path, prefix + name + "/")
            elif item.is_file():
                found.files.append((prefix + name, item.path))

    visit(str(folder), "")
    return found


def outside_note(links: Iterable[str], boundary: str,
                 base: str | os.PathLike | None = None) -> list[str]:
    """One warning line per link leading outside BOUNDARY (a phrase such as 'the site folder'),
    named relative to BASE when it lies there."""
    def name(link: str) -> str:
        if base is not None:
            rel = os.path.relpath(link, base)
            if not rel.startswith(os.pardir):
                return rel
        return link
    return [f"{name(link)}: symbolic link leads outside {boundary}; not followed"
            for link in links]
