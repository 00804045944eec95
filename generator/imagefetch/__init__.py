"""Keep an archive's images: download the remote images articles reference into content/images
(by content hash) and link the local copies. Used by `wenji import --fetch-images` (see
generator.ingest) and by `wenji fetch-images` for an existing collection (see .collection).
"""

from __future__ import annotations

from pathlib import Path

from generator.imagefetch.http import Settings
from generator.imagefetch.localize import Fetcher, Tally
from generator.imagefetch.store import ImageStore
from generator.model.cache import FOLDER

__all__ = ["Fetcher", "Settings", "Tally", "for_site", "settings_of"]


def settings_of(cfg) -> Settings:
    """Download settings from site.yml's import section."""
    imp = cfg.import_
    return Settings(timeout=float(max(1, imp.image_timeout)), retries=imp.image_retries,
                    max_bytes=max(1, imp.image_max_mb) * 2**20, workers=max(1, imp.image_workers))


def for_site(cfg, content: Path, *, fetch: bool, dry_run: bool) -> Fetcher | None:
    """A Fetcher for CONTENT; None when there is nothing to do (no fetching asked for and no
    image downloaded before, so an import without --fetch-images costs nothing).

    Without FETCH, images downloaded by an earlier run are still linked locally: a later import
    of the same articles does not put the remote URLs back.
    """
    store = ImageStore(content, Path(cfg.site_dir) / FOLDER, write=fetch and not dry_run)
    if not fetch and store.empty:
        return None
    return Fetcher(store, settings_of(cfg), network=fetch and not dry_run)
