"""One report's work: execute its notebook with papermill in its own kernel, then its page.

:func:`execute_report` runs a notebook (papermill's engine, without its path handlers) and
writes the executed notebook and its page (:mod:`.page`) into a work directory; the engine
moves them into place. A cell that raises, a dead kernel or a timeout is a failure, returned
with where it happened (:class:`CellError`) and the notebook marked as papermill marks it.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from contextlib import suppress
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .figures_out import SUFFIX, take_figures
from .outputs import cap_outputs

if TYPE_CHECKING:
    from .lock import Kernels


@dataclass(frozen=True)
class CellError:
    """Where and how a report failed. ``cell_index`` counts the notebook file's cells from 0
    (as ``nb.cells`` does); ``execution_count`` is the ``In [n]`` of the executed notebook."""

    cell_index: int | None
    execution_count: int | None
    ename: str
    evalue: str
    source: str = ""  # the failing cell's first line
    where: str = ""  # when no cell is known: where it failed instead ("on a Dask worker")

    @property
    def summary(self) -> str:
        where = "before any cell ran" if self.cell_index is None else f"cell {self.cell_index}"
        if self.cell_index is None and self.where:
            where = self.where
        if self.execution_count is not None:
            where += f" (In [{self.execution_count}])"
        return f"{where}: {self.ename}: {self.evalue}"

    def as_dict(self) -> dict:
        return {**asdict(self), "summary": self.summary}


@dataclass
class Executed:
    """One report's execution: ``work`` holds ``<name>.ipynb`` and ``<name>.html`` (for a
    failure: the notebook with its error cell marked, and a page with the code shown)."""

    status: str  # "ok", "failed", "interrupted"
    duration: float
    work: Path
    error: CellError | None = None


KERNEL = "python3"


def execute_report(
    name: str,
    notebook: Path,
    parameters: dict[str, Any],
    work: Path,
    *,
    assets: dict[str, str],
    kernels: Kernels | None = None,
    output_path: Path | None = None,
    show_code: bool = False,
    timeout: float | None = None,
    shown_parameters: dict[str, Any] | None = None,
    on_start: Callable[[int], None] | None = None,
    on_cell: Callable[[int], None] | None = None,
    env: dict[str, str] | None = None,
) -> Executed:
    """Execute ``notebook`` with ``parameters`` in a new ``python3`` kernel (papermill's engine,
    without its path handlers, which change the process's working directory), then export it.

    The one function every executor runs per report: local threads, a Dask worker, or an
    orchestrator's task. ``parameters`` are injected as papermill injects them, in a cell after
    the ``parameters`` cell, and only when there are any; ``shown_parameters`` (default:
    ``parameters``) is what the page's parameter box lists (with the defaults). ``assets``
    names the shared files the page links to (what :func:`.page.write_assets` returns). The
    kernel runs in the notebook's directory. ``output_path`` is where the notebook will be published
    (recorded in its metadata). ``kernels`` tracks the kernel so an interrupt can stop it; its
    shutdown after the last cell is not waited for (:mod:`.kernel`): the caller's ``kernels``
    reaps it (without ``kernels``, this function waits for it before returning).
    ``on_start(code_cells)`` and ``on_cell(n)`` report progress from this thread. A cell that
    raises, a dead kernel or a timeout is a failure.
    ``env``: variables added to the kernel's environment. A figures bundle the report displays
    is taken out of the page into ``<name>.figures.json`` (:mod:`.figures_out`).
    """
    import nbformat
    from papermill.engines import papermill_engines
    from papermill.exceptions import PapermillExecutionError
    from papermill.execute import (
        prepare_notebook_metadata,
        raise_for_execution_errors,
        remove_error_markers,
    )
    from papermill.parameterize import parameterize_notebook

    from .kernel import manager_class
    from .page import notebook_html

    if kernels is None:  # called on its own: its kernel has ended when this returns
        from .lock import Kernels

        own = Kernels()
        try:
            return execute_report(
                name,
                notebook,
                parameters,
                work,
                assets=assets,
                kernels=own,
                output_path=output_path,
                show_code=show_code,
                timeout=timeout,
                shown_parameters=shown_parameters,
                on_start=on_start,
                on_cell=on_cell,
                env=env,
            )
        finally:
            own.close()
    started = time.monotonic()
    work.mkdir(parents=True, exist_ok=True)
    executed = work / f"{name}.ipynb"
    nb = _load_for_papermill(notebook)
    if parameters:  # as papermill: no injected cell (and no shifted cell numbers) without any
        nb = parameterize_notebook(nb, parameters, kernel_name=KERNEL, language="python")
    nb = prepare_notebook_metadata(nb, str(notebook), str(output_path or executed))
    nb = remove_error_markers(nb)
    count = [0]

    def on_cell_start(cell, cell_index, **_):
        if cell.cell_type == "code" and on_cell is not None:
            count[0] += 1
            on_cell(count[0])

    if on_start is not None:
        on_start(sum(c.cell_type == "code" for c in nb.cells))
    try:
        papermill_engines.execute_notebook_with_engine(
            None,
            nb,
            kernel_name=KERNEL,
            input_path=str(notebook),
            output_path=None,  # no autosave after every cell: one write at the end
            progress_bar=False,
            log_output=False,
            start_timeout=60,
            execution_timeout=timeout,
            kernel_manager_class=manager_class(kernels, name, work / "kernel.log", env),
            resources={"metadata": {"path": str(notebook.parent)}},
            on_cell_start=on_cell_start,
        )
        cap_outputs(nb)  # each cell's stored output capped, with a note (:mod:`.outputs`)
        raise_for_execution_errors(nb, str(executed))  # writes the marked notebook, raises
    except PapermillExecutionError as exc:
        (work / "kernel.log").unlink(missing_ok=True)  # the error is in the notebook
        cells = remove_error_markers(nbformat.read(executed, as_version=4)).cells
        error = CellError(
            _source_index(cells, exc.cell_index),
            _source_count(cells, exc.cell_index, exc.exec_count),
            exc.ename,
            _one_line(exc.evalue),
            _first_line(exc.source),
        )
        return _failed(name, executed, error, shown_parameters or parameters, assets, started)
    except Exception as exc:  # the kernel died, a cell timed out, the kernel did not start
        if kernels.cancelled.is_set():
            return Executed("interrupted", time.monotonic() - started, work)
        error = _mark_dead_cell(nb, exc)
        cap_outputs(nb)
        nbformat.write(nb, executed)
        return _failed(name, executed, error, shown_parameters or parameters, assets, started)
    finally:
        kernels.discard(name)
    _write_whole(executed, nbformat.writes(nb))
    bundle = take_figures(nb)
    if bundle is not None:
        _write_whole(work / f"{name}{SUFFIX}", json.dumps(bundle))
    shown = _shown(parameters if shown_parameters is None else shown_parameters)
    page = notebook_html(nb, assets, show_code=show_code, parameters=shown, title=_title(nb, name))
    _write_whole(work / f"{name}.html", page)
    (work / "kernel.log").unlink(missing_ok=True)
    return Executed("ok", time.monotonic() - started, work)


def _write_whole(path: Path, text: str) -> None:
    """Write a work file; on a write error (a disk filled up) remove what was half-written, so
    nothing truncated is ever moved into the output directory, then raise."""
    try:
        path.write_text(text, encoding="utf-8")
    except OSError:
        path.unlink(missing_ok=True)
        raise


def _load_for_papermill(path: Path):
    """The notebook as papermill's loader prepares it (metadata papermill expects)."""
    import nbformat
    from papermill import __version__ as papermill_version

    nb = nbformat.read(path, as_version=4)
    nb.metadata.setdefault(
        "papermill",
        {
            "default_parameters": {},
            "parameters": {},
            "environment_variables": {},
            "version": papermill_version,
        },
    )
    for cell in nb.cells:
        cell.metadata.setdefault("tags", [])
        cell.metadata.setdefault("papermill", {})
    return nb


def _mark_dead_cell(nb, exc: Exception) -> CellError:
    """The cell running when the kernel died or timed out, marked the way papermill marks a
    cell that raised (a red banner on top, an anchor before the cell)."""
    import nbformat
    from papermill.execute import ERROR_ANCHOR_MSG, ERROR_MARKER_TAG, ERROR_MESSAGE_TEMPLATE

    started = [
        i for i, c in enumerate(nb.cells) if c.metadata.get("papermill", {}).get("start_time")
    ]
    at = started[-1] if started else None
    cell = nb.cells[at] if at is not None else None
    error = CellError(
        _source_index(nb.cells, at) if at is not None else None,
        _source_count(nb.cells, at, cell.get("execution_count")) if cell is not None else None,
        type(exc).__name__,
        _one_line(str(exc)) or "no message",
        _first_line(cell.source) if cell is not None else "",
    )
    if at is not None:
        anchor = nbformat.v4.new_markdown_cell(ERROR_ANCHOR_MSG)
        top = nbformat.v4.new_markdown_cell(ERROR_MESSAGE_TEMPLATE % str(error.execution_count))
        anchor.metadata["tags"] = top.metadata["tags"] = [ERROR_MARKER_TAG]
        nb.cells.insert(at, anchor)
        nb.cells.insert(0, top)
    return error


def _failed(name, executed: Path, error, parameters, assets, started) -> Executed:
    """A failed run's page (code shown, for debugging) beside its marked notebook; the page is
    written for ``failed/``, one level below the assets."""
    import nbformat

    from .page import notebook_html

    with suppress(Exception):  # the notebook is what matters; the page is a convenience
        nb = nbformat.read(executed, as_version=4)
        page = notebook_html(
            nb,
            assets,
            show_code=True,
            assets_href="../assets",
            parameters=_shown(parameters),
            title=f"FAILED: {_title(nb, name)}",
        )
        (executed.parent / f"{name}.html").write_text(page, encoding="utf-8")
    return Executed("failed", time.monotonic() - started, executed.parent, error)


def _source_index(cells: list, index: int) -> int:
    """Index in the notebook file of an executed notebook's cell (papermill inserted one)."""
    injected = [
        i for i, c in enumerate(cells) if "injected-parameters" in c.metadata.get("tags", [])
    ]
    return index - sum(i < index for i in injected)


def _source_count(cells: list, index: int, count: int | None) -> int | None:
    """The ``In [n]`` the cell shows when the notebook file runs top to bottom in Jupyter: the
    executed notebook's count, less the injected-parameters cells that ran before it."""
    if count is None:
        return None
    ran = sum(
        1
        for c in cells[:index]
        if "injected-parameters" in c.metadata.get("tags", [])
        and c.get("execution_count") is not None
    )
    return count - ran


def _first_line(source: str) -> str:
    lines = [ln for ln in source.splitlines() if ln.strip()]
    return lines[0].strip()[:120] if lines else ""


def _one_line(text: str) -> str:
    text = re.sub(r"\x1b\[[0-9;]*m", "", text or "")
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    return lines[0][:300] if lines else ""


def _title(nb, fallback: str) -> str:
    """The page title: the first ``# heading`` of the first markdown cell."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
            break
    return fallback


def _shown(parameters: dict) -> dict:
    return {k: v for k, v in parameters.items() if not (k == "data_dir" and v == "")}
