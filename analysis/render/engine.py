"""The render run: plan, check, execute in parallel, publish atomically, record.

:func:`render_all` is the engine behind ``afghan-brief render`` (the steps are listed in
:mod:`analysis.render`); :func:`render_report` renders one notebook. Nothing here knows what a
report is about: data checks come from :mod:`.datacheck`, parameter rules from the modules a
notebook names (:mod:`.parameters`).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from ..exceptions import ConfigError, ParameterError, ReportModuleError
from . import images as img
from . import manifest as mf
from . import outdir
from .changes import write_changes_page
from .execute import CellError, Executed
from .executors import LocalExecutor, RunContext
from .figures_out import SUFFIX, publish_figures
from .index import write_index
from .lock import SignalGuard, Signalled, render_lock
from .matrix import annotate
from .parameters import is_package_report
from .reports import _NAME, Report, resolve_notebook
from .results import Progress, RenderInterrupted, RenderResult, RunResult

FAILED_DIR = "failed"


ASSETS_DIR = "assets"


def _check_before_kernels(jobs: list[mf.Planned]) -> tuple[dict, dict[str, CellError]]:
    """Data (exit 3), then parameters (exit 2), before any kernel starts: data first, because
    some parameter rules read it (known actors, countries). Returns, per data directory, the file
    each table resolves to and its hash (for the manifest), and the reports whose own rules
    module failed to import (each fails alone; the others go on)."""
    from .datacheck import check_data
    from .parameters import load_rules, validate

    tables = {}
    for data_dir in dict.fromkeys(job.data_dir for job in jobs):
        tables[data_dir] = check_data(data_dir, mf.FileHasher().file, _shown_path)
    broken: dict[str, CellError] = {}
    for job in jobs:
        try:
            load_rules(job.notebook, job.name)
        except ReportModuleError as exc:
            broken[job.name] = CellError(None, None, type(exc).__name__, str(exc))
            continue
        try:
            validate(job.notebook, job.given, job.name)
        except ParameterError as exc:
            if isinstance(exc, ConfigError) or exc.parameter is None:
                raise  # already names the report (unknown parameter) or the config key
            # a broken relation: name the config key of whichever of its parameters was given
            keys = [exc.parameter, *exc.relation]
            given = [k for k in keys if mf.where(job.report, k) != mf.where(job.report)]
            prefix = mf.where(job.report, (given or keys)[0])
            kind = ParameterError if prefix.startswith("report '") else ConfigError
            raise kind(prefix + str(exc), exc.parameter) from None
    return tables, broken


def render_report(
    notebook: str | os.PathLike,
    parameters: Mapping[str, Any] | None = None,
    out_dir: str | os.PathLike = "reports",
    *,
    name: str | None = None,
    notebooks_dir: str | os.PathLike | None = None,
    **options: Any,
) -> RenderResult:
    """Render one notebook with the given parameters into ``out_dir``; see :func:`render_all`
    for ``options``. ``notebook`` is a report's name or a ``.ipynb`` path inside the notebooks
    folder (``notebooks_dir``; default ``./notebooks``, else the installed ones): another path
    is refused. Raises ParameterError, DataError or LockHeldError before any kernel starts;
    an execution failure is returned (``status == "failed"``, ``error`` says where)."""
    path = resolve_notebook(notebook, notebooks_dir)
    if not isinstance(parameters, (Mapping, type(None))):
        raise ParameterError(
            f"parameters must be a mapping of name to value; got {type(parameters).__name__}"
        )
    report = Report(name or path.stem, path, dict(parameters or {}))
    return render_all([report], out_dir, **options).results[0]


def render_all(
    reports: Iterable[Report],
    out_dir: str | os.PathLike = "reports",
    *,
    data_dir: str | os.PathLike | None = None,
    jobs: int | None = None,
    force: bool = False,
    show_code: bool = False,
    timeout: float | None = None,
    wait: bool | float = False,
    progress: Progress | None = None,
    images: str | tuple[str, ...] | None = None,
    executor: Any = None,
) -> RunResult:
    """Render reports into ``out_dir``, skipping those unchanged since their last good render.

    ``data_dir``: a directory replacing shipped tables, validated first and passed to each
    notebook as its ``data_dir`` parameter. ``jobs``: reports executed at once (default: the
    CPUs available). ``force``: render even unchanged reports. ``show_code``: keep code cells
    in the pages. ``timeout``: seconds any one cell may run. ``wait``: wait for another
    render's lock instead of raising LockHeldError (or wait that many seconds). ``images``:
    also write each figure as static images in these formats ("png", "svg"), beside the page
    (:mod:`.images`; kaleido and Chromium are checked before anything else).
    ``executor``: where the reports run (:mod:`.executors`; default: local threads, ``jobs``
    at a time; :class:`.cluster.DaskExecutor` for a Dask cluster).
    """
    t0 = time.monotonic()
    started_at = mf.now()
    reports = list(reports)
    names = [r.name for r in reports]
    for name in names:
        if not _NAME.match(name):
            raise ParameterError(f"report name {name!r}: letters, digits, _ . - only")
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ParameterError(f"report '{duplicates[0]}' is named twice in one run")
    formats = img.parse_formats(images)
    browser = img.check(formats) if formats else None
    out = outdir.prepare(out_dir)  # OutputError (exit 7) before anything is written
    data_abs = str(Path(data_dir).expanduser().resolve()) if data_dir else None
    progress = progress or Progress()
    warnings: list[str] = []
    with render_lock(out, wait), SignalGuard() as guard:
        outdir.clean_stale(out)  # what a killed render left, whatever this run renders
        hasher = mf.FileHasher(out / mf.CACHE_NAME)
        manifest = outdir.load_manifest(out, warnings)
        results: dict[str, RenderResult] = {}
        planned, tables, n_jobs, executing = [], {}, 1, False
        try:
            code_fp, _ = mf.package_fingerprint(hasher)
            planned = [
                mf.plan_report(r, data_abs, hasher, code_fp, show_code, _reads(manifest, r.name))
                for r in reports
            ]
            todo = [
                j
                for j in planned
                if force
                or manifest.good_key(j.name) != j.key
                or img.missing(manifest.reports.get(j.name) or {}, out, j.name, formats)
            ]
            tables, broken = _check_before_kernels(todo) if todo else ({}, {})
            for job in [j for j in todo if j.name in broken]:
                outcome = Executed("failed", 0.0, out / ".no-output", broken[job.name])
                results[job.name] = _commit(job, outcome, out, manifest, tables, hasher)
                todo.remove(job)
            todo.sort(key=lambda j: _longest_first(manifest, j))
            n_jobs = max(1, min(jobs or cpus(), len(todo) or 1))
            skipped = [j for j in planned if j not in todo and j.name not in broken]
            progress.plan([j.name for j in todo], [j.name for j in skipped], n_jobs)
            for job in skipped:
                results[job.name] = _skipped_result(job, manifest, out)
                progress.finish(results[job.name])
            for name in broken:
                progress.finish(results[name])
            if todo:
                executing = True
                _run_jobs(
                    todo,
                    out,
                    manifest,
                    results,
                    tables,
                    executor or LocalExecutor(n_jobs),
                    show_code,
                    timeout,
                    progress,
                    guard,
                    hasher,
                    (formats, browser),
                )
        except Signalled:
            pass  # guard.received says which
        guard.hold()  # the records are written whole, whatever arrives now
        if guard.received and not executing:
            raise RenderInterrupted(guard.received)  # stopped before anything was written
        ordered = [results[j.name] for j in planned if j.name in results]
        for job in planned:  # interrupted before it finished: left as it was
            if job.name not in results:
                ordered.append(_interrupted_result(job, manifest))
        run = RunResult(ordered, out, time.monotonic() - t0, warnings)
        records = (started_at, n_jobs, (executor or LocalExecutor(n_jobs)).describe())
        _write_records(manifest, planned, run, tables, records, force, show_code, guard.received)
        outdir.attempt([], "the hash cache", hasher.save)  # a cache: never worth a warning
    if guard.received:
        raise RenderInterrupted(guard.received)
    return run


def _reads(manifest: mf.Manifest, name: str) -> list[dict] | None:
    """The tables the report's last good render read (None: not known)."""
    good = (manifest.reports.get(name) or {}).get("good") or {}
    reads = good.get("reads")
    return reads if isinstance(reads, list) else None


