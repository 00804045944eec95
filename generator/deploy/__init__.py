"""Command `wenji deploy`, as steps: build, load the local files, load what the target holds,
refuse unsafe targets, diff, print the plan and guard deletions, then upload, delete, finish.

One publisher per target scheme (targets.py); the refusals live in guard.py.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Callable

from generator.config import SiteConfig, override
from generator.deploy.guard import (MARKER, MARKER_TEXT, refuse_foreign, refuse_local_base_url,
                                    refuse_overlap)
from generator.deploy.plan import Plan, diff, load_local
from generator.deploy.process import redact
from generator.deploy.targets import SCHEMES, publisher_for
from generator.errors import ConfigError, GeneratorError
from generator.report import ExitStatus

__all__ = ["DeployResult", "deploy", "publisher_for"]


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


def _build(cfg: SiteConfig, builder: Callable[..., Any] | None, stream: IO[str]) -> None:
    """Build the site; refuse to go on if the build failed or reported errors."""
    if builder is None:
        from generator.build import build as builder
    result = builder(cfg, stream=stream)
    if int(getattr(result, "exit_code", 0)) != 0:
        raise GeneratorError("the build reported errors; nothing was deployed",
                             hint="fix the errors above, then deploy again")


def _output(cfg: SiteConfig, scratch: Path, *, build_first: bool, dry_run: bool,
            builder: Callable[..., Any] | None, stream: IO[str]) -> Path:
    """The folder to publish, absolute: the site's output, built first unless told not to.

    A dry run builds into SCRATCH instead, so the site's own output is left as it was.
    """
    if build_first and dry_run:
        cfg = override(cfg, output_dir=str(scratch / "output"))
        try:
            _build(cfg, builder, stream)
        finally:
            from generator.model import cache

            cache.forget(cfg)  # a dry run's scratch build leaves nothing in the site's cache
    elif build_first:
        _build(cfg, builder, stream)
    local = cfg.output_path.absolute()
    if not local.is_dir() or not any(local.iterdir()):
        raise GeneratorError("nothing to deploy: the output folder is empty", local,
                             hint="run wenji build first (or drop --no-build)")
    return local


def deploy(cfg: SiteConfig, target: str | None = None, *, dry_run: bool = False,
           max_deletes: int | None = None, yes: bool = False, force: bool = False,
           build_first: bool = True, base_url_given: bool = False, stream: IO[str] | None = None,
           builder: Callable[..., Any] | None = None) -> DeployResult:
    """Build (unless told not to), plan, print the plan, guard deletions, and apply unless a dry run.

    Refuses (ConfigError) a target that is, holds or lies in the site or output folder or holds
    the home folder; a target neither empty nor marked by a previous deploy (unless FORCE); and
    a localhost base_url (unless BASE_URL_GIVEN on the command line).
    """
    stream = stream if stream is not None else sys.stderr
    target = target or cfg.deploy.target
    if not target:
        raise ConfigError("no deploy target", hint=f"pass one ({SCHEMES}) or set deploy.target "
                                                   "in site.yml")
    publisher = publisher_for(target, cfg)
    shown = redact(target)
    if publisher.local_path is not None:
        refuse_overlap(publisher.local_path, shown, {
            "site folder": cfg.site_dir, "output folder": cfg.output_path, "home folder": Path.home()})
    refuse_local_base_url(cfg.base_url, base_url_given)
    limit = cfg.deploy.max_deletes if max_deletes is None else max_deletes
    scratch = Path(tempfile.mkdtemp(prefix="wenji-deploy-"))
    try:
        output = _output(cfg, scratch, build_first=build_first, dry_run=dry_run, builder=builder,
                         stream=stream)
        local = load_local(output, scratch / "added", {MARKER: MARKER_TEXT, **publisher.extra})
        remote = publisher.remote(local)
        refuse_foreign(shown, remote.empty, remote.marked, force)
        plan = diff(local, remote)
        built = "a build in a temporary folder" if dry_run and build_first else output
        print(f"deploy plan for {built} → {shown}:", file=stream)
        if not remote.empty and not remote.marked:
            print(f"  (--force: {shown} was not a Wenji deployment; its files are replaced)",
                  file=stream)
        plan.print(stream)
        if len(plan.deletes) > limit and not yes:
            raise GeneratorError(f"refusing to delete {len(plan.deletes)} files at {shown} "
                                 f"(more than --max-deletes {limit})",
                                 hint="check the target and the plan above, then pass --yes "
                                      "or a higher --max-deletes")
        if dry_run or plan.empty:
            return DeployResult(shown, plan, dry_run=dry_run)
        publisher.upload(local, plan.uploads)
        publisher.delete(local, plan.deletes)
        publisher.finish()
        return DeployResult(shown, plan, applied=True)
    finally:
        publisher.close()
        shutil.rmtree(scratch, ignore_errors=True)
