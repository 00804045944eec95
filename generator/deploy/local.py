"""Publisher for file:///path: sync the output into a local folder, touching only changed files."""

from __future__ import annotations

import filecmp
import os
import shutil
import tempfile
from pathlib import Path

from generator.deploy.plan import Plan, local_files
from generator.errors import GeneratorError


class FolderPublisher:
    """Copy new and changed files into DEST (atomically per file) and delete files no longer built."""

    def __init__(self, dest: Path):
        if not dest.is_absolute():
            raise GeneratorError(f"file:// target must be an absolute path, not {dest}")
        if dest == Path(dest.anchor) or dest == Path.home():
            raise GeneratorError(f"refusing to deploy into {dest}",
                                 hint="point file:// at a folder of its own, e.g. a web root")
        self.dest = dest

    def _check_overlap(self, local: Path) -> None:
        src, dst = local.resolve(), self.dest.resolve()
        if src == dst or src in dst.parents or dst in src.parents:
            raise GeneratorError(f"deploy folder {self.dest} overlaps the build output {local}",
                                 hint="deploy to a folder outside the site's output")

    def plan(self, local: Path) -> Plan:
        """Compare the built files with DEST: sizes first, then contents."""
        self._check_overlap(local)
        ours = local_files(local)
        theirs = local_files(self.dest) if self.dest.is_dir() else {}
        plan = Plan(deletes=[rel for rel in theirs if rel not in ours])
        for rel, path in ours.items():
            there = theirs.get(rel)
            if there is None or there.stat().st_size != path.stat().st_size \
                    or not filecmp.cmp(path, there, shallow=False):
                plan.uploads.append(rel)
            else:
                plan.unchanged += 1
        return plan

    def apply(self, local: Path, plan: Plan) -> None:
        """Upload first (so the site stays whole), then delete and prune emptied folders."""
        self._check_overlap(local)
        self.dest.mkdir(parents=True, exist_ok=True)
        uploads = set(plan.uploads)
        blocking = [rel for rel in plan.deletes if any(u.startswith(rel + "/") for u in uploads)]
        for rel in blocking:
            (self.dest / rel).unlink(missing_ok=True)
        for rel in plan.uploads:
            self._copy(local / rel, self.dest / rel)
        for rel in plan.deletes:
            path = self.dest / rel
            if path.is_symlink() or path.is_file():
                path.unlink()
        self._prune(set(plan.deletes), local)

    def _copy(self, src: Path, dst: Path) -> None:
        if dst.is_dir() and not dst.is_symlink():
            shutil.rmtree(dst)  # a folder where a file now goes: its files were all deletions
        dst.parent.mkdir(parents=True, exist_ok=True)
        top = self.dest.resolve()
        if top != dst.parent.resolve() and top not in dst.parent.resolve().parents:
            raise GeneratorError(f"refusing to write through a symlink out of {self.dest}", dst)
        fd, tmp = tempfile.mkstemp(dir=dst.parent, prefix=".wenji-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as out, src.open("rb") as inp:
                shutil.copyfileobj(inp, out)
            os.chmod(tmp, 0o644)
            os.replace(tmp, dst)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def _prune(self, deleted: set[str], local: Path) -> None:
        """Remove folders left empty by deletions that the build no longer has."""
        folders = {Path(rel).parent for rel in deleted}
        for folder in sorted({p for f in folders for p in (f, *f.parents)}, key=lambda p: -len(p.parts)):
            if folder == Path("."):
                continue
            there = self.dest / folder
            if there.is_dir() and not (local / folder).is_dir() and not any(there.iterdir()):
                there.rmdir()

    def close(self) -> None:
        """Nothing to clean up."""