def cpus() -> int:
    """The CPUs this process may run on: the default number of reports at once."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def _longest_first(manifest: mf.Manifest, job: mf.Planned) -> tuple[float, int]:
    """Sort key: the longest report starts first (its last duration; never rendered: first,
    larger notebooks before smaller), so the last one to finish is not a long one."""
    entry = manifest.reports.get(job.name) or {}
    took = (entry.get("good") or {}).get("duration_s") or entry.get("duration_s")
    return (-float(took) if took else float("-inf"), -job.notebook.stat().st_size)


def _run_jobs(
    todo,
    out,
    manifest,
    results,
    tables,
    executor,
    show_code,
    timeout,
    progress,
    guard,
    hasher,
    images,
):
    """Have ``executor`` run the reports (:mod:`.executors`: local threads or Dask) and move
    each finished one into place whole, in this (the main) thread, signals deferred while it
    moves. A signal stops the executor and returns; ``guard.received`` tells which."""
    from .page import write_assets  # here: a run with nothing to render never loads it

    tmp = outcomes = image_job = None
    try:
        assets = write_assets(out / ASSETS_DIR)
        formats, browser = images
        if formats:
            plotly_js = out / ASSETS_DIR / assets["plotly_js"]
            image_job = img.ImageJob(formats, browser, plotly_js)
        tmp = Path(tempfile.mkdtemp(prefix=outdir.TMP_PREFIX, dir=out))
        context = RunContext(out, tmp, assets, show_code, timeout, progress, image_job)
        outcomes = executor.run(todo, context)
        for job, outcome in outcomes:
            with guard.deferred():
                results[job.name] = _commit_or_fail(job, outcome, out, manifest, tables, hasher)
            progress.finish(results[job.name])
    except Signalled:
        pass  # guard.received says which; the clean-up below runs either way
    finally:
        guard.hold()  # from here on a signal waits: the clean-up must finish
        if outcomes is not None:
            outcomes.close()  # stops the kernels / cancels the tasks still running
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)


def _commit_or_fail(job, outcome: Executed, out: Path, manifest, tables, hasher) -> RenderResult:
    """:func:`_commit`; when the output directory refuses the report's files (it filled up or
    became unwritable during the run), the report fails with that error and its previous good
    files stay (the figures file is the first thing written, the page the last)."""
    try:
        return _commit(job, outcome, out, manifest, tables, hasher)
    except OSError as exc:
        error = CellError(
            None, None, type(exc).__name__, f"{exc.strerror or exc}", where="publishing its files"
        )
        failed = Executed("failed", outcome.duration, outcome.work, error)
        return _commit(job, failed, out, manifest, tables, hasher)


def _commit(
    job: mf.Planned, outcome: Executed, out: Path, manifest, tables, hasher=None
) -> RenderResult:
    """Move a finished report's files into place (each with one rename) and record it; a good
    render's figures go beside its page and are compared with the previous good render's."""
    entry = manifest.reports.setdefault(job.name, {})
    failed_dir = out / FAILED_DIR
    name = job.name
    change = None
    if outcome.status == "ok":
        hasher = hasher or mf.FileHasher()
        rendered_at = mf.now()
        change, reads, data = publish_figures(name, outcome.work, out, hasher.file, rendered_at)
        key, inputs = job.key, job.inputs
        if not is_package_report(job.notebook):
            reads = None  # any notebook may read a data file directly: all of them count
        if reads is not None:  # the key the next run computes from the tables it read
            key, inputs = job.rekeyed(mf.data_fingerprint(job.data_dir, hasher, reads)[0])
        os.replace(outcome.work / f"{name}.ipynb", out / f"{name}.ipynb")
        entry["images"] = img.publish(outcome.work, out, name)
        os.replace(outcome.work / f"{name}.html", out / f"{name}.html")
        for suffix in (".ipynb", ".html", ".kernel.log"):
            (failed_dir / f"{name}{suffix}").unlink(missing_ok=True)
        entry.update(
            html=f"{name}.html",
            ipynb=f"{name}.ipynb",
            figures=f"{name}{SUFFIX}",
            changes=change.as_dict(),
            failed_ipynb=None,
            failed_html=None,
            error=None,
            good={
                "key": key,
                "rendered_at": rendered_at,
                "duration_s": round(outcome.duration, 2),
                "parameters": job.full,
                "inputs": inputs,
                "reads": reads,
                "data": data,
            },
        )
    elif outcome.status == "failed":
        entry.update(failed_ipynb=None, failed_html=None)
        try:  # what the failed run left, for debugging: never a reason to lose the record
            failed_dir.mkdir(exist_ok=True)
            for suffix, key in ((".ipynb", "failed_ipynb"), (".html", "failed_html")):
                source = outcome.work / f"{name}{suffix}"
                if source.is_file():
                    os.replace(source, failed_dir / f"{name}{suffix}")
                    entry[key] = f"{FAILED_DIR}/{name}{suffix}"
            log = outcome.work / "kernel.log"
            if log.is_file() and log.stat().st_size:
                os.replace(log, failed_dir / f"{name}.kernel.log")
        except OSError:
            pass
        entry["error"] = outcome.error.as_dict() if outcome.error else None
    entry.update(
        notebook=_shown_path(job.notebook),
        parameters=job.full,
        inputs=job.inputs,
        status=outcome.status,
        duration_s=round(outcome.duration, 2),
        data_files=tables.get(job.data_dir, entry.get("data_files")),
    )
    result = _result_from_entry(job, entry, outcome.status, outcome.duration, outcome.error)
    result.change = change
    return result


def _result_from_entry(job, entry, status, duration, error) -> RenderResult:
    has_good = bool(entry.get("good"))
    return RenderResult(
        name=job.name,
        notebook=str(job.notebook),
        parameters=job.full,
        status=status,
        duration=duration,
        html=entry.get("html") if has_good else None,
        ipynb=entry.get("ipynb") if has_good else None,
        failed_ipynb=entry.get("failed_ipynb") if status == "failed" else None,
        failed_html=entry.get("failed_html") if status == "failed" else None,
        error=error,
        key=job.key,
    )


def _skipped_result(job: mf.Planned, manifest: mf.Manifest, out: Path) -> RenderResult:
    """Up to date: the good page stands; a failure record from a later run goes."""
    for suffix in (".ipynb", ".html", ".kernel.log"):
        (out / FAILED_DIR / f"{job.name}{suffix}").unlink(missing_ok=True)
    entry = manifest.reports.setdefault(job.name, {})
    entry.update(
        notebook=_shown_path(job.notebook),
        parameters=job.full,
        inputs=job.inputs,
        status="skipped",
        duration_s=0.0,
        failed_ipynb=None,
        failed_html=None,
        error=None,
    )
    return _result_from_entry(job, entry, "skipped", 0.0, None)


def _interrupted_result(job: mf.Planned, manifest: mf.Manifest) -> RenderResult:
    entry = manifest.reports.setdefault(job.name, {})
    entry.update(status="interrupted", duration_s=0.0)
    entry.setdefault("notebook", _shown_path(job.notebook))
    entry.setdefault("parameters", job.full)
    return _result_from_entry(job, entry, "interrupted", 0.0, None)


def _shown_path(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _write_records(manifest, planned, run, tables, records, force, show_code, signum):
    """manifest.json, index.html and a line of history.jsonl; ``records`` is (when the run
    started, reports at once, where they ran)."""
    from .. import __version__

    started_at, n_jobs, where = records
    for job in planned:  # the index groups a matrix's reports in one table
        annotate(manifest.reports.setdefault(job.name, {}), job.report)
    first_dir = planned[0].notebook.parent if planned else Path.cwd()
    git = mf.git_revision(first_dir)
    exit_code = 128 + signum if signum else run.exit_code
    finished = mf.now()
    manifest.data.update(
        format=mf.FORMAT,
        package_version=__version__,
        git=git,
        data_source=mf.data_source(planned[0].data_dir if planned else None),
        run={
            "started": started_at,
            "finished": finished,
            "duration_s": round(run.duration, 2),
            "jobs": n_jobs,
            "executor": where,  # where the reports ran: local threads, a Dask cluster
            "force": force,
            "show_code": show_code,
            "exit_code": exit_code,
            "summary": run.summary + (" (interrupted)" if signum else ""),
            "reports": [r.name for r in run.results],
            "changes": [c.summary() for c in run.changes if c.changed],
        },
    )
    # each record whole or not at all; one that cannot be written (a full disk) is a warning,
    # so the run still reports its reports' failures and, if it fits, its history line
    warned = len(run.warnings)
    outdir.attempt(run.warnings, "manifest.json", manifest.save)
    outdir.attempt(run.warnings, "index.html", lambda: write_index(manifest))
    outdir.attempt(run.warnings, "changes.html", lambda: write_changes_page(manifest))
    history = (
        run.out_dir,
        {
            "started": started_at,
            "finished": finished,
            "duration_s": round(run.duration, 2),
            "exit_code": exit_code,
            "package_version": __version__,
            "git_revision": (git or {}).get("revision"),
            "reports": {
                r.name: {"status": r.status, "duration_s": round(r.duration, 2), "key": r.key}
                for r in run.results
            },
            "changes": {c.report: c.as_dict() for c in run.changes if c.changed},
        },
    )
    outdir.attempt(run.warnings, "the history line", lambda: mf.append_history(*history))
    run.records_failed = len(run.warnings) > warned
