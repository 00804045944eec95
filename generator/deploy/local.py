"""Publisher for file:///path: sync the output into a local folder, touching only changed files."""

from __future__ import annotations

import filecmp
import os
import shutil
import tempfile
from pathlib import Path

from generator.confine import Fence
from generator.deploy.plan import Local, Remote, local_files
from generator.errors import ConfigError, GeneratorError


def _same(path: Path, there: Path) -> bool:
    return filecmp.cmp(path, there, shallow=False)  # files of different sizes are never read


class FolderPublisher:
    """Copy new and changed files into DEST (atomically per file) and delete files no longer built."""

    extra: dict[str, bytes] = {}

    def __init__(self, dest: Path):
        if not dest.is_absolute():
            raise ConfigError(f"file:// target must be an absolute path, not {dest}")
        self.dest = dest
        self.local_path = dest

    def remote(self, local: Local) -> Remote:
        """The files in DEST (a folder holding only folders or symlinks is not empty)."""
        if self.dest.exists() and not self.dest.is_dir():
            raise ConfigError(f"file:// target {self.dest} is not a folder")
        empty = not self.dest.is_dir() or not any(self.dest.iterdir())
        return Remote(local_files(self.dest) if not empty else {}, _same, empty)

    def upload(self, local: Local, paths: list[str]) -> None:
        """Copy PATHS in, each through a temporary file renamed into place."""
        self.dest.mkdir(parents=True, exist_ok=True)
        fence = Fence.around(self.dest)
        for rel in paths:
            dst = self.dest / rel
            for parent in reversed(Path(rel).parents[:-1]):  # a file where a folder now goes
                if (self.dest / parent).is_file() and not (self.dest / parent).is_symlink():
                    (self.dest / parent).unlink()
            if dst.is_dir() and not dst.is_symlink():
                shutil.rmtree(dst)  # a folder where a file now goes: its files were all deletions
            dst.parent.mkdir(parents=True, exist_ok=True)
            if fence.admit(dst.parent) is None:
                raise GeneratorError(f"refusing to write through a symlink out of {self.dest}", dst)
            self._copy(local.files[rel], dst)

    @staticmethod
    def _copy(src: Path, dst: Path) -> None:
        fd, tmp = tempfile.mkstemp(dir=dst.parent, prefix=".wenji-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as out, src.open("rb") as inp:
                shutil.copyfileobj(inp, out)
            os.chmod(tmp, 0o644)
            os.replace(tmp, dst)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def delete(self, local: Local, paths: list[str]) -> None:
        """Remove PATHS, then the folders they leave empty."""
        for rel in paths:
            path = self.dest / rel
            if path.is_symlink() or path.is_file():
                path.unlink()
        folders = {p for rel in paths for p in Path(rel).parents if p != Path(".")}
        for folder in sorted(folders, key=lambda p: -len(p.parts)):
            there = self.dest / folder
            if there.is_dir() and not there.is_symlink() and not any(there.iterdir()):
                there.rmdir()

    def finish(self) -> None:
        """Nothing to do: the files are in place."""

    def close(self) -> None:
        """Nothing to clean up."""
