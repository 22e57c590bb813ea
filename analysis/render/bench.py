"""Benchmark: how close ``afghan-brief render`` comes to the floor, in one run (``make bench``).

``python -m analysis.render.bench`` times, on the same notebooks with the same parameters:

1. **the chain** a user would write without this package: for each notebook, one after the
   other, ``papermill NB out.ipynb`` then ``jupyter nbconvert --to html out.ipynb``, each a new
   process;
2. **a forced full render** through the Python API (:func:`analysis.render.render_all` with
   ``force=True``), in a fresh interpreter and a fresh output directory, so start-up, data
   validation and writing the plotly.js asset are counted;
3. **the no-op re-render** (``afghan-brief render`` again, nothing changed; median of 3);
4. **a bare kernel start**: the kernel the reports run in, started with jupyter_client and
   waited for until it answers, nothing executed (median of ``--kernel-runs``);
5. **each report's own time**, read from the executed notebooks' metadata: its kernel start,
   its cells (all of them, imports included) as a multiple of the bare kernel start, its kernel
   stop, its slowest cell (:mod:`.bench_measure`);
6. **a matrix render** (the parameter matrix of a config: by default the neighbours' risk
   profiles of ``analysis/data/configs/neighbours.toml``), forced, in a fresh interpreter, once
   on local threads (``jobs`` at a time) and once on a Dask ``LocalCluster`` of ``jobs`` worker
   processes started by the render (its start-up counted);
7. with ``--with-tests``, the test suite as ``make test`` runs it;

then the page sizes (shared assets apart), the machine and its load average before and after,
and every target of issue 14 as met or not and by how much (:mod:`.bench_report`); ``--json
PATH`` writes all of it. The chain and the render do the same work per notebook: execute every
cell in a new kernel, write the executed notebook, write an HTML page. Timings are wall-clock.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ..exceptions import AfghanBriefError
from .bench_measure import (
    REPO,
    NotebookTiming,
    bare_kernel_start,
    load,
    machine,
    notebook_timing,
    suite_command,
    time_suite,
)
from .bench_report import Bench, as_json, report
from .execute import KERNEL

__all__ = ["Bench", "as_json", "chain_commands", "machine", "main", "report", "run"]


class UsageError(Exception):
    """A bad argument: one line, exit 2, before anything is timed."""


class BenchError(Exception):
    """A step of the benchmark failed (a command exited non-zero): one line, exit 1."""


def chain_commands(notebook: Path, out_dir: Path, parameters: dict) -> list[list[str]]:
    """The two commands the plain chain runs for one notebook (the kernel runs in the
    notebook's directory, as the renderer's does)."""
    bin_dir = Path(sys.executable).parent
    executed = out_dir / f"{notebook.stem}.ipynb"
    papermill = [
        str(bin_dir / "papermill"),
        str(notebook),
        str(executed),
        "-k",
        "python3",
        "--cwd",
        str(notebook.parent),
        "--no-progress-bar",
    ]
    for name, value in parameters.items():
        papermill += ["-y", json.dumps({name: value})]
    nbconvert = [str(bin_dir / "jupyter"), "nbconvert", "--to", "html", str(executed)]
    return [papermill, nbconvert]


_RENDER = """
import sys
from analysis.render import default_reports, render_all
names = set(sys.argv[3].split(","))
reports = [r for r in default_reports(sys.argv[1]) if r.name in names]
data = sys.argv[5] or None
run = render_all(reports, sys.argv[2], force=True, jobs=int(sys.argv[4]), data_dir=data)
sys.exit(run.exit_code)
"""


_MATRIX = """
import sys
from analysis.render import DaskExecutor, render_all, select_reports
if __name__ == "__main__":
    reports = select_reports((), sys.argv[1], sys.argv[2])
    jobs = int(sys.argv[4])
    executor = DaskExecutor("local", jobs) if sys.argv[5] == "dask" else None
    run = render_all(reports, sys.argv[3], force=True, jobs=jobs, executor=executor)
    sys.exit(run.exit_code)
