"""Packages import each other in one direction only (read from the source).

Import stages: `clean` (stage 2) never imports the adapters of `sources` (stage 1); `meta` (the
metadata rules both use) imports neither; the format families under `sources/` form no cycle.
Build stages: each imports only the layers below it in BUILD_LAYERS (`model` renders bodies
with `markup` while loading, and `render` and `outputs` read the model, never the reverse).
"""

from __future__ import annotations

import ast
from pathlib import Path

import generator

ROOT = Path(generator.__file__).parent


def _node(module: str) -> str | None:
    """The layer a module belongs to: 'sources.<family>', 'sources', 'clean', 'meta', else None."""
    parts = module.split(".")
    if parts[0] != "generator" or len(parts) < 2:
        return None
    if parts[1] == "sources":
        family = parts[2] if len(parts) > 2 and (ROOT / "sources" / parts[2]).is_dir() else None
        return f"sources.{family}" if family else "sources"
    if parts[1] in ("clean", "meta"):
        return parts[1]
    return None


def _imports(path: Path) -> set[str]:
    """Every module named by an import statement in PATH, top-level or inside functions."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def _graph(families: bool = True) -> dict[str, set[str]]:
    """Layer → layers it imports; with FAMILIES false, `sources` is one node."""
    graph: dict[str, set[str]] = {}
    node = _node if families else (lambda m: (_node(m) or "").split(".")[0] or None)
    for path in ROOT.rglob("*.py"):
        rel = path.relative_to(ROOT.parent).with_suffix("")
        source = node(".".join(p for p in rel.parts if p != "__init__"))
        if source is None:
            continue
        edges = graph.setdefault(source, set())
        for module in _imports(path):
            target = node(module)
            if target and target != source:
                edges.add(target)
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


BUILD_LAYERS = {"urls": 0, "markup": 0, "pool": 0, "session": 0, "model": 1, "search": 1,
                "meta": 2, "render": 2, "outputs": 3}
"""Top-level module or package of generator → its layer: one imports only lower layers."""


def _package(module: str) -> str | None:
    """The top-level module or package of generator that MODULE is in (None outside it)."""
    parts = module.split(".")
    return parts[1] if parts[0] == "generator" and len(parts) > 1 else None


def _upward(layers: dict[str, int]) -> set[tuple[str, str]]:
    """(importer, imported) pairs of LAYERS where the import does not point to a lower layer."""
    found = set()
    for path in ROOT.rglob("*.py"):
        source = _package(".".join(path.relative_to(ROOT.parent).with_suffix("").parts))
        if source not in layers:
            continue
        for target in map(_package, _imports(path)):
            if target in layers and target != source and layers[target] >= layers[source]:
                found.add((source, target))
    return found


def test_build_stages_import_only_the_layers_below():
    assert _upward(BUILD_LAYERS) == set()


def test_the_package_imports_nothing_from_tests_or_benchmarks():
    found = {m.split(".")[0] for path in ROOT.rglob("*.py") for m in _imports(path)}
    assert not found & {"tests", "benchmarks"}


def test_the_layer_check_sees_an_upward_import():
    assert ("model", "markup") in _upward({"markup": 1, "model": 0})


def test_clean_never_imports_the_adapters():
    assert not {n for n in _graph()["clean"] if n.startswith("sources")}


def test_meta_rules_sit_below_sources_and_clean():
    assert not {n for n in _graph().get("meta", set()) if n.startswith("sources") or n == "clean"}


def test_no_import_cycle_between_sources_families_clean_and_meta():
    assert _cycle(_graph(families=True)) is None
    assert _cycle(_graph(families=False)) is None


def test_the_cycle_finder_finds_a_cycle():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": {"c"}}) is None
