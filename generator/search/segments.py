"""A patched build's search index: one small delta segment instead of a new index.

The output's search/manifest.json lists the segments (docs/search-format.md). A patch that
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
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT \
            or manifest.get("version") != VERSION:
        return None
    return manifest


def delta_files(folder: Path, changed: Mapping[int, SearchDoc],
                current: Callable[[list[int]], dict[int, SearchDoc] | None]
                ) -> dict[str, bytes] | None:
    """The files (relative to FOLDER, the output's search/) that add CHANGED (by global id).

    CURRENT(ids) gives today's documents of earlier deltas when they are merged (None if it
    cannot). None: this change needs a full build (no index, or too much has changed).
    """
    manifest = read_manifest(folder)
    if manifest is None or not manifest["segments"] or \
            any(i < 0 or i >= manifest["docs"] for i in changed):
        return None
    base, deltas = manifest["segments"][0], manifest["segments"][1:]
    docs = manifest["docs"]
    held = {i for seg in deltas for i in seg["ids"]}
    if len(held | changed.keys()) > max(FULL_MIN, FULL_SHARE * docs):
        return None
    merge = len(deltas) >= MAX_DELTAS or \
        len(held | changed.keys()) > max(MERGE_MIN, MERGE_SHARE * docs)
    fresh = dict(changed)
    if merge:
        if manifest.get("retired", 0) + len(deltas) > MAX_RETIRED:
            return None
        others = current(sorted(held - changed.keys()))
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
    return out
