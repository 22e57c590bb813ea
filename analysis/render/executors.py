"""Executors: where the planned reports run — threads on this machine, or a Dask cluster.

The engine (:mod:`.engine`) plans, checks, and commits; an executor only runs. Its
:meth:`~LocalExecutor.run` takes the reports to execute and yields ``(job, Executed)`` as each
one finishes, its files (``<name>.ipynb``, ``<name>.html``) in ``ctx.tmp / <name>``; the engine
moves them into place in the main thread, under the output directory's lock, with the same
atomic, incremental rules whatever ran them. Closing the generator (the run ends, or a signal
arrives) stops what is still running. Every executor runs the same per-report function,
:func:`.execute.execute_report`:

- :class:`LocalExecutor`: ``jobs`` threads, each driving one kernel at a time;
- :class:`DaskExecutor` (:mod:`.dask`): one task per report on a Dask distributed scheduler; the
  worker runs :func:`render_task` and returns the page and executed notebook as bytes.

:func:`render_task` is also what an orchestrator (Airflow, Dagster, Prefect) can call in its own
task: one report in, its files as bytes out, no lock and no output directory touched.

May import: the standard library and the engine's own modules; ``distributed`` only in
:mod:`.dask`, and only when a Dask executor is used.
"""

from __future__ import annotations

import contextvars
import hashlib
import logging
import platform
import queue
import shutil
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import images as img
from .datacheck import READS_ENV_VAR
from .execute import CellError, Executed, execute_report
from .figures_out import READS_LOG
from .lock import Kernels
from .results import Progress


@dataclass(frozen=True)
class RunContext:
    """What every executor is given by the engine for one run."""

    out: Path  # the output directory (where notebooks will be published)
    tmp: Path  # a temporary directory inside it: finished reports' files go to tmp/<name>
    assets: dict[str, str]  # the shared files' names the pages link to
    show_code: bool = False
    timeout: float | None = None
    progress: Progress = Progress()
    image_job: img.ImageJob | None = None  # export each figure as static images (--images)


def _reads_env(work: Path) -> dict[str, str]:
    """The kernel logs every table lookup there: the renderer learns what a report read."""
    return {READS_ENV_VAR: str((work / READS_LOG).resolve())}


class LocalExecutor:
    """``jobs`` reports at once on this machine, each in its own kernel driven from a thread."""

    def __init__(self, jobs: int = 1):
        self.jobs = max(1, int(jobs))

    def describe(self) -> str:
        return f"local ({self.jobs} at a time)"

    def run(self, todo: list, ctx: RunContext) -> Iterator[tuple[Any, Executed]]:
        """Yield ``(job, Executed)`` as each report finishes. A signal raised while waiting
        (or closing the generator) stops every kernel and joins the threads."""
        import papermill.engines  # noqa: F401  (import once here, not in n threads at once)

        _quiet_papermill()
        kernels = Kernels()
        pending: queue.Queue = queue.Queue()
        for job in todo:
            pending.put(job)
        done: queue.Queue = queue.Queue()

        def work(job) -> Executed:
            outcome = execute_report(
                job.name,
                job.notebook,
                job.given,
                ctx.tmp / job.name,
                assets=ctx.assets,
                kernels=kernels,
                output_path=ctx.out / f"{job.name}.ipynb",
                show_code=ctx.show_code,
                timeout=ctx.timeout,
                shown_parameters=job.full,
                on_start=lambda cells: ctx.progress.start(job.name, cells),
                on_cell=lambda n: ctx.progress.cell(job.name, n),
                env=_reads_env(ctx.tmp / job.name),
            )
            return img.after_execute(outcome, job.name, ctx.image_job)

        def worker() -> None:
            while not kernels.cancelled.is_set():
                try:
                    job = pending.get_nowait()
                except queue.Empty:
                    return
                try:
                    outcome = work(job)
                except BaseException as exc:  # a bug: this report's failure, not the run's
                    status = "interrupted" if kernels.cancelled.is_set() else "failed"
                    where = "writing its files" if isinstance(exc, OSError) else ""
                    error = CellError(None, None, type(exc).__name__, str(exc)[:300], "", where)
                    outcome = Executed(status, 0.0, ctx.tmp / job.name, error)
                done.put((job, outcome))

        threads = [
            threading.Thread(target=worker, name=f"render-{i}", daemon=True)
            for i in range(min(self.jobs, len(todo)))
        ]
        finished = False
        try:
            for thread in threads:
                thread.start()
            for _ in todo:
                while True:
                    try:
                        item = done.get(timeout=0.2)  # short waits: signals reach this thread
                        break
                    except queue.Empty:
                        continue
                yield item
            finished = True
        finally:
            if not finished:  # a signal, or the run stopped early: no kernel gets its grace
                kernels.cancel()
            deadline = time.monotonic() + 30
            for thread in threads:
                if thread.ident is not None:  # started
                    thread.join(max(0.0, deadline - time.monotonic()))
            kernels.close()


def _quiet_papermill() -> None:
    logger = logging.getLogger("papermill")  # nbclient logs a dead kernel there; we report it
    if not logger.handlers:
        logger.addHandler(logging.NullHandler())


