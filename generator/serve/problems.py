"""What went wrong in a preview build, told with site-relative paths only.

The panel and the status endpoint can be read by any page the browser opens, so neither may show
where the user keeps files: the site folder, the preview's temporary output, bundled theme
folders and the home folder are replaced by short labels.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from generator.errors import GeneratorError


@dataclass(frozen=True)
class Problem:
    """One error: the file (site-relative) and line it is about, and the message."""

    message: str
    file: str | None = None
    line: int | None = None

    @property
    def where(self) -> str:
        if self.file is None:
            return ""
        return f"{self.file}:{self.line}" if self.line else self.file

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.file else self.message

    def to_json(self) -> dict[str, object]:
        return {"file": self.file, "line": self.line, "message": self.message}


_ABSOLUTE_DIR = re.compile(r"(?<![\w.:/~-])/(?:[^\s'\"/:<>]+/)+")
"""The folder part of an absolute path inside a message (never part of a URL)."""


class Relativizer:
    """Replace absolute folder paths in file names and messages by labels ("" for the site).

    Folders without a label are cut from messages ("…/name"); a file outside every labelled
    folder is named by its base name.
    """

    def __init__(self, labels: Iterable[tuple[Path, str]]):
        pairs = {}
        for folder, label in labels:
            for form in {str(Path(folder).absolute()), str(Path(folder).resolve())}:
                pairs[form.rstrip("/") + "/"] = label
        self._pairs = sorted(pairs.items(), key=lambda kv: -len(kv[0]))  # longest folder first

    def text(self, text: str) -> str:
        for prefix, label in self._pairs:
            text = text.replace(prefix, label).replace(prefix.rstrip("/"), label.rstrip("/") or ".")
        return _ABSOLUTE_DIR.sub("…/", text)

    def path(self, path: str | Path | None) -> str | None:
        if path is None:
            return None
        text = str(path)
        for prefix, label in self._pairs:
            if text.startswith(prefix):
                return label + text[len(prefix):]
        return text if not Path(text).is_absolute() else Path(text).name

    def problem(self, exc: BaseException) -> Problem:
        """A Problem for an exception from a build (a GeneratorError or anything else)."""
        if isinstance(exc, GeneratorError):
            message = exc.message + (f" (hint: {exc.hint})" if exc.hint else "")
            return Problem(self.text(message), self.path(exc.path), exc.line)
        where = getattr(exc, "filename", None)
        line = getattr(exc, "lineno", None)
        return Problem(self.text(f"{type(exc).__name__}: {exc}"), self.path(where),
                       line if isinstance(line, int) else None)


def preview_labels(site_dir: Path | None, output: Path,
                   themes: Iterable[tuple[str, Path]] = ()) -> list[tuple[Path, str]]:
    """Labels for the folders a preview build touches: site "", output, themes, home "~/"."""
    labels = [(Path.home(), "~/"), (output, "(preview output)/")]
    labels += [(folder, f"(theme {name})/") for name, folder in themes]
    if site_dir is not None:
        labels.append((site_dir, ""))
    return labels
