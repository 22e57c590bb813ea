"""The package's layers, read from its imports: one-way arrows, no circle, modules of a size a
reader can hold. These fail when a change makes the engine depend on a report, the data layer on
anything above it, or a module grow past what the layout promises."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from conftest import REPO

PACKAGE = REPO / "analysis"
REPORTS = ("funding", "risk", "observed", "network", "brief", "profile")
MAX_LINES = 550  # "about 500"


def _module_name(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Every module of ``analysis`` that ``path`` imports (at top level or inside a function),
    relative imports resolved; ``from . import x`` counts as importing ``<package>.x``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("analysis")}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            if not module.startswith("analysis"):
                continue
            if node.module or not node.level:  # `from .. import files`: analysis.files only
                found.add(module)
            for alias in node.names:  # `from . import charts` imports analysis.charts
                candidate = f"{module}.{alias.name}"
                if (REPO / Path(*candidate.split("."))).with_suffix(".py").exists() or (
                    REPO / Path(*candidate.split("."))
                ).is_dir():
                    found.add(candidate)
    return found - {name}


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py")) if "data" not in p.parts}
GRAPH = {name: _imports(path) for name, path in MODULES.items()}


def _under(module: str, *prefixes: str) -> bool:
    return any(module == p or module.startswith(p + ".") for p in prefixes)


def test_the_reader_resolves_relative_imports():
    # the checks below are only as good as this reading of the imports
    assert "analysis.tables.registry" in GRAPH["analysis.tables.seed"]
    assert "analysis.charts" in GRAPH["analysis.funding.charts"]
    assert "analysis.funding.measures" in GRAPH["analysis.funding.charts"]
    assert "analysis.exceptions" in GRAPH["analysis.render.lock"]


def test_the_engine_imports_no_report_and_the_data_layer_only_through_datacheck():
    domain = tuple(f"analysis.{r}" for r in REPORTS) + ("analysis.charts", "analysis.parameters")
    for name, imported in GRAPH.items():
        if not _under(name, "analysis.render"):
            continue
        assert not [m for m in imported if _under(m, *domain)], name
        if name != "analysis.render.datacheck":
            assert not [m for m in imported if _under(m, "analysis.tables")], name


def test_the_data_layer_imports_nothing_above_it():
    allowed = (
        "analysis.tables",
        "analysis.exceptions",
        "analysis._lazy",
        "analysis._version",
        "analysis.files",
    )
    for name, imported in GRAPH.items():
        if _under(name, "analysis.tables"):
            assert all(_under(m, *allowed) for m in imported), (name, imported)


def test_the_rule_vocabulary_is_ground_level():
    assert GRAPH["analysis.rules"] <= {"analysis.exceptions"}
    assert GRAPH["analysis.exceptions"] == set()
    assert GRAPH["analysis.figures"] <= {"analysis.exceptions"}
    assert GRAPH["analysis._lazy"] == set()
    assert GRAPH["analysis._display"] == set()
    assert GRAPH["analysis._version"] == set()
    assert GRAPH["analysis.files"] <= {"analysis.exceptions"}


def test_report_computation_never_imports_a_chart_module():
    for name, imported in GRAPH.items():
        if not _under(name, *(f"analysis.{r}" for r in REPORTS)) or "charts" in name:
            continue
        if name.endswith("__init__") or MODULES[name].name == "__init__.py":
            continue
        siblings = [m for m in imported if m.rsplit(".", 1)[-1].endswith("charts")]
        assert siblings in ([], ["analysis.charts"]), (name, siblings)


def test_there_is_no_import_circle():
    # strongly connected components of the module graph (Tarjan), ignoring package __init__
    # re-exports, which import their own modules lazily
    graph = {
        n: {m for m in deps if m in MODULES and MODULES[m].name != "__init__.py"}
        for n, deps in GRAPH.items()
        if MODULES[n].name != "__init__.py"
    }
    index, low, stack, on, circles = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            part = []
            while True:
                w = stack.pop()
                on.discard(w)
                part.append(w)
                if w == v:
                    break
            if len(part) > 1:
                circles.append(sorted(part))

    for v in graph:
        if v not in index:
            visit(v)
    assert circles == []


@pytest.mark.parametrize("name", sorted(MODULES))
def test_no_module_is_longer_than_a_reader_can_hold(name):
    lines = len(MODULES[name].read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{name}: {lines} lines"


@pytest.mark.parametrize("package", ["tables", "render", *REPORTS], ids=lambda p: f"analysis.{p}")
def test_each_sub_package_says_what_it_holds_and_may_import(package):
    doc = ast.get_docstring(ast.parse((PACKAGE / package / "__init__.py").read_text()))
    assert doc and "May import" in doc
