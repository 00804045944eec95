"""Strict reading of what a preview client sends: the request head, its Host and its Range.

Everything here is a pure function of bytes or strings, so each rule has a table test.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field

from generator.hosts import WILDCARDS, is_loopback

MAX_HEAD = 32 * 1024
"""Bytes allowed for a request line plus headers (a browser sends well under 8 KiB)."""
MAX_HEADERS = 100

_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_VERSION = re.compile(r"HTTP/1\.[01]")
_CONTROL = re.compile(r"[\x00-\x20\x7f]")


class BadRequest(Exception):
    """The request head cannot be served; STATUS is the answer (400, 405, 421, 505…)."""

    def __init__(self, status: int, reason: str):
        super().__init__(reason)
        self.status = status


@dataclass(frozen=True)
class Request:
    method: str
    target: str
    version: str
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def keep_alive(self) -> bool:
        """HTTP/1.1 keeps the connection unless told to close; HTTP/1.0 closes it."""
        tokens = {t.strip().lower() for t in self.headers.get("connection", "").split(",")}
        return self.version == "HTTP/1.1" and "close" not in tokens

    @property
    def has_body(self) -> bool:
        return "transfer-encoding" in self.headers or \
            self.headers.get("content-length", "0").strip() not in ("", "0")


def parse_head(head: bytes) -> Request:
    """Parse a request line and headers (ending in a blank line), refusing anything loose."""
    if len(head) > MAX_HEAD:
        raise BadRequest(431, "request head too large")
    lines = head.decode("latin-1").split("\r\n")
    while lines and lines[-1] == "":
        lines.pop()
    while lines and lines[0] == "":  # RFC 9112 2.2: ignore empty lines before the request line
        lines.pop(0)
    if not lines:
        raise BadRequest(400, "empty request")
    parts = lines[0].split(" ")
    if len(parts) != 3 or not _TOKEN.fullmatch(parts[0]) or not parts[1]:
        raise BadRequest(400, "malformed request line")
    method, target, version = parts
    if _CONTROL.search(target):
        raise BadRequest(400, "control character in the request target")
    if not _VERSION.fullmatch(version):
        raise BadRequest(505 if version.startswith("HTTP/") else 400, "unsupported HTTP version")
    if len(lines) - 1 > MAX_HEADERS:
        raise BadRequest(431, "too many header fields")
    headers: dict[str, str] = {}
    for line in lines[1:]:
        name, colon, value = line.partition(":")
        if not colon or not _TOKEN.fullmatch(name):  # also refuses obsolete line folding
            raise BadRequest(400, "malformed header field")
        if _CONTROL.search(value.replace("\t", " ").replace(" ", "")):
            raise BadRequest(400, "control character in a header field")
        name = name.lower()
        if name == "host" and name in headers:
            raise BadRequest(400, "more than one Host header")
        value = value.strip(" \t")
        headers[name] = f"{headers[name]}, {value}" if name in headers else value
    if version == "HTTP/1.1" and "host" not in headers:
        raise BadRequest(400, "HTTP/1.1 request without Host")
    return Request(method, target, version, headers)


_HOST = re.compile(r"(?:\[(?P<v6>[0-9A-Fa-f:.]+)\]|(?P<name>[^:\[\]]+))(?::(?P<port>\d{1,5}))?")


def _ip(name: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(name)
    except ValueError:
        return None


def host_allowed(header: str | None, bound_host: str, port: int) -> bool:
    """Tell whether a Host header names this preview (a DNS-rebinding page's name never does).

    Allowed: localhost names (and `*.localhost`), loopback addresses, the bound host; when bound
    to every interface, any IP address too (phones on the LAN), never a domain name. A port, if
    given, must be the bound one. No header (HTTP/1.0) is allowed.
    """
    if header is None:
        return True
    m = _HOST.fullmatch(header.strip())
    if m is None or (m.group("port") and int(m.group("port")) != port):
        return False
    name = (m.group("v6") or m.group("name")).lower().rstrip(".")
    bound = bound_host.strip("[]").lower().rstrip(".")
    ip = _ip(name)
    if m.group("v6") and not isinstance(ip, ipaddress.IPv6Address):
        return False
    if is_loopback(name) or name == bound:
        return True
    return ip is not None and bound in WILDCARDS


UNSATISFIABLE = (-1, -1)
_UNIT = re.compile(r"[ \t]*bytes[ \t]*=(.*)", re.IGNORECASE | re.ASCII | re.DOTALL)
_SPEC = re.compile(r"[ \t]*([0-9]*)-([0-9]*)[ \t]*", re.ASCII)
_HUGE = 10 ** 18
"""Stands for any position of more than 18 digits: beyond every file this server sends."""


def _position(digits: str) -> int:
    digits = digits.lstrip("0") or "0"
    return int(digits) if len(digits) <= 18 else _HUGE


def _valid(spec: re.Match[str] | None) -> bool:
    """A range-spec of RFC 9110 14.1.1: first-last with last ≥ first, first-, or -suffix."""
    if spec is None or spec.group(1) == spec.group(2) == "":
        return False
    first, last = spec.groups()
    return first == "" or last == "" or _position(last) >= _position(first)


def byte_range(header: str | None, size: int) -> tuple[int, int] | None:
    """[start, end) of a file of SIZE bytes that a Range HEADER asks for (one range only).

    None means: send the whole file (no header, another unit, or several valid ranges, which a
    server may answer whole); UNSATISFIABLE means a 416 answer: a bytes range that is not a
    range (`bytes=abc`, `bytes=5-2`) or starts beyond the file. Positions of any length are read
    without converting thousands of digits.
    """
    unit = _UNIT.fullmatch(header) if header else None
    if unit is None:
        return None
    specs = [_SPEC.fullmatch(part) for part in unit.group(1).split(",")]
    if not all(_valid(spec) for spec in specs):
        return UNSATISFIABLE
    if len(specs) > 1:
        return None
    first, last = specs[0].groups()  # type: ignore[union-attr]
    if first == "":  # the last N bytes
        suffix = _position(last)
        return (max(0, size - suffix), size) if suffix > 0 and size > 0 else UNSATISFIABLE
    start = _position(first)
    end = size if last == "" else min(size, _position(last) + 1)
    return (start, end) if start < size else UNSATISFIABLE
