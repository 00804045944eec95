"""Deploy targets → publishers (a table), refusal rules, rsync argv, plan printing, redaction,
git blob ids."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pytest

from generator.config import DeployConfig, SiteConfig, override
from generator.deploy import publisher_for
from generator.deploy.ghpages import GitPublisher, blob_id
from generator.deploy.headers import object_headers
from generator.deploy.guard import refuse_foreign, refuse_local_base_url, refuse_overlap
from generator.deploy.local import FolderPublisher
from generator.deploy.plan import Local, Plan, local_files
from generator.deploy.process import redact, run
from generator.deploy.rsync import RsyncPublisher
from generator.deploy.s3 import S3Publisher
from generator.errors import ConfigError, GeneratorError

CFG = override(SiteConfig(), title="文集", deploy=DeployConfig(cname="example.org"))

TARGETS = [
    ("git+https://github.com/me/site.git", GitPublisher,
     {"remote_url": "https://github.com/me/site.git", "branch": "gh-pages", "local_path": None}),
    ("git+git@github.com:me/site.git#main", GitPublisher,
     {"remote_url": "git@github.com:me/site.git", "branch": "main", "local_path": None}),
    ("git+ssh://git@example.org/srv/site.git#pages", GitPublisher,
     {"remote_url": "ssh://git@example.org/srv/site.git", "branch": "pages", "local_path": None}),
    ("git+file:///srv/site.git", GitPublisher,
     {"remote_url": "file:///srv/site.git", "local_path": Path("/srv/site.git")}),
    ("git+/srv/site.git#www", GitPublisher,
     {"remote_url": "/srv/site.git", "branch": "www", "local_path": Path("/srv/site.git")}),
    ("rsync://deploy@example.org/var/www/site", RsyncPublisher,
     {"dest": "deploy@example.org:/var/www/site/", "port": None, "local_path": None}),
    ("ssh://example.org:2222/var/www/site/", RsyncPublisher,
     {"dest": "example.org:/var/www/site/", "port": 2222}),
    ("ssh://me@example.org/~/public_html", RsyncPublisher, {"dest": "me@example.org:~/public_html/"}),
    ("ssh://localhost/srv/www", RsyncPublisher,
     {"dest": "localhost:/srv/www/", "local_path": Path("/srv/www")}),
    ("rsync+file:///srv/www", RsyncPublisher, {"dest": "/srv/www/", "local_path": Path("/srv/www")}),
    ("file:///srv/www", FolderPublisher, {"dest": Path("/srv/www"), "local_path": Path("/srv/www")}),
    ("file://localhost/srv/%E6%96%87%E9%9B%86", FolderPublisher, {"dest": Path("/srv/文集")}),
    ("s3://my-archive", S3Publisher, {"bucket": "my-archive", "prefix": "", "local_path": None}),
    ("s3://bucket/sites/%E6%96%87%E9%9B%86/", S3Publisher, {"bucket": "bucket", "prefix": "sites/文集"}),
]


@pytest.mark.parametrize(("target", "kind", "fields"), TARGETS, ids=[t[0] for t in TARGETS])
def test_target_scheme_picks_the_publisher(target: str, kind: type, fields: dict) -> None:
    publisher = publisher_for(target, CFG)
    assert isinstance(publisher, kind)
    for name, value in fields.items():
        assert getattr(publisher, name) == value


def test_s3_endpoint_comes_from_site_yml() -> None:
    cfg = override(CFG, deploy=DeployConfig(endpoint="https://acc.r2.cloudflarestorage.com"))
    assert publisher_for("s3://b/p", cfg).endpoint == "https://acc.r2.cloudflarestorage.com"
    assert publisher_for("s3://b/p", CFG).endpoint is None  # boto3: AWS_ENDPOINT_URL, else AWS


HEADERS = [  # path, Content-Type, Cache-Control, Content-Encoding
    ("index.html", "text/html; charset=utf-8", "no-cache", None),
    ("2020/01/a/index.html", "text/html; charset=utf-8", "no-cache", None),
    ("feed.xml", "application/xml; charset=utf-8", "no-cache", None),
    ("robots.txt", "text/plain; charset=utf-8", "no-cache", None),
    ("CNAME", "application/octet-stream", "no-cache", None),
    ("search/manifest.json", "application/json; charset=utf-8", "no-cache", None),
    ("search/p/3.json.gz", "application/json; charset=utf-8", "no-cache", "gzip"),
    ("search/t/0.bin", "application/octet-stream", "no-cache", None),
    ("files/data.tar.gz", "application/gzip", "no-cache", None),
    ("css/style.css", "text/css; charset=utf-8", "public, max-age=86400", None),
    ("js/search.js", "text/javascript; charset=utf-8", "public, max-age=86400", None),
    ("js/app.3f9a1c2b.js", "text/javascript; charset=utf-8", "public, max-age=31536000, immutable",
     None),
    ("2020/01/a/img-0123456789abcdef.webp", "image/webp", "public, max-age=31536000, immutable",
     None),
    ("2020/01/a/cover.JPG", "image/jpeg", "public, max-age=604800", None),
    ("favicon.svg", "image/svg+xml; charset=utf-8", "public, max-age=604800", None),
    ("fonts/a.woff2", "font/woff2", "public, max-age=604800", None),
]


@pytest.mark.parametrize(("rel", "kind", "cache", "encoding"), HEADERS, ids=[h[0] for h in HEADERS])
def test_object_headers(rel: str, kind: str, cache: str, encoding: str | None) -> None:
    headers = object_headers(rel)
    assert headers["ContentType"] == kind and headers["CacheControl"] == cache
    assert headers.get("ContentEncoding") == encoding


def test_git_publisher_adds_nojekyll_cname_and_a_message() -> None:
    publisher = publisher_for("git+https://example.org/x.git", CFG)
    assert publisher.extra == {".nojekyll": b"", "CNAME": b"example.org\n"}
    assert publisher.message == "Deploy 文集"
    plain = publisher_for("git+https://example.org/x.git", override(CFG, deploy=DeployConfig()))
    assert plain.extra == {".nojekyll": b""}


def test_relative_git_path_is_made_absolute() -> None:
    publisher = publisher_for("git+../pages.git", CFG)
    assert Path(publisher.remote_url).is_absolute() and publisher.local_path.is_absolute()
    assert publisher.remote_url.endswith("pages.git")


BAD = [
    ("ftp://example.org/www", "unknown deploy target"),
    ("example.org:/var/www", "unknown deploy target"),
    ("git+", "no repository URL"),
    ("git+--upload-pack=touch /tmp/x", "looks like an option"),
    ("git+https://example.org/x.git#--force", "looks like an option"),
    ("ssh://-oProxyCommand=x/path", "bad deploy target"),
    ("rsync://example.org", "need host and path"),
    ("file://otherhost/srv/www", "another host"),
    ("rsync+file://otherhost/srv/www", "another host"),
    ("file:relative/www", "absolute folder path"),
    ("s3:///prefix", "need s3://bucket/prefix"),
    ("s3://bucket/p?versionId=1", "need s3://bucket/prefix"),
    ("http://user:hunter2@example.org/", "unknown deploy target"),
]


@pytest.mark.parametrize(("target", "message"), BAD, ids=[t[0] for t in BAD])
def test_bad_targets_are_config_errors(target: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message) as caught:
        publisher_for(target, CFG)
    assert "hunter2" not in str(caught.value)


OVERLAPS = [  # target, refused because it …
    ("/", "holds the site folder"),
    ("/home", "holds the home folder"),
    ("/home/me", "is the home folder"),
    ("/srv/archive", "is the site folder"),
    ("/srv/archive/www", "is inside the site folder"),
    ("/srv/archive/public/x", "is inside the site folder"),
    ("/srv", "holds the site folder"),
    ("/data/out", "is the output folder"),
    ("/data/out/a/b", "is inside the output folder"),
    ("/data", "holds the output folder"),
    ("/home/me/www", None),  # in the home folder: fine (the marker rule guards what is there)
    ("/srv/www", None),
]


@pytest.mark.parametrize(("target", "refused"), OVERLAPS, ids=[t[0] for t in OVERLAPS])
def test_overlap_table(target: str, refused: str | None) -> None:
    keep = {"site folder": Path("/srv/archive"), "output folder": Path("/data/out"),
            "home folder": Path("/home/me")}
    if refused is None:
        refuse_overlap(Path(target), target, keep)
    else:
        with pytest.raises(ConfigError, match=f"it {refused} "):
            refuse_overlap(Path(target), target, keep)


def test_overlap_follows_symlinks(tmp_path: Path) -> None:
    (tmp_path / "site").mkdir()
    (tmp_path / "alias").symlink_to(tmp_path / "site", target_is_directory=True)
    with pytest.raises(ConfigError, match="is inside the site folder"):
        refuse_overlap(tmp_path / "alias" / "www", "x", {"site folder": tmp_path / "site"})


def test_foreign_targets_are_refused_unless_forced() -> None:
    refuse_foreign("t", empty=True, marked=False, force=False)
    refuse_foreign("t", empty=False, marked=True, force=False)
    refuse_foreign("t", empty=False, marked=False, force=True)
    with pytest.raises(ConfigError, match=r"not empty and holds no \.wenji-deploy.*--force"):
        refuse_foreign("t", empty=False, marked=False, force=False)


@pytest.mark.parametrize("url", ["http://localhost:8000/", "http://127.0.0.1/", "http://[::1]:8000/",
                                 "http://0.0.0.0:8000/", "http://archive.localhost/",
                                 "http://127.0.0.2:8000/", "http://LOCALHOST./"])
def test_localhost_base_url_is_refused_unless_given(url: str) -> None:
    with pytest.raises(ConfigError, match="--base-url"):
        refuse_local_base_url(url, given=False)
    refuse_local_base_url(url, given=True)
    refuse_local_base_url("https://example.org/localhost/", given=False)


def test_rsync_argv() -> None:
    local = Local([Path("/site/public"), Path("/tmp/added")], {})
    publisher = RsyncPublisher("me@example.org:/var/www", port=2222)
    argv = publisher._argv(local, "--dry-run")
    assert argv[0] == "rsync"
    assert {"--recursive", "--checksum", "--dry-run"} <= set(argv)
    assert argv[argv.index("--rsh") + 1] == "ssh -p 2222"
    assert argv[-3:] == ["/site/public/", "/tmp/added/", "me@example.org:/var/www/"]
    assert "--rsh" not in RsyncPublisher("/srv/www")._argv(local)


@pytest.mark.parametrize(("text", "shown"), [
    ("https://user:tok3n@github.com/x.git", "https://user:***@github.com/x.git"),
    ("git+https://x-access-token:abc@github.com/o/r", "git+https://x-access-token:***@github.com/o/r"),
    ("https://github.com/x.git", "https://github.com/x.git"),
    ("git@github.com:x/y.git", "git@github.com:x/y.git"),
    ("ssh://me@example.org:22/path", "ssh://me@example.org:22/path"),
])
def test_redact_hides_url_passwords(text: str, shown: str) -> None:
    assert redact(text) == shown


def test_blob_id_matches_git(tmp_path: Path) -> None:
    for data in (b"", b"hello\n", "中文".encode("utf-8"), bytes(range(256))):
        (tmp_path / "f").write_bytes(data)
        expected = subprocess.run(["git", "hash-object", "--no-filters", str(tmp_path / "f")],
                                  capture_output=True, text=True, check=True).stdout.strip()
        assert blob_id(data) == expected


def test_run_reports_missing_tools_and_failures(tmp_path: Path) -> None:
    with pytest.raises(GeneratorError, match="'wenji-no-such-tool' is not installed"):
        run(["wenji-no-such-tool", "x"])
    with pytest.raises(GeneratorError, match=r"'git rev-parse' failed \(exit 128\).*not a git"):
        run(["git", "rev-parse", "HEAD"], cwd=tmp_path)
    assert run(["git", "--version"]).startswith("git version")


def test_plan_print_shortens_long_lists() -> None:
    plan = Plan(uploads=[f"p{i}.html" for i in range(25)], deletes=["old.html"], unchanged=3)
    stream = io.StringIO()
    plan.print(stream, limit=20)
    lines = stream.getvalue().splitlines()
    assert lines[:2] == ["  upload  p0.html", "  upload  p1.html"]
    assert "  upload  … and 5 more" in lines
    assert "  delete  old.html" in lines
    assert lines[-1] == "25 to upload, 1 to delete, 3 unchanged"
    assert not plan.empty and Plan().empty


def test_local_files_skips_symlinks(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "x.html").write_text("x", encoding="utf-8")
    (tmp_path / "b.css").write_text("b", encoding="utf-8")
    (tmp_path / "link.html").symlink_to(tmp_path / "b.css")
    (tmp_path / "linkdir").symlink_to(tmp_path / "a", target_is_directory=True)
    assert list(local_files(tmp_path)) == ["a/x.html", "b.css"]
