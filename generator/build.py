"""`wenji build`: load the site, plan every output, render and swap it in atomically."""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from typing import IO, Any

from generator import confine
from generator.config import SiteConfig, override, require_content
from generator.errors import ArticleCrash, FrontMatterError, GeneratorError
from generator.model import pages
from generator.model.load import scan
from generator.model.site import load_site
from generator.model.cache import LastBuild, PageDigests
from generator.pool import can_fork, workers
from generator.render import fingerprint
from generator.render.env import make_env
from generator.render.theme import Theme
from generator.report import ExitStatus

PROGRESS_FROM = 2000
"""Outputs from which a progress bar is shown on a terminal."""


@dataclass
class BuildResult:
    """What a build did: files written and unchanged, bad articles left out, time taken."""

    written: int = 0
    unchanged: int = 0
    articles: int = 0
    problems: list[GeneratorError] = field(default_factory=list)
    seconds: float = 0.0
    phases: dict[str, float] = field(default_factory=dict)
    """Seconds spent loading, planning and writing (for benchmarks)."""
    mode: str = "full"
    """How the output was made: "full" build, "patch" of a few pages, or "unchanged"."""

    @property
    def pages(self) -> int:
        return self.written + self.unchanged

    @property
    def exit_code(self) -> int:
        return ExitStatus.CONTENT_ERROR if self.problems else ExitStatus.OK

    def summary(self) -> str:
        """One line: 'built 312 articles: 1,204 files (1,100 written, 104 unchanged) in 0.84 s'."""
        text = (f"built {self.articles:,} article{'s' if self.articles != 1 else ''}: "
                f"{self.pages:,} files "
                f"({self.written:,} written, {self.unchanged:,} unchanged)")
        if self.problems:
            n = len(self.problems)
            text += f", {n} bad article{'s' if n != 1 else ''} left out"
        return text + f" in {self.seconds:.2f} s"


def _reuse(written: int, unchanged: int, articles: int, problems: list[tuple], started: float,
           stream: IO[str], mode: str) -> BuildResult:
    """The result of a build that kept (or patched) the previous output."""
    errors = [FrontMatterError(*p) for p in problems]
    for problem in errors:
        print(f"error: {problem}", file=stream)
    return BuildResult(written, unchanged, articles, errors, time.perf_counter() - started,
                       {"load": 0.0, "plan": 0.0, "write": 0.0}, mode)


def _bar(**options: Any) -> Any:
    """A tqdm progress bar (imported here: builds that reuse the output need none)."""
    from tqdm import tqdm

    class Bar(tqdm):
        monitor_interval = 0  # no monitor thread: the build forks worker processes

    return Bar(**options)


def build(cfg: SiteConfig, *, drafts: bool | None = None, clean: bool = False,
          progress: bool | None = None, stream: IO[str] = sys.stderr) -> BuildResult:
    """Build CFG's site into cfg.output_path; GeneratorError means nothing was swapped in."""
    from generator import outdir, outputs, patch, writer

    started = time.perf_counter()
    require_content(cfg)
    if drafts is not None:
        cfg = override(cfg, drafts=drafts)
    theme = Theme.load(cfg)
    scanned = scan(cfg.content_path, cfg.site_dir)
    env = make_env(cfg, theme, pages.menu(scanned.pages))
    key = fingerprint.build_key(cfg, theme, env)
    for note in confine.outside_note(scanned.outside + theme.outside(), "the site folder",
                                     cfg.site_dir):
        print(f"warning: {note}", file=stream)
    inputs = fingerprint.input_stamps(cfg, theme, scanned)
    last = LastBuild(cfg)
    outdir.recover(cfg.output_path)
    held = outdir.read_token(cfg.output_path)  # which build the output holds
    saved = None if clean else last.load(key, held)
    if saved is not None and saved["inputs"] == inputs:  # the output is what this input gives
        return _reuse(0, saved["files"], saved["articles"], saved["problems"], started, stream,
                      "unchanged")
    if saved is not None:
        patched = patch.try_patch(cfg, env, key, saved, inputs)
        if patched is not None:
            return _reuse(patched.written, patched.unchanged, patched.articles, saved["problems"],
                          started, stream, "patch")
    site, problems = load_site(cfg, cached=True, clean=clean, scanned=scanned)
    loaded = time.perf_counter()
    for problem in problems:
        print(f"error: {problem}", file=stream)
    planned = [o for plan in outputs.ALL for o in plan(site, cfg)]
    store = PageDigests(cfg, key)
    known = {} if clean else store.load(held)
    writer.compile_templates(env, {o.template for o in planned if o.template})
    planned_at = time.perf_counter()
    show = progress if progress is not None else (len(planned) >= PROGRESS_FROM
                                                  and stream.isatty())
    contexts = patch.RecipeStore(cfg)
    with _bar(total=len(planned), file=stream, disable=not show, unit="file", leave=False) as bar:
        result = writer.write(planned, env, cfg.output_path,
                              jobs=workers() if can_fork() else 1,
                              protected=[cfg.site_dir, cfg.content_path], known=known,
                              contexts=contexts.prepare(), budget=cfg.timeout,
                              tick=bar.update)
    for problem in result.problems:
        print(f"error: {problem}", file=stream)
    problems = problems + result.problems
    token = outdir.token(result.digests)
    store.save(token, result.digests)
    contexts.save_index(patch.Index(key, token, result.saved,
                                    {e.key: patch.shape(e) for e in site.entries}))
    if not any(isinstance(p, ArticleCrash) for p in problems):  # else the next build retries
        last.save(key=key, token=token, inputs=inputs, files=len(planned),
                  articles=len(site.entries),
                  problems=[(p.message, p.path, p.line, p.hint) for p in problems])
    done = time.perf_counter()
    return BuildResult(result.written, result.unchanged, len(site.entries), problems,
                       done - started, {"load": loaded - started, "plan": planned_at - loaded,
                                        "write": done - planned_at})
