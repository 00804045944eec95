"""Copy a saved page's images next to its Markdown (content-addressed) and link them locally.

How the local copy is found: html_to_md always writes an image's remote URL into the Markdown.
When the input came with its browser 'NAME_files/' folder, the adapter calls `local_files` on the
article HTML and stores the result in `RawDoc.extra["image_files"]`: {URL as written in the
Markdown: file path inside the assets folder}. `localize(markdown, assets_dir, dest_dir,
files=that map)` then copies each referenced file that exists to `dest_dir/images/<sha256[:16]>.
<ext>` (identical images are stored once), rewrites the link to `images/<hash>.<ext>` and reports
the referenced files that are missing; their remote URL stays. Links that are themselves
relative saved-page paths (`NAME_files/x.png`) are resolved the same way without a map.
Only raster images (JPEG, PNG, GIF, WebP, BMP, AVIF, ICO, recognised by their bytes) are copied.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path
from typing import Mapping
from urllib.parse import unquote

from generator.clean.html_to_md import image_url, local_src, parse
from generator.clean.urls import fix_entities

_IMAGE_LINK = re.compile(r"!\[((?:\\.|[^\]\\\n])*)\]\(([^)\s]+)\)")
_MAGIC = (
    (b"\xff\xd8\xff", "jpg"), (b"\x89PNG\r\n\x1a\n", "png"), (b"GIF87a", "gif"),
    (b"GIF89a", "gif"), (b"BM", "bmp"), (b"\x00\x00\x01\x00", "ico"),
)


def image_type(data: bytes) -> str | None:
    """File extension for raster image bytes, or None (SVG and unknown data are refused)."""
    for magic, ext in _MAGIC:
        if data.startswith(magic):
            return ext
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    if data[4:12] in (b"ftypavif", b"ftypavis"):
        return "avif"
    return None


def stored_as(data: bytes, ext: str) -> str:
    """Where an image's bytes are kept, relative to the content folder: named by their content,
    so an image met twice (saved with two pages, or saved and downloaded) is stored once."""
    return f"images/{hashlib.sha256(data).hexdigest()[:16]}.{ext}"


def _in_folder(url: str) -> str | None:
    """The path inside the assets folder that a saved-page src names (`./X_files/a.png` → a.png)."""
    m = re.match(r"^(?:\./)?[^/:?#]+_files/(.+)$", unquote(url))
    return m.group(1) if m and ".." not in m.group(1).split("/") else None


def local_files(html: str, *, base_url: str | None = None) -> dict[str, str]:
    """{image URL as html_to_md writes it: file inside the saved page's assets folder}."""
    out: dict[str, str] = {}
    for img in parse(html).find_all("img"):
        local = local_src(img)
        url = image_url(img, base_url)
        name = _in_folder(local) if local else None
        if url and name:
            out[url] = name
    return out


def _lookup(url: str, files: Mapping[str, str] | None) -> str | None:
    if files:
        for key in (url, fix_entities(url), unquote(url)):
            if key in files:
                return files[key]
    return _in_folder(url)


def localize(markdown: str, assets_dir: Path | None, dest_dir: Path, *, dry_run: bool,
             files: Mapping[str, str] | None = None) -> tuple[str, list[str]]:
    """Copy referenced images from ASSETS_DIR into DEST_DIR/images; (new markdown, missing files)."""
    if assets_dir is None:
        return markdown, []
    root = Path(assets_dir).resolve()
    missing: list[str] = []
    copied: dict[str, str] = {}

    def swap(m: re.Match) -> str:
        url = m.group(2)
        name = _lookup(url, files)
        if name is None:
            return m.group(0)
        if name not in copied:
            src = (root / name).resolve()
            data = src.read_bytes() if src.is_relative_to(root) and src.is_file() else None
            ext = image_type(data) if data is not None else None
            if ext is None:
                if name not in missing:
                    missing.append(name)
                return m.group(0)
            rel = stored_as(data, ext)
            if not dry_run:
                _store(Path(dest_dir) / rel, data)
            copied[name] = rel
        return f"![{m.group(1)}]({copied[name]})"

    return _IMAGE_LINK.sub(swap, markdown), missing


def _store(target: Path, data: bytes) -> None:
    if target.is_file() and target.stat().st_size == len(data):
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, target)
