"""The package's layers import one way, and no module imports itself through others.

The service core (``_core``) imports only itself; the transport (``_transport``) only the core and
itself; the controller (the other private modules) everything but the pytest plugin. Imports under
``TYPE_CHECKING`` count too: a cycle a type checker needs is a cycle a reader has to hold.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest_gluejobs

PACKAGE = Path(pytest_gluejobs.__file__).parent
NAME = "pytest_gluejobs"


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports() -> dict[str, set[str]]:
    modules = {_module_name(path): path for path in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for module, path in modules.items():
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*anchor, *([base] if base else [])])
                names = [f"{base}.{alias.name}" for alias in node.names]
                found.update(name if name in modules else base for name in names)
            elif isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
        graph[module] = {name for name in found if name in modules and name != module}
    return graph


def _layer(module: str) -> str:
    parts = module.split(".")
    if len(parts) > 1 and parts[1] in ("_core", "_transport", "plugin"):
        return parts[1]
    return "controller"


#: What each layer may import (besides itself).
_ALLOWED = {
    "_core": {"_core"},
    "_transport": {"_core", "_transport"},
    "controller": {"_core", "_transport", "controller"},
    "plugin": {"_core", "_transport", "controller", "plugin"},
}


def test_no_module_imports_a_layer_above_it() -> None:
    upward = [
        f"{module} -> {imported}"
        for module, imported_modules in sorted(_imports().items())
        for imported in sorted(imported_modules)
        if module != NAME and imported != NAME and _layer(imported) not in _ALLOWED[_layer(module)]
    ]
    assert not upward, "imports against the layering:\n" + "\n".join(upward)


def test_no_import_cycle() -> None:
    graph = {
        module: {imported for imported in imported_modules if imported != NAME}
        for module, imported_modules in _imports().items()
        if module != NAME
    }
    cycles = [component for component in _strongly_connected(graph) if len(component) > 1]
    assert not cycles, "import cycles:\n" + "\n".join(" <-> ".join(sorted(c)) for c in cycles)


def _strongly_connected(graph: dict[str, set[str]]) -> list[set[str]]:
    """Tarjan's algorithm, iterative."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[set[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, edges = work[-1]
            for nxt in edges:
                if nxt not in index:
                    index[nxt] = low[nxt] = len(index)
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(sorted(graph.get(nxt, ())))))
                    break
                if nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = set()
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.add(member)
                        if member == node:
                            break
                    found.append(component)
    return found


def test_the_check_sees_a_cycle() -> None:
    assert _strongly_connected({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [
        {"a", "b", "c"},
        {"d"},
    ]
