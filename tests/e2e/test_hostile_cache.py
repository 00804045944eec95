"""Hostile cache: files planted in SITE/.wenji-cache/ never run code on `wenji build`.

A site folder cloned from someone else's repository can carry a cache folder. Every file the
build reads there is replaced, by name, with a payload that creates a file when unpickled (or,
for compiled templates, when its code is loaded); the build must succeed, create no file and
give the output of a clean build. The cache key lives outside the site folder.
"""

from __future__ import annotations

import hashlib
import io
import marshal
import pickle
import shutil
import stat
from pathlib import Path

import pytest
from jinja2.bccache import bc_magic

from generator.build import build
from generator.config import load_config
from generator.model import cache, sealed

FIXTURE = Path(__file__).parent.parent / "fixtures" / "site"
EDITED = "2018-10-03-d4e5f6a1b2c3.md"


class Payload:
    """Unpickling it opens (so creates) the file PATH."""

    def __init__(self, path: Path):
        self.path = str(path)

    def __reduce__(self):
        return open, (self.path, "w")


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def plant(path: Path, pwned: Path) -> None:
    """Replace the cache file PATH with one that creates PWNED when the build loads it."""
    if path.suffix == ".cache":  # a compiled template: magic, checksum, marshalled code
        raw = sealed.unseal(path.read_bytes())
        assert raw is not None and bytes(raw[:len(bc_magic)]) == bc_magic
        checksum = pickle.load(io.BytesIO(bytes(raw[len(bc_magic):])))
        code = compile(f"open({str(pwned)!r}, 'w')", "payload", "exec")
        path.write_bytes(bc_magic + pickle.dumps(checksum, 2) + marshal.dumps(code))
    else:
        path.write_bytes(pickle.dumps(Payload(pwned)))


@pytest.fixture
def site(tmp_path):
    root = tmp_path / "site"
    shutil.copytree(FIXTURE, root)
    with open(root / "site.yml", "a", encoding="utf-8") as fh:
        fh.write("search:\n  enabled: false\n")  # else no patch: its files would go unread
    return root


def edit(root: Path) -> None:
    path = root / "content" / EDITED
    path.write_text(path.read_text("utf-8") + "\n补充一段。\n", encoding="utf-8")


def expected(root: Path, tmp_path: Path) -> dict[str, bytes]:
    fresh = tmp_path / "fresh"
    shutil.copytree(root / "content", fresh / "content")
    shutil.copy2(root / "site.yml", fresh / "site.yml")
    build(load_config(fresh), clean=True)
    return tree(fresh / "public")


PLANTS = {
    "every file (a cloned site's cache)": lambda name: True,
    "all but the last build's manifest (so the patch reads the rest)":
        lambda name: not name.startswith("manifest"),
    "the saved page contexts only": lambda name: name.startswith("contexts-"),
    "the entries only": lambda name: name.startswith("entries-"),
    "the compiled templates only": lambda name: name.endswith(".cache"),
}


@pytest.mark.parametrize("which", PLANTS)
def test_a_planted_cache_file_never_runs(site, tmp_path, which, capsys):
    cfg = load_config(site)
    build(cfg)
    files = sorted(p for p in (site / cache.FOLDER).rglob("*") if p.is_file())
    names = {p.name.split("-")[0].split(".")[0] for p in files}
    assert {"entries", "manifest", "contexts"} <= names
    assert any(p.suffix == ".cache" for p in files)
    pwned = tmp_path / "pwned"
    planted = [p for p in files if PLANTS[which](p.name)]
    for path in planted:
        plant(path, pwned)
    assert planted
    edit(site)
    result = build(cfg)
    assert not pwned.exists()
    assert result.problems == []
    assert tree(cfg.output_path) == expected(site, tmp_path)
    note = capsys.readouterr().err
    assert note.count("not written by this user's Wenji") == 1  # one line per cache folder
    build(cfg)  # the cache was rebuilt: nothing to note any more
    assert "not written" not in capsys.readouterr().err


def test_the_key_is_kept_outside_the_site_readable_by_the_user_only(site):
    build(load_config(site))
    key = sealed.key_file()
    assert site not in key.parents and key.stat().st_mode & 0o777 == 0o600
    assert stat.S_IMODE(key.parent.stat().st_mode) == 0o700
    shard = next((site / cache.FOLDER).glob("entries-*.pickle"))
    data = shard.read_bytes()
    assert sealed.unseal(data) is not None
    tampered = data[:-1] + bytes([data[-1] ^ 1])
    assert sealed.unseal(tampered) is None
    assert hashlib.sha256(key.read_bytes()).digest() not in data


def test_without_xdg_cache_home_the_key_is_made_in_the_home_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    sealed.signing_key.cache_clear()
    try:
        key = sealed.signing_key()
        path = tmp_path / "home" / ".cache" / "wenji" / "cache-key"
        assert path.read_bytes() == key and path.stat().st_mode & 0o777 == 0o600
        path.chmod(0o644)  # readable by others: not trusted, replaced
        sealed.signing_key.cache_clear()
        assert sealed.signing_key() != key and path.stat().st_mode & 0o777 == 0o600
    finally:
        sealed.signing_key.cache_clear()
