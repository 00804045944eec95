"""Digests that tell whether a page must be rendered again: its context, and the build's inputs."""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jinja2

import generator
from generator.config import SiteConfig
from generator.model.cache import Stamp, code_key, stamp
from generator.model.site import Entry, Scan, scan
from generator.model.taxonomy import Term, TermView
from generator.render.theme import Theme


def _feed(value: Any, out: list[str], refs: list[str] | None) -> None:
    """Append a stable description of VALUE (entries by digest, terms by what lists show).

    The keys of the entries met are appended to REFS (when given).
    """
    if isinstance(value, Entry):
        out.append("E" + value.digest)
        if refs is not None:
            refs.append(value.key)
    elif isinstance(value, (Term, TermView)):
        out.append(f"T{value.name}\0{value.url}\0{value.count}")
    elif isinstance(value, Mapping):
        out.append("{")
        for key in sorted(value, key=str):
            out.append(f"{key}:")
            _feed(value[key], out, refs)
        out.append("}")
    elif isinstance(value, (list, tuple)):
        out.append("[")
        for item in value:
            _feed(item, out, refs)
        out.append("]")
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        out.append(type(value).__name__)
        _feed({f.name: getattr(value, f.name) for f in dataclasses.fields(value)}, out, refs)
    else:
        out.append(f"{type(value).__name__}:{value!r}")


def of_context(template: str, context: Mapping[str, Any], refs: list[str] | None = None) -> str:
    """The digest of rendering TEMPLATE with CONTEXT (keys of the entries it holds → REFS)."""
    parts = [template]
    _feed(context, parts, refs)
    return hashlib.sha1("\x1f".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


def build_key(cfg: SiteConfig, theme: Theme, env: jinja2.Environment) -> str:
    """Digest of everything every page depends on: settings, templates, globals and code."""
    digest = hashlib.sha256(repr(dataclasses.replace(cfg, site_dir=Path("."))).encode())
    site = env.globals["site"]
    digest.update(repr(sorted(vars(site).items())).encode())
    for folder in theme.template_dirs:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
                digest.update(path.read_bytes())
    package = Path(generator.__file__).parent
    for path in sorted(package.rglob("*.py")):
        digest.update(path.read_bytes())
    digest.update(code_key().encode())
    return digest.hexdigest()


def input_stamps(cfg: SiteConfig, theme: Theme, scanned: Scan | None = None) -> dict[str, Stamp]:
    """Stamps of every file a build reads besides templates: articles, images, static files.

    SCANNED is scan(cfg.content_path), when the caller has it already.
    """
    found = scan(cfg.content_path) if scanned is None else scanned
    stamps = {"content/" + rel: st for rel, st in found.stamps().items()}
    for folder in theme.static_dirs:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                stamps[f"static:{folder}/{path.relative_to(folder).as_posix()}"] = stamp(path)
    return stamps
