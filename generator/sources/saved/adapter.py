"""Format "saved": a page saved whole — an MHTML archive or a SingleFile page → its article.

MHTML (`Save as… → Webpage, Single File` in Chrome/Edge, `.mht` in old IE): a MIME
`multipart/related` message whose root part is the page's HTML (quoted-printable or base64)
and whose other parts are its images and styles, each named by its original URL
(`Content-Location`). The stdlib email parser takes it apart; the root page is then read by
the adapter that reads such a page saved as `.html` (WeChat page or any other), and the page's
URL comes from the archive's header when the page does not state it.

SingleFile (the browser extension) writes one HTML file with everything inlined and a
comment at the top: `Page saved with SingleFile / url: … / saved date: …`. The page is read
like any saved page, its URL taken from that comment when the page does not state it.
"""

from __future__ import annotations

import email
import email.policy
import re
from dataclasses import replace
from pathlib import Path
from typing import Iterator

from generator.errors import InputError
from generator.meta import wechat
from generator.model.rawdoc import Clue, RawDoc
from generator.sources import decode

FORMAT = "saved"
EXTENSIONS = {".mhtml", ".mht"}
_PAGE_SUFFIXES = {".html", ".htm", ".xhtml"}
_MIME_HEAD = re.compile(rb"(?im)^(MIME-Version:|Content-Type:\s*multipart/related|From:\s*<Saved by)")
_SINGLEFILE = re.compile(r"<!--\s*Page saved with SingleFile\s*(.*?)-->", re.S | re.I)
_INLINED = re.compile(r"<img\b(?![^>]*\bdata-src=\"?https?:)[^>]*\bsrc=\"?data:image/", re.I)
_SF_FIELD = re.compile(r"^\s*(url|saved date):\s*(.+?)\s*$", re.M | re.I)


def sniff(path: Path, data: bytes) -> bool:
    """An MHTML archive (by extension or MIME header) or a page saved by SingleFile."""
    head = data[:4096]
    if path.suffix.lower() in EXTENSIONS:
        return True
    if _MIME_HEAD.search(head) and b"multipart/related" in data[:65536].lower():
        return True
    return b"Page saved with SingleFile" in head and (
        path.suffix.lower() in _PAGE_SUFFIXES or head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"))


def read(path: Path, data: bytes) -> Iterator[RawDoc]:
    """The article of the saved page (or why it is not one)."""
    lost = 0
    if b"Page saved with SingleFile" in data[:4096] and path.suffix.lower() not in EXTENSIONS:
        html, url = data, _singlefile_url(decode(data[:4096]))
        lost = len(_INLINED.findall(decode(data)))
    else:
        html, url = _mhtml_page(path, data)
    from generator import sources

    page = path.with_suffix(".html")
    fmt = "wechat-html" if sources.module("wechat-html").sniff(page, html) else "html"
    try:
        found = list(sources.module(fmt).read(page, html))
    except InputError as exc:  # name the file the user gave, not the page inside it
        raise InputError(exc.message, path, line=exc.line, hint=exc.hint) from None
    for raw in found:
        raw = replace(raw, input=str(path), format=FORMAT, assets_dir=None)
        raw.extra.pop("image_files", None)
        if url and not raw.url:
            raw.clues.append(Clue("url", wechat.article_url(url) or url, "page data"))
        if lost and not raw.not_article:
            raw.warnings.append(f"{lost} image(s) inlined as data: URIs without their original "
                                "URL are not kept")
        yield raw


def _singlefile_url(head: str) -> str | None:
    m = _SINGLEFILE.search(head)
    fields = dict((k.lower(), v) for k, v in _SF_FIELD.findall(m.group(1))) if m else {}
    url = fields.get("url")
    return url if url and re.match(r"https?://", url) else None


def _mhtml_page(path: Path, data: bytes) -> tuple[bytes, str | None]:
    """The root HTML part of an MHTML archive (as bytes) and the page's URL."""
    msg = email.message_from_bytes(data, policy=email.policy.default)
    if not msg.is_multipart():
        if msg.get_content_type() == "text/html":
            return _bytes(msg), msg.get("Content-Location")
        raise InputError("not an MHTML archive (no multipart/related message)", path)
    start = (msg.get_param("start") or "").strip("<>")
    parts = [p for p in msg.walk() if not p.is_multipart()]
    root = next((p for p in parts if start and (p.get("Content-ID") or "").strip("<>") == start),
                None) or next((p for p in parts if p.get_content_type() == "text/html"), None)
    if root is None:
        raise InputError("MHTML archive without an HTML page", path)
    url = msg.get("Snapshot-Content-Location") or root.get("Content-Location")
    return _bytes(root), url


def _bytes(part: email.message.Message) -> bytes:
    """A part's decoded content as UTF-8 bytes (the charset it declares, else UTF-8)."""
    payload = part.get_payload(decode=True) or b""
    charset = part.get_content_charset() or "utf-8"
    try:
        return payload.decode(charset, errors="replace").encode("utf-8")
    except LookupError:
        return payload
