"""Running a report notebook under plain papermill in a test, and reading what it output.

A notebook executed with a given parameter set is executed once per session and shared by the
tests that inspect it (:func:`shared_run`): once across pytest-xdist's workers too, through a
file lock in the session's temporary directory. A test that must see an execution of its own (a
failure path, a bad parameter) calls :func:`run`.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import nbformat
import papermill
import pytest
from filelock import FileLock

from analysis.tables.datadir import HOME_ENV_VAR

PLOTLY = "application/vnd.plotly.v1+json"
CHECKED = "nbval-check-output"


def run(notebook: Path, tmp_path: Path, **parameters) -> nbformat.NotebookNode:
    """Execute ``notebook`` with ``parameters`` into ``tmp_path``, as a user's papermill would."""
    out = tmp_path / notebook.name
    papermill.execute_notebook(
        str(notebook),
        str(out),
        parameters=parameters,
        kernel_name="python3",
        cwd=str(notebook.parent),
        progress_bar=False,
    )
    return nbformat.read(out, as_version=4)


def session_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The temporary directory of this whole test session: under pytest-xdist, the one every
    worker's own directory sits in (each worker is a session of its own)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def once(tmp_path_factory: pytest.TempPathFactory, key: str, build: Callable[[Path], None]) -> Path:
    """``build`` a directory once per session, whichever worker asks first; the others wait
    for it and get the same directory. A build that raised is raised again to every asker
    (never taken for a result): its message is kept beside the directory."""
    root = session_dir(tmp_path_factory) / "shared"
    root.mkdir(exist_ok=True)
    target, done, failed = root / key, root / f"{key}.done", root / f"{key}.failed"
    with FileLock(str(root / f"{key}.lock")):
        if failed.exists():
            pytest.fail(f"shared {key} failed in another test: {failed.read_text()}")
        if not done.exists():
            shutil.rmtree(target, ignore_errors=True)
            target.mkdir()
            try:
                with pytest.MonkeyPatch.context() as env:  # an empty data store, as every test
                    store = root / f"{key}.store"
                    store.mkdir(exist_ok=True)
                    env.setenv(HOME_ENV_VAR, str(store))
                    build(target)
            except BaseException as exc:
                failed.write_text(f"{type(exc).__name__}: {exc}")
                raise
            done.touch()
    return target


def shared_run(
    notebook: Path, tmp_path_factory: pytest.TempPathFactory, **parameters
) -> nbformat.NotebookNode:
    """``notebook`` executed with ``parameters`` as :func:`run` executes it, once per session;
    each caller gets its own copy to read."""
    spec = json.dumps([notebook.name, parameters], sort_keys=True)
    key = f"{notebook.stem}-{hashlib.sha256(spec.encode()).hexdigest()[:12]}"
    folder = once(tmp_path_factory, key, lambda target: run(notebook, target, **parameters))
    return nbformat.read(folder / notebook.name, as_version=4)


def rendered(reports: Path, name: str) -> nbformat.NotebookNode:
    """The executed notebook of report ``name`` from the session's render of every report with
    its defaults (the ``rendered_reports`` fixture): its defaults are executed once, by the
    render (papermill's engine), and inspected by the notebook's tests and the page tests."""
    return nbformat.read(reports / f"{name}.ipynb", as_version=4)


def with_figures(*figures: dict) -> nbformat.NotebookNode:
    """A one-cell notebook whose outputs are ``figures`` as a kernel displays plotly figures
    (for page tests that need no kernel)."""
    cell = nbformat.v4.new_code_cell("fig", outputs=[])
    for figure in figures:
        cell.outputs.append(nbformat.v4.new_output("display_data", data={PLOTLY: figure}))
    nb = nbformat.v4.new_notebook(cells=[cell])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    return nb


def figures(nb: nbformat.NotebookNode) -> list[dict]:
    """Every plotly figure the notebook output, in order."""
    return [
        o["data"][PLOTLY]
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.outputs
        if PLOTLY in o.get("data", {})
    ]


def checked_output(nb: nbformat.NotebookNode, mime: str = "text/plain") -> str:
    """The output of the (first) cell nbval checks, as ``mime``."""
    cell = next(c for c in nb.cells if CHECKED in c.metadata.get("tags", []))
    return cell.outputs[0]["data"][mime]


FIGURES_MIME = "application/vnd.afghan-brief.figures+json"


def exported(nb: nbformat.NotebookNode) -> dict:
    """The key figures and verdicts the notebook exported (analysis.figures.export): the bundle
    of its last code cell, which must be that export."""
    last = [c for c in nb.cells if c.cell_type == "code"][-1]
    assert "analysis.figures.export(" in last.source, "the last code cell exports the figures"
    (bundle,) = [o["data"][FIGURES_MIME] for o in last.outputs if FIGURES_MIME in o.get("data", {})]
    return bundle


def markdown_outputs(nb: nbformat.NotebookNode) -> str:
    """Every Markdown the notebook's code cells output (prose written from data), joined."""
    return "\n".join(
        o["data"]["text/markdown"]
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.outputs
        if "text/markdown" in o.get("data", {})
    )


def markdown_sources(nb: nbformat.NotebookNode) -> str:
    """The typed Markdown of the notebook (its markdown cells)."""
    return "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
