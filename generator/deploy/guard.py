"""What a deploy refuses: a target that holds the site or the home folder, a target that is not
empty and not a previous deployment (no marker), and a site built for localhost.

Every refusal is a ConfigError (exit 2): one line naming the target, with a hint.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

from generator.errors import ConfigError
from generator.hosts import is_this_machine

MARKER = ".wenji-deploy"
"""File that deploy writes into every target (folder, branch, bucket prefix) it publishes to."""
MARKER_TEXT = (b"Published by `wenji deploy`. The next deploy to this place replaces its files\n"
               b"and deletes files the site no longer has.\n")


def _real(path: Path) -> Path:
    return Path(os.path.realpath(path.expanduser()))


def refuse_overlap(target: Path, shown: str, keep: dict[str, Path]) -> None:
    """Refuse a local TARGET that is, holds or lies inside one of KEEP (name → folder).

    The home folder is protected from being replaced or held, not from holding targets:
    ~/www is a fine place for a deployment (the marker rule protects what is in it).
    """
    there = _real(target)
    for name, folder in keep.items():
        folder = _real(folder)
        inside = folder in there.parents and name != "home folder"
        if there == folder or there in folder.parents or inside:
            how = "is" if there == folder else "holds" if there in folder.parents else "is inside"
            raise ConfigError(f"refusing to deploy to {shown}: it {how} the {name} ({folder})",
                              hint="deploy to a folder of its own, outside the site")


def refuse_foreign(shown: str, empty: bool, marked: bool, force: bool) -> None:
    """Refuse a target holding files that no deploy put there (no marker), unless FORCE."""
    if empty or marked or force:
        return
    raise ConfigError(f"refusing to deploy to {shown}: it is not empty and holds no {MARKER} "
                      "(not a previous Wenji deployment), so its files would be replaced",
                      hint="deploy to an empty or new place, or pass --force to replace them "
                           "(with --dry-run to see the plan first)")


def refuse_local_base_url(base_url: str, given: bool) -> None:
    """Refuse to publish a site whose links point at this machine, unless --base-url was given."""
    host = urlsplit(base_url).hostname
    if given or not host or not is_this_machine(host):
        return
    raise ConfigError(f"refusing to deploy a site built for {base_url}: its links, feeds and "
                      "sitemap would point at this machine",
                      hint="set base_url in site.yml to the published address, or pass "
                           "--base-url URL")
