"""Command `wenji deploy`: build, diff the output with a target picked by URL scheme, apply."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Callable
from urllib.parse import unquote, urlsplit

from generator.config import SiteConfig
from generator.deploy.plan import Plan, Publisher
from generator.deploy.process import redact
from generator.errors import ConfigError, GeneratorError
from generator.report import ExitStatus

SCHEMES = "git+URL#branch, rsync://host/path, ssh://host/path, rsync+file:///path or file:///path"


@dataclass
class DeployResult:
    target: str
    plan: Plan
    dry_run: bool = False
    applied: bool = False

    def summary(self) -> str:
        """One line: what was (or would be) uploaded and deleted where."""
        up, down, same = len(self.plan.uploads), len(self.plan.deletes), self.plan.unchanged
        if self.plan.empty:
            return f"{self.target} is up to date ({same} files)"
        if self.dry_run:
            return (f"(dry run) would upload {up}, delete {down}, keep {same} unchanged "
                    f"at {self.target}")
        return f"deployed to {self.target}: {up} uploaded, {down} deleted, {same} unchanged"

    @property
    def exit_code(self) -> ExitStatus:
        return ExitStatus.OK


def _no_option(value: str, target: str) -> str:
    if value.startswith("-"):
        raise ConfigError(f"bad deploy target {redact(target)!r}: '{value}' looks like an option")
    return value


def _git_remote(url: str) -> str:
    """Return URL as git should see it (a local path made absolute; URLs and host:path kept)."""
    if "://" in url or (":" in url and "/" not in url.split(":", 1)[0]):
        return url
    return str(Path(url).expanduser().absolute())


def publisher_for(target: str, cfg: SiteConfig) -> Publisher:
    """Pick and configure the publisher that TARGET's URL scheme names."""
    if target.startswith("git+"):
        from generator.deploy.ghpages import GitPublisher

        url, _, branch = target[4:].partition("#")
        extra = {".nojekyll": b""}
        if cfg.deploy.cname:
            extra["CNAME"] = cfg.deploy.cname.strip().encode("utf-8") + b"\n"
        if not url:
            raise ConfigError(f"bad deploy target {target!r}: no repository URL after git+")
        return GitPublisher(_git_remote(_no_option(url, target)),
                            _no_option(branch or "gh-pages", target),
                            extra=extra, message=f"Deploy {cfg.title}")
    parts = urlsplit(target)
    path = unquote(parts.path)
    if parts.scheme == "file":
        from generator.deploy.local import FolderPublisher

        if parts.netloc not in ("", "localhost"):
            raise ConfigError(f"file:// target on another host: {target!r}",
                              hint="use file:///absolute/path, or rsync:// / ssh:// for hosts")
        return FolderPublisher(Path(path))
    if parts.scheme in ("rsync", "ssh", "rsync+file"):
        from generator.deploy.rsync import RsyncPublisher

        if parts.scheme == "rsync+file":
            return RsyncPublisher(_no_option(path, target))
        if not parts.hostname or not path:
            raise ConfigError(f"bad deploy target {redact(target)!r}: need host and path",
                              hint="e.g. rsync://user@example.org/var/www/site")
        user = f"{parts.username}@" if parts.username else ""
        remote_path = path[1:] if path.startswith("/~") else path
        return RsyncPublisher(_no_option(f"{user}{parts.hostname}:{remote_path}", target),
                              port=parts.port)
    raise ConfigError(f"unknown deploy target {redact(target)!r}", hint=f"use {SCHEMES}")


def _build(cfg: SiteConfig, builder: Callable[..., Any] | None, stream: IO[str]) -> None:
    """Build the site; refuse to go on if the build failed or reported errors."""
    if builder is None:
        from generator.build import build as builder
    result = builder(cfg, stream=stream)
    if int(getattr(result, "exit_code", 0)) != 0:
        raise GeneratorError("the build reported errors; nothing was deployed",
                             hint="fix the errors above, then deploy again")


def deploy(cfg: SiteConfig, target: str | None = None, *, dry_run: bool = False,
           max_deletes: int | None = None, yes: bool = False, build_first: bool = True,
           stream: IO[str] | None = None, builder: Callable[..., Any] | None = None) -> DeployResult:
    """Build (unless told not to), plan, print the plan, guard deletions, and apply unless a dry run."""
    stream = stream if stream is not None else sys.stderr
    target = target or cfg.deploy.target
    if not target:
        raise ConfigError("no deploy target", hint=f"pass one ({SCHEMES}) or set deploy.target "
                                                   "in site.yml")
    publisher = publisher_for(target, cfg)
    limit = cfg.deploy.max_deletes if max_deletes is None else max_deletes
    shown = redact(target)
    local = cfg.output_path
    try:
        if build_first:
            _build(cfg, builder, stream)
        if not local.is_dir() or not any(local.iterdir()):
            raise GeneratorError("nothing to deploy: the output folder is empty", local,
                                 hint="run wenji build first (or drop --no-build)")
        plan = publisher.plan(local)
        print(f"deploy plan for {local} → {shown}:", file=stream)
        plan.print(stream)
        if len(plan.deletes) > limit and not yes:
            raise GeneratorError(f"refusing to delete {len(plan.deletes)} files at {shown} "
                                 f"(more than --max-deletes {limit})",
                                 hint="check the target and the plan above, then pass --yes "
                                      "or a higher --max-deletes")
        if dry_run or plan.empty:
            return DeployResult(shown, plan, dry_run=dry_run)
        publisher.apply(local, plan)
        return DeployResult(shown, plan, applied=True)
    finally:
        publisher.close()
