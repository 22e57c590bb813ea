"""Render report notebooks into an offline HTML report set: the API behind ``afghan-brief render``.

>>> from analysis import render
>>> run = render.render_all(render.default_reports("notebooks"), "reports")   # doctest: +SKIP
>>> run.exit_code                                                            # doctest: +SKIP
0
>>> render.render_report("notebooks/regional_risk.ipynb", {"focus_countries": ["PAK"]},
...                      "reports", name="risk_pakistan").status              # doctest: +SKIP
'ok'

A report is a notebook in ``notebooks/`` (its name is the file stem) or a named parameter set
of a TOML config. :func:`render_all`, under the output directory's lock:

1. resolves every report's parameters (defaults, config, ``-p``) and fingerprints its inputs:
   notebook bytes, parameters, the ``analysis/`` package (code and shipped data), the user's
   data files; a report whose fingerprint matches its last good render is skipped;
2. checks their data (:func:`analysis.validate.validate_data`, exit 3), then their parameters
   (:func:`analysis.parameters.validate`, exit 2; some rules read the data) before any kernel
   starts;
3. executes them with papermill, ``jobs`` at a time, each in its own kernel, in a temporary
   directory inside the output directory, then moves each report's files into place whole;
4. writes ``manifest.json``, ``index.html`` and a line of ``history.jsonl``.

A report that fails keeps its previous good files; its executed notebook (error cell marked)
goes to ``failed/``. Ctrl-C or SIGTERM stops the kernels, removes the temporary files and
leaves every report as it was or wholly new.
"""

from __future__ import annotations

import logging
import os
import queue
import re
import shutil
import signal
import tempfile
import threading
import time
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import manifest as mf
from .exceptions import AfghanBriefError, ConfigError, ParameterError, UnknownReportError
from .export import CellError, Executed, execute_report, write_assets
from .lock import Kernels, SignalGuard, Signalled, render_lock
from .parameters import Declared

__all__ = [
    "CellError",
    "Progress",
    "RenderInterrupted",
    "RenderResult",
    "Report",
    "ReportInfo",
    "RunResult",
    "default_reports",
    "find_notebooks",
    "list_reports",
    "load_config",
    "render_all",
    "render_report",
    "select_reports",
]

FAILED_DIR = "failed"
ASSETS_DIR = "assets"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


# ---------------------------------------------------------------------------------------------
# What to render


@dataclass(frozen=True)
class Report:
    """A report to render: a notebook, the parameters given for it (defaults fill the rest).

    ``parameters`` are typed values; ``cli_values`` are strings from ``-p NAME VALUE``, turned
    into the declared type. ``origin`` says where they came from, for error messages.
    """

    name: str
    notebook: Path
    parameters: Mapping[str, Any] = field(default_factory=dict)
    cli_values: Mapping[str, str] = field(default_factory=dict)
    origin: str = ""


@dataclass(frozen=True)
class ReportInfo:
    """A report notebook and the parameters its ``parameters`` cell declares."""

    name: str
    notebook: Path
    parameters: dict[str, Declared]


@dataclass
class RenderResult:
    """What happened to one report. Paths are relative to the output directory."""

    name: str
    notebook: str
    parameters: dict[str, Any]
    status: str  # "ok", "skipped" (up to date), "failed", "interrupted"
    duration: float = 0.0
    html: str | None = None  # the report's good page (this run's, or kept from an earlier one)
    ipynb: str | None = None
    failed_ipynb: str | None = None
    failed_html: str | None = None
    error: CellError | None = None
    key: str = ""

    @property
    def ok(self) -> bool:
        return self.status in ("ok", "skipped")


@dataclass
class RunResult:
    """A whole run: every report's result, where they went, how long it took."""

    results: list[RenderResult]
    out_dir: Path
    duration: float

    @property
    def failed(self) -> list[RenderResult]:
        return [r for r in self.results if r.status == "failed"]

    @property
    def exit_code(self) -> int:
        from .exceptions import RenderError

        return RenderError.exit_code if self.failed else 0

    def count(self, status: str) -> int:
        return sum(r.status == status for r in self.results)

    @property
    def summary(self) -> str:
        parts = [f"{self.count(s)} {w}" for s, w in _WORDS if self.count(s)]
        return ", ".join(parts) or "nothing to render"


_WORDS = (("ok", "rendered"), ("skipped", "up to date"), ("failed", "failed"))


class RenderInterrupted(AfghanBriefError):
    """Raised when Ctrl-C or SIGTERM stopped a render; finished reports were kept whole."""

    def __init__(self, signum: int):
        self.signum = signum
        self.exit_code = 128 + signum
        name = signal.Signals(signum).name
        super().__init__(
            f"render stopped by {name}: kernels stopped, temporary files removed, "
            "reports finished before it were kept, the others left as they were"
        )


