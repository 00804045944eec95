"""Publisher for git+URL#branch: commit the output on top of that branch and push it in one step."""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from pathlib import Path

from generator.deploy.plan import Local, Remote
from generator.deploy.process import redact, run
from generator.errors import GeneratorError

FILE_MODE = "100644"


def blob_id(data: bytes) -> str:
    """Return git's object id for a blob holding DATA."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def _same(path: Path, known: tuple[str, str]) -> bool:
    mode, oid = known
    return mode == FILE_MODE and blob_id(path.read_bytes()) == oid


class GitPublisher:
    """Build the deploy commit in a scratch repository (no checkout), then `git push` it once."""

    def __init__(self, remote: str, branch: str = "gh-pages", *, extra: dict[str, bytes] | None = None,
                 message: str = "Deploy site", local_path: Path | None = None):
        self.remote_url = remote
        self.branch = branch
        self.extra = extra or {}
        self.message = message
        self.local_path = local_path
        self._repo: Path | None = None
        self._parent: str | None = None
        self._tree: dict[str, str] = {}

    def _git(self, *args: str, stdin: bytes | None = None, env: dict[str, str] | None = None) -> str:
        assert self._repo is not None
        return run(["git", *args], cwd=self._repo, stdin=stdin, env=env)

    def remote(self, local: Local) -> Remote:
        """Fetch the branch tip (if any) into a scratch repository and list its tree."""
        self._repo = Path(tempfile.mkdtemp(prefix="wenji-deploy-"))
        self._git("init", "-q", "--template=")  # no hooks from a user template
        try:
            self._git("var", "GIT_COMMITTER_IDENT")
        except GeneratorError:  # no git identity on this machine (a fresh CI runner): commit as Wenji
            self._git("config", "user.name", "Wenji")
            self._git("config", "user.email", "wenji@localhost")
        ref = f"refs/heads/{self.branch}"
        if self._git("ls-remote", "--heads", self.remote_url, ref).strip():
            self._git("fetch", "-q", "--depth=1", "--no-tags", self.remote_url,
                      f"{ref}:refs/wenji/tip")
            self._parent = self._git("rev-parse", "refs/wenji/tip").strip()
        files = self._remote_tree()
        self._tree = {rel: oid for rel, (_mode, oid) in files.items()}
        return Remote(files, _same, empty=not files)

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

    def upload(self, local: Local, paths: list[str]) -> None:
        """Write PATHS into the scratch repository as blobs (nothing is sent yet)."""
        listing = "".join(f"{local.files[rel]}\n" for rel in paths)
        written = self._git("hash-object", "-w", "--no-filters", "--stdin-paths",
                            stdin=listing.encode("utf-8", "surrogateescape")).split()
        self._tree.update(zip(paths, written))

    def delete(self, local: Local, paths: list[str]) -> None:
        """Leave PATHS out of the next commit's tree."""
        for rel in paths:
            self._tree.pop(rel, None)

    def finish(self) -> None:
        """Make the tree and a commit on top of the tip, and push it in one step."""
        index = "".join(f"{FILE_MODE} {oid}\t{rel}\0" for rel, oid in sorted(self._tree.items()))
        env = {"GIT_INDEX_FILE": str(self._repo / "deploy.index")}
        self._git("update-index", "-z", "--index-info",
                  stdin=index.encode("utf-8", "surrogateescape"), env=env)
        tree = self._git("write-tree", env=env).strip()
        parents = ["-p", self._parent] if self._parent else []
        commit = self._git("commit-tree", tree, *parents, "-m", self.message).strip()
        try:
            self._git("push", "-q", self.remote_url, f"{commit}:refs/heads/{self.branch}")
        except GeneratorError as exc:
            raise GeneratorError(f"push to {redact(self.remote_url)} ({self.branch}) failed: "
                                 f"{exc.message}",
                                 hint="if the branch moved meanwhile, run the deploy again") from None

    def close(self) -> None:
        """Remove the scratch repository."""
        if self._repo is not None:
            shutil.rmtree(self._repo, ignore_errors=True)
            self._repo = None
