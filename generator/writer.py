"""list[Output] → files: render, refuse duplicates, write a staging folder, swap it in."""

from __future__ import annotations

import contextlib
import gc
import os
import shutil
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Callable, Sequence

import jinja2

from generator import folders, pool
from generator.errors import ArticleCrash, GeneratorError, OutputCollisionError
from generator.model import frontmatter
from generator.outdir import MARKER, guard, marker, recover, staging_dir, swap_in, token
from generator.outputs import Output
from generator.render import env as render_env
from generator.render import recipe

PARALLEL_FROM = 400
"""Outputs from which rendering is spread over worker processes."""


@dataclass
class WriteResult:
    written: int = 0
    """Files whose bytes are new or changed."""
    unchanged: int = 0
    """Files identical to the previous build (kept with their old mtime)."""
    digests: dict[str, str] = field(default_factory=dict)
    """Output path → digest of its template and context (for the next build)."""
    saved: recipe.Saved = field(default_factory=recipe.Saved)
    """Where each rendered page's context was saved, and which entries it holds."""
    problems: list[GeneratorError] = field(default_factory=list)
    """Pages left out: their renderer raised, crashed or overran its time budget."""


def check_paths(outputs: Sequence[Output]) -> None:
    """Refuse unsafe output paths and two outputs for one path (naming both sources)."""
    seen: dict[str, Output] = {}
    for out in outputs:
        parts = out.path.split("/")  # relative, normalized, no '..', not the marker
        if ("\\" in out.path or parts[-1] == MARKER
                or any(part in ("", ".", "..") for part in parts)):
            raise GeneratorError(f"unsafe output path '{out.path}'", out.source)
        key = out.path.casefold()  # one file on case-insensitive file systems
        if key in seen:
            raise OutputCollisionError(
                f"{seen[key].source or '?'} and {out.source or '?'} would both write "
                f"'{out.path}'", out.source, hint="change a slug, tag or theme file name")
        seen[key] = out


def _syntax_error(exc: jinja2.TemplateSyntaxError) -> GeneratorError:
    return GeneratorError(f"template error: {exc.message}", exc.filename or exc.name, exc.lineno,
                          hint="fix the template; the previous output is left as it was")


def compile_templates(env: jinja2.Environment, names: set[str]) -> None:
    """Compile every template NAMES needs (once, before worker processes fork); a syntax error
    names the template file and line."""
    for name in sorted(names):
        try:
            env.get_template(name)
        except jinja2.TemplateSyntaxError as exc:
            raise _syntax_error(exc) from None


class _Emitter:
    """Render outputs into the staging folder, linking files unchanged since the last build."""

    def __init__(self, outputs: Sequence[Output], env: jinja2.Environment, staging: Path,
                 previous: Path | None, known: dict[str, str], contexts: Path | None):
        self.outputs, self.env, self.staging, self.previous = outputs, env, staging, previous
        self.known = known
        """Output path → digest of its template and context in the previous build."""
        self.made: set[str] = set()
        self.contexts = contexts
        """Folder where each process appends the contexts it renders (None: not kept)."""
        self.file: IO[bytes] | None = None

    def render(self, out: Output, context: dict[str, Any]) -> bytes:
        try:
            return render_env.render(self.env, out.template or "", out.path, context)
        except jinja2.TemplateSyntaxError as exc:
            raise _syntax_error(exc) from None
        except jinja2.TemplateError as exc:
            raise GeneratorError(f"template {out.template} failed for /{out.path}: {exc}",
                                 out.source) from None

    def keep(self, data: bytes) -> tuple[str, int, int]:
        """Append a saved context to this process's contexts file: (file name, offset, length)."""
        if self.file is None:
            assert self.contexts is not None
            self.file = open(self.contexts / f"contexts-{os.getpid()}.bin", "ab")
        offset = self.file.tell()
        self.file.write(data)
        return self.file.name.rsplit("/", 1)[-1], offset, len(data)

    def emit(self, index: int) -> tuple[bool, tuple[str, list[str], Any] | None]:
        """Write output INDEX; (True if its bytes changed, (digest, entry keys, where its
        context was kept) when it has a template)."""
        out = self.outputs[index]
        parent, _, _ = out.path.rpartition("/")
        if parent and parent not in self.made:
            folder = os.path.join(self.staging, parent)
            try:
                os.mkdir(folder)  # its parent is usually there already: one system call
            except FileExistsError:
                pass
            except FileNotFoundError:
                os.makedirs(folder, exist_ok=True)
            self.made.add(parent)
        target = os.path.join(self.staging, out.path)
        old = os.path.join(self.previous, out.path) if self.previous is not None else None
        kept = None
        if out.copy_of is not None:
            if old is not None and _same_file(old, out.copy_of) and _link(old, target):
                return False, None
            shutil.copyfile(out.copy_of, target)
            return True, None
        if out.data is None:
            context = out.resolved_context()
            saved, refs, digest, mac = recipe.record(out.template or "", context)
            kept = (digest, refs, (self.keep(saved), mac) if self.contexts is not None else None)
            if (old is not None and self.known.get(out.path) == digest and _regular(old)
                    and _link(old, target)):
                return False, kept
            data = self.render(out, context)
        else:
            data = out.data
        return _place(target, old, data), kept

    def emit_one(self, index: int) -> Any:
        """emit(INDEX), a template error as plain fields (exceptions lose theirs in a pipe)."""
        try:
            return self.emit(index)
        except GeneratorError as exc:
            return ("error", exc.message, exc.path, exc.line)

    def flush(self) -> None:
        if self.file is not None:
            self.file.flush()


_NEW_FILE = (os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
             | getattr(os, "O_BINARY", 0))  # no newline translation on Windows


