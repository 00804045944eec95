"""wenji serve over real HTTP on 127.0.0.1: types, traversal refusals, 404, live rebuilds, errors."""

from __future__ import annotations

import json
import queue
import socket
import threading
import time
from pathlib import Path
from typing import Callable, Iterator

import pytest

from generator.config import load_config
from generator.errors import GeneratorError
from generator.serve import PreviewServer, serve

PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")

# ---------------------------------------------------------------- HTTP helpers


def raw_get(port: int, target: str, method: str = "GET",
            extra: str = "") -> tuple[int, dict[str, str], bytes]:
    """Send TARGET byte for byte (no client-side normalisation) and return status, headers, body."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
        conn.sendall(f"{method} {target} HTTP/1.0\r\nHost: 127.0.0.1\r\n{extra}\r\n"
                     .encode("latin-1"))
        data = b""
        while chunk := conn.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    return int(lines[0].split()[1]), headers, body


class EventStream:
    """Read server-sent events from the reload endpoint in a background thread."""

    def __init__(self, port: int):
        self.events: queue.Queue[str] = queue.Queue()
        self.conn = socket.create_connection(("127.0.0.1", port), timeout=30)
        self.conn.sendall(b"GET /__wenji__/events HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        data = b""
        try:
            while chunk := self.conn.recv(4096):
                data += chunk
                while b"\n\n" in data:
                    block, data = data.split(b"\n\n", 1)
                    for line in block.decode().splitlines():
                        if line.startswith("data: "):
                            self.events.put(line[6:])
        except OSError:
            pass

    def next(self, timeout: float = 10) -> str:
        return self.events.get(timeout=timeout)

    def close(self) -> None:
        self.conn.close()


def wait_for(check: Callable[[], bool], timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


# ---------------------------------------------------------------- a served folder


def write_fixture_output(root: Path) -> None:
    """Write a small finished site, as a build would."""
    files = {
        "index.html": "<!doctype html><html><body><h1>首页</h1></body></html>",
        "2020/01/a/index.html": "<!doctype html><html><body><p>文章 A</p></body></html>",
        "tags/英语启蒙/index.html": "<html><body>英语启蒙</body></html>",
        "404.html": "<!doctype html><html><body><h1>页面不存在</h1></body></html>",
        "css/site.css": "body { color: #333 }",
        "js/search.js": "console.log('搜索')",
        "search/index.json": json.dumps({"a": 1}),
        "feed.xml": "<?xml version='1.0' encoding='utf-8'?><feed/>",
        "sitemap.xml": "<?xml version='1.0' encoding='utf-8'?><urlset/>",
        "img/logo.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>",
        "robots.txt": "User-agent: *",
    }
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    (root / "img/dot.png").write_bytes(PNG)


@pytest.fixture()
def served(tmp_path: Path) -> Iterator[PreviewServer]:
    out = tmp_path / "out"
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET", encoding="utf-8")
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "secret.txt").write_text("TOP SECRET", encoding="utf-8")

    def builder() -> None:
        out.mkdir(exist_ok=True)
        write_fixture_output(out)
        (out / "leak.txt").unlink(missing_ok=True)
        (out / "leak.txt").symlink_to(secret)
        (out / "linkdir").unlink(missing_ok=True)
        (out / "linkdir").symlink_to(tmp_path / "outside", target_is_directory=True)
        (out / "inside.css").unlink(missing_ok=True)
        (out / "inside.css").symlink_to(out / "css" / "site.css")

    with PreviewServer(builder, out, stream=open_null()) as server:
        server.rebuild()
        yield server


def open_null():  # noqa: ANN201 - a text sink for terminal output
    import io

    return io.StringIO()


TYPES = [
    ("/", "text/html; charset=utf-8", "首页"),
    ("/2020/01/a/", "text/html; charset=utf-8", "文章 A"),
    ("/2020/01/a/index.html", "text/html; charset=utf-8", "文章 A"),
    ("/tags/%E8%8B%B1%E8%AF%AD%E5%90%AF%E8%92%99/", "text/html; charset=utf-8", "英语启蒙"),
    ("/css/site.css", "text/css; charset=utf-8", "color"),
    ("/js/search.js", "text/javascript; charset=utf-8", "搜索"),
    ("/search/index.json", "application/json; charset=utf-8", '"a"'),
    ("/feed.xml", "application/xml; charset=utf-8", "<feed/>"),
    ("/sitemap.xml?x=1", "application/xml; charset=utf-8", "<urlset/>"),
    ("/img/logo.svg", "image/svg+xml; charset=utf-8", "<svg"),
    ("/img/dot.png", "image/png", "PNG"),
    ("/robots.txt", "text/plain; charset=utf-8", "User-agent"),
    ("/inside.css", "text/css; charset=utf-8", "color"),
]


@pytest.mark.parametrize(("target", "ctype", "text"), TYPES, ids=[t[0] for t in TYPES])
def test_files_are_served_with_their_types(served: PreviewServer, target: str, ctype: str,
                                           text: str) -> None:
    status, headers, body = raw_get(served.port, target)
    assert status == 200
    assert headers["content-type"] == ctype
    assert text in body.decode("utf-8", "replace")
    assert int(headers["content-length"]) == len(body)


RANGES = [  # Range header → status, body of "body { color: #333 }" (20 bytes)
    ("bytes=0-3", 206, b"body"), ("bytes=5-", 206, b"{ color: #333 }"), ("bytes=-5", 206, b"333 }"),
    ("bytes=15-99", 206, b"333 }"), ("bytes=20-", 416, b""), ("bytes=-0", 416, b""),
    ("bytes=5-2", 416, b""), ("bytes=abc", 416, b""), ("bytes=0-1,4-5", 200, b"body { color: #333 }"),
    ("items=0-3", 200, b"body { color: #333 }"),
]


@pytest.mark.parametrize(("header", "status", "body"), RANGES, ids=[r[0] for r in RANGES])
def test_files_are_served_by_range(served: PreviewServer, header: str, status: int,
                                   body: bytes) -> None:
    """The search page reads excerpts with Range requests, as from a static host."""
    got_status, headers, got = raw_get(served.port, "/css/site.css", extra=f"Range: {header}\r\n")
    assert (got_status, got) == (status, body)
    if status == 206:
        start, end = header.removeprefix("bytes=").split("-")
        first = 20 - int(end) if not start else int(start)
        assert headers["content-range"] == f"bytes {first}-{first + len(body) - 1}/20"
    if status == 416:
        assert headers["content-range"] == "bytes */20"
    assert int(headers["content-length"]) == len(got)


def test_pages_are_sent_whole_with_the_reload_script(served: PreviewServer) -> None:
    status, _, body = raw_get(served.port, "/2020/01/a/", extra="Range: bytes=0-3\r\n")
    assert status == 200 and b"/__wenji__/reload.js" in body


def test_head_sends_headers_only(served: PreviewServer) -> None:
    status, headers, body = raw_get(served.port, "/css/site.css", method="HEAD")
    assert (status, body) == (200, b"")
    assert headers["content-type"].startswith("text/css")


def test_reload_script_is_injected_when_served_never_on_disk(served: PreviewServer) -> None:
    _, _, body = raw_get(served.port, "/")
    assert b'<script src="/__wenji__/reload.js" data-epoch="1"' in body
    assert body.index(b"reload.js") < body.index(b"</body>")
    assert b"reload.js" not in (served.root / "index.html").read_bytes()
    _, _, css = raw_get(served.port, "/css/site.css")
    assert b"reload" not in css
    status, headers, script = raw_get(served.port, "/__wenji__/reload.js")
    assert status == 200 and headers["content-type"].startswith("text/javascript")
    assert b"EventSource" in script


def test_directory_without_slash_redirects(served: PreviewServer) -> None:
    status, headers, _ = raw_get(served.port, "/2020/01/a?q=1")
    assert status == 301
    assert headers["location"] == "/2020/01/a/?q=1"


def test_missing_page_gets_the_theme_404(served: PreviewServer) -> None:
    status, headers, body = raw_get(served.port, "/no/such/page/")
    assert status == 404
    assert headers["content-type"] == "text/html; charset=utf-8"
    assert "页面不存在" in body.decode()
    assert b"reload.js" in body
    assert raw_get(served.port, "/__wenji__/nothing")[0] == 404


TRAVERSALS = [
    "/../secret.txt",
    "/../../../../etc/passwd",
    "/%2e%2e/secret.txt",
    "/%2E%2E/%2e%2E/secret.txt",
    "/css/%2e%2e/%2e%2e/secret.txt",
    "/..%2fsecret.txt",
    "/css/..%2F..%2Fsecret.txt",
    "/%2fetc%2fpasswd",
    "/..%5csecret.txt",
    "/..\\secret.txt",
    "/css\\..\\..\\secret.txt",
    "/secret.txt%00.html",
    "/secret.txt\x00.html",
    "//etc/passwd",
    "/etc/passwd",
    "http://127.0.0.1/../secret.txt",
    "etc/passwd",
    "/%252e%252e/secret.txt",
    "/%c0%ae%c0%ae/secret.txt",
    "/leak.txt",
    "/linkdir/secret.txt",
    "/linkdir/",
]


@pytest.mark.parametrize("target", TRAVERSALS, ids=[repr(t) for t in TRAVERSALS])
def test_paths_outside_the_output_are_refused(served: PreviewServer, target: str) -> None:
    status, _, body = raw_get(served.port, target)
    assert status in (400, 403, 404)
    assert b"SECRET" not in body
    assert b"root:" not in body


def test_builds_block_readers_so_no_half_written_page_is_served(tmp_path: Path) -> None:
    out = tmp_path / "out"
    version = [0]
    writing = threading.Event()

    def slow_builder() -> None:
        version[0] += 1
        out.mkdir(exist_ok=True)
        page = out / "index.html"
        with page.open("w", encoding="utf-8") as fh:
            fh.write(f"<html><body><p>start {version[0]}</p>")
            fh.flush()
            writing.set()
            time.sleep(0.5)
            fh.write(f"<p>end {version[0]}</p></body></html>")

    with PreviewServer(slow_builder, out, stream=open_null()) as server:
        server.rebuild()
        writing.clear()
        thread = threading.Thread(target=server.rebuild)
        thread.start()
        writing.wait(5)
        status, _, body = raw_get(server.port, "/")
        thread.join()
    assert status == 200
    assert b"start 2" in body and b"end 2" in body


def test_nothing_built_yet_shows_the_error(tmp_path: Path) -> None:
    def broken() -> None:
        raise GeneratorError("YAML error: mapping values are not allowed here", "site.yml", 2)

    with PreviewServer(broken, tmp_path / "out", stream=open_null()) as server:
        assert not server.rebuild()
        status, _, body = raw_get(server.port, "/")
    assert status == 503
    assert b"wenji-build-error" in body and b"site.yml:2" in body


# ---------------------------------------------------------------- serve() on a real site folder


def make_site(root: Path, extra: dict[str, str] | None = None) -> Path:
    """A small site folder (site.yml under a sub-path, two articles) using the bundled theme."""
    files = {
        "site.yml": "title: 测试站\nbase_url: https://example.org/archive/\n",
        "content/2020-01-02-a.md": "---\ntitle: 第一篇\ndate: 2020-01-02\nslug: a\n---\n\n原来的文字\n",
        "content/2020-01-03-b.md": "---\ntitle: 第二篇\ndate: 2020-01-03\nslug: b\n---\n\n另一篇\n",
        **(extra or {}),
    }
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return root


A_URL = "/archive/2020/01/a/"
B_URL = "/archive/2020/01/b/"


def start_serve(site: Path, stop: threading.Event) -> tuple[threading.Thread, str]:
    """Run serve() with the real build on SITE in a thread; return the thread and the site URL."""
    opened: list[str] = []
    thread = threading.Thread(target=serve, args=(load_config(site),), kwargs=dict(
        port=0, open_browser=True, stream=open_null(), stop=stop, opener=opened.append,
        debounce=0.1), daemon=True)
    thread.start()
    wait_for(lambda: bool(opened), timeout=30)
    return thread, opened[0]


@pytest.fixture()
def live(tmp_path: Path) -> Iterator[tuple[Path, int, str]]:
    """serve() on a tmp site in a thread; yield (site folder, port, opened URL)."""
    site = make_site(tmp_path / "site")
    stop = threading.Event()
    thread, url = start_serve(site, stop)
    yield site, int(url.split(":")[2].split("/")[0]), url
    stop.set()
    thread.join(10)
    assert not thread.is_alive()


def test_serve_builds_outside_the_site_and_opens_the_browser(live) -> None:  # noqa: ANN001
    site, port, url = live
    assert url == f"http://127.0.0.1:{port}/archive/"
    assert not (site / "public").exists()
    status, headers, body = raw_get(port, A_URL)
    assert status == 200 and "原来的文字" in body.decode()
    assert headers["content-type"] == "text/html; charset=utf-8"
    assert f'href="http://127.0.0.1:{port}/archive/' in body.decode()  # links point at the preview
    status, headers, _ = raw_get(port, "/archive/feed.xml")
    assert status == 200 and headers["content-type"] == "application/xml; charset=utf-8"
    assert raw_get(port, "/")[0] == 302
    assert raw_get(port, "/2020/01/a/")[0] == 404
    status, _, body = raw_get(port, "/archive/no/such/page/")
    assert status == 404 and b"reload.js" in body


def test_edit_rebuilds_and_sends_a_reload_event(live) -> None:  # noqa: ANN001
    site, port, _ = live
    stream = EventStream(port)
    first = stream.next()
    article = site / "content" / "2020-01-02-a.md"
    article.write_text(article.read_text(encoding="utf-8").replace("原来的文字", "新的文字"),
                       encoding="utf-8")
    assert int(stream.next()) > int(first)
    body = raw_get(port, A_URL)[2].decode()
    assert "新的文字" in body and "原来的文字" not in body
    stream.close()


def test_a_broken_article_is_left_out_listed_and_the_rest_stays_live(live) -> None:  # noqa: ANN001
    """One bad article costs that article only: the rest rebuilds, the panel and status list it."""
    site, port, _ = live
    stream = EventStream(port)
    stream.next()
    article = site / "content" / "2020-01-02-a.md"
    good = article.read_text(encoding="utf-8")
    other = site / "content" / "2020-01-03-b.md"
    article.write_text(good.replace("title: 第一篇", "title: [坏的\n"), encoding="utf-8")
    other.write_text(other.read_text(encoding="utf-8").replace("另一篇", "另一篇改了"),
                     encoding="utf-8")
    stream.next()
    status, _, body = raw_get(port, B_URL)
    text = body.decode()
    assert status == 200 and "另一篇改了" in text  # the rest of the site was rebuilt
    assert 'id="wenji-build-error"' in text and "content/2020-01-02-a.md:4" in text
    assert "Build failed" not in text and "1 bad article left out" in text
    status, _, body = raw_get(port, A_URL)
    assert status == 404 and b"content/2020-01-02-a.md:4" in body
    status, _, status_body = raw_get(port, "/__wenji__/status")
    report = json.loads(status_body)
    assert report["error"] is None and report["built"] is True
    assert [(p["file"], p["line"]) for p in report["problems"]] == [("content/2020-01-02-a.md", 4)]
    assert "YAML" in report["problems"][0]["message"]
    assert str(site) not in status_body.decode() and str(site) not in text

    article.write_text(good.replace("原来的文字", "修好了"), encoding="utf-8")
    stream.next()
    text = raw_get(port, A_URL)[2].decode()
    assert "修好了" in text and "wenji-build-error" not in text
    assert json.loads(raw_get(port, "/__wenji__/status")[2])["problems"] == []
    stream.close()


def test_broken_site_yml_is_shown_then_recovers(live) -> None:  # noqa: ANN001
    site, port, _ = live
    stream = EventStream(port)
    stream.next()
    config = site / "site.yml"
    good = config.read_text(encoding="utf-8")
    config.write_text(good + "per_page: [\n", encoding="utf-8")
    stream.next()
    text = raw_get(port, B_URL)[2].decode()
    assert "另一篇" in text and "site.yml" in text and "wenji-build-error" in text
    assert "Build failed" in text and str(site) not in text
    report = json.loads(raw_get(port, "/__wenji__/status")[2])
    assert report["problems"][0]["file"] == "site.yml" and str(site) not in json.dumps(report)
    config.write_text(good, encoding="utf-8")
    stream.next()
    assert "wenji-build-error" not in raw_get(port, B_URL)[2].decode()
    stream.close()


def test_template_error_keeps_the_old_page_then_recovers(live) -> None:  # noqa: ANN001
    site, port, _ = live
    stream = EventStream(port)
    stream.next()
    override_template = site / "theme" / "templates" / "404.html"
    override_template.parent.mkdir(parents=True)
    override_template.write_text("<html><body>{% if %}</body></html>", encoding="utf-8")
    stream.next()
    text = raw_get(port, A_URL)[2].decode()
    assert "原来的文字" in text and "wenji-build-error" in text
    assert "theme/templates/404.html:1" in text and str(site) not in text
    override_template.write_text("<html><body>自定义 404</body></html>", encoding="utf-8")
    stream.next()
    status, _, body = raw_get(port, "/archive/missing/")
    assert status == 404 and "自定义 404" in body.decode() and b"wenji-build-error" not in body
    stream.close()


def test_a_bad_article_present_at_start_does_not_block_the_preview(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {"content/2020-01-04-bad.md": "---\ntitle: [坏\n---\n\nx\n"})
    stop = threading.Event()
    thread, url = start_serve(site, stop)
    port = int(url.split(":")[2].split("/")[0])
    try:
        status, _, body = raw_get(port, A_URL)
        assert status == 200 and b"content/2020-01-04-bad.md:" in body  # listed, not blocking
        stream = EventStream(port)
        stream.next()
        article = site / "content" / "2020-01-02-a.md"
        article.write_text(article.read_text(encoding="utf-8").replace("原来的文字", "改好了"),
                           encoding="utf-8")
        stream.next()
        assert "改好了" in raw_get(port, A_URL)[2].decode()
        stream.close()
    finally:
        stop.set()
        thread.join(10)


def test_cli_serve_stops_cleanly_on_ctrl_c(tmp_path: Path) -> None:
    import signal
    import subprocess
    import sys

    site = make_site(tmp_path / "site")
    root = Path(__file__).resolve().parents[2]
    proc = subprocess.Popen([sys.executable, "-m", "generator", "serve", "--site", str(site),
                             "--port", "0"], cwd=root, stderr=subprocess.PIPE, text=True)
    try:
        line = ""
        while "serving" not in line:
            line = proc.stderr.readline()
            assert line, "serve exited before serving"
        port = int(line.split(":")[2].split("/")[0])
        assert raw_get(port, A_URL)[0] == 200
        proc.send_signal(signal.SIGINT)
        assert proc.wait(15) == 130
        rest = proc.stderr.read()
        assert "Traceback" not in rest
        with pytest.raises(OSError):
            socket.create_connection(("127.0.0.1", port), timeout=2)
    finally:
        if proc.poll() is None:
            proc.kill()


@pytest.mark.parametrize("port", ["99999", "-1", "65536", "eighty"])
def test_a_port_out_of_range_is_a_one_line_usage_error(tmp_path: Path, port: str) -> None:
    import subprocess
    import sys

    site = make_site(tmp_path / "site")
    proc = subprocess.run([sys.executable, "-m", "generator", "serve", "--site", str(site),
                           "--port", port], capture_output=True, text=True, timeout=30,
                          cwd=Path(__file__).resolve().parents[2])
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    errors = [line for line in proc.stderr.splitlines() if "error" in line]
    assert len(errors) == 1 and "--port" in errors[0] and "0–65535" in errors[0]


def test_an_occupied_port_is_named_with_a_hint(tmp_path: Path) -> None:
    import subprocess
    import sys

    site = make_site(tmp_path / "site")
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        proc = subprocess.run([sys.executable, "-m", "generator", "serve", "--site", str(site),
                               "--port", str(port)], capture_output=True, text=True, timeout=30,
                              cwd=Path(__file__).resolve().parents[2])
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == [
        f"error: port {port} is already in use on 127.0.0.1 "
        "(hint: stop the other server, or pass --port 0 to pick a free port)"]
