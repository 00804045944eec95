"""`wenji check`: every internal link, asset, feed and sitemap entry of the built site resolves."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO
from urllib.parse import unquote, urljoin, urlsplit

import lxml.etree
import lxml.html

from generator.config import SiteConfig
from generator.errors import GeneratorError
from generator.report import ExitStatus

_SKIP_SCHEMES = {"mailto", "tel", "data", "javascript", "about"}
_XML_LINKS = ("{http://www.w3.org/2005/Atom}link",
              "{http://www.sitemaps.org/schemas/sitemap/0.9}loc")


@dataclass
class Broken:
    page: str
    link: str
    reason: str

    def __str__(self) -> str:
        return f"{self.page}: {self.link} ({self.reason})"


@dataclass
class CheckResult:
    files: int = 0
    links: int = 0
    broken: list[Broken] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return ExitStatus.CONTENT_ERROR if self.broken else ExitStatus.OK

    def summary(self) -> str:
        return (f"checked {self.files:,} files, {self.links:,} internal links: "
                f"{len(self.broken):,} broken")


def page_links(path: Path, data: bytes) -> list[str]:
    """The link targets in one built file (HTML attributes, Atom links, sitemap locations)."""
    if path.suffix in (".html", ".htm"):
        if not data.strip():
            return []
        doc = lxml.html.document_fromstring(data)
        return [link for _, _, link, _ in doc.iterlinks()]
    if path.suffix == ".xml":
        root = lxml.etree.fromstring(data, lxml.etree.XMLParser(resolve_entities=False))
        links = []
        for el in root.iter(*_XML_LINKS):
            links.append(el.get("href") if el.tag.endswith("link") else (el.text or "").strip())
        return [link for link in links if link]
    return []


OUTSIDE = "\0outside"


def resolve(base_url: str, page_url: str, link: str) -> str | None:
    """The output path LINK on PAGE_URL points to; OUTSIDE if not under base_url; None: skip."""
    link = link.strip()
    parts = urlsplit(link)
    if parts.scheme.lower() in _SKIP_SCHEMES or link.startswith("#") or not link:
        return None
    absolute = urljoin(base_url + page_url, link)
    site, target = urlsplit(base_url), urlsplit(absolute)
    if (target.scheme, target.netloc) != (site.scheme, site.netloc):
        return None  # another host: not ours to check
    base_path = site.path or "/"
    if not (target.path or "/").startswith(base_path):
        return OUTSIDE
    return unquote(target.path[len(base_path):])


def _exists(rel: str, files: set[str], dirs: set[str]) -> bool:
    rel = rel.rstrip("/") if rel.endswith("/") else rel
    if rel in files:
        return True
    return (rel in dirs or rel == "") and (f"{rel}/index.html" if rel else "index.html") in files


def check(cfg: SiteConfig, stream: IO[str] = sys.stderr) -> CheckResult:
    """Check the built site in cfg.output_path; print each broken link with its page."""
    out = cfg.output_path
    if not out.is_dir():
        raise GeneratorError("no built site here", out, hint="run wenji build first")
    files: set[str] = set()
    dirs: set[str] = set()
    for root, subdirs, names in os.walk(out):
        rel_root = Path(root).relative_to(out).as_posix()
        prefix = "" if rel_root == "." else rel_root + "/"
        dirs.update(prefix + d for d in subdirs)
        files.update(prefix + n for n in names)
    result = CheckResult(files=len(files))
    for rel in sorted(files):
        path = out / rel
        if path.suffix not in (".html", ".htm", ".xml"):
            continue
        page_url = rel[: -len("index.html")] if rel.endswith("index.html") else rel
        try:
            links = page_links(path, path.read_bytes())
        except (lxml.etree.LxmlError, ValueError) as exc:
            result.broken.append(Broken(rel, "-", f"cannot parse: {exc}"))
            continue
        for link in links:
            target = resolve(cfg.base_url, page_url, link)
            if target is None:
                continue
            result.links += 1
            if target == OUTSIDE:
                result.broken.append(Broken(rel, link, "outside the site's base URL"))
            elif not _exists(target, files, dirs):
                result.broken.append(Broken(rel, link, "no such file"))
    for broken in result.broken:
        print(f"broken: {broken}", file=stream)
    return result
