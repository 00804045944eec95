"""Publisher for s3://bucket/prefix: any S3-compatible storage, through boto3 (the `s3` extra).

Credentials, region and profile come from the usual AWS environment and files, read by boto3;
Wenji reads none itself. The endpoint is site.yml's deploy.endpoint or AWS_ENDPOINT_URL.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator

from generator.deploy.headers import object_headers
from generator.deploy.plan import Local, Remote
from generator.errors import ConfigError, GeneratorError

UPLOADS_AT_ONCE = 8
DELETES_PER_REQUEST = 1000  # the most DeleteObjects takes


def md5(path: Path) -> str:
    """The file's MD5 in hex (the diff and the upload both ask: read once per version)."""
    st = path.stat()
    return _md5(str(path), st.st_size, st.st_mtime_ns)


@lru_cache(maxsize=1 << 16)
def _md5(path: str, size: int, mtime_ns: int) -> str:
    digest = hashlib.md5(usedforsecurity=False)
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _same(path: Path, known: tuple[int, str]) -> bool:
    """Same size and MD5 (a single-part upload's ETag is its MD5; other ETags never match)."""
    size, etag = known
    return path.stat().st_size == size and md5(path) == etag


def _config() -> Any:
    """Checksums only where S3 requires them (we send Content-MD5 with every object): the
    trailing checksums newer boto3 adds by default are refused by some S3-compatible stores."""
    from botocore.config import Config

    try:
        return Config(request_checksum_calculation="when_required",
                      response_checksum_validation="when_required")
    except TypeError:  # a botocore from before those settings: it sends no such checksums
        return None


class S3Publisher:
    """Upload new and changed objects (pages last), then delete objects the site no longer has."""

    extra: dict[str, bytes] = {}
    local_path = None

    def __init__(self, bucket: str, prefix: str = "", *, endpoint: str | None = None):
        try:
            import boto3
        except ImportError:
            raise ConfigError("s3:// targets need boto3, which is not installed",
                              hint="pip install 'wenji[s3]'") from None
        self.bucket = bucket
        self.prefix = prefix.strip("/")
        self.endpoint = endpoint
        self.where = f"s3://{bucket}/{self.prefix}" + (f" at {endpoint}" if endpoint else "")
        self._boto3 = boto3
        self._client: Any = None

    @property
    def client(self) -> Any:
        if self._client is None:
            with self._errors():
                self._client = self._boto3.session.Session().client(
                    "s3", endpoint_url=self.endpoint or None, config=_config())
        return self._client

    def _key(self, rel: str) -> str:
        return f"{self.prefix}/{rel}" if self.prefix else rel

    @contextlib.contextmanager
    def _errors(self) -> Iterator[None]:
        """Turn boto3's errors into one clear line naming the bucket."""
        from botocore import exceptions as boto

        try:
            yield
        except boto.NoCredentialsError:
            raise GeneratorError(f"no credentials for {self.where}",
                                 hint="set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or "
                                      "AWS_PROFILE (read by boto3, not by Wenji)") from None
        except boto.ClientError as exc:
            error = exc.response.get("Error", {})
            code, text = error.get("Code", "?"), error.get("Message", "")
            hint = ("check the bucket name and deploy.endpoint / AWS_ENDPOINT_URL"
                    if code == "NoSuchBucket" else None)
            raise GeneratorError(f"{self.where}: {code} {text}".rstrip(), hint=hint) from None
        except boto.BotoCoreError as exc:
            raise GeneratorError(f"{self.where}: {exc}",
                                 hint="check deploy.endpoint / AWS_ENDPOINT_URL and the "
                                      "region (AWS_REGION)") from None

    def remote(self, local: Local) -> Remote:
        """List the objects under the prefix: relative path → (size, ETag)."""
        files: dict[str, tuple[int, str]] = {}
        seen = False
        start = f"{self.prefix}/" if self.prefix else ""
        with self._errors():
            for page in self.client.get_paginator("list_objects_v2").paginate(
                    Bucket=self.bucket, Prefix=start):
                for item in page.get("Contents", []):
                    seen = True
                    rel = item["Key"][len(start):]
                    if rel and not rel.endswith("/"):
                        files[rel] = (item["Size"], item["ETag"].strip('"'))
        return Remote(files, _same, empty=not seen)

    def _put(self, local: Local, rel: str) -> None:
        path = local.files[rel]
        digest = base64.b64encode(bytes.fromhex(md5(path))).decode("ascii")
        with path.open("rb") as body:
            self.client.put_object(Bucket=self.bucket, Key=self._key(rel), Body=body,
                                   ContentMD5=digest, **object_headers(rel))

    def upload(self, local: Local, paths: list[str]) -> None:
        """Put PATHS with their headers, several at once; pages after the files they link to."""
        assets = [rel for rel in paths if not rel.endswith(".html")]
        pages = [rel for rel in paths if rel.endswith(".html")]
        with self._errors(), ThreadPoolExecutor(UPLOADS_AT_ONCE) as pool:
            for batch in (assets, pages):
                for done in [pool.submit(self._put, local, rel) for rel in batch]:
                    done.result()

    def delete(self, local: Local, paths: list[str]) -> None:
        """Delete PATHS, a thousand per request; any object it could not delete is an error."""
        with self._errors():
            for start in range(0, len(paths), DELETES_PER_REQUEST):
                batch = paths[start:start + DELETES_PER_REQUEST]
                answer = self.client.delete_objects(Bucket=self.bucket, Delete={
                    "Objects": [{"Key": self._key(rel)} for rel in batch], "Quiet": True})
                failed = answer.get("Errors", [])
                if failed:
                    first = failed[0]
                    raise GeneratorError(f"{self.where}: could not delete {len(failed)} objects, "
                                         f"e.g. {first.get('Key')}: {first.get('Code')}")

    def finish(self) -> None:
        """Nothing to do: every object is in place."""

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None
