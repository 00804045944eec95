"""Digests that tell whether a page must be rendered again: its context, and the build's inputs."""

from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path
from typing import Any

import jinja2

import generator
from generator.config import SiteConfig
from generator.model.cache import Stamp, code_key, stamp
from generator.model.site import Entry, source_files
from generator.model.taxonomy import Term
from generator.render.theme import Theme


def _feed(value: Any, out: list[str]) -> None:
    """Append a stable description of VALUE (entries by digest, terms by what lists show)."""
    if isinstance(value, Entry):
        out.append("E" + value.digest)
    elif isinstance(value, Term):
        out.append(f"T{value.name}\0{value.url}\0{value.count}")
    elif isinstance(value, dict):
        out.append("{")
        for key in sorted(value, key=str):
            out.append(f"{key}:")
            _feed(value[key], out)
        out.append("}")
    elif isinstance(value, (list, tuple)):
        out.append("[")
        for item in value:
            _feed(item, out)
        out.append("]")
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        out.append(type(value).__name__)
        _feed({f.name: getattr(value, f.name) for f in dataclasses.fields(value)}, out)
    else:
        out.append(f"{type(value).__name__}:{value!r}")


def of_context(template: str, context: dict[str, Any]) -> str:
    """The digest of rendering TEMPLATE with CONTEXT."""
    parts = [template]
    _feed(context, parts)
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


def input_stamps(cfg: SiteConfig, theme: Theme) -> dict[str, Stamp]:
    """Stamps of every file a build reads besides templates: articles and static files."""
    stamps: dict[str, Stamp] = {}
    content = cfg.content_path
    for path in source_files(content) if content.is_dir() else []:
        stamps["content/" + path.relative_to(content).as_posix()] = stamp(path)
    for folder in theme.static_dirs:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                stamps[f"static:{folder}/{path.relative_to(folder).as_posix()}"] = stamp(path)
    return stamps
