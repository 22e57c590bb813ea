"""Every report notebook follows the package's conventions (fast: reads JSON, runs no kernel).

Thin notebooks: one ``parameters`` cell, the check cell right after it naming every parameter,
no functions defined, outputs committed only for the cells nbval checks.
"""

from __future__ import annotations

import ast
from pathlib import Path

import nbformat
import pytest
from conftest import REPO

from analysis import rules
from analysis.render import parameters

NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))
CHECKED = "nbval-check-output"


def _ids(paths):
    return [p.stem for p in paths]


def test_the_report_set_exists():
    names = {p.stem for p in NOTEBOOKS}
    assert {"funding_freezes", "regional_risk", "actor_network", "brief"} <= names


@pytest.fixture(params=NOTEBOOKS, ids=_ids(NOTEBOOKS))
def notebook(request) -> tuple[Path, nbformat.NotebookNode]:
    return request.param, nbformat.read(request.param, as_version=4)


def _code_cells(nb):
    return [c for c in nb.cells if c.cell_type == "code"]


def test_one_parameters_cell_followed_by_the_check_cell(notebook):
    path, nb = notebook
    code = _code_cells(nb)
    tagged = [i for i, c in enumerate(code) if "parameters" in c.metadata.get("tags", [])]
    assert tagged == [0], f"{path.name}: the first code cell, and only it, is tagged parameters"
    declared = parameters.declared(path)
    check_cell = ast.parse(code[1].source)
    calls = [
        n
        for n in ast.walk(check_cell)
        if isinstance(n, ast.Call) and getattr(n.func, "attr", None) == "check_parameters"
    ]
    assert len(calls) == 1, f"{path.name}: the cell after parameters calls check_parameters"
    passed = {kw.arg for kw in calls[0].keywords}
    assert passed == set(declared), f"{path.name}: check_parameters names every parameter"


def test_every_parameter_is_typed_commented_and_has_a_rule_from_its_own_modules(
    notebook, fresh_rules
):
    path, _ = notebook
    assert parameters.is_package_report(path), f"{path.name}: no afghan_brief metadata"
    parameters.load_rules(path)  # the rules modules its metadata names, as the renderer does
    for name, decl in parameters.declared(path).items():
        assert decl.type_name in {"str", "int", "float", "bool", "list"}, (path.name, name)
        assert decl.help, f"{path.name}: parameter {name} has no help comment"
        assert decl.rule is not None, f"{path.name}: parameter {name} has no rule"
        rules.check(**{name: decl.default})  # the default itself is allowed


def test_notebook_is_thin(notebook):
    path, nb = notebook
    for cell in _code_cells(nb):
        tree = ast.parse(cell.source)
        defined = [
            n
            for n in ast.walk(tree)
            if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda))
        ]
        assert not defined, f"{path.name}: logic defined in a notebook belongs in analysis/"


def test_outputs_are_committed_only_for_checked_cells(notebook):
    path, nb = notebook
    checked = 0
    for cell in _code_cells(nb):
        is_checked = CHECKED in cell.metadata.get("tags", [])
        if is_checked:
            checked += 1
            assert cell.outputs, f"{path.name}: a checked cell has no stored output to compare"
            assert cell.metadata.get("keep_output") is True
            # nbval treats a stored output without an execution count as an unrun cell
            assert isinstance(cell.execution_count, int)
        else:
            assert not cell.outputs, f"{path.name}: unchecked cell keeps outputs"
            assert cell.execution_count is None
    assert checked >= 1, f"{path.name}: no key-figures cell for nbval to check"


def test_committed_notebook_is_already_stripped(notebook):
    path, nb = notebook
    from store_outputs import strip

    assert nbformat.writes(strip(nbformat.reads(path.read_text(encoding="utf-8"), 4))) + "\n" == (
        path.read_text(encoding="utf-8")
    ), f"{path.name}: run `python tests/store_outputs.py {path}`"


@pytest.mark.slow
def test_re_running_a_notebook_leaves_its_stored_file_unchanged(tmp_path):
    # the table in the key-figures cell stores its rows as text, not an object address
    from store_outputs import main as store

    source = REPO / "notebooks" / "funding_freezes.ipynb"
    copy = tmp_path / source.name
    copy.write_bytes(source.read_bytes())
    store(["--run", str(copy)])
    assert copy.read_bytes() == source.read_bytes()
    assert b" at 0x" not in copy.read_bytes()


def test_notebook_starts_with_narrative(notebook):
    path, nb = notebook
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# ")
