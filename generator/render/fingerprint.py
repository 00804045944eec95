"""Digests that tell whether a page must be rendered again: its context, and the build's inputs."""

from __future__ import annotations

import dataclasses
import functools
import hashlib
from pathlib import Path

import jinja2

import generator
from generator.config import SiteConfig
from generator.model.cache import Stamp, code_key, stamp
from generator.model.load import Scan, scan
from generator.render.theme import Theme


def build_key(cfg: SiteConfig, theme: Theme, env: jinja2.Environment) -> str:
    """Digest of everything every page depends on: settings, templates, globals and code."""
    digest = hashlib.sha256(repr(dataclasses.replace(cfg, site_dir=Path("."))).encode())
    site = env.globals["site"]
    digest.update(repr(sorted(vars(site).items())).encode())
    for _, found in theme.files("templates"):
        for rel, path in found:
            digest.update(rel.encode() + b"\0")
            digest.update(Path(path).read_bytes())
    digest.update(_code_digest())
    return digest.hexdigest()


@functools.cache
def _code_digest() -> bytes:
    """Digest of this package's code and code_key() (read once per process: the code a
    process runs does not change under it, e.g. across the preview server's rebuilds)."""
    digest = hashlib.sha256()
    package = Path(generator.__file__).parent
    for path in sorted(package.rglob("*.py")):
        digest.update(path.read_bytes())
    digest.update(code_key().encode())
    return digest.digest()


def input_stamps(cfg: SiteConfig, theme: Theme, scanned: Scan | None = None) -> dict[str, Stamp]:
    """Stamps of every file a build reads besides templates: articles, images, static files.

    SCANNED is scan(cfg.content_path, cfg.site_dir), when the caller has it already.
    """
    found = scan(cfg.content_path, cfg.site_dir) if scanned is None else scanned
    stamps = {"content/" + rel: st for rel, st in found.stamps().items()}
    for folder, files in theme.files("static"):
        for rel, path in files:
            stamps[f"static:{folder}/{rel}"] = stamp(Path(path))
    return stamps
