"""The preview server's limits over real sockets on 127.0.0.1: hostile Range, Host, idle and slow
clients, oversized heads, keep-alive, the reload-stream budget, the connection cap."""

from __future__ import annotations

import io
import socket
import threading
import time
from pathlib import Path
from typing import Iterator

import pytest

from generator.serve import PreviewServer
from generator.serve.connections import Limits
from tests.e2e.test_serve import raw_get, write_fixture_output


def serve_fixture(tmp_path: Path, limits: Limits = Limits()) -> PreviewServer:
    out = tmp_path / "out"

    def builder() -> None:
        out.mkdir(exist_ok=True)
        write_fixture_output(out)

    server = PreviewServer(builder, out, stream=io.StringIO(), limits=limits, site_dir=tmp_path)
    server.start()
    server.rebuild()
    return server


@pytest.fixture()
def served(tmp_path: Path) -> Iterator[PreviewServer]:
    server = serve_fixture(tmp_path, Limits(head_timeout=1.0))
    yield server
    server.stop()


def exchange(port: int, data: bytes, timeout: float = 10) -> bytes:
    """Send DATA and read until the server closes the connection."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as conn:
        conn.sendall(data)
        received = b""
        while chunk := conn.recv(65536):
            received += chunk
    return received


def status_of(response: bytes) -> int:
    return int(response.split(b" ", 2)[1])


def test_a_range_of_5000_digits_is_a_416_without_a_traceback(served: PreviewServer) -> None:
    status, headers, body = raw_get(served.port, "/css/site.css", extra=f"Range: bytes={'9' * 5000}-\r\n")
    assert (status, body, headers["content-range"]) == (416, b"", "bytes */20")
    status, _, body = raw_get(served.port, "/css/site.css", extra=f"Range: bytes=0-{'9' * 5000}\r\n")
    assert (status, body) == (206, b"body { color: #333 }")
    assert "Traceback" not in served.stream.getvalue()
    assert raw_get(served.port, "/css/site.css")[0] == 200  # the server lives on


REBINDING = ["evil.example", "evil.example:{port}", "127.0.0.1.nip.io:{port}", "localhost:1",
             "attacker.localhost.evil.example:{port}"]


@pytest.mark.parametrize("host", REBINDING)
def test_a_foreign_host_name_is_refused_everywhere(served: PreviewServer, host: str) -> None:
    """A DNS-rebinding page reaches 127.0.0.1 under its own name: nothing is answered to it."""
    for target in ("/", "/css/site.css", "/__wenji__/status", "/__wenji__/events"):
        response = exchange(served.port, f"GET {target} HTTP/1.1\r\nHost: "
                            f"{host.format(port=served.port)}\r\n\r\n".encode())
        assert status_of(response) == 421
        assert b"epoch" not in response and b"color" not in response


@pytest.mark.parametrize("host", ["127.0.0.1:{port}", "localhost:{port}", "[::1]:{port}",
                                  "localhost", "127.0.0.1"])
def test_local_host_names_are_served(served: PreviewServer, host: str) -> None:
    response = exchange(served.port, f"GET /__wenji__/status HTTP/1.1\r\nHost: "
                        f"{host.format(port=served.port)}\r\nConnection: close\r\n\r\n".encode())
    assert status_of(response) == 200 and b'"epoch": 1' in response


def test_status_shows_no_absolute_path(tmp_path: Path) -> None:
    def broken() -> None:
        raise OSError(2, "No such file or directory", str(tmp_path / "site" / "content" / "a.md"))

    with PreviewServer(broken, tmp_path / "out", stream=io.StringIO(),
                       site_dir=tmp_path / "site") as server:
        server.rebuild()
        _, _, body = raw_get(server.port, "/__wenji__/status")
        _, _, page = raw_get(server.port, "/")
    assert b"content/a.md" in body and str(tmp_path).encode() not in body
    assert b"content/a.md" in page and str(tmp_path).encode() not in page


@pytest.mark.parametrize(("request_bytes", "status"), [
    (b"GET /" + b"a" * 40000 + b" HTTP/1.1\r\nHost: localhost\r\n\r\n", 431),
    (b"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 3\r\n\r\nabc", 405),
    (b"GET / HTTP/1.1\r\n\r\n", 400),
    (b"GARBAGE\r\n\r\n", 400),
])
def test_bad_requests_get_a_status_not_a_hang(served: PreviewServer, request_bytes: bytes,
                                              status: int) -> None:
    assert status_of(exchange(served.port, request_bytes)) == status


def test_keep_alive_serves_several_requests_on_one_connection(served: PreviewServer) -> None:
    with socket.create_connection(("127.0.0.1", served.port), timeout=10) as conn:
        conn.sendall(b"GET /css/site.css HTTP/1.1\r\nHost: localhost\r\n\r\n")
        first = conn.recv(65536)
        conn.sendall(b"HEAD /robots.txt HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        second = b""
        while chunk := conn.recv(65536):
            second += chunk
    assert status_of(first) == 200 and first.endswith(b"body { color: #333 }")
    assert status_of(second) == 200 and second.endswith(b"\r\n\r\n")


def test_idle_and_slow_sockets_hold_no_thread_and_are_closed(served: PreviewServer) -> None:
    """200 idle connections used to hold 200 threads for ever; now they cost a socket until the
    request-head time (1 s here) runs out."""
    threads = threading.active_count()
    socks = [socket.create_connection(("127.0.0.1", served.port), timeout=10) for _ in range(200)]
    try:
        for n, sock in enumerate(socks):
            if n % 2:
                sock.sendall(b"GET / HTTP/1.1\r\nHost: local")  # a head that never ends
        assert raw_get(served.port, "/css/site.css")[0] == 200
        assert threading.active_count() <= threads + Limits().workers
        started = time.monotonic()
        for sock in socks:
            assert sock.recv(1) == b""  # closed by the server
        assert time.monotonic() - started < 5
    finally:
        for sock in socks:
            sock.close()


def test_past_the_connection_cap_the_longest_waiting_socket_is_dropped(tmp_path: Path) -> None:
    server = serve_fixture(tmp_path, Limits(connections=20))
    socks = [socket.create_connection(("127.0.0.1", server.port), timeout=10) for _ in range(40)]
    try:
        time.sleep(0.2)
        assert raw_get(server.port, "/css/site.css")[0] == 200
        assert socks[0].recv(1) == b""  # the oldest idle one made room
    finally:
        for sock in socks:
            sock.close()
        server.stop()


def open_stream(port: int) -> tuple[socket.socket, int]:
    """Open a reload stream; return the socket and the status of the answer."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    sock.sendall(b"GET /__wenji__/events HTTP/1.1\r\nHost: localhost\r\n\r\n")
    head = b""
    while b"\r\n\r\n" not in head and (chunk := sock.recv(4096)):
        head += chunk
    return sock, status_of(head)


