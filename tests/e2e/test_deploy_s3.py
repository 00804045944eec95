"""wenji deploy s3://bucket/prefix against a real S3-compatible server (moto's, on 127.0.0.1)."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from generator.cli import main
from generator.deploy.guard import MARKER
from tests.conftest import wenji
from tests.e2e.test_deploy import tree, write_tree

boto3 = pytest.importorskip("boto3")
moto_server = pytest.importorskip("moto.server")

PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d4944415478da63f8cfc0f01f0005000201a5f1a4f10000000049454e44ae426082")
ARTICLE = "---\ntitle: 第{n}篇\ndate: 2020-01-0{n}\nslug: a{n}\n---\n\n正文 {n}\n"


@pytest.fixture(scope="module")
def endpoint() -> str:
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture(autouse=True)
def aws_env(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Test credentials for the local server; none of the user's AWS files or settings."""
    nothing = tmp_path_factory.mktemp("aws") / "none"
    for name in ("AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(nothing))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(nothing))
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")


@pytest.fixture()
def s3(endpoint: str):  # noqa: ANN201
    return boto3.client("s3", endpoint_url=endpoint)


@pytest.fixture()
def bucket(s3) -> str:  # noqa: ANN001
    name = f"wenji-{uuid.uuid4().hex[:12]}"
    s3.create_bucket(Bucket=name)
    return name


def objects(s3, bucket: str, prefix: str = "") -> dict[str, bytes]:  # noqa: ANN001
    found = {}
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        for item in page.get("Contents", []):
            body = s3.get_object(Bucket=bucket, Key=item["Key"])["Body"].read()
            found[item["Key"][len(prefix):]] = body
    return found


def stamps(s3, bucket: str) -> dict[str, str]:  # noqa: ANN001
    """Key → last-modified time and ETag: an object put again gets a new time, and one put with
    other bytes a new ETag too (listings give the time to the second only: a patched rebuild
    can upload within the second of the previous deploy)."""
    pages = s3.get_paginator("list_objects_v2").paginate(Bucket=bucket)
    return {o["Key"]: f'{o["LastModified"].isoformat()} {o["ETag"]}'
            for p in pages for o in p.get("Contents", [])}


def make_site(root: Path, endpoint: str) -> Path:
    write_tree(root, {
        "site.yml": ("title: 测试站\nbase_url: https://archive.example.org/\n"
                     f"deploy:\n  endpoint: {endpoint}\n  max_deletes: 2\n"),
        **{f"content/2020-01-0{n}-a{n}.md": ARTICLE.format(n=n) for n in (1, 2, 3)},
        "theme/static/js/app.3f9a1c2b.js": "console.log(1)",
    })
    (root / "theme/static/img").mkdir(parents=True)
    (root / "theme/static/img/logo.png").write_bytes(PNG)
    return root


def test_s3_deploy_uploads_changes_only_and_guards_deletions(tmp_path: Path, s3, bucket: str,
                                                             endpoint: str) -> None:
    site = make_site(tmp_path / "site", endpoint)
    target = f"s3://{bucket}/archive"
    code, out, err = wenji("deploy", "--site", str(site), target, "--dry-run")
    assert code == 0, err
    assert "(dry run) would upload" in out and objects(s3, bucket) == {}
    assert not (site / "public").exists()

    code, out, err = wenji("deploy", "--site", str(site), target)
    assert code == 0, err
    built = tree(site / "public")
    del built[".wenji-output"]
    stored = objects(s3, bucket, "archive/")
    assert stored.pop(MARKER).startswith(b"Published by `wenji deploy`")
    assert stored == built and f"{len(built) + 1} uploaded, 0 deleted" in out

    before = stamps(s3, bucket)
    code, out, err = wenji("deploy", "--site", str(site), target)
    assert code == 0 and "is up to date" in out, err
    assert stamps(s3, bucket) == before

    article = site / "content/2020-01-02-a2.md"
    article.write_text(article.read_text("utf-8").replace("正文 2", "改过的正文"), "utf-8")
    code, out, err = wenji("deploy", "--site", str(site), target, "--no-build")
    assert code == 0 and "is up to date" in out, err  # --no-build: the old output, nothing new
    code, out, err = wenji("deploy", "--site", str(site), target)
    assert code == 0, err
    rebuilt = tree(site / "public")
    differ = {f"archive/{rel}" for rel in rebuilt if built.get(rel) != rebuilt[rel]} - {
        "archive/.wenji-output"}
    changed = {k for k, v in stamps(s3, bucket).items() if before.get(k) != v}
    assert changed == differ  # the page, the lists showing its summary, feed, search index
    assert "archive/2020/01/a2/index.html" in changed
    assert "archive/2020/01/a1/index.html" not in changed and "archive/css/style.css" not in changed
    assert "改过的正文" in objects(s3, bucket, "archive/2020/01/a2/")["index.html"].decode()

    for n in (1, 3):  # two articles gone: their pages, and archives that listed them, change
        (site / f"content/2020-01-0{n}-a{n}.md").unlink()
    (site / "content/2020-01-02-a2.md").unlink()
    write_tree(site, {"content/2021-05-01-b.md": ARTICLE.format(n=1).replace("2020", "2021")})
    keep = objects(s3, bucket)
    # the edit above went into a delta segment of the search index (5 files); this full
    # build's fresh index has none
    gone = 5 + sum(1 for k in keep if k.startswith("archive/search/d-"))
    code, _, err = wenji("deploy", "--site", str(site), target)
    assert code == 1, err
    assert f"refusing to delete {gone} files" in err, err
    assert "(hint: " in err
    assert "delete  2020/01/a1/index.html" in err
    assert objects(s3, bucket) == keep
    code, out, err = wenji("deploy", "--site", str(site), target, "--yes")
    assert code == 0 and f"{gone} deleted" in out, err
    assert "2020/01/a1/index.html" not in objects(s3, bucket, "archive/")


def test_s3_objects_carry_types_encodings_and_cache_headers(tmp_path: Path, s3, bucket: str,
                                                           endpoint: str) -> None:
    site = make_site(tmp_path / "site", endpoint)
    assert wenji("deploy", "--site", str(site), f"s3://{bucket}/")[0] == 0

    def head(key: str) -> dict:
        return s3.head_object(Bucket=bucket, Key=key)

    page = head("2020/01/a1/index.html")
    assert page["ContentType"] == "text/html; charset=utf-8" and page["CacheControl"] == "no-cache"
    for key, kind in (("feed.xml", "application/xml"), ("sitemap.xml", "application/xml"),
                      ("search/manifest.json", "application/json")):
        assert head(key)["ContentType"] == f"{kind}; charset=utf-8"
        assert head(key)["CacheControl"] == "no-cache"
    assert head("css/style.css")["ContentType"] == "text/css; charset=utf-8"
    assert head("css/style.css")["CacheControl"] == "public, max-age=86400"
    assert head("js/search.js")["ContentType"] == "text/javascript; charset=utf-8"
    assert head("img/logo.png")["ContentType"] == "image/png"
    assert head("img/logo.png")["CacheControl"] == "public, max-age=604800"
    assert head("js/app.3f9a1c2b.js")["CacheControl"] == "public, max-age=31536000, immutable"

    shards = [k for k in objects(s3, bucket, "search/") if k.endswith(".json.gz")]
    assert shards, "the default site (search on) writes gzipped index files"
    for rel in shards:
        meta = head(f"search/{rel}")
        assert meta["ContentType"] == "application/json; charset=utf-8"
        assert meta["ContentEncoding"] == "gzip"
        body = s3.get_object(Bucket=bucket, Key=f"search/{rel}")["Body"].read()
        json.loads(gzip.decompress(body))  # stored as built; the browser inflates it
    for rel in (k for k in objects(s3, bucket, "search/") if k.endswith(".bin")):
        assert "ContentEncoding" not in head(f"search/{rel}")  # read by byte ranges


def test_s3_refuses_a_prefix_it_did_not_write(tmp_path: Path, s3, bucket: str, endpoint: str) -> None:
    site = make_site(tmp_path / "site", endpoint)
    s3.put_object(Bucket=bucket, Key="backups/db.sql", Body=b"precious")
    code, _, err = wenji("deploy", "--site", str(site), f"s3://{bucket}/backups")
    assert code == 2 and err.startswith("error: refusing to deploy") and MARKER in err
    assert objects(s3, bucket) == {"backups/db.sql": b"precious"}
    code, _, err = wenji("deploy", "--site", str(site), f"s3://{bucket}/site")  # beside it: fine
    assert code == 0, err
    assert objects(s3, bucket, "backups/") == {"db.sql": b"precious"}


def test_s3_errors_are_one_clear_line(tmp_path: Path, endpoint: str,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    site = make_site(tmp_path / "site", endpoint)
    code, _, err = wenji("deploy", "--site", str(site), "s3://no-such-bucket-here/x")
    assert code == 1 and "NoSuchBucket" in err and err.count("\n") == 1
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    code, _, err = wenji("deploy", "--site", str(site), "s3://any/x", "--no-build")
    assert code == 1 and "no credentials" in err and "AWS_ACCESS_KEY_ID" in err


def test_endpoint_from_the_environment(tmp_path: Path, s3, bucket: str, endpoint: str,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    site = make_site(tmp_path / "site", endpoint)
    (site / "site.yml").write_text("title: 测试站\nbase_url: https://archive.example.org/\n", "utf-8")
    monkeypatch.setenv("AWS_ENDPOINT_URL", endpoint)
    code, _, err = wenji("deploy", "--site", str(site), f"s3://{bucket}/")
    assert code == 0, err
    assert "index.html" in objects(s3, bucket)


def test_missing_boto3_names_the_extra(tmp_path: Path) -> None:
    script = ("import sys; sys.modules['boto3'] = None\n"
              "from generator.cli import main\n"
              f"sys.exit(main(['deploy', '--site', {str(tmp_path)!r}, 's3://b/p', '--no-build']))")
    (tmp_path / "site.yml").write_text("base_url: https://example.org/\n", "utf-8")
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(root)}, timeout=60)
    assert done.returncode == 2
    assert "boto3" in done.stderr and "pip install 'wenji[s3]'" in done.stderr