def _write_new(path: str, data: bytes) -> None:
    """Write DATA into the new file PATH (plain system calls: a build writes thousands).

    PATH may be there already when a worker died after writing it and it is written again.
    """
    try:
        fd = os.open(path, _NEW_FILE, 0o666)
    except FileExistsError:
        os.unlink(path)
        fd = os.open(path, _NEW_FILE, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)


def _place(target: str, old: str | None, data: bytes) -> bool:
    """Write DATA into TARGET, or link OLD there if it holds DATA; True when it did not."""
    if old is not None and _same(old, data) and _link(old, target):
        return False
    _write_new(target, data)
    return True


def _link(old: str, target: str) -> bool:
    """Reuse the previous build's file (same inode, same mtime); False if it is gone."""
    try:
        os.link(old, target)
    except FileNotFoundError:
        return False
    except OSError:
        try:
            shutil.copy2(old, target)
        except OSError:
            return False
    return True


def _regular(path: str) -> bool:
    """Whether PATH is a regular file itself (never a link: it would be published as one)."""
    try:
        return stat.S_ISREG(os.stat(path, follow_symlinks=False).st_mode)
    except OSError:
        return False


def _same(path: str, data: bytes) -> bool:
    try:
        st = os.stat(path, follow_symlinks=False)
        if not stat.S_ISREG(st.st_mode) or st.st_size != len(data):
            return False
        with open(path, "rb") as fh:
            return fh.read() == data
    except OSError:
        return False


def _same_file(path: str, source: str) -> bool:
    """Whether the file PATH holds the bytes of SOURCE (read a piece at a time)."""
    try:
        st, src = os.stat(path, follow_symlinks=False), os.stat(source)
        if not stat.S_ISREG(st.st_mode) or st.st_size != src.st_size:
            return False
        with open(path, "rb") as a, open(source, "rb") as b:
            while True:
                piece = a.read(1 << 20)
                if piece != b.read(1 << 20):
                    return False
                if not piece:
                    return True
    except OSError:
        return False


def _emit_all(emitter: _Emitter, jobs: int, budget: float,
              tick: Callable[[int], None]) -> WriteResult:
    pages = [i for i, out in enumerate(emitter.outputs) if out.files is None]
    size = 64
    chunks = [pages[i:i + size] for i in range(0, len(pages), size)]
    result = WriteResult()
    if jobs <= 1:
        for items, answers in pool.run_here(emitter.emit_one, chunks, emitter.flush):
            _tally(result, items, answers, emitter.outputs)
            tick(len(items))
        return result
    gc.freeze()  # the site's objects move out of the collector's reach: workers that run a
    try:         # collection would otherwise touch (and so copy) every page they share
        with contextlib.closing(pool.run(emitter.emit_one, chunks, jobs, budget=budget,
                                         after=emitter.flush)) as results:
            for items, answers in results:
                _tally(result, items, answers, emitter.outputs)
                tick(len(items))
    finally:
        gc.unfreeze()
    return result


def _tally(result: WriteResult, items: list[int], answers: list[Any],
           outputs: Sequence[Output]) -> None:
    for i, answer in zip(items, answers):
        out = outputs[i]
        if isinstance(answer, (pool.Died, pool.Failed)):
            result.problems.append(_left_out(out, answer))
            continue
        if answer[0] == "error":
            raise GeneratorError(answer[1], answer[2], answer[3])
        changed, kept = answer
        if changed:
            result.written += 1
        else:
            result.unchanged += 1
        if kept is not None:
            digest, refs, where = kept
            result.digests[out.path] = digest
            if where is not None:
                place, mac = where
                result.saved.add(out.path, out.template or "", place, refs, mac)


def _left_out(out: Output, how: pool.Died | pool.Failed) -> GeneratorError:
    """The problem of an output whose renderer raised (Failed) or whose worker died on it."""
    line = frontmatter.body_line(out.source) if out.source and out.source.endswith(".md") else None
    if isinstance(how, pool.Failed):
        return GeneratorError(f"/{out.path} was left out: {how.error}", out.source, line)
    return ArticleCrash(f"/{out.path} was left out: {how.reason()}", out.source, line)


def write(outputs: Sequence[Output], env: jinja2.Environment, out_dir: Path, *,
          jobs: int = 1, protected: Sequence[Path] = (), known: dict[str, str] | None = None,
          contexts: Path | None = None, budget: float = 0.0,
          tick: Callable[[int], None] = lambda n: None) -> WriteResult:
    """Render OUTPUTS into OUT_DIR atomically; unchanged files keep their mtime.

    KNOWN maps output paths to the context digests of the build that wrote OUT_DIR; a page
    whose digest is unchanged is not rendered again but linked from there. With CONTEXTS (an
    empty folder), every page's context is saved there (see WriteResult.saved). Pages are
    rendered by JOBS worker processes (from PARALLEL_FROM outputs), each under BUDGET seconds;
    a page whose renderer raises, crashes or overruns is left out (WriteResult.problems).
    """
    check_paths(outputs)
    recover(out_dir)
    guard(out_dir, protected)
    staging = staging_dir(out_dir)
    staging.mkdir(parents=True)
    try:
        previous = out_dir if out_dir.is_dir() else None
        emitter = _Emitter(outputs, env, staging, previous, known or {}, contexts)
        jobs = jobs if len(outputs) >= PARALLEL_FROM else 1
        running = folders.Running([o for o in outputs if o.files is not None], staging,
                                  previous, _place, fork=jobs > 1)
        try:
            result = _emit_all(emitter, jobs, budget, tick)
            made = running.finish()
        finally:
            running.stop()
            if emitter.file is not None:
                emitter.file.close()
        result.written += made.written
        result.unchanged += made.unchanged
        (staging / MARKER).write_bytes(marker(token(result.digests)))
        swap_in(staging, out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return result
