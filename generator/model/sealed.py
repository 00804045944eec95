"""Sealed cache files: data that only this user's Wenji wrote is ever unpickled.

A cache folder inside a site can come with a cloned or downloaded archive, and unpickling (or
unmarshalling compiled templates) runs code. So every cache file starts with a MAC of its
content under a key kept outside every site folder ($XDG_CACHE_HOME/wenji/cache-key, else
~/.cache/wenji/cache-key, readable by the user only), and is only loaded when the MAC checks
out. A file that fails the check is ignored, with one note per folder, and rebuilt.
"""

from __future__ import annotations

import functools
import hmac
import os
import pickle
import secrets
import sys
from pathlib import Path
from typing import Any

_SEAL = b"wenji-sealed-1\n"
"""What a sealed file starts with, before the MAC of the rest."""
MAC_SIZE = 32


def key_file() -> Path:
    """Where this user's cache key is kept: $XDG_CACHE_HOME/wenji/, else ~/.cache/wenji/."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "wenji" / "cache-key"


def _read_key(path: Path) -> bytes | None:
    try:
        with open(path, "rb") as fh:
            key = fh.read(MAC_SIZE + 1)
            mode = os.fstat(fh.fileno()).st_mode
    except OSError:
        return None
    return key if len(key) == MAC_SIZE and not mode & 0o077 else None


@functools.cache
def signing_key() -> bytes:
    """This user's key for cache files (made on first use, readable by the user only).

    Where it cannot be kept (no writable home), a key for this process only: caches then
    last one run.
    """
    path = key_file()
    key = _read_key(path)
    if key is not None:
        return key
    key = secrets.token_bytes(MAC_SIZE)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(key)
        if os.path.lexists(path):
            os.replace(tmp, path)  # a key file nobody should trust (size, permissions)
        else:
            os.link(tmp, path)  # two first builds at once: one key wins, both use it
    except FileExistsError:
        key = _read_key(path) or key
    except OSError:
        pass
    finally:
        tmp.unlink(missing_ok=True)
    return key


def mac(data: bytes | memoryview) -> bytes:
    """The MAC of DATA under this user's cache key."""
    return hmac.digest(signing_key(), data, "sha256")


def unseal(blob: bytes, path: Path | None = None) -> memoryview | None:
    """What seal() was given, if BLOB checks out (else None, with a note naming PATH)."""
    head = len(_SEAL) + MAC_SIZE
    view = memoryview(blob)
    if blob[:len(_SEAL)] == _SEAL and hmac.compare_digest(view[len(_SEAL):head],
                                                          mac(view[head:])):
        return view[head:]
    note_foreign(path)
    return None


_NOTED: set[str] = set()


def note_foreign(path: Path | None) -> None:
    """One line per cache folder (the site's .wenji-cache, subfolders included), the first
    time a file there fails its check."""
    if path is None:
        return
    folder = str(next((p for p in path.parents if p.name == ".wenji-cache"), path.parent))
    if folder not in _NOTED:
        _NOTED.add(folder)
        print(f"note: {folder}: cache files not written by this user's Wenji (or its key "
              f"changed); ignored and rebuilt", file=sys.stderr)


def write_sealed(path: Path, data: bytes) -> None:
    """Write seal(DATA) into PATH through a temporary file, so a reader never sees half of it.

    OSError (a read-only site folder) is raised, with no temporary file left behind.
    """
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(tmp, "wb") as fh:
            fh.write(_SEAL)
            fh.write(mac(data))
            fh.write(data)
        os.replace(tmp, path)
    except OSError:
        tmp.unlink(missing_ok=True)
        raise


def read_sealed(path: Path) -> memoryview | None:
    """The data write_sealed() put in PATH; None if it is missing, unreadable or fails its
    check (the caller rebuilds it)."""
    try:
        with open(path, "rb") as fh:
            blob = fh.read()
    except OSError:
        return None
    return unseal(blob, path)


def write_pickle(path: Path, value: Any) -> None:
    """Pickle VALUE into the sealed file PATH (see write_sealed)."""
    write_sealed(path, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))


def read_pickle(path: Path) -> Any:
    """What write_pickle() put in PATH, or None (missing, unreadable, stale or failing its
    check: never unpickled then)."""
    data = read_sealed(path)
    if data is None:
        return None
    try:
        return pickle.loads(data)
    except (EOFError, pickle.UnpicklingError, ValueError, TypeError, AttributeError,
            ImportError, IndexError, KeyError):
        return None  # written by another version of the code
