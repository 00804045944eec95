"""The preview's HTTP connections: one asyncio loop, a bounded worker pool, timeouts, a stream budget.

Waiting for a request costs a socket, never a thread: idle and slow ("slowloris") clients sit in
the event loop until their request head arrives or its time runs out, and past the connection
limit the longest-waiting one is dropped. Only a complete request reaches the worker pool (site
files wait out builds there). Live-reload streams are long-lived by design and have their own
budget; they cost no thread either.
"""

from __future__ import annotations

import asyncio
import dataclasses
import socket
import threading
import traceback
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from email.utils import formatdate
from http import HTTPStatus
from typing import IO
from urllib.parse import urlsplit

from generator.serve.panel import EVENTS_URL, RESERVED
from generator.serve.request import MAX_HEAD, BadRequest, Request, host_allowed, parse_head
from generator.serve.responses import Response, Site, reserved_response, site_response, text

BACKLOG = 1024
"""Pending connections the kernel keeps (200 clients opening at once must not be dropped)."""


@dataclass(frozen=True)
class Limits:
    workers: int = 8
    """Threads answering site requests (reading files, waiting out a build)."""
    connections: int = 1024
    """Open connections; past it the connection waiting longest for a request is dropped."""
    streams: int = 64
    """Live-reload streams (one per open preview tab)."""
    head_timeout: float = 10.0
    """Seconds a connection may take to send a request head (idle keep-alive time included)."""
    write_timeout: float = 30.0
    """Seconds a client may take to accept a response."""
    keepalive: float = 15.0
    """Seconds between comment lines on an idle reload stream."""


_METHODS = ("GET", "HEAD")
_STREAM_HEAD = (b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\n"
                b"Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\n"
                b"Connection: close\r\n\r\nretry: 1000\n\n")


def open_files_limit() -> int:
    """This process's soft limit on open files (descriptors), or a large number if unlimited."""
    try:
        import resource
    except ImportError:  # not a Unix
        return 1 << 20
    soft = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    return 1 << 20 if soft == resource.RLIM_INFINITY else soft


def raise_open_files_limit(wanted: int) -> None:
    """Raise the soft limit on open files towards WANTED, as far as the hard limit allows."""
    try:
        import resource
    except ImportError:  # not a Unix
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and soft < wanted:
        target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        except (ValueError, OSError):
            pass


def listen(host: str, port: int) -> socket.socket:
    """Bind HOST:PORT with a deep backlog (an OSError tells why it cannot)."""
    if host == "::" and socket.has_dualstack_ipv6():
        return socket.create_server((host, port), family=socket.AF_INET6, backlog=BACKLOG,
                                    dualstack_ipv6=True)
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    return socket.create_server((host, port), family=family, backlog=BACKLOG)