class Progress:
    """Hooks the CLI uses to show progress. Methods may be called from worker threads."""

    def plan(self, to_render: list[str], up_to_date: list[str], jobs: int) -> None: ...

    def start(self, name: str, cells: int) -> None: ...

    def cell(self, name: str, index: int) -> None: ...

    def finish(self, result: RenderResult) -> None: ...


def find_notebooks(notebooks_dir: str | os.PathLike) -> dict[str, Path]:
    """Report notebooks in a directory, by name (file stem), sorted."""
    where = Path(notebooks_dir)
    if not where.is_dir():
        raise UnknownReportError(f"notebooks directory {where} does not exist")
    return {
        p.stem: p.resolve()
        for p in sorted(where.glob("*.ipynb"))
        if p.stem[0] not in "._" and not p.stem.endswith("-checkpoint")
    }


def default_reports(notebooks_dir: str | os.PathLike = "notebooks") -> list[Report]:
    """Every notebook of a directory, with its default parameters: the default report set."""
    return [Report(name, path) for name, path in find_notebooks(notebooks_dir).items()]


def list_reports(notebooks_dir: str | os.PathLike = "notebooks") -> list[ReportInfo]:
    """Every report notebook with its declared parameters (name, type, default, help)."""
    from .parameters import declared

    return [
        ReportInfo(name, path, declared(path))
        for name, path in find_notebooks(notebooks_dir).items()
    ]


_CONFIG_KEYS = ("description", "notebook", "parameters")


def load_config(path: str | os.PathLike, notebooks_dir: str | os.PathLike = "notebooks"):
    """Named parameter sets from a TOML file; one :class:`Report` each::

        [reports.risk_pakistan]
        notebook = "regional_risk"          # a notebook name (default: the set's own name)
        parameters = { focus_countries = ["PAK"] }

    Raises ConfigError (exit 2), one line naming the file and the key, for a file that cannot be
    read or parsed, an unknown key or notebook, or a value TOML types cannot give a report
    (dates). Unknown parameter names and bad values are caught when the set is rendered.
    """
    file = Path(path)
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{file}: no such config file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{file}: cannot be read: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{file}: invalid TOML: {exc}") from None
    for key in data:
        if key != "reports":
            raise ConfigError(f"{file}: {key}: unknown key; a config holds [reports.<name>] tables")
    sets = data.get("reports")
    if not isinstance(sets, dict) or not sets:
        raise ConfigError(f"{file}: reports: no [reports.<name>] table")
    notebooks = find_notebooks(notebooks_dir)
    out = []
    for name, spec in sets.items():
        where = f"reports.{name}"
        if not isinstance(spec, dict):
            raise ConfigError(f"{file}: {where}: must be a table ([{where}])")
        if not _NAME.match(name):
            raise ConfigError(f"{file}: {where}: a report name is letters, digits, _ . - only")
        for key in spec:
            if key not in _CONFIG_KEYS:
                raise ConfigError(
                    f"{file}: {where}.{key}: unknown key; allowed: {', '.join(_CONFIG_KEYS)}"
                )
        notebook = spec.get("notebook", name)
        if not isinstance(notebook, str) or notebook not in notebooks:
            raise ConfigError(
                f"{file}: {where}.notebook: unknown report {notebook!r}; notebooks in "
                f"{notebooks_dir}: {', '.join(notebooks) or '(none)'}"
            )
        params = spec.get("parameters", {})
        if not isinstance(params, dict):
            raise ConfigError(f"{file}: {where}.parameters: must be a table of name = value")
        for key, value in params.items():
            if not _plain(value):
                raise ConfigError(
                    f"{file}: {where}.parameters.{key}: {type(value).__name__} values cannot be "
                    "passed to a notebook; use a string, number, boolean or list (quote dates)"
                )
        out.append(Report(name, notebooks[notebook], params, origin=f"{file}: {where}"))
    return out


def _plain(value: Any) -> bool:
    if isinstance(value, list):
        return all(_plain(v) for v in value)
    return isinstance(value, (str, int, float, bool))


def select_reports(
    names: Iterable[str] = (),
    notebooks_dir: str | os.PathLike = "notebooks",
    config: str | os.PathLike | None = None,
) -> list[Report]:
    """The reports a command line names: config sets first, then notebooks; none named means
    every set of the config, or else every notebook."""
    names = list(names)
    sets = {r.name: r for r in load_config(config, notebooks_dir)} if config else {}
    if not names:
        return list(sets.values()) if sets else default_reports(notebooks_dir)
    notebooks = find_notebooks(notebooks_dir)
    out = []
    for name in names:
        if name in sets:
            out.append(sets[name])
        elif name in notebooks:
            out.append(Report(name, notebooks[name]))
        else:
            known = sorted({*sets, *notebooks})
            raise UnknownReportError(
                f"unknown report '{name}'; reports: {', '.join(known) or '(none)'}"
            )
    return out


