"""The one place deploy shells out (git, rsync): argv in, stdout out, clear errors."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path
from typing import Sequence

from generator.errors import GeneratorError

_USERINFO = re.compile(r"(://[^/@:]*):[^/@]*@")


def redact(text: str) -> str:
    """Hide a password or token written into a URL (scheme://user:secret@host → user:***@host)."""
    return _USERINFO.sub(r"\1:***@", text)


def run(argv: Sequence[str], *, cwd: Path | None = None, stdin: bytes | None = None,
        env: dict[str, str] | None = None, ok: Sequence[int] = (0,)) -> str:
    """Run ARGV and return its stdout; raise GeneratorError naming the command if it fails."""
    shown = redact(" ".join(argv[:2]))
    try:
        done = subprocess.run(list(argv), cwd=cwd, input=stdin, capture_output=True, check=False,
                              env={**os.environ, **env} if env else None)
    except FileNotFoundError:
        raise GeneratorError(f"'{argv[0]}' is not installed; deploying needs it",
                             hint=f"install {argv[0]} with your system's package manager") from None
    if done.returncode not in ok:
        detail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-6:]
        message = "; ".join(redact(line.strip()) for line in detail if line.strip())
        raise GeneratorError(f"'{shown}' failed (exit {done.returncode})"
                             + (f": {message}" if message else ""))
    return done.stdout.decode("utf-8", "surrogateescape")
