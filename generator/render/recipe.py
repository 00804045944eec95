"""Page contexts saved between builds, with entries by key and terms by what pages show.

A build keeps each rendered page's context this way, so that a later build in which only a few
entries changed can render exactly the pages that show them, without loading the whole site
(see generator.patch).
"""

from __future__ import annotations

import io
import pickle
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
