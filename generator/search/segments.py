"""A patched build's search index: one small delta segment instead of a new index.

The output's search/manifest.json lists the segments (docs/search-format.md); the build's
manifest (generator.incremental.manifest) keeps the same list, which a patch starts from. A patch that
changes K articles, none of them in URL, date, account or tags, writes one segment of those K
documents under their old ids and a manifest that lists it last: O(K) bytes. Past MAX_DELTAS
segments or MERGE_SHARE of the documents the deltas are merged into one; past MAX_RETIRED
merged-away segments or FULL_SHARE of the documents `delta_files` gives up, and the full
build that follows writes a fresh base equal to a clean build's.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Callable, Mapping

from generator.search.index import (FORMAT, VERSION, Hashed, SearchDoc, manifest_bytes,
                                    write_segment)

MAX_DELTAS = 8
MERGE_SHARE, MERGE_MIN = 0.02, 64
"""Deltas holding more than max(MERGE_MIN, MERGE_SHARE × docs) documents are merged."""
MAX_RETIRED = 16
"""Merged-away delta folders left in the output before a full build clears them."""
FULL_SHARE, FULL_MIN = 0.05, 256
"""Deltas that would hold more than max(FULL_MIN, FULL_SHARE × docs) take a full build."""


def read_manifest(folder: Path) -> dict | None:
    """The manifest of the index in FOLDER, if it is one this code writes."""
    try:
        manifest = json.loads((folder / "manifest.json").read_bytes())
    except (OSError, ValueError):
        return None
    return manifest if _usable(manifest) else None


def _usable(manifest: object) -> bool:
    """Whether MANIFEST is one this code writes."""
    return (isinstance(manifest, dict) and manifest.get("format") == FORMAT
            and manifest.get("version") == VERSION)


def delta_files(held: dict | None, changed: Mapping[int, SearchDoc],
                current: Callable[[list[int]], dict[int, SearchDoc] | None]
                ) -> tuple[dict[str, bytes], dict] | None:
    """The files (relative to the output's search/) that add CHANGED (by global id) to the
    index whose manifest is HELD, and the new manifest (also among the files).

    CURRENT(ids) gives today's documents of earlier deltas when they are merged (None if it
    cannot). None: this change needs a full build (no index, or too much has changed).
    """
    manifest = json.loads(manifest_bytes(held)) if _usable(held) else None  # a copy
    if manifest is None or not manifest["segments"] or \
            any(i < 0 or i >= manifest["docs"] for i in changed):
        return None
    base, deltas = manifest["segments"][0], manifest["segments"][1:]
    docs = manifest["docs"]
    in_deltas = {i for seg in deltas for i in seg["ids"]}
    if len(in_deltas | changed.keys()) > max(FULL_MIN, FULL_SHARE * docs):
        return None
    merge = len(deltas) >= MAX_DELTAS or \
        len(in_deltas | changed.keys()) > max(MERGE_MIN, MERGE_SHARE * docs)
    fresh = dict(changed)
    if merge:
        if manifest.get("retired", 0) + len(deltas) > MAX_RETIRED:
            return None
        others = current(sorted(in_deltas - changed.keys()))
        if others is None:
            return None
        fresh.update(others)
    ids = sorted(fresh)
    files: dict[str, bytes] = {}
    sink = Hashed(lambda path, data: files.__setitem__(path, data))
    with tempfile.TemporaryDirectory(prefix="wenji-delta-") as work:
        entry = write_segment([fresh[i] for i in ids], ids, sink, Path(work))
    entry["ids"] = ids  # a delta always lists its ids
    name = f"d-{sink.version}"
    segment = {"name": name, "v": sink.version, **entry}
    manifest["segments"] = [base, segment] if merge else [base, *deltas, segment]
    if merge:
        manifest["retired"] = manifest.get("retired", 0) + len(deltas)
    out = {f"{name}/{path}": data for path, data in files.items()}
    out["manifest.json"] = manifest_bytes(manifest)
    return out, manifest