def task_spec(job, ctx: RunContext) -> dict[str, Any]:
    """One planned report as plain data for :func:`render_task` (picklable, no paths objects)."""
    return {
        "name": job.name,
        "notebook": str(job.notebook),
        "parameters": dict(job.given),
        "shown_parameters": dict(job.full),
        "inputs": dict(job.inputs),
        "data_dir": job.data_dir,
        "reads": job.reads,
        "assets": dict(ctx.assets),
        "output_path": str(ctx.out / f"{job.name}.ipynb"),
        "show_code": ctx.show_code,
        "timeout": ctx.timeout,
        "image_job": ctx.image_job,
    }


def render_task(spec: dict[str, Any], on_start=None, on_cell=None) -> dict[str, Any]:
    """Render one report where this function runs (a Dask worker, an orchestrator's task) and
    return its outcome as plain data: ``status`` ("ok" / "failed"), ``duration``, ``error``
    (:meth:`CellError.as_dict` or None), ``files`` (name -> bytes: the executed notebook, the
    page, a kernel log) and ``host``.

    ``spec`` is :func:`task_spec`'s dict. Before any kernel starts, the notebook, the
    ``analysis`` package and the data directory this process sees are compared with the hashes
    the client planned with (``spec["inputs"]``, when given): a worker with other files fails
    the report, naming what differs, instead of publishing a page its fingerprint does not
    describe. Nothing outside a temporary directory is written.
    """
    work = Path(tempfile.mkdtemp(prefix=f"afghan-brief-{spec['name']}-"))
    host = platform.node()
    started = time.monotonic()
    kernels = None
    try:
        mismatch = _mismatch(spec)
        if mismatch:
            error = CellError(None, None, "WorkerFilesDiffer", f"on {host}: {mismatch}")
            outcome = Executed("failed", time.monotonic() - started, work, error)
        else:
            _quiet_papermill()
            # in a context of its own: jupyter_core keeps the event loop that drives the kernel
            # in a ContextVar, and a Dask worker runs a task in a copy of its IO loop thread's
            # context, which two reports running at once in one process must not share
            kernels = Kernels()
            outcome = contextvars.Context().run(
                execute_report,
                spec["name"],
                Path(spec["notebook"]),
                spec["parameters"],
                work / "report",
                assets=spec["assets"],
                kernels=kernels,
                output_path=Path(spec["output_path"]),
                show_code=spec.get("show_code", False),
                timeout=spec.get("timeout"),
                shown_parameters=spec.get("shown_parameters"),
                on_start=on_start,
                on_cell=on_cell,
                env=_reads_env(work / "report"),
            )
            outcome = img.after_execute(outcome, spec["name"], spec.get("image_job"))
        files = {}
        if outcome.work.is_dir():  # every file, images in their folder included
            files = {
                p.relative_to(outcome.work).as_posix(): p.read_bytes()
                for p in sorted(outcome.work.rglob("*"))
                if p.is_file()
            }
        return {
            "status": outcome.status,
            "duration": outcome.duration,
            "error": outcome.error.as_dict() if outcome.error else None,
            "files": files,
            "host": host,
        }
    finally:
        if kernels is not None:  # its kernel stopped while the files were read
            kernels.close()
        shutil.rmtree(work, ignore_errors=True)


def _mismatch(spec: dict[str, Any]) -> str:
    """What this process sees differently from the planned inputs ("" when nothing)."""
    from . import manifest as mf

    inputs = spec.get("inputs") or {}
    notebook = Path(spec["notebook"])
    if "notebook_sha256" in inputs:
        if not notebook.is_file():
            return f"no notebook at {notebook} (workers must see the client's files)"
        if hashlib.sha256(notebook.read_bytes()).hexdigest() != inputs["notebook_sha256"]:
            return f"the notebook {notebook} differs from the client's"
    hasher = mf.FileHasher()
    if "code_sha256" in inputs and mf.package_fingerprint(hasher)[0] != inputs["code_sha256"]:
        return "its afghan-brief package (analysis/ code or shipped data) differs from the client's"
    if inputs.get("data_sha256"):
        try:
            found = mf.data_fingerprint(spec.get("data_dir"), hasher, spec.get("reads"))[0]
            same = found == inputs["data_sha256"]
        except Exception as exc:  # the directory is missing there
            return f"its data directory {spec.get('data_dir')} cannot be read ({exc})"
        if not same:
            return f"its data directory {spec.get('data_dir')} differs from the client's"
    return ""


def outcome_from_payload(payload: dict[str, Any], work: Path) -> Executed:
    """An :class:`Executed` from :func:`render_task`'s result: its files written into ``work``
    (a directory inside the output directory, so the engine's moves are renames)."""
    work.mkdir(parents=True, exist_ok=True)
    for name, data in payload.get("files", {}).items():
        relative = Path(name)
        if relative.is_absolute() or ".." in relative.parts:  # a worker names only its own files
            raise ValueError(f"a worker returned a file outside its report: {name!r}")
        (work / relative).parent.mkdir(parents=True, exist_ok=True)
        (work / relative).write_bytes(data)
    error = payload.get("error")
    if error:
        error = CellError(
            error.get("cell_index"),
            error.get("execution_count"),
            error.get("ename", "Error"),
            error.get("evalue", ""),
            error.get("source", ""),
            error.get("where", ""),
        )
    return Executed(payload["status"], float(payload.get("duration", 0.0)), work, error)
