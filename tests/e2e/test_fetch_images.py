"""`wenji import --fetch-images` and `wenji fetch-images` against a real HTTP server on loopback:
images land in content/images by content hash, failures keep their URL with a reason, runs
resume, a killed run leaves no partial file, hand-edited articles are left alone."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import struct
import subprocess
import sys
import threading
import time
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from generator.clean.images import image_type
from generator.model import frontmatter
from tests.conftest import wenji as run


def png(seed: int) -> bytes:
    """A real 2×2 PNG whose pixels depend on SEED."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = b"".join(b"\x00" + bytes([seed % 256, 0, 0] * 2) for _ in range(2))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64 + b"\xff\xd9"


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # the importer hanging up on a slow or oversized answer is expected

    def __init__(self):
        super().__init__(("127.0.0.1", 0), Handler)
        self.hits: dict[str, int] = {}
        self.headers_seen: list[dict] = []
        self.hang = True
        self.hanging = threading.Event()
        self.release = threading.Event()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def send(self, status: int, kind: str, body: bytes, length: bool = True) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        if length:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):  # noqa: N802
        srv: Server = self.server  # type: ignore[assignment]
        path = self.path.split("?")[0]
        srv.hits[path] = srv.hits.get(path, 0) + 1
        srv.headers_seen.append(dict(self.headers))
        if path.startswith("/img/"):
            self.send(200, "image/png", png(int(path[5:].split(".")[0])))
        elif path == "/photo":
            self.send(200, "image/jpeg", JPEG)
        elif path == "/flaky.png" and srv.hits[path] == 1:
            self.send(503, "text/plain", b"busy")
        elif path == "/flaky.png":
            self.send(200, "image/png", png(99))
        elif path == "/slow.png":
            time.sleep(2.5)
            self.send(200, "image/png", png(98))
        elif path == "/page":
            self.send(200, "text/html; charset=utf-8", b"<html>login</html>")
        elif path == "/fake.jpg":
            self.send(200, "image/jpeg", b"<html>not a picture</html>")
        elif path == "/big.png":  # announced too large
            self.send(200, "image/png", png(1) + b"\x00" * (1024 * 1024 + 10))
        elif path == "/stream.png":  # too large, with no Content-Length
            self.send(200, "image/png", png(2) + b"\x00" * (1024 * 1024 + 10), length=False)
            self.close_connection = True
        elif path == "/hang.png" and srv.hang:  # half an image, then nothing until released
            data = png(50)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", str(len(data) + 100_000))
            self.end_headers()
            self.wfile.write(data[:20])
            self.wfile.flush()
            srv.hanging.set()
            srv.release.wait(30)
        elif path == "/hang.png":
            self.send(200, "image/png", png(50))
        else:
            self.send(404, "text/plain", b"no")


@pytest.fixture(scope="module")
def server():
    srv = Server()
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield srv
    srv.release.set()
    srv.shutdown()


@pytest.fixture
def site(tmp_path, server, monkeypatch):
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    server.hits.clear()
    server.headers_seen.clear()
    (tmp_path / "site.yml").write_text(
        "title: t\nbase_url: https://example.org/\n"
        "import:\n  image_timeout: 1\n  image_retries: 1\n  image_max_mb: 1\n", encoding="utf-8")
    (tmp_path / "in").mkdir()
    return tmp_path


def article(site: Path, name: str, body: str, cover: str = "") -> Path:
    path = site / "in" / f"{name}.md"
    head = f"title: 文章{name}\ndate: 2024-03-0{len(list((site / 'in').iterdir())) + 1}\n"
    head += f"cover: {cover}\n" if cover else ""
    path.write_text(f"---\n{head}---\n\n这是一篇用来测试图片下载的文章，正文足够长，{name}。\n\n{body}\n",
                    encoding="utf-8")
    return path


def imported(site: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted((site / "content").glob("*.md"))}


def stored(site: Path) -> list[Path]:
    folder = site / "content" / "images"
    return sorted(folder.iterdir()) if folder.is_dir() else []


def test_fetched_images_are_stored_by_hash_linked_locally_and_published(site, server):
    b = server.base
    article(site, "a", f"![一张图](<{b}/img/1.png?wx_fmt=png>)\n\n![]({b}/photo?wx_fmt=jpeg \"说明\")\n\n"
            f"![again]({b}/img/1.png?wx_fmt=png&tp=webp)", cover=f"{b}/img/2.png")
    code, out, err = run("import", "--site", site, "--fetch-images", site / "in")
    assert code == 0, err
    assert "images: 4 fetched, 0 already local, 0 failed" in out
    one, two = f"{hashlib.sha256(png(1)).hexdigest()[:16]}.png", f"{hashlib.sha256(png(2)).hexdigest()[:16]}.png"
    jpg = f"{hashlib.sha256(JPEG).hexdigest()[:16]}.jpg"
    assert [p.name for p in stored(site)] == sorted([one, two, jpg])  # the same picture once
    [text] = imported(site).values()
    assert f"![一张图](images/{one})" in text and f'![](images/{jpg} "说明")' in text
    assert f"![again](images/{one})" in text and f"cover: images/{two}" in text
    assert b not in text and not frontmatter.is_hand_edited(text)
    for headers in server.headers_seen:
        assert headers["User-Agent"].startswith("Mozilla/5.0") and "Referer" not in headers
    assert run("build", "--site", site)[0] == 0
    [page] = (site / "public").glob("2024/03/*/index.html")
    html = page.read_text(encoding="utf-8")
    assert f'src="../../../images/{one}" alt="一张图"' in html and f'alt=""' in html
    assert (site / "public" / "images" / jpg).read_bytes() == JPEG