def test_reload_streams_have_their_own_budget(tmp_path: Path) -> None:
    server = serve_fixture(tmp_path, Limits(streams=2))
    streams = [open_stream(server.port)[0] for _ in range(2)]
    try:
        extra, status = open_stream(server.port)
        extra.close()
        assert status == 503
        assert raw_get(server.port, "/css/site.css")[0] == 200  # pages are not in that budget
        streams.pop().close()  # a tab closes: its place is free again (no wait for a keepalive)
        deadline = time.monotonic() + 3
        while True:
            sock, status = open_stream(server.port)
            streams.append(sock)
            if status == 200:
                break
            assert time.monotonic() < deadline, "the closed stream's place was never freed"
            time.sleep(0.1)
    finally:
        for sock in streams:
            sock.close()
        server.stop()


def test_reload_streams_outlive_the_request_time_limit(tmp_path: Path) -> None:
    """Streams are long-lived by design: the 1 s limit on request heads never cuts them."""
    server = serve_fixture(tmp_path, Limits(head_timeout=1.0, keepalive=0.3))
    sock, status = open_stream(server.port)
    try:
        assert status == 200
        time.sleep(1.5)
        server.rebuild()
        received = b""
        deadline = time.monotonic() + 5
        while b"data: 2" not in received:
            assert time.monotonic() < deadline
            received += sock.recv(4096)
        assert b": idle" in received  # keep-alive comments meanwhile
    finally:
        sock.close()
        server.stop()


def test_stop_is_prompt_with_streams_and_sockets_open(tmp_path: Path) -> None:
    server = serve_fixture(tmp_path)
    stream = socket.create_connection(("127.0.0.1", server.port), timeout=10)
    stream.sendall(b"GET /__wenji__/events HTTP/1.1\r\nHost: localhost\r\n\r\n")
    stream.recv(4096)
    idle = socket.create_connection(("127.0.0.1", server.port), timeout=10)
    started = time.monotonic()
    server.stop()
    assert time.monotonic() - started < 3
    assert stream.recv(4096) == b"" and idle.recv(1) == b""
    stream.close()
    idle.close()
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", server.port), timeout=2)
