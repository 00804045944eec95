"""The preview's strict request reading: heads, Host names (DNS rebinding), Range positions."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.errors import FrontMatterError
from generator.serve.problems import Relativizer, preview_labels
from generator.serve.request import UNSATISFIABLE, BadRequest, byte_range, host_allowed, parse_head

HEADS = [  # raw head → (method, target, keep-alive) or the status of the refusal
    (b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n", ("GET", "/", True)),
    (b"GET /a HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", ("GET", "/a", False)),
    (b"\r\nHEAD /a?b=1 HTTP/1.0\r\n\r\n", ("HEAD", "/a?b=1", False)),
    (b"GET / HTTP/1.1\r\n\r\n", 400),  # HTTP/1.1 needs Host
    (b"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400),
    (b"GET / HTTP/2.0\r\nHost: a\r\n\r\n", 505),
    (b"GET / FTP/1.0\r\n\r\n", 400),
    (b"GET  / HTTP/1.1\r\nHost: a\r\n\r\n", 400),
    (b"GET /a\nLocation: x HTTP/1.1\r\nHost: a\r\n\r\n", 400),  # no header injection via target
    (b"GET /a\x00b HTTP/1.0\r\n\r\n", 400),
    (b"GET / HTTP/1.1\r\nHost: a\r\n folded\r\n\r\n", 400),
    (b"GET / HTTP/1.1\r\nHost: a\r\nBad Name: 1\r\n\r\n", 400),
    (b"GET / HTTP/1.1\r\nHost: a\r\nX: a\x00b\r\n\r\n", 400),
    (b"GET / HTTP/1.1\r\nHost: a\r\n" + b"X: 1\r\n" * 101 + b"\r\n", 431),
    (b"GET /" + b"a" * 40000 + b" HTTP/1.0\r\n\r\n", 431),
]


@pytest.mark.parametrize(("head", "expected"), HEADS, ids=[repr(h[:40]) for h, _ in HEADS])
def test_request_heads_are_read_strictly(head: bytes, expected: object) -> None:
    if isinstance(expected, int):
        with pytest.raises(BadRequest) as caught:
            parse_head(head)
        assert caught.value.status == expected
    else:
        request = parse_head(head)
        assert (request.method, request.target, request.keep_alive) == expected


def test_a_request_with_a_body_is_noticed() -> None:
    assert parse_head(b"GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\n").has_body
    assert not parse_head(b"GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n").has_body


HOSTS = [  # Host header, bound host → allowed (server port 8000)
    (None, "127.0.0.1", True),
    ("127.0.0.1:8000", "127.0.0.1", True), ("127.0.0.1", "127.0.0.1", True),
    ("localhost:8000", "127.0.0.1", True), ("LOCALHOST.", "127.0.0.1", True),
    ("preview.localhost:8000", "127.0.0.1", True), ("[::1]:8000", "127.0.0.1", True),
    ("127.0.0.2:8000", "127.0.0.1", True),  # loopback
    ("[::1]:8000", "::1", True), ("myhost.lan:8000", "myhost.lan", True),
    ("192.168.1.5:8000", "0.0.0.0", True), ("[fe80::1]:8000", "::", True),  # LAN, bound to all
    ("evil.example:8000", "127.0.0.1", False), ("evil.example", "0.0.0.0", False),  # rebinding
    ("127.0.0.1:8001", "127.0.0.1", False), ("localhost:80", "127.0.0.1", False),
    ("192.168.1.5:8000", "127.0.0.1", False), ("localhost.evil.example", "127.0.0.1", False),
    ("", "127.0.0.1", False), ("127.0.0.1:8000:1", "127.0.0.1", False),
    ("[evil.example]:8000", "127.0.0.1", False), ("[127.0.0.1]:8000", "127.0.0.1", False),
    ("user@localhost", "127.0.0.1", False), ("127.0.0.1:99999999", "127.0.0.1", False),
]


@pytest.mark.parametrize(("header", "bound", "allowed"), HOSTS, ids=[repr(h) for h in HOSTS])
def test_host_is_limited_to_the_bound_address_and_localhost(header: str | None, bound: str,
                                                            allowed: bool) -> None:
    assert host_allowed(header, bound, 8000) is allowed


HUGE = "9" * 5000
RANGES = [  # header, size → range
    ("bytes=0-3", 20, (0, 4)), ("bytes=5-", 20, (5, 20)), ("bytes=-5", 20, (15, 20)),
    ("BYTES=0-0", 20, (0, 1)), ("bytes= 0-3 ", 20, (0, 4)), ("bytes=15-99", 20, (15, 20)),
    ("bytes=20-", 20, UNSATISFIABLE), ("bytes=-0", 20, UNSATISFIABLE), ("bytes=0-", 0, UNSATISFIABLE),
    (f"bytes={HUGE}-", 20, UNSATISFIABLE), (f"bytes={HUGE}-{HUGE}", 20, UNSATISFIABLE),
    (f"bytes=0-{HUGE}", 20, (0, 20)), (f"bytes=-{HUGE}", 20, (0, 20)),
    ("bytes=" + "0" * 5000 + "5-", 20, (5, 20)),
    ("bytes=0-1,4-5", 20, None), ("items=0-3", 20, None), (None, 20, None), ("", 20, None),
    ("bytes=5-2", 20, UNSATISFIABLE), ("bytes=-", 20, UNSATISFIABLE), ("bytes=a-b", 20, UNSATISFIABLE),
    ("bytes=١-٣", 20, UNSATISFIABLE), ("bytes=0x10-", 20, UNSATISFIABLE),
    ("bytes=+1-2", 20, UNSATISFIABLE), ("bytes=1e3-", 20, UNSATISFIABLE), ("bytes=", 20, UNSATISFIABLE),
    ("bytes=0-1,x", 20, UNSATISFIABLE), ("bytes=0-1,,", 20, UNSATISFIABLE),
    ("bytes=" + ",".join(["0-1"] * 1000), 20, None), ("bytes=0-1\n", 20, UNSATISFIABLE),
]


@pytest.mark.parametrize(("header", "size", "expected"), RANGES, ids=[repr(r[0])[:30] for r in RANGES])
def test_byte_ranges_are_parsed_strictly(header: str | None, size: int, expected: object) -> None:
    assert byte_range(header, size) == expected


def test_problems_name_files_relative_to_the_site_never_absolute(tmp_path: Path) -> None:
    site, out = tmp_path / "site", tmp_path / "tmp" / "preview"
    theme = tmp_path / "pkg" / "themes" / "default"
    rel = Relativizer(preview_labels(site, out, [("default", theme)]))
    problem = rel.problem(FrontMatterError(f"cannot read {site}/content/a.md", site / "content/a.md",
                                           3, hint=f"see {out}/x"))
    assert str(problem) == "content/a.md:3: cannot read content/a.md (hint: see (preview output)/x)"
    jinja_like = SyntaxError("Expected an expression")
    jinja_like.filename, jinja_like.lineno = str(theme / "templates/base.html"), 7
    assert rel.problem(jinja_like).where == "(theme default)/templates/base.html:7"
    elsewhere = rel.problem(OSError(2, "No such file", "/somewhere/else/secret.txt"))
    assert elsewhere.file == "secret.txt" and "/somewhere" not in str(elsewhere)
    assert "…/secret.txt" in elsewhere.message
    url = rel.problem(ValueError("bad link https://example.org/a/b/ in ./x/y and ~/z/w"))
    assert "https://example.org/a/b/ in ./x/y and ~/z/w" in url.message
