"""Deploy target URL → the publisher for its scheme (one publisher per scheme), configured."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

from generator.config import SiteConfig
from generator.deploy.plan import Publisher
from generator.deploy.process import redact
from generator.errors import ConfigError
from generator.hosts import is_this_machine

SCHEMES = ("git+URL#branch, rsync://host/path, ssh://host/path, rsync+file:///path, "
           "file:///path or s3://bucket/prefix")


def _no_option(value: str, target: str) -> str:
    if value.startswith("-"):
        raise ConfigError(f"bad deploy target {redact(target)!r}: '{value}' looks like an option")
    return value


def _git(target: str, cfg: SiteConfig) -> Publisher:
    from generator.deploy.ghpages import GitPublisher

    url, _, branch = target[4:].partition("#")
    if not url:
        raise ConfigError(f"bad deploy target {target!r}: no repository URL after git+")
    extra = {".nojekyll": b""}
    if cfg.deploy.cname:
        extra["CNAME"] = cfg.deploy.cname.strip().encode("utf-8") + b"\n"
    _no_option(url, target)
    parts = urlsplit(url)
    if parts.scheme == "file":
        local: Path | None = Path(unquote(parts.path))
    elif "://" in url or (":" in url and "/" not in url.split(":", 1)[0]):
        local = None  # a URL or host:path: another machine's repository
    else:
        local = Path(url).expanduser().absolute()
        url = str(local)
    return GitPublisher(url, _no_option(branch or "gh-pages", target),
                        extra=extra, message=f"Deploy {cfg.title}", local_path=local)


def _local_path(scheme: str, target: str) -> Path:
    parts = urlsplit(target)
    if parts.netloc not in ("", "localhost"):
        raise ConfigError(f"{scheme}:// target on another host: {redact(target)!r}",
                          hint="use file:///absolute/path, or rsync:// / ssh:// for hosts")
    path = Path(unquote(parts.path))
    if not path.is_absolute():
        raise ConfigError(f"bad deploy target {target!r}: need an absolute folder path",
                          hint=f"e.g. {scheme}:///srv/www/archive")
    return path


def _rsync(target: str) -> Publisher:
    from generator.deploy.rsync import RsyncPublisher

    parts = urlsplit(target)
    if parts.scheme == "rsync+file":
        path = _local_path("rsync+file", target)
        return RsyncPublisher(_no_option(str(path), target), local_path=path)
    path = unquote(parts.path)
    if not parts.hostname or not path:
        raise ConfigError(f"bad deploy target {redact(target)!r}: need host and path",
                          hint="e.g. rsync://user@example.org/var/www/site")
    user = f"{parts.username}@" if parts.username else ""
    remote_path = path[1:] if path.startswith("/~") else path
    here = is_this_machine(parts.hostname)  # ssh to this machine: still a local folder
    return RsyncPublisher(_no_option(f"{user}{parts.hostname}:{remote_path}", target),
                          port=parts.port, local_path=Path(remote_path).expanduser() if here else None)


def _s3(target: str, cfg: SiteConfig) -> Publisher:
    from generator.deploy.s3 import S3Publisher

    parts = urlsplit(target)
    if not parts.netloc or parts.query or parts.fragment:
        raise ConfigError(f"bad deploy target {redact(target)!r}: need s3://bucket/prefix",
                          hint="e.g. s3://my-archive/ or s3://my-bucket/archive/")
    return S3Publisher(parts.netloc, unquote(parts.path).strip("/"),
                       endpoint=cfg.deploy.endpoint or None)


def publisher_for(target: str, cfg: SiteConfig) -> Publisher:
    """Pick and configure the publisher that TARGET's URL scheme names."""
    if target.startswith("git+"):
        return _git(target, cfg)
    scheme = urlsplit(target).scheme
    if scheme == "file":
        from generator.deploy.local import FolderPublisher

        return FolderPublisher(_local_path("file", target))
    if scheme in ("rsync", "ssh", "rsync+file"):
        return _rsync(target)
    if scheme == "s3":
        return _s3(target, cfg)
    raise ConfigError(f"unknown deploy target {redact(target)!r}", hint=f"use {SCHEMES}")