"""


DEFAULT_MATRIX = Path(__file__).resolve().parents[1] / "data" / "configs" / "neighbours.toml"


def _say(text: str) -> None:
    print(f"bench: {text}", file=sys.stderr, flush=True)


def _timed(command: list[str], what: str, **kwargs) -> float:
    """Wall time of ``command``; a non-zero exit is a :class:`BenchError` naming ``what``."""
    started = time.perf_counter()
    done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, **kwargs)
    if done.returncode:
        lines = [ln for ln in done.stderr.decode(errors="replace").splitlines() if ln.strip()]
        raise BenchError(f"{what} failed (exit {done.returncode}): {lines[-1] if lines else ''}")
    return time.perf_counter() - started


def _timings(directory: Path, names: list[str]) -> dict[str, NotebookTiming]:
    out = {}
    for name in names:
        if (directory / f"{name}.ipynb").is_file():
            timing = notebook_timing(directory / f"{name}.ipynb")
            if timing is not None:
                out[name] = timing
    return out


def _report_seconds(out_dir: Path) -> dict[str, float]:
    """Each report's own duration in the render, as its manifest records it."""
    try:
        entries = json.loads((out_dir / "manifest.json").read_text(encoding="utf-8"))["reports"]
    except (OSError, ValueError, KeyError):
        return {}
    return {n: e["duration_s"] for n, e in entries.items() if e.get("duration_s") is not None}


def _pages(directory: Path, names: list[str]) -> dict[str, int]:
    return {n: (directory / f"{n}.html").stat().st_size for n in names}


def run(
    notebooks_dir: Path,
    names: list[str] | None = None,
    jobs: int | None = None,
    work: Path | None = None,
    data_dir: str | None = None,
    matrix: Path | None = None,
    kernel_runs: int = 5,
    with_tests: bool = False,
) -> Bench:
    """Time the chain, the forced render, the no-op render and ``kernel_runs`` bare kernel
    starts on ``names`` (default: all); when ``matrix`` (a config) is given, its reports on local
    threads and on a LocalCluster; with ``with_tests``, the test suite."""
    from .reports import find_notebooks

    notebooks = find_notebooks(notebooks_dir)
    names = sorted(names or notebooks)
    jobs = jobs or len(os.sched_getaffinity(0))
    work = Path(work or tempfile.mkdtemp(prefix="afghan-brief-bench-"))
    chain_dir, out_dir = work / "chain", work / "render"
    for d in (chain_dir, out_dir):
        shutil.rmtree(d, ignore_errors=True)
        d.mkdir(parents=True)
    bench = Bench(names, jobs, machine=machine(), load_start=load())
    params = {"data_dir": str(Path(data_dir).resolve())} if data_dir else {}

    _say(f"the plain chain, {len(names)} notebooks one after the other ...")
    started = time.perf_counter()
    for name in names:
        for command in chain_commands(notebooks[name], chain_dir, params):
            _timed(command, f"the plain chain ({Path(command[0]).name} on {name})")
    bench.chain_s = time.perf_counter() - started
    bench.chain_timings = _timings(chain_dir, names)

    _say(f"the forced render, {jobs} at a time ...")
    command = [sys.executable, "-c", _RENDER, str(notebooks_dir), str(out_dir), ",".join(names)]
    bench.render_s = _timed([*command, str(jobs), data_dir or ""], "the forced render")
    bench.timings = _timings(out_dir, names)
    bench.report_s = {n: s for n, s in _report_seconds(out_dir).items() if n in names}

    _say("the no-op render, 3 times ...")
    noop = [sys.executable, "-m", "analysis", "render", *names]
    noop += ["--notebooks", str(notebooks_dir), "--out", str(out_dir)]
    noop += ["--data", data_dir] if data_dir else []
    bench.noop_s = [_timed(noop, "the no-op render") for _ in range(3)]

    _say(f"a bare {KERNEL} kernel start, {kernel_runs} times ...")
    bench.kernel_start_s = [bare_kernel_start(KERNEL, notebooks_dir) for _ in range(kernel_runs)]

    bench.page_bytes = _pages(out_dir, names)
    bench.chain_page_bytes = _pages(chain_dir, names)
    bench.asset_bytes = sum(p.stat().st_size for p in (out_dir / "assets").iterdir())
    if matrix is not None:
        from .reports import select_reports

        bench.matrix_reports = [r.name for r in select_reports((), notebooks_dir, matrix)]
        for kind in ("local", "dask"):
            _say(f"the matrix render ({len(bench.matrix_reports)} reports), {kind} ...")
            target = work / f"matrix-{kind}"
            shutil.rmtree(target, ignore_errors=True)
            command = [sys.executable, "-c", _MATRIX, str(notebooks_dir), str(matrix)]
            took = _timed([*command, str(target), str(jobs), kind], f"the matrix render ({kind})")
            setattr(bench, f"matrix_{kind}_s", took)
        bench.matrix_page_bytes = _pages(work / "matrix-local", bench.matrix_reports)
    if with_tests:
        bench.suite_command = suite_command(jobs)
        _say(f"the test suite ({' '.join(bench.suite_command[1:])}) ...")
        log = work / "tests.log"
        bench.suite_s, bench.suite_rc, bench.suite_summary = time_suite(jobs, log)
    bench.load_end = load()
    return bench


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, not argparse's usage block
        print(f"{self.prog}: error: {message} (see --help)", file=sys.stderr)
        sys.exit(2)


def parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="python -m analysis.render.bench",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("reports", nargs="*", help="report names (default: every notebook)")
    p.add_argument("--notebooks", default="notebooks", type=Path)
    p.add_argument("--jobs", type=int, default=None, help="default: the CPUs available")
    p.add_argument("--data", default=None, help="a data directory, passed to both sides")
    p.add_argument("--keep", type=Path, default=None, help="work here and keep the files")
    p.add_argument(
        "--matrix",
        type=Path,
        default=DEFAULT_MATRIX,
        help="a config whose reports are rendered locally and on a Dask LocalCluster "
        "(default: the neighbours' risk profiles)",
    )
    p.add_argument("--no-matrix", action="store_true", help="skip the matrix render")
    p.add_argument(
        "--kernel-runs", type=int, default=5, help="bare kernel starts to take the median of"
    )
    p.add_argument(
        "--with-tests",
        action="store_true",
        help="also time the test suite as `make test` runs it (minutes; off by default)",
    )
    p.add_argument("--json", type=Path, default=None, help="also write every number here")
    return p


def check(args: argparse.Namespace) -> None:
    """Refuse bad arguments before anything is timed (:class:`UsageError`, one line)."""
    from .reports import find_notebooks, select_reports

    for flag, value in (("--jobs", args.jobs), ("--kernel-runs", args.kernel_runs)):
        if value is not None and value < 1:
            raise UsageError(f"{flag} {value}: must be at least 1")
    try:
        notebooks = find_notebooks(args.notebooks)
        if not notebooks:
            raise UsageError(f"--notebooks {args.notebooks}: no report notebook (*.ipynb) in it")
        unknown = [n for n in args.reports if n not in notebooks]
        if unknown:
            raise UsageError(
                f"unknown report '{unknown[0]}'; reports in {args.notebooks}: "
                + ", ".join(notebooks)
            )
        if not args.no_matrix:
            if not args.matrix.is_file():
                raise UsageError(f"--matrix {args.matrix}: no such file (or pass --no-matrix)")
            select_reports((), args.notebooks, args.matrix)
    except AfghanBriefError as exc:
        raise UsageError(str(exc)) from None
    if args.data is not None and not Path(args.data).is_dir():
        raise UsageError(f"--data {args.data}: not a directory")
    if args.keep is not None and args.keep.exists() and not args.keep.is_dir():
        raise UsageError(f"--keep {args.keep}: exists and is not a directory")
    if args.json is not None:
        folder = args.json.parent
        if args.json.is_dir():
            raise UsageError(f"--json {args.json}: is a directory")
        if not folder.is_dir() or not os.access(folder, os.W_OK):
            raise UsageError(f"--json {args.json}: its directory {folder} cannot be written")
    if args.with_tests and not (REPO / "tests").is_dir():
        raise UsageError(f"--with-tests: no tests/ in {REPO} (needs the source checkout)")


def _plain(value):
    """NaN as null, so the JSON file is strict JSON."""
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        check(args)
        matrix = None if args.no_matrix else args.matrix
        bench = run(
            args.notebooks,
            args.reports or None,
            args.jobs,
            args.keep,
            args.data,
            matrix,
            kernel_runs=args.kernel_runs,
            with_tests=args.with_tests,
        )
    except UsageError as exc:
        print(f"bench: error: {exc}", file=sys.stderr)
        return 2
    except BenchError as exc:
        print(f"bench: error: {exc}", file=sys.stderr)
        return 1
    print(report(bench))
    if args.json is not None:
        text = json.dumps(_plain(as_json(bench)), indent=2, allow_nan=False)
        try:
            args.json.write_text(text + "\n", encoding="utf-8")
        except OSError as exc:
            print(f"bench: error: --json {args.json}: {exc.strerror or exc}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
