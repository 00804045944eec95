"""Page contexts saved between builds, with entries by key and terms by what pages show.

A build keeps each rendered page's context this way, so that a later build in which only a few
entries changed can render exactly the pages that show them, without loading the whole site
(see generator.patch).
"""

from __future__ import annotations

import array
import io
import pickle
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

from generator.model.site import Entry
from generator.model.taxonomy import Term, TermView


class _Pickler(pickle.Pickler):
    def persistent_id(self, obj: Any) -> Any:
        if isinstance(obj, Entry):
            return ("E", obj.key)
        if isinstance(obj, Term):
            return ("T", TermView.of(obj))
        return None


class _Unpickler(pickle.Unpickler):
    def __init__(self, data: bytes, entry: Callable[[str], Entry]):
        super().__init__(io.BytesIO(data))
        self.entry = entry

    def persistent_load(self, pid: Any) -> Any:
        kind, value = pid
        return self.entry(value) if kind == "E" else value


def dumps(context: Mapping[str, Any]) -> bytes:
    """CONTEXT as bytes, each entry replaced by its key and each term by a TermView."""
    buffer = io.BytesIO()
    _Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(context)
    return buffer.getvalue()


def loads(data: bytes, entry: Callable[[str], Entry]) -> Any:
    """The context DATA holds, with ENTRY(key) for each entry."""
    return _Unpickler(data, entry).load()


def entry_keys(data: bytes) -> set[str]:
    """The keys of the entries a saved context holds."""
    keys: set[str] = set()

    def note(key: str) -> Any:
        keys.add(key)
        return None

    loads(data, note)  # type: ignore[arg-type]
    return keys


@dataclass
class Saved:
    """Where a build saved its pages' contexts, compactly (a site has ~2 pages per article).

    Page N (in the order pages were added) is PATHS[N], rendered with TEMPLATES[TEMPLATE[N]];
    its context is LENGTH[N] bytes at OFFSET[N] of FILES[FILE[N]]. BY_ENTRY maps each entry key
    to the page numbers whose context holds that entry.
    """

    paths: list[str] = field(default_factory=list)
    templates: list[str] = field(default_factory=list)
    template: array.array = field(default_factory=lambda: array.array("H"))
    files: list[str] = field(default_factory=list)
    file: array.array = field(default_factory=lambda: array.array("H"))
    offset: array.array = field(default_factory=lambda: array.array("Q"))
    length: array.array = field(default_factory=lambda: array.array("I"))
    by_entry: dict[str, array.array] = field(default_factory=dict)

    def add(self, path: str, template: str, place: tuple[str, int, int], keys: list[str]) -> None:
        n = len(self.paths)
        self.paths.append(path)
        self.template.append(_number(self.templates, template))
        self.file.append(_number(self.files, place[0]))
        self.offset.append(place[1])
        self.length.append(place[2])
        for key in dict.fromkeys(keys):
            pages = self.by_entry.get(key)
            if pages is None:
                pages = self.by_entry[key] = array.array("I")
            pages.append(n)


def _number(names: list[str], name: str) -> int:
    """NAME's position in NAMES (appended when new; the lists are short)."""
    try:
        return names.index(name)
    except ValueError:
        names.append(name)
        return len(names) - 1