# ---------------------------------------------------------------------------------------------
# Before any kernel: parameters, then data


def _check_before_kernels(jobs: list[mf.Planned]) -> dict[str | None, dict]:
    """Data (exit 3), then parameters (exit 2), before any kernel starts: data first, because
    some parameter rules read it (known actors, countries). Returns, per data directory, the file
    each table resolves to and its hash (for the manifest)."""
    from .catalog import all_tables
    from .parameters import validate
    from .validate import validate_data

    tables = {}
    for data_dir in dict.fromkeys(job.data_dir for job in jobs):
        validate_data(data_dir).raise_for_problems()
        hasher = mf.FileHasher()
        tables[data_dir] = {
            spec.name: {"file": _shown_path(path), "sha256": hasher.file(path)}
            for spec in all_tables()
            for path in [spec.path(data_dir)]
        }
    for job in jobs:
        try:
            validate(job.notebook, job.given, job.name)
        except ParameterError as exc:
            if isinstance(exc, ConfigError) or exc.parameter is None:
                raise  # already names the report (unknown parameter) or the config key
            prefix = mf.where(job.report, exc.parameter)
            kind = ParameterError if prefix.startswith("report '") else ConfigError
            raise kind(prefix + str(exc), exc.parameter) from None
    return tables


# ---------------------------------------------------------------------------------------------
# The public entry points