def test_failures_keep_the_remote_url_and_say_why(site, server):
    b = server.base
    refs = {"/missing.png": "HTTP 404", "/page": "not an image (text/html)",
            "/fake.jpg": "not a raster image (image/jpeg", "/big.png": "too large (1.0 MB; limit 1.0 MB)",
            "/stream.png": "too large (over 1.0 MB)", "/slow.png": "timed out"}
    article(site, "a", "\n\n".join(f"![图{i}]({b}{r})" for i, r in enumerate(refs)) + f"\n\n![ok]({b}/flaky.png)")
    code, out, err = run("import", "--site", site, "--fetch-images", site / "in",
                         "--report", site / "report.json")
    assert code == 0, err
    assert "images: 1 fetched, 0 already local, 6 failed" in out
    report = json.loads((site / "report.json").read_text(encoding="utf-8"))
    assert report["images"] == "1 fetched, 0 already local, 6 failed"
    [row] = report["inputs"]
    assert row["images_fetched"] == 1 and len(row["image_failures"]) == 6
    [text] = imported(site).values()
    for i, (ref, reason) in enumerate(refs.items()):
        assert f"![图{i}]({b}{ref})" in text
        assert f"{b}{ref}: {reason}" in err
    assert server.hits["/flaky.png"] == 2 and server.hits["/slow.png"] == 2  # retried once
    assert server.hits["/missing.png"] == 1  # a 404 is not retried
    assert [image_type(p.read_bytes()) for p in stored(site)] == ["png"]
    assert not any(p.name.startswith(".") for p in (site / "content").rglob("*"))
    code, out, err = run("fetch-images", "--site", site)  # failures are tried again, exit 1
    assert code == 1 and out.startswith("images: 0 fetched, 0 already local, 6 failed; rewrote 0")
    assert server.hits["/missing.png"] == 2 and imported(site) == {row["output"]: text}


def test_existing_collection_resumes_and_respects_hand_edits(site, server):
    b = server.base
    article(site, "a", f"![甲]({b}/img/5.png)\n\n![乙]({b}/img/6.png)")
    article(site, "b", f"![丙]({b}/img/7.png)", cover=f"{b}/img/5.png")
    assert run("import", "--site", site, site / "in")[0] == 0
    assert server.hits == {} and stored(site) == []  # nothing fetched without the option
    (first, a_text), (second, b_text) = imported(site).items()
    edited = b_text.replace("正文足够长", "正文足够长（校对）")
    (site / "content" / second).write_text(edited, encoding="utf-8")

    code, out, err = run("fetch-images", "--site", site, "--dry-run")
    assert out.startswith("(dry run) images: 0 fetched, 0 already local, 2 not fetched, 0 failed")
    assert server.hits == {} and stored(site) == [] and imported(site)[second] == edited
    code, out, err = run("fetch-images", "--site", site)
    assert code == 0, err
    assert out.strip() == ("images: 2 fetched, 0 already local, 0 failed; rewrote 1 of 2 articles, "
                           "1 kept (edited by hand; --force rewrites)")
    assert f"kept: {second}: edited since import" in err and f"images: {first}: 2 fetched" in err
    after = imported(site)
    assert after[second] == edited and b not in after[first]
    assert not frontmatter.is_hand_edited(after[first])  # the importer still owns it
    hits = dict(server.hits)
    code, out, err = run("import", "--site", site, site / "in")  # no remote URLs put back
    assert code == 0 and out.startswith("1 unchanged, 1 kept"), out + err
    code, out, err = run("import", "--site", site, "--fetch-images", site / "in")
    assert code == 0 and out.startswith("1 unchanged, 1 kept"), out + err
    assert "images: 0 fetched, 2 already local, 0 failed" in out
    assert imported(site) == after and server.hits == hits  # the kept one's images not fetched

    code, out, err = run("fetch-images", "--site", site, "--force")
    assert code == 0, err
    assert out.startswith("images: 1 fetched, 1 already local, 0 failed; rewrote 1 of 2")
    assert server.hits == {**hits, "/img/7.png": 1}  # img/5 is not asked for again
    forced = imported(site)[second]
    assert b not in forced and "（校对）" in forced and frontmatter.is_hand_edited(forced)
    code, out, err = run("fetch-images", "--site", site, "--force")
    assert out.startswith("images: 0 fetched, 0 already local, 0 failed; rewrote 0 of 2")


def test_a_killed_import_leaves_no_partial_file_and_the_rerun_completes(site, server):
    b = server.base
    article(site, "a", f"![先]({b}/img/8.png)\n\n![后]({b}/hang.png)")
    server.hang = True
    server.hanging.clear()
    env = {**os.environ, "NO_PROXY": "127.0.0.1,localhost"}
    cmd = [sys.executable, "-m", "generator", "import", "--site", str(site), "--fetch-images",
           str(site / "in")]
    (site / "site.yml").write_text((site / "site.yml").read_text().replace("image_timeout: 1",
                                                                         "image_timeout: 30"))
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert server.hanging.wait(30), "the import never asked for the hanging image"
        deadline, remembered = time.time() + 30, site / ".wenji-cache" / "fetched-images.jsonl"
        while not (remembered.is_file() and "/img/8.png" in remembered.read_text()):
            assert time.time() < deadline
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
    finally:
        proc.kill()
        proc.communicate()
    assert imported(site) == {}  # the article was not written half-localised
    assert [image_type(p.read_bytes()) for p in stored(site)] == ["png"]  # the whole image only
    server.hang = False
    server.release.set()
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "images: 1 fetched, 1 already local, 0 failed" in done.stdout
    assert server.hits["/img/8.png"] == 1  # resumed, not fetched again
    [text] = imported(site).values()
    assert b not in text
    assert not [p for p in (site / "content").rglob("*") if p.name.startswith(".")]
