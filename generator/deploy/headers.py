"""HTTP headers stored with each object on object storage: type, encoding and how long to cache.

Static hosts (GitHub Pages, nginx) pick these themselves; an S3 bucket serves what it was given.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from generator.mediatypes import content_type

REVALIDATE = "no-cache"
"""Pages and the data that names other files: a browser asks again each time (a cheap 304)."""
FOREVER = "public, max-age=31536000, immutable"
"""Files whose name carries a digest of their content: a new content is a new name."""
MEDIA = "public, max-age=604800"
"""Images, fonts, audio, video: a week."""
ASSETS = "public, max-age=86400"
"""Styles, scripts and other files whose name stays when they change: a day."""

_DIGEST = re.compile(r"[.-][0-9a-f]{8,64}\.[A-Za-z0-9]+$")
_INFLATE = (".json", ".js", ".css", ".html", ".xml", ".txt", ".svg")
"""Inner types of a .gz file that a browser should inflate (Content-Encoding: gzip); any other
.gz (an archive to download) keeps application/gzip."""
_FRESH = ("text/html", "application/xml", "application/atom+xml", "application/rss+xml",
          "application/json", "application/manifest+json", "text/plain")


def object_headers(rel: str) -> dict[str, str]:
    """ContentType, CacheControl and, for gzipped text, ContentEncoding (boto3's names) for REL."""
    path = PurePosixPath(rel)
    headers = {"ContentType": content_type(path)}
    if path.suffix.lower() == ".gz" and path.with_suffix("").suffix.lower() in _INFLATE:
        headers = {"ContentType": content_type(path.with_suffix("")), "ContentEncoding": "gzip"}
    kind = headers["ContentType"].split(";")[0]
    if _DIGEST.search(path.name):
        headers["CacheControl"] = FOREVER
    elif kind in _FRESH or path.suffix.lower() in (".bin", ".gz") or not path.suffix:
        headers["CacheControl"] = REVALIDATE  # search index files change with every build
    elif kind.startswith(("image/", "font/", "audio/", "video/")):
        headers["CacheControl"] = MEDIA
    else:
        headers["CacheControl"] = ASSETS
    return headers
