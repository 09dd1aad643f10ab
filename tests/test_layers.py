"""The package's three parts and their one-way dependencies.

engine (manifest, execution, rendering) imports nothing of the data layer or the
analysis; the data layer imports nothing of the analysis or the engine; no module
imports another that (directly or through others) imports it back. Every import counts,
including those inside functions.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "partnerships"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def imports_of(path: Path) -> set[str]:
    """Every partnerships module the file imports (module-level or inside functions)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    here = module_name(path).split(".")
    package = here if path.name == "__init__.py" else here[:-1]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("partnerships"))
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package[: len(package) - node.level + 1] + ([base] if base else []))
            if not base.startswith("partnerships"):
                continue
            for alias in node.names:
                candidate = f"{base}.{alias.name}"
                found.add(candidate if candidate in MODULES else base)
    return {m for m in found if m in MODULES}


FILES = sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)
MODULES = {module_name(p) for p in FILES}
GRAPH = {module_name(p): imports_of(p) for p in FILES}


def layer(mod: str) -> str:
    parts = mod.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in ("engine", "data", "analysis") else "base"


# layer -> layers it may import
ALLOWED = {
    "base": {"base"},
    "engine": {"base", "engine"},
    "data": {"base", "data"},
    "analysis": {"base", "data", "analysis"},
}


def test_the_package_has_the_three_parts():
    assert {layer(m) for m in MODULES} >= {"engine", "data", "analysis"}


@pytest.mark.parametrize("mod", sorted(m for m in MODULES if m != "partnerships.cli"))
def test_dependencies_point_one_way(mod):
    wrong = sorted(t for t in GRAPH[mod] if layer(t) not in ALLOWED[layer(mod)])
    assert not wrong, f"{mod} ({layer(mod)}) must not import {wrong}"


def test_no_import_cycles():
    seen: dict[str, int] = {}
    stack: list[str] = []

    def visit(m):
        seen[m] = 1
        stack.append(m)
        for t in sorted(GRAPH[m]):
            if t == m or (t in PACKAGE_INITS and m.startswith(t + ".")):
                continue  # a package importing its own submodules, or a module its package
            if seen.get(t) == 1:
                cycle = stack[stack.index(t) :] + [t]
                raise AssertionError("import cycle: " + " -> ".join(cycle))
            if t not in seen:
                visit(t)
        stack.pop()
        seen[m] = 2

    for m in sorted(GRAPH):
        if m not in seen:
            visit(m)


PACKAGE_INITS = {module_name(p) for p in FILES if p.name == "__init__.py"}


def test_notebooks_import_only_data_and_analysis():
    import json

    for nb in sorted((PACKAGE.parents[1] / "notebooks").glob("*.ipynb")):
        cells = json.loads(nb.read_text(encoding="utf-8"))["cells"]
        for cell in cells:
            if cell["cell_type"] != "code":
                continue
            for node in ast.walk(ast.parse("".join(cell["source"]).replace("%", "#"))):
                if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("partnerships"):
                    names = [f"{node.module}.{a.name}" for a in node.names]
                    bad = [n for n in names if ".engine" in n or n.endswith(".cli")]
                    assert not bad, f"{nb.name} imports {bad}: notebooks use the data layer and the analysis only"
