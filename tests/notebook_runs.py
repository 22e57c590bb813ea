"""Running a report notebook under plain papermill in a test, and reading what it output."""

from __future__ import annotations

from pathlib import Path

import nbformat
import papermill

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
