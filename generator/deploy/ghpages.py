"""Publisher for git+URL#branch: commit the output on top of that branch and push it in one step."""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from pathlib import Path

from generator.deploy.plan import Plan, local_files
from generator.deploy.process import redact, run
from generator.errors import GeneratorError

FILE_MODE = "100644"


def blob_id(data: bytes) -> str:
    """Return git's object id for a blob holding DATA."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


class GitPublisher:
    """Build the deploy commit in a scratch repository (no checkout), then `git push` it once."""

    def __init__(self, remote: str, branch: str = "gh-pages", *, extra: dict[str, bytes] | None = None,
                 message: str = "Deploy site"):
        self.remote = remote
        self.branch = branch
        self.extra = extra or {}
        self.message = message
        self._repo: Path | None = None
        self._parent: str | None = None
        self._files: dict[str, Path] = {}
        self._ids: dict[str, str] = {}

    def _git(self, *args: str, stdin: bytes | None = None, env: dict[str, str] | None = None) -> str:
        assert self._repo is not None
        return run(["git", *args], cwd=self._repo, stdin=stdin, env=env)

    def plan(self, local: Path) -> Plan:
        """Fetch the branch tip (if any) and diff its tree against the output plus extra files."""
        self._repo = Path(tempfile.mkdtemp(prefix="wenji-deploy-"))
        self._git("init", "-q", "--template=")  # no hooks from a user template
        ref = f"refs/heads/{self.branch}"
        if self._git("ls-remote", "--heads", self.remote, ref).strip():
            self._git("fetch", "-q", "--depth=1", "--no-tags", self.remote, f"{ref}:refs/wenji/tip")
            self._parent = self._git("rev-parse", "refs/wenji/tip").strip()
        theirs = self._remote_tree()
        self._files = local_files(local)
        extras = self._repo / ".wenji-extra"
        for name, data in self.extra.items():
            (extras / name).parent.mkdir(parents=True, exist_ok=True)
            (extras / name).write_bytes(data)
            self._files[name] = extras / name
        self._files = dict(sorted(self._files.items()))
        self._ids = {rel: blob_id(path.read_bytes()) for rel, path in self._files.items()}
        plan = Plan(deletes=[rel for rel in theirs if rel not in self._files])
        for rel, oid in self._ids.items():
            if theirs.get(rel) == (FILE_MODE, oid):
                plan.unchanged += 1
            else:
                plan.uploads.append(rel)
        return plan

    def _remote_tree(self) -> dict[str, tuple[str, str]]:
        if self._parent is None:
            return {}
        listing = self._git("ls-tree", "-r", "-z", self._parent)
        tree = {}
        for entry in filter(None, listing.split("\0")):
            meta, path = entry.split("\t", 1)
            mode, _kind, oid = meta.split()
            tree[path] = (mode, oid)
        return tree

    def apply(self, local: Path, plan: Plan) -> None:
        """Write the new blobs, make the tree and commit on top of the tip, push it atomically."""
        if self._repo is None:
            raise GeneratorError("deploy plan() must run before apply()")
        paths = "".join(f"{self._files[rel]}\n" for rel in plan.uploads)
        written = self._git("hash-object", "-w", "--no-filters", "--stdin-paths",
                            stdin=paths.encode("utf-8", "surrogateescape")).split()
        if written != [self._ids[rel] for rel in plan.uploads]:
            raise GeneratorError("output files changed while deploying", local,
                                 hint="let the build finish, then deploy again")
        index = "".join(f"{FILE_MODE} {oid}\t{rel}\0" for rel, oid in self._ids.items())
        env = {"GIT_INDEX_FILE": str(self._repo / "deploy.index")}
        self._git("update-index", "-z", "--index-info",
                                  stdin=index.encode("utf-8", "surrogateescape"), env=env)
        tree = self._git("write-tree", env=env).strip()
        parents = ["-p", self._parent] if self._parent else []
        commit = self._git("commit-tree", tree, *parents, "-m", self.message).strip()
        try:
            self._git("push", "-q", self.remote, f"{commit}:refs/heads/{self.branch}")
        except GeneratorError as exc:
            raise GeneratorError(f"push to {redact(self.remote)} ({self.branch}) failed: {exc.message}",
                                 hint="if the branch moved meanwhile, run the deploy again") from None

    def close(self) -> None:
        """Remove the scratch repository."""
        if self._repo is not None:
            shutil.rmtree(self._repo, ignore_errors=True)
            self._repo = None