class HTTPService:
    """Serve SITE on a bound socket from an event loop in a background thread."""

    def __init__(self, site: Site, sock: socket.socket, host: str, *, limits: Limits = Limits(),
                 stream: IO[str] | None = None):
        self.site = site
        self.sock = sock
        self.host = host
        self.port: int = sock.getsockname()[1]
        # never let sockets run the process out of descriptors (watchdog and builds need some)
        cap = max(16, open_files_limit() - 256)
        self.limits = dataclasses.replace(limits, connections=min(limits.connections, cap))
        self.stream = stream
        self._loop = asyncio.new_event_loop()
        self._pool = ThreadPoolExecutor(limits.workers, thread_name_prefix="wenji-http")
        self._thread = threading.Thread(target=self._loop.run_forever, name="wenji-http-loop",
                                        daemon=True)
        self._open: set[asyncio.StreamWriter] = set()
        self._waiting: OrderedDict[asyncio.StreamWriter, None] = OrderedDict()
        self._streams = 0
        self._changed: asyncio.Event | None = None
        self._server: asyncio.AbstractServer | None = None

    def start(self) -> None:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._start(), self._loop).result(10)
        self.site.state.listen(self._state_changed)

    def stop(self) -> None:
        """Stop accepting, drop every connection, stop the loop and the workers."""
        if self._loop.is_closed():
            return
        try:
            asyncio.run_coroutine_threadsafe(self._stop(), self._loop).result(10)
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(10)
            self._pool.shutdown(wait=False, cancel_futures=True)
            if not self._thread.is_alive():
                self._loop.close()

    async def _start(self) -> None:
        self._changed = asyncio.Event()
        self._server = await asyncio.start_server(self._client, sock=self.sock, backlog=BACKLOG,
                                                  limit=MAX_HEAD)

    async def _stop(self) -> None:
        if self._server is not None:
            self._server.close()
        for writer in list(self._open):
            writer.transport.abort()
        self._wake()
        tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    def _state_changed(self) -> None:
        """Called from the building thread after each build: wake the reload streams."""
        try:
            self._loop.call_soon_threadsafe(self._wake)
        except RuntimeError:  # the loop is already closed
            pass

    def _wake(self) -> None:
        if self._changed is not None:
            self._changed.set()
            self._changed = asyncio.Event()

    # ------------------------------------------------------------------ one connection

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if len(self._open) >= self.limits.connections and self._waiting:
            oldest = next(iter(self._waiting))
            self._waiting.pop(oldest)
            oldest.transport.abort()
        self._open.add(writer)
        try:
            if len(self._open) > self.limits.connections:
                await self._send(writer, text(503, "Too many connections", {"Retry-After": "1"}))
                return
            while await self._one_request(reader, writer):
                pass
        except (ConnectionError, asyncio.TimeoutError, asyncio.CancelledError):
            pass
        except Exception:  # a bug must not pass silently, nor take the server down
            if self.stream is not None:
                traceback.print_exc(file=self.stream)
        finally:
            self._open.discard(writer)
            self._waiting.pop(writer, None)
            writer.transport.abort()

    async def _one_request(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> bool:
        """Read and answer one request; return whether the connection stays open for another."""
        self._waiting[writer] = None
        try:
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), self.limits.head_timeout)
        except (asyncio.IncompleteReadError, asyncio.TimeoutError):
            return False  # hung up, idle too long, or too slow to send a request
        except asyncio.LimitOverrunError:
            await self._send(writer, text(431, "Request Header Fields Too Large"))
            return False
        finally:
            self._waiting.pop(writer, None)
        try:
            request = self._accept(parse_head(head))
        except BadRequest as exc:
            headers = {"Allow": ", ".join(_METHODS)} if exc.status == 405 else {}
            await self._send(writer, text(exc.status, str(exc), headers))
            return False
        path = urlsplit(request.target).path
        if path == EVENTS_URL and request.method == "GET":
            await self._stream_events(reader, writer)
            return False
        if path.startswith(RESERVED):
            response = reserved_response(self.site.state, request.target)
        else:
            response = await asyncio.get_running_loop().run_in_executor(
                self._pool, site_response, self.site, request.target, request.headers.get("range"))
        keep = request.keep_alive and not request.has_body
        await self._send(writer, response, head=request.method == "HEAD", keep_alive=keep)
        return keep

    def _accept(self, request: Request) -> Request:
        """Refuse a request for another host name (DNS rebinding) or with a method we don't serve."""
        if not host_allowed(request.headers.get("host"), self.host, self.port):
            raise BadRequest(421, "this preview only answers to localhost and its own address")
        if request.method not in _METHODS:
            raise BadRequest(405, "Method Not Allowed")
        return request

    async def _send(self, writer: asyncio.StreamWriter, response: Response, *, head: bool = False,
                    keep_alive: bool = False) -> None:
        lines = [f"HTTP/1.1 {response.status} {HTTPStatus(response.status).phrase}",
                 f"Content-Type: {response.ctype}", f"Content-Length: {len(response.body)}",
                 "Cache-Control: no-store", "X-Content-Type-Options: nosniff",
                 "Server: wenji-serve", f"Date: {formatdate(usegmt=True)}",
                 f"Connection: {'keep-alive' if keep_alive else 'close'}"]
        lines += [f"{name}: {value}" for name, value in response.headers.items()]
        data = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
        writer.write(data if head else data + response.body)
        await asyncio.wait_for(writer.drain(), self.limits.write_timeout)

    async def _stream_events(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        """Send the build epoch now and after every build, as server-sent events, until hang-up."""
        if self._streams >= self.limits.streams:
            await self._send(writer, text(503, "Too many live-reload streams", {"Retry-After": "5"}))
            return
        self._streams += 1
        state = self.site.state
        hangup = asyncio.ensure_future(reader.read(1))  # a reload client sends nothing more
        try:
            writer.write(_STREAM_HEAD)
            seen = -1
            while not state.closed and not hangup.done():
                changed = self._changed
                epoch = state.epoch
                writer.write(f"event: epoch\ndata: {epoch}\n\n".encode() if epoch != seen
                             else b": idle\n\n")
                await asyncio.wait_for(writer.drain(), self.limits.write_timeout)
                seen = epoch
                if state.epoch == seen and changed is not None:
                    waiter = asyncio.ensure_future(changed.wait())
                    await asyncio.wait({waiter, hangup}, timeout=self.limits.keepalive,
                                       return_when=asyncio.FIRST_COMPLETED)
                    waiter.cancel()
        finally:
            hangup.cancel()
            self._streams -= 1
