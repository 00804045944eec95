"""Publisher for rsync://, ssh:// and rsync+file:// targets: the system rsync, by content checksum."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from generator.deploy.plan import Local, Remote
from generator.deploy.process import run
from generator.outdir import MARKER as BUILD_MARKER

_FLAGS = ["--recursive", "--times", "--checksum", "-8", f"--exclude=/{BUILD_MARKER}"]
_NEW = "+++++++++"


def _same(path: Path, status: Any) -> bool:
    return status == "same"


class RsyncPublisher:
    """Mirror the output to DEST (host:path or a local path), deleting what the site no longer has."""

    extra: dict[str, bytes] = {}

    def __init__(self, dest: str, *, port: int | None = None, local_path: Path | None = None):
        self.dest = dest if dest.endswith("/") else dest + "/"
        self.port = port
        self.local_path = local_path
        self._deletions = 0

    def _argv(self, local: Local, *extra: str) -> list[str]:
        shell = ["--rsh", f"ssh -p {self.port}"] if self.port else []
        return ["rsync", *_FLAGS, *shell, *extra, *(f"{root}/" for root in local.roots), self.dest]

    def remote(self, local: Local) -> Remote:
        """Ask rsync what it would change (a dry run listing every item) and read the list."""
        out = run(self._argv(local, "--dry-run", "--delete", "-ii", "--out-format=%i %n"))
        files: dict[str, str] = {}
        empty = True
        self._deletions = 0
        for line in out.splitlines():
            flags, name = line[:11], line[12:]  # "%i %n": 11 flag columns, a space
            if flags.rstrip() == "*deleting":
                self._deletions += 1
                empty = False
                if not name.endswith("/"):
                    files[name] = "gone"
            elif len(line) > 12 and line[11] == " " and flags[1] in "fdL" and name != "./":
                if not flags.endswith(_NEW):
                    empty = False
                if flags[1] == "f" and not flags.endswith(_NEW):
                    files[name] = "same" if flags[0] == "." else "changed"
        return Remote(files, _same, empty)

    def upload(self, local: Local, paths: list[str]) -> None:
        """Send new and changed files (rsync finds them again by checksum)."""
        if paths:
            run(self._argv(local))

    def delete(self, local: Local, paths: list[str]) -> None:
        """Delete what the site no longer has (files and folders), never more than the plan showed."""
        if self._deletions:
            run(self._argv(local, "--delete", "--existing", "--ignore-existing",
                           f"--max-delete={self._deletions}"))

    def finish(self) -> None:
        """Nothing to do: rsync has written the files in place."""

    def close(self) -> None:
        """Nothing to clean up."""
