"""Page contexts saved between builds, with entries by key and terms by what pages show.

A build keeps each rendered page's context this way, so that a later build in which only a few
entries changed can render exactly the pages that show them, without loading the whole site
(see generator.incremental.patch).
"""

from __future__ import annotations

import array
import copyreg
import hashlib
import hmac
import io
import pickle
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, NamedTuple

from generator.model import sealed
from generator.model.entry import Entry
from generator.model.taxonomy import Term, TermView


def _entry(key: str) -> Entry:
    """What a saved context names for each entry it holds; loads() gives its own lookup."""
    raise RuntimeError("a saved context is read with recipe.loads()")


class _Loader(pickle.Unpickler):
    """Unpickles a saved context, with ENTRY(key) for each entry it holds."""

    def __init__(self, data: bytes, entry: Callable[[str], Entry]):
        super().__init__(io.BytesIO(data))
        self.entry = entry

    def find_class(self, module: str, name: str) -> Any:
        if module == __name__ and name == "_entry":
            return self.entry
        return super().find_class(module, name)


class Record(NamedTuple):
    data: bytes
    """The context as bytes."""
    keys: list[str]
    """Keys of the entries it holds."""
    digest: str
    """Digest of rendering the template with it."""
    mac: bytes
    """MAC of DATA (see generator.model.sealed): checked before the bytes are ever loaded."""


def record(template: str, context: Mapping[str, Any]) -> Record:
    """CONTEXT as bytes, for rendering TEMPLATE.

    Entries are kept by key and terms by a TermView (what pages show of them), so the bytes
    are small and a context can be loaded again with other versions of its entries. The
    digest covers the bytes (through their MAC) and the digest of each entry held, so it
    changes whenever the page could.
    """
    keys: list[str] = []
    digests: list[str] = []

    def entry(obj: Entry) -> tuple:
        keys.append(obj.key)
        digests.append(obj.digest)
        return _entry, (obj.key,)

    def term(obj: Term | TermView) -> tuple:
        return TermView, (obj.name, obj.segment, obj.url, obj.count)

    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = {**copyreg.dispatch_table, Entry: entry, Term: term,
                              TermView: term}
    pickler.fast = True  # no memo: equal contexts give equal bytes whatever objects they share
    pickler.dump(context)
    data = buffer.getvalue()
    seal = sealed.mac(data)
    digest = hashlib.sha1(template.encode("utf-8") + b"\0" + seal + b"\0"
                          + ",".join(digests).encode("ascii"))
    return Record(data, keys, digest.hexdigest(), seal)


def loads(data: bytes, entry: Callable[[str], Entry]) -> Any:
    """The context DATA holds, with ENTRY(key) for each entry."""
    return _Loader(data, entry).load()


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
    its context is LENGTH[N] bytes at OFFSET[N] of FILES[FILE[N]], whose MAC is MACS[N]. BY_ENTRY
    maps each entry key to the page numbers whose context holds that entry.
    """

    paths: list[str] = field(default_factory=list)
    templates: list[str] = field(default_factory=list)
    template: array.array = field(default_factory=lambda: array.array("H"))
    files: list[str] = field(default_factory=list)
    file: array.array = field(default_factory=lambda: array.array("H"))
    offset: array.array = field(default_factory=lambda: array.array("Q"))
    length: array.array = field(default_factory=lambda: array.array("I"))
    by_entry: dict[str, array.array] = field(default_factory=dict)
    macs: bytearray = field(default_factory=bytearray)

    def add(self, path: str, template: str, place: tuple[str, int, int], keys: list[str],
            mac: bytes) -> None:
        n = len(self.paths)
        self.macs += mac
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


    def holds(self, n: int, data: bytes) -> bool:
        """Whether DATA is the context saved for page N (its MAC checks out)."""
        size = sealed.MAC_SIZE
        return hmac.compare_digest(self.macs[n * size:(n + 1) * size], sealed.mac(data))


def _number(names: list[str], name: str) -> int:
    """NAME's position in NAMES (appended when new; the lists are short)."""
    try:
        return names.index(name)
    except ValueError:
        names.append(name)
        return len(names) - 1
