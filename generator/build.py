"""`wenji build`: decide from the last build's manifest, then load, plan and write (a patch of a few
pages, or every output swapped in atomically), and record the new manifest."""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from generator import confine, outdir
from generator.config import SiteConfig, override, require_content
from generator.errors import ArticleCrash, FrontMatterError, GeneratorError
from generator.incremental import contexts, manifest, patch
from generator.incremental.decide import Full, Patch, Unchanged, decide
from generator.model import pages
from generator.model.cache import Stamp
from generator.model.load import Scan, scan
from generator.model.site import load_site
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


def _bar(**options: Any) -> Any:
    """A tqdm progress bar (imported here: builds that reuse the output need none)."""
    from tqdm import tqdm

    class Bar(tqdm):
        monitor_interval = 0  # no monitor thread: the build forks worker processes

    return Bar(**options)


def build(cfg: SiteConfig, *, drafts: bool | None = None, clean: bool = False,
          progress: bool | None = None, stream: IO[str] = sys.stderr) -> BuildResult:
    """Build CFG's site into cfg.output_path; GeneratorError means nothing was swapped in.

    decide (from the one manifest of the build the output holds) → load → plan → write, then
    record the new manifest: the same steps whether a few pages are patched or all are built.
    """
    started = time.perf_counter()
    cfg, env, scanned, key, inputs = _read_inputs(cfg, drafts, stream)
    outdir.recover(cfg.output_path)
    last = manifest.load(cfg)
    decision = decide(last, key, outdir.read_token(cfg.output_path), inputs, clean)
    planned = (patch.plan(cfg, env, last, decision.changed, inputs)
               if isinstance(decision, Patch) and last is not None else None)
    if isinstance(decision, Unchanged) and last is not None:
        made = Made(0, last.files, last, "unchanged")
    elif planned is not None:
        made = Made(patch.write(cfg, planned), planned.unchanged, planned.state, "patch")
    else:
        reuse = not isinstance(decision, Full) or decision.reuse
        made = _full(cfg, env, scanned, key, inputs, last if reuse else None, clean,
                     progress, stream)
    if made.state is not last:
        manifest.save(cfg, made.state)
    problems = (made.problems if made.problems is not None
                else [FrontMatterError(*p) for p in made.state.problems])
    for problem in problems:
        print(f"error: {problem}", file=stream)
    return BuildResult(made.written, made.unchanged, made.state.articles, problems,
                       time.perf_counter() - started,
                       made.phases or {"load": 0.0, "plan": 0.0, "write": 0.0}, made.mode)


def _read_inputs(cfg: SiteConfig, drafts: bool | None, stream: IO[str]
                 ) -> tuple[SiteConfig, Any, Scan, str, dict[str, Stamp]]:
    """The settings, template environment, content scan, build key and input stamps."""
    require_content(cfg)
    if drafts is not None:
        cfg = override(cfg, drafts=drafts)
    theme = Theme.load(cfg)
    scanned = scan(cfg.content_path, cfg.site_dir)
    env = make_env(cfg, theme, pages.menu(scanned.pages))
    for note in confine.outside_note(scanned.outside + theme.outside(), "the site folder",
                                     cfg.site_dir):
        print(f"warning: {note}", file=stream)
    return (cfg, env, scanned, fingerprint.build_key(cfg, theme, env),
            fingerprint.input_stamps(cfg, theme, scanned))


@dataclass
class Made:
    """What the chosen path did, and the manifest of the output it leaves."""

    written: int
    unchanged: int
    state: manifest.Manifest
    mode: str
    problems: list[GeneratorError] | None = None
    """This build's problems (None: those of the output it kept, in its manifest)."""
    phases: dict[str, float] = field(default_factory=dict)


def _full(cfg: SiteConfig, env: Any, scanned: Scan, key: str, inputs: dict[str, Stamp],
          last: manifest.Manifest | None, clean: bool, progress: bool | None,
          stream: IO[str]) -> Made:
    """Load the whole site, plan every output and write them (linking the pages LAST says are
    unchanged from the output; CLEAN: no cached entry either)."""
    from generator import outputs, writer

    started = time.perf_counter()
    site, problems = load_site(cfg, cached=True, clean=clean, scanned=scanned)
    loaded = time.perf_counter()
    planned = [o for plan in outputs.ALL for o in plan(site, cfg)]
    writer.compile_templates(env, {o.template for o in planned if o.template})
    planned_at = time.perf_counter()
    show = progress if progress is not None else (len(planned) >= PROGRESS_FROM
                                                  and stream.isatty())
    saving = contexts.prepare(manifest.folder(cfg))
    with _bar(total=len(planned), file=stream, disable=not show, unit="file", leave=False) as bar:
        result = writer.write(planned, env, cfg.output_path,
                              jobs=workers() if can_fork() else 1,
                              protected=[cfg.site_dir, cfg.content_path],
                              known=last.digests if last is not None else {},
                              contexts=saving, budget=cfg.timeout, tick=bar.update)
    problems = problems + result.problems
    state = manifest.Manifest(
        key=key, token=outdir.token(result.digests), inputs=inputs, digests=result.digests,
        shapes={e.key: manifest.shape(e) for e in site.entries},
        saved=result.saved if saving is not None else None,
        contexts=saving.name if saving is not None else None,
        search=_search_state(cfg),
        files=result.written + result.unchanged, articles=len(site.entries),
        problems=[(p.message, p.path, p.line, p.hint) for p in problems],
        complete=not any(isinstance(p, ArticleCrash) for p in problems))
    done = time.perf_counter()
    return Made(result.written, result.unchanged, state, "full", problems=problems,
                phases={"load": loaded - started, "plan": planned_at - loaded,
                        "write": done - planned_at})


def _search_state(cfg: SiteConfig) -> dict | None:
    """The segments of the search index the build wrote into the output (None with search off)."""
    from generator.outputs.search import FOLDER
    from generator.search import segments

    return segments.read_manifest(Path(cfg.output_path) / FOLDER) if cfg.search.enabled else None