def render_report(
    notebook: str | os.PathLike,
    parameters: Mapping[str, Any] | None = None,
    out_dir: str | os.PathLike = "reports",
    *,
    name: str | None = None,
    **options: Any,
) -> RenderResult:
    """Render one notebook with the given parameters into ``out_dir``; see :func:`render_all`
    for ``options``. Raises ParameterError, DataError or LockHeldError before any kernel starts;
    an execution failure is returned (``status == "failed"``, ``error`` says where)."""
    report = Report(name or Path(notebook).stem, Path(notebook), dict(parameters or {}))
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
) -> RunResult:
    """Render reports into ``out_dir``, skipping those unchanged since their last good render.

    ``data_dir``: a directory replacing shipped tables, validated first and passed to each
    notebook as its ``data_dir`` parameter. ``jobs``: reports executed at once (default: the
    CPUs available). ``force``: render even unchanged reports. ``show_code``: keep code cells
    in the pages. ``timeout``: seconds any one cell may run. ``wait``: wait for another
    render's lock instead of raising LockHeldError (or wait that many seconds).
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
    out = Path(out_dir).expanduser().resolve()
    data_abs = str(Path(data_dir).expanduser().resolve()) if data_dir else None
    progress = progress or Progress()
    with render_lock(out, wait), SignalGuard() as guard:
        hasher = mf.FileHasher(out / mf.CACHE_NAME)
        manifest = mf.Manifest.load(out)
        results: dict[str, RenderResult] = {}
        planned, tables, n_jobs, executing = [], {}, 1, False
        try:
            code_fp, _ = mf.package_fingerprint(hasher)
            planned = [mf.plan_report(r, data_abs, hasher, code_fp, show_code) for r in reports]
            todo = [j for j in planned if force or manifest.good_key(j.name) != j.key]
            tables = _check_before_kernels(todo) if todo else {}
            todo.sort(key=lambda j: _longest_first(manifest, j))
            n_jobs = max(1, min(jobs or _cpus(), len(todo) or 1))
            skipped = [j for j in planned if j not in todo]
            progress.plan([j.name for j in todo], [j.name for j in skipped], n_jobs)
            for job in skipped:
                results[job.name] = _skipped_result(job, manifest, out)
                progress.finish(results[job.name])
            if todo:
                executing = True
                _run_jobs(
                    todo,
                    out,
                    manifest,
                    results,
                    tables,
                    n_jobs,
                    show_code,
                    timeout,
                    progress,
                    guard,
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
        run = RunResult(ordered, out, time.monotonic() - t0)
        _write_records(
            manifest, planned, run, tables, started_at, n_jobs, force, show_code, guard.received
        )
        hasher.save()
    if guard.received:
        raise RenderInterrupted(guard.received)
    return run


def _cpus() -> int:
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


def _run_jobs(todo, out, manifest, results, tables, n_jobs, show_code, timeout, progress, guard):
    """Execute ``n_jobs`` reports at a time, each in its own kernel, driven from a worker
    thread; move each finished report into place whole (main thread, signals deferred).
    A signal stops the kernels and returns; ``guard.received`` tells which."""
    import papermill.engines  # noqa: F401  (import once here, not in n threads at once)

    logger = logging.getLogger("papermill")  # nbclient logs a dead kernel there; we report it
    if not logger.handlers:
        logger.addHandler(logging.NullHandler())
    kernels = Kernels()
    pending: queue.Queue = queue.Queue()
    for job in todo:
        pending.put(job)
    done: queue.Queue = queue.Queue()
    tmp = assets = None

    def work(job: mf.Planned) -> Executed:
        return execute_report(
            job.name,
            job.notebook,
            job.full,
            tmp / job.name,
            assets=assets,
            kernels=kernels,
            output_path=out / f"{job.name}.ipynb",
            show_code=show_code,
            timeout=timeout,
            on_start=lambda cells: progress.start(job.name, cells),
            on_cell=lambda n: progress.cell(job.name, n),
        )

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
                error = CellError(None, None, type(exc).__name__, str(exc)[:300])
                outcome = Executed(status, 0.0, tmp / job.name, error)
            done.put((job, outcome))

    threads = [
        threading.Thread(target=worker, name=f"render-{i}", daemon=True) for i in range(n_jobs)
    ]
    try:
        assets = write_assets(out / ASSETS_DIR)
        for stale in out.glob(".tmp-render-*"):  # left by a run killed with SIGKILL
            shutil.rmtree(stale, ignore_errors=True)
        tmp = Path(tempfile.mkdtemp(prefix=".tmp-render-", dir=out))
        for thread in threads:
            thread.start()
        for _ in todo:
            while True:
                try:
                    job, outcome = done.get(timeout=0.2)
                    break
                except queue.Empty:
                    continue
            with guard.deferred():
                results[job.name] = _commit(job, outcome, out, manifest, tables)
            progress.finish(results[job.name])
    except Signalled:
        pass  # guard.received says which; the clean-up below runs either way
    finally:
        guard.hold()  # from here on a signal waits: the clean-up must finish
        kernels.cancel()
        deadline = time.monotonic() + 30
        for thread in threads:
            if thread.ident is not None:  # started
                thread.join(max(0.0, deadline - time.monotonic()))
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)


def _commit(job: mf.Planned, outcome: Executed, out: Path, manifest, tables) -> RenderResult:
    """Move a finished report's files into place (each with one rename) and record it."""
    entry = manifest.reports.setdefault(job.name, {})
    failed_dir = out / FAILED_DIR
    name = job.name
    if outcome.status == "ok":
        os.replace(outcome.work / f"{name}.ipynb", out / f"{name}.ipynb")
        os.replace(outcome.work / f"{name}.html", out / f"{name}.html")
        for suffix in (".ipynb", ".html", ".kernel.log"):
            (failed_dir / f"{name}{suffix}").unlink(missing_ok=True)
        entry.update(
            html=f"{name}.html",
            ipynb=f"{name}.ipynb",
            failed_ipynb=None,
            failed_html=None,
            error=None,
            good={
                "key": job.key,
                "rendered_at": mf.now(),
                "duration_s": round(outcome.duration, 2),
                "parameters": job.full,
                "inputs": job.inputs,
            },
        )
    elif outcome.status == "failed":
        failed_dir.mkdir(exist_ok=True)
        entry.update(failed_ipynb=None, failed_html=None)
        for suffix, key in ((".ipynb", "failed_ipynb"), (".html", "failed_html")):
            source = outcome.work / f"{name}{suffix}"
            if source.is_file():
                os.replace(source, failed_dir / f"{name}{suffix}")
                entry[key] = f"{FAILED_DIR}/{name}{suffix}"
        log = outcome.work / "kernel.log"
        if log.is_file() and log.stat().st_size:
            os.replace(log, failed_dir / f"{name}.kernel.log")
        entry["error"] = outcome.error.as_dict() if outcome.error else None
    entry.update(
        notebook=_shown_path(job.notebook),
        parameters=job.full,
        inputs=job.inputs,
        status=outcome.status,
        duration_s=round(outcome.duration, 2),
        data_files=tables.get(job.data_dir, entry.get("data_files")),
    )
    return _result_from_entry(job, entry, outcome.status, outcome.duration, outcome.error)


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


def _write_records(manifest, planned, run, tables, started_at, n_jobs, force, show_code, signum):
    from . import __version__

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
            "force": force,
            "show_code": show_code,
            "exit_code": exit_code,
            "summary": run.summary + (" (interrupted)" if signum else ""),
            "reports": [r.name for r in run.results],
        },
    )
    manifest.save()
    mf.write_index(manifest)
    mf.append_history(
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
        },
    )
