"""Download one remote image: browser-like headers, timeouts, retries with backoff, a size cap,
a content-type check and a check of the bytes themselves. Standard library only (urllib).

WeChat's image hosts (mmbiz.qpic.cn and kin) refuse hot-linking by the Referer header: a request
whose Referer names another site gets a grey "此图片来自微信公众平台 未经允许不可引用" picture
instead of the image (with status 200). A request with no Referer gets the real image, so none is
sent; the User-Agent is a desktop browser's, as some hosts answer non-browser agents with 403.
"""

from __future__ import annotations

import html
import http.client
import socket
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from generator.clean.images import image_type

USER_AGENT = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
              "Chrome/124.0 Safari/537.36")
HEADERS = {"User-Agent": USER_AGENT, "Accept": "image/avif,image/webp,image/apng,image/*;q=0.8",
           "Accept-Language": "zh-CN,zh;q=0.9,en;q=0.8"}
_CHUNK = 64 * 1024


class FetchFailed(Exception):
    """An image could not be downloaded; the message is the short reason shown to the user."""


@dataclass(frozen=True)
class Settings:
    timeout: float = 20.0
    """Seconds to wait for the connection and for each read."""
    max_bytes: int = 20 * 2**20
    retries: int = 2
    """Further attempts after a timeout, a dropped connection or a 5xx answer."""
    backoff: float = 1.0
    """Seconds before the first retry; doubled for each next one."""
    workers: int = 4


def _opener() -> urllib.request.OpenerDirector:
    """http(s) only, redirects included (a redirect to file: or ftp: fails as an unknown type)."""
    opener = urllib.request.OpenerDirector()
    for handler in (urllib.request.ProxyHandler(), urllib.request.HTTPHandler(),
                    urllib.request.HTTPSHandler(), urllib.request.HTTPRedirectHandler(),
                    urllib.request.HTTPDefaultErrorHandler(), urllib.request.HTTPErrorProcessor()):
        opener.add_handler(handler)
    return opener


def request_url(written: str) -> str | None:
    """The URL to request for an image link as written in Markdown; None unless http(s)."""
    url = html.unescape(written.strip().strip("<>"))
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return quote(url, safe="!#$%&'()*+,-./:;=?@[]^_`{|}~")


def download(url: str, settings: Settings) -> tuple[bytes, str]:
    """(bytes, file extension) of the raster image at URL, or FetchFailed with the reason."""
    attempt = 0
    while True:
        try:
            return _once(url, settings)
        except _Transient as exc:
            if attempt >= settings.retries:
                raise FetchFailed(str(exc)) from None
            time.sleep(settings.backoff * 2 ** attempt)
            attempt += 1


class _Transient(Exception):
    """Worth another try: a timeout, a dropped connection, a 5xx or 429 answer."""


def _once(url: str, settings: Settings) -> tuple[bytes, str]:
    req = urllib.request.Request(url, headers=HEADERS)
    try:
        with _opener().open(req, timeout=settings.timeout) as resp:
            kind = (resp.headers.get_content_type() or "").lower()
            if not kind.startswith("image/"):
                raise FetchFailed(f"not an image ({kind or 'no content type'})")
            length = resp.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > settings.max_bytes:
                raise FetchFailed(f"too large ({_mb(int(length))}; limit {_mb(settings.max_bytes)})")
            data = _read(resp, settings.max_bytes)
            if length and length.isdigit() and len(data) < int(length):
                raise _Transient(f"connection closed after {len(data)} of {length} bytes")
    except urllib.error.HTTPError as exc:
        if exc.code >= 500 or exc.code == 429:
            raise _Transient(f"HTTP {exc.code}") from None
        raise FetchFailed(f"HTTP {exc.code}") from None
    except (TimeoutError, socket.timeout):
        raise _Transient("timed out") from None
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, (TimeoutError, socket.timeout)):
            raise _Transient("timed out") from None
        if isinstance(exc.reason, OSError):
            raise _Transient(f"cannot connect: {getattr(exc.reason, 'strerror', None) or exc.reason}") from None
        raise FetchFailed(str(exc.reason)) from None
    except http.client.HTTPException as exc:
        raise _Transient(f"broken answer: {type(exc).__name__}") from None
    except OSError as exc:
        raise _Transient(f"connection failed: {exc}") from None
    except ValueError as exc:
        raise FetchFailed(f"bad URL: {exc}") from None
    ext = image_type(data)
    if ext is None:
        raise FetchFailed(f"not a raster image ({kind}, {len(data)} bytes)")
    return data, ext


def _read(resp, limit: int) -> bytes:
    chunks, size = [], 0
    while True:
        chunk = resp.read(_CHUNK)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > limit:
            raise FetchFailed(f"too large (over {_mb(limit)})")
        chunks.append(chunk)


def _mb(n: int) -> str:
    return f"{n / 2**20:.1f} MB"
