"""Command `wenji fetch-images`: download the remote images of the articles already in content/
and rewrite their links to the local copies.

An article edited by hand since import (its checksum no longer matches, or it never had one) is
left alone unless --force. A rewritten article that was not edited by hand gets a fresh checksum,
so the importer still sees it as its own; a hand-edited one rewritten with --force keeps its old
checksum, so it stays protected from being overwritten by a later import.
Only image links change: the rest of the file is kept byte for byte.
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from generator import imagefetch
from generator.imagefetch.localize import Fetcher, Tally, references
from generator.model import frontmatter
from generator.report import ExitStatus

_HEAD = re.compile(r"---[ \t]*\r?\n(?:.*?\r?\n)?---[ \t]*(?:\r?\n|$)", re.S)


@dataclass
class CollectionResult:
    articles: int = 0
    rewritten: int = 0
    kept: list[str] = field(default_factory=list)
    """Articles edited by hand and not rewritten (no --force)."""
    errors: list[str] = field(default_factory=list)
    total: Tally = field(default_factory=Tally)
    dry_run: bool = False

    def summary(self) -> str:
        done = "would rewrite" if self.dry_run else "rewrote"
        text = (f"images: {self.total.line()}; {done} {self.rewritten} of "
                f"{self.articles} articles")
        if self.kept:
            text += f", {len(self.kept)} kept (edited by hand; --force rewrites)"
        if self.errors:
            text += f", {len(self.errors)} unreadable"
        return text

    @property
    def exit_code(self) -> int:
        failed = self.errors or self.total.failed
        return ExitStatus.CONTENT_ERROR if failed else ExitStatus.OK


def fetch_collection(cfg, *, force: bool = False, dry_run: bool = False,
                     progress: bool | None = None, stream: IO[str] = sys.stderr) -> CollectionResult:
    """Localise the images of every article under the site's content folder."""
    from tqdm import tqdm

    content = cfg.content_path
    result = CollectionResult(dry_run=dry_run)
    fetcher = imagefetch.for_site(cfg, content, fetch=True, dry_run=dry_run)
    assert fetcher is not None
    files = sorted(p for p in content.rglob("*.md")
                   if not any(part.startswith(".") for part in p.relative_to(content).parts))
    show = progress if progress is not None else (len(files) >= 20 and stream.isatty())
    for path in tqdm(files, disable=not show, file=stream, unit="article", leave=False):
        rel = path.relative_to(content).as_posix()
        result.articles += 1
        try:
            text = path.read_bytes().decode("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            result.errors.append(rel)
            print(f"error: {rel}: cannot read: {exc}", file=stream)
            continue
        if not references(text):
            continue
        edited = frontmatter.is_hand_edited(text)
        if edited and not force:
            result.kept.append(rel)
            print(f"kept: {rel}: edited since import; --force rewrites its image links", file=stream)
            continue
        new, tally = _localize_text(text, edited, fetcher, rel, stream)
        if tally.touched:
            print(f"images: {rel}: {tally.report()}", file=stream)
        if new != text:
            result.rewritten += 1
            if not dry_run:
                _write(path, new)
    result.total = fetcher.total
    return result


def _localize_text(text: str, edited: bool, fetcher: Fetcher, rel: str,
                   stream: IO[str]) -> tuple[str, Tally]:
    """TEXT with its body's and cover's image links made local; restamped unless EDITED (by
    hand since import: its old checksum is kept, so it stays protected)."""
    m = _HEAD.match(text)
    if m is None:  # no front matter: a plain Markdown page
        body, _, tally = fetcher.localize(text, None)
        return body, tally
    head, body = text[:m.end()], text[m.end():]
    try:
        cover = frontmatter.parse(text).front.cover
    except Exception as exc:  # a broken front matter: still localise the body
        print(f"warning: {rel}: front matter unreadable ({exc}); cover left as is", file=stream)
        cover = None
    new_body, new_cover, tally = fetcher.localize(body, cover)
    if cover and new_cover != cover:
        head = _set_cover(head, cover, new_cover)
    new = head + new_body
    if new != text and not edited:
        new = frontmatter.restamp(new)
    return new, tally


def _set_cover(head: str, old: str, new: str) -> str:
    """HEAD with the cover line's value OLD replaced by NEW (plain or quoted); unchanged if the
    line is written some other way."""
    line = re.compile(r"^(cover:[ \t]*(['\"]?))" + re.escape(old) + r"(\2[ \t]*\r?)$", re.M)
    return line.sub(lambda m: m.group(1) + new + m.group(3), head, count=1)


def _write(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    with open(tmp, "w", encoding="utf-8", newline="") as f:
        f.write(text)
    os.replace(tmp, path)
