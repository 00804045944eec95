"""(manifest, current inputs) → what this build must do: Unchanged, Patch or Full. Pure."""

from __future__ import annotations

from dataclasses import dataclass

from generator.incremental.manifest import Manifest
from generator.model.cache import Stamp
from generator.model.pages import FOLDER as PAGES_FOLDER


@dataclass(frozen=True)
class Unchanged:
    """The output is what these inputs give: nothing to do."""


@dataclass(frozen=True)
class Patch:
    """Only these article files changed (paths relative to the content folder)."""

    changed: tuple[str, ...]


@dataclass(frozen=True)
class Full:
    """Build everything; REUSE: the manifest's page digests still describe the output, so
    pages whose context is unchanged are linked from it instead of rendered."""

    reason: str
    reuse: bool = False


Decision = Unchanged | Patch | Full


def decide(manifest: Manifest | None, key: str, held: str | None, inputs: dict[str, Stamp],
           clean: bool = False) -> Decision:
    """What to do, given the MANIFEST of the last build, the build KEY of today's settings,
    templates and code, the token the output's marker HOLDS and the INPUTS' stamps."""
    if clean:
        return Full("asked for a clean build")
    if manifest is None:
        return Full("no record of an earlier build")
    if held is None or held != manifest.token:
        return Full("the output is not the one the record describes")
    if manifest.key != key:
        return Full("settings, templates or code changed")
    if not manifest.complete:
        return Full("a page could not be built last time", reuse=True)
    if manifest.inputs == inputs:
        return Unchanged()
    if manifest.inputs.keys() != inputs.keys():
        return Full("files were added, removed or renamed", reuse=True)
    changed = [k for k in inputs if inputs[k] != manifest.inputs[k]]
    if not all(k.startswith("content/") and k.endswith(".md") for k in changed):
        return Full("an image or a theme file changed", reuse=True)
    if any(k.startswith(f"content/{PAGES_FOLDER}/") for k in changed):
        return Full("a standalone page changed (every footer lists it)", reuse=True)
    if manifest.saved is None or not manifest.digests:
        return Full("no saved page contexts", reuse=True)
    return Patch(tuple(k.removeprefix("content/") for k in changed))
