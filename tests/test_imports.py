"""The import graph of the package: no cycles, and no stage imports a later one.

The data path is one line of stages (``read → normalize → lines → features → classify →
tables → fields → checks → report``), with the pipeline, the training loop and the
CLI on top.  Every module of ``giextract`` has a rank in :data:`RANKS`; a module may
import modules of its own rank or lower, never higher, and the graph has no cycle.
Imports inside functions and under ``TYPE_CHECKING`` count too: they are dependencies
all the same.  The check reads the source with :mod:`ast`; nothing is imported.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "giextract"

#: Rank of each module (by dotted name, or a package prefix ending in ``.*``).
RANKS: dict[str, int] = {
    # foundations, imported by any stage
    "giextract.errors": 0,
    "giextract.version": 0,
    "giextract.paths": 0,
    "giextract.memo": 0,  # bounded memos, for any stage
    "giextract.source": 0,  # SourceLine and the reading limits, below the readers
    # the data path, in order
    "giextract.read": 1,
    "giextract.formats.*": 1,
    "giextract.formats": 1,
    "giextract.normalize": 2,
    "giextract.catalogue": 2,  # the templates (data), on normalisation
    "giextract.values": 2,  # numbers, units and blank markers: one definition
    "giextract.grid": 3,
    "giextract.lines": 3,
    "giextract.features": 4,
    "giextract.classify": 5,
    "giextract.labels": 6,  # label matching, below the rebuild
    "giextract.tokens": 6,
    "giextract.segment": 6,
    "giextract.resolve": 6,
    "giextract.joint": 6,  # the column identities across rows, for both readings
    "giextract.layout": 6,
    "giextract.squashed": 6,
    "giextract.tables": 6,
    "giextract.fields": 7,
    "giextract.checks": 8,
    "giextract.sequence": 8,  # the template-order reading and the chooser, by the checks
    "giextract.trust": 9,
    "giextract.record": 9,
    "giextract.report": 9,
    "giextract.pipeline": 10,
    # the training loop and tools, over the pipeline
    "giextract.corpus": 11,
    "giextract.training": 11,
    "giextract.training.*": 11,
    "giextract.evaluate": 12,
    "giextract.spacy_component": 12,
    "giextract.train": 13,
    "giextract.labeling": 13,
    "giextract.show": 13,
    "giextract.registrations": 13,
    # the surface
    "giextract.check": 11,
    "giextract.records": 10,  # records as JSON, JSON Lines, CSV: on the report
    "giextract.parquet": 10,
    "giextract.batch": 11,  # the guarded worker pool, on the pipeline
    "giextract.distributed": 12,
    "giextract.service": 20,
    "giextract.cli": 20,
    "giextract": 20,
}

#: Known violations (edge → why); none today.
ALLOWED: dict[tuple[str, str], str] = {}


def module_name(path: Path) -> str:
    """The dotted name of a module file of the package."""
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    """Every module of the package, by dotted name."""
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _resolve(current: str, is_package: bool, level: int, target: str | None) -> str:
    base = current.split(".")
    if not is_package:
        base.pop()
    if level > 1:
        base = base[: len(base) - (level - 1)]
    return ".".join(base + ([target] if target else []))


def imports_of(name: str, path: Path, known: set[str]) -> Iterator[str]:
    """The package's modules that a module imports (anywhere in its code)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    is_package = path.name == "__init__.py"
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "giextract":
                    yield alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = _resolve(name, is_package, node.level, node.module)
            elif node.module and node.module.split(".")[0] == "giextract":
                base = node.module
            else:
                continue
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                yield sub if sub in known else base


def graph() -> dict[str, set[str]]:
    """Module → the modules of the package it imports (itself excluded)."""
    found = modules()
    known = set(found)
    return {
        name: {t for t in imports_of(name, path, known) if t != name and t in known}
        for name, path in found.items()
    }


def rank(name: str) -> int | None:
    """A module's rank: its own entry, else its package's ``.*`` entry."""
    if name in RANKS:
        return RANKS[name]
    parts = name.split(".")
    for k in range(len(parts) - 1, 0, -1):
        star = ".".join(parts[:k]) + ".*"
        if star in RANKS:
            return RANKS[star]
    return None


def _edges() -> dict[str, set[str]]:
    return {m: {t for t in ts if (m, t) not in ALLOWED} for m, ts in graph().items()}


def find_cycle(edges: dict[str, set[str]]) -> list[str] | None:
    """A cycle of the graph as a list of modules (first = last), or None."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(edges):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


def test_every_module_has_a_rank() -> None:
    unranked = sorted(m for m in modules() if rank(m) is None)
    assert unranked == [], f"give these modules a rank in RANKS: {unranked}"


def test_no_stage_imports_a_later_one() -> None:
    ranks = {m: r for m in modules() if (r := rank(m)) is not None}
    wrong = [
        f"{m} (rank {ranks[m]}) imports {t} (rank {ranks[t]})"
        for m, targets in sorted(_edges().items())
        for t in sorted(targets)
        if m in ranks and t in ranks and ranks[t] > ranks[m]
    ]
    assert wrong == []


def test_no_import_cycles() -> None:
    assert find_cycle(_edges()) is None


def test_allow_list_is_still_needed() -> None:
    """An allowed violation that is gone must leave the list (the lead empties it)."""
    edges = graph()
    stale = [edge for edge in ALLOWED if edge[1] not in edges.get(edge[0], set())]
    assert stale == []


def _reaches_outside(node: ast.AST) -> str | None:
    """What a node does to reach outside the package, if it does."""
    value = node.value if isinstance(node, ast.Attribute) and node.attr == "path" else None
    if isinstance(value, ast.Name) and value.id == "sys":
        return "uses sys.path"
    names: list[str] = []
    if isinstance(node, ast.ImportFrom) and not node.level and node.module:
        names = [node.module]
    elif isinstance(node, ast.Import):
        names = [a.name for a in node.names]
    scripts = [n for n in names if n.split(".")[0] == "training"]
    return f"imports {scripts[0]}" if scripts else None


def test_the_library_never_reaches_outside_the_package() -> None:
    """No ``sys.path`` changes and no imports of the checkout's ``training/`` scripts."""
    bad = [
        f"{name}:{getattr(node, 'lineno', 0)} {why}"
        for name, path in modules().items()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if (why := _reaches_outside(node))
    ]
    assert bad == []
    probes = ast.walk(ast.parse("import sys\nsys.path.insert(0, 'x')"))
    assert any(_reaches_outside(n) == "uses sys.path" for n in probes)
    assert _reaches_outside(ast.parse("from training.generate import x").body[0])


def test_the_checker_sees_cycles_and_relative_imports() -> None:
    """The checker itself: a cycle is found, relative imports resolve to modules."""
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None
    assert "giextract.source" in graph()["giextract.formats.pdf"]  # from ..source import
    assert "giextract.training.generate" in graph()["giextract.training.examples"]
    assert "giextract.formats" in graph()["giextract.read"]
    assert rank("giextract.formats.pdf") == RANKS["giextract.formats.*"]
