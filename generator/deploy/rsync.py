"""Publisher for rsync://, ssh:// and rsync+file:// targets: the system rsync, with --delete."""

from __future__ import annotations

from pathlib import Path

from generator.deploy.plan import Plan, local_files
from generator.deploy.process import run
from generator.writer import MARKER

_FLAGS = ["--recursive", "--times", "--checksum", "--delete", "--itemize-changes", "-8",
          "--out-format=%i %n", f"--exclude=/{MARKER}"]


class RsyncPublisher:
    """Mirror the output to DEST (host:path or a local path) by content checksum, deleting extras."""

    def __init__(self, dest: str, *, port: int | None = None):
        self.dest = dest if dest.endswith("/") else dest + "/"
        self.port = port
        self._deletions = 0

    def _argv(self, local: Path, *extra: str) -> list[str]:
        shell = ["--rsh", f"ssh -p {self.port}"] if self.port else []
        return ["rsync", *_FLAGS, *shell, *extra, f"{local}/", self.dest]

    def plan(self, local: Path) -> Plan:
        """Ask rsync what it would do (--dry-run) and read its itemized list."""
        out = run(self._argv(local, "--dry-run"))
        plan = Plan()
        self._deletions = 0
        for line in out.splitlines():
            flags, name = line[:11].rstrip(), line[12:]  # "%i %n": 11 flag columns, a space
            if flags == "*deleting":
                self._deletions += 1
                if not name.endswith("/"):
                    plan.deletes.append(name)
            elif len(flags) == 11 and flags[0] in "<>" and flags[1] == "f":
                plan.uploads.append(name)
        plan.uploads.sort()
        plan.deletes.sort()
        plan.unchanged = len(local_files(local)) - len(plan.uploads)
        return plan

    def apply(self, local: Path, plan: Plan) -> None:
        """Run rsync for real, never deleting more than the plan showed."""
        run(self._argv(local, f"--max-delete={self._deletions}"))

    def close(self) -> None:
        """Nothing to clean up."""
