"""What `wenji import` reads: its SRC arguments expanded to input files, --exclude applied.

Folders are walked recursively (hidden entries and saved pages' `*_files` folders skipped) for
files with an importable extension; `-` is standard input. Symbolic links are judged by
generator.confine. Nothing here reads a file's content except standard input.
"""

from __future__ import annotations

import fnmatch
import os
import sys
from pathlib import Path, PurePath
from typing import IO, Iterable, Iterator, NamedTuple, Sequence

from generator import confine

EXTENSIONS = {".txt", ".html", ".htm", ".md", ".markdown", ".json", ".jsonl", ".csv",
              ".xml", ".rss", ".atom", ".mhtml", ".mht"}
OUTSIDE = "symbolic link leads outside {}; not followed"


class Input(NamedTuple):
    """One input of an import."""

    name: str
    """What the report calls it (the path as given, or `<stdin>`)."""
    path: Path
    """The file to read (a link's checked target)."""
    data: bytes | None
    """The bytes already read (standard input), else None."""
    refused: str | None
    """Why it is not read (a link leading outside), else None."""
    origin: str | None
    """Its path relative to the import root; None when --exclude'd."""


def iter_inputs(srcs: Iterable[str], stdin: IO[bytes] | None = None, exclude: Sequence[str] = ()
                ) -> Iterator[Input]:
    """Expand SRC arguments to Inputs — folders recursively, in sorted order.

    A symbolic link is followed only while its target stays inside the folder given (for a file
    named on its own: the folder holding it, so `src/*` expanded by the shell is no way out);
    a link leading elsewhere is refused, never read (see generator.confine).
    """
    for src in srcs:
        if src == "-":
            data = (stdin or sys.stdin.buffer).read()
            yield Input("<stdin>", Path("stdin"), data, None, "<stdin>")
            continue
        p = Path(src)
        if p.is_dir():
            found = confine.walk(p, confine.Fence.around(p),
                                 lambda name: not name.startswith(".") and not name.endswith("_files"))
            named = [(str(p / rel), Path(real), None, rel) for rel, real in found.files
                     if not rel.rpartition("/")[2].startswith(".")
                     and os.path.splitext(rel)[1].lower() in EXTENSIONS]
            named += [(str(Path(link)), Path(link), OUTSIDE.format(p), Path(link).name)
                      for link in found.outside if not Path(link).name.startswith(".")]
            for name, path, refused, rel in sorted(named):
                yield Input(name, path, None, refused,
                            None if excluded(PurePath(rel), exclude) else rel)
            continue
        origin = None if excluded(PurePath(p.name), exclude) else p.name
        if p.is_symlink():
            real = confine.Fence.around(p.parent).admit(p)
            if real is None:
                yield Input(str(p), p, None, OUTSIDE.format(p.parent), origin)
            else:  # the file read is the link's target: it is what the import came from
                yield Input(str(p), Path(real), None, None, origin and Path(real).name)
        else:
            yield Input(str(p), p, None, None, origin)


def excluded(rel: PurePath, patterns: Sequence[str]) -> bool:
    """True when REL (relative to the import root) matches an --exclude GLOB: a pattern with a
    slash matches the path from the root (`drafts/*`), one without matches any file or folder
    name on the way (`README.md`, `*.bak`, `drafts`)."""
    path = rel.as_posix()
    for pattern in patterns:
        pattern = pattern.strip("/")
        if "/" in pattern:
            if fnmatch.fnmatchcase(path, pattern) or fnmatch.fnmatchcase(path, pattern + "/*"):
                return True
        elif any(fnmatch.fnmatchcase(part, pattern) for part in rel.parts):
            return True
    return False
