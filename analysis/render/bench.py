"""Benchmark: ``afghan-brief render --force`` against the plain papermill + nbconvert chain.

``make bench`` (``python -m analysis.render.bench``) times, in one run, on the same notebooks
with the same parameters:

1. **the chain** a user would write without this package: for each notebook, one after the
   other, ``papermill NB out.ipynb`` then ``jupyter nbconvert --to html out.ipynb``, each a new
   process;
2. **a forced full render** through the Python API (:func:`analysis.render.render_all` with
   ``force=True``), in a fresh interpreter and a fresh output directory, so start-up, data
   validation and writing the plotly.js asset are counted;
3. **the no-op re-render** (``afghan-brief render`` again, nothing changed; median of 3);
4. **a matrix render** (the parameter matrix of a config: by default the neighbours' risk
   profiles of ``analysis/data/configs/neighbours.toml``), forced, in a fresh interpreter, once
   on local threads (``jobs`` at a time) and once on a Dask ``LocalCluster`` of ``jobs`` worker
   processes started by the render (its start-up counted);

and prints the times, the chain/render ratio (target: at most 0.5), the no-op time, the two
matrix times and the size of the report pages. The chain and the render do the same work per
notebook: execute every cell in a new kernel, write the executed notebook, write an HTML page.
Timings are wall-clock.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

TARGET_RATIO = 0.5


@dataclass
class Bench:
    """Measured numbers of one benchmark run (seconds, bytes)."""

    reports: list[str]
    jobs: int
    chain_s: float = 0.0
    render_s: float = 0.0
    noop_s: list[float] = field(default_factory=list)
    page_bytes: dict[str, int] = field(default_factory=dict)
    chain_page_bytes: dict[str, int] = field(default_factory=dict)
    asset_bytes: int = 0
    machine: dict[str, str] = field(default_factory=dict)
    matrix_reports: list[str] = field(default_factory=list)  # the matrix render's reports
    matrix_local_s: float = 0.0
    matrix_dask_s: float = 0.0

    @property
    def ratio(self) -> float:
        return self.render_s / self.chain_s if self.chain_s else float("nan")

    @property
    def noop_median(self) -> float:
        return statistics.median(self.noop_s) if self.noop_s else float("nan")


def machine() -> dict[str, str]:
    """CPU count, CPU model, RAM and load: what the numbers were measured on."""
    info = {"cpus": str(len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 0)}
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                info["ram"] = f"{int(line.split()[1]) / 1024**2:.0f} GiB"
                break
    except OSError:
        pass
    info.setdefault("cpu", platform.processor() or platform.machine())
    info["load"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    info["python"] = platform.python_version()
    return info


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


def _timed(command: list[str], **kwargs) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, **kwargs)
    return time.perf_counter() - started


def run(
    notebooks_dir: Path,
    names: list[str] | None = None,
    jobs: int | None = None,
    work: Path | None = None,
    data_dir: str | None = None,
    matrix: Path | None = None,
) -> Bench:
    """Time the chain, the forced render and the no-op render on ``names`` (default: all), and
    when ``matrix`` (a config) is given, its reports on local threads and on a LocalCluster."""
    from .reports import find_notebooks

    notebooks = find_notebooks(notebooks_dir)
    names = sorted(names or notebooks)
    jobs = jobs or len(os.sched_getaffinity(0))
    work = Path(work or tempfile.mkdtemp(prefix="afghan-brief-bench-"))
    chain_dir, out_dir = work / "chain", work / "render"
    for d in (chain_dir, out_dir):
        shutil.rmtree(d, ignore_errors=True)
        d.mkdir(parents=True)
    bench = Bench(names, jobs, machine=machine())
    params = {"data_dir": str(Path(data_dir).resolve())} if data_dir else {}

    started = time.perf_counter()
    for name in names:
        for command in chain_commands(notebooks[name], chain_dir, params):
            subprocess.run(command, check=True, capture_output=True)
    bench.chain_s = time.perf_counter() - started

    command = [sys.executable, "-c", _RENDER, str(notebooks_dir), str(out_dir), ",".join(names)]
    bench.render_s = _timed([*command, str(jobs), data_dir or ""])

    noop = [sys.executable, "-m", "analysis", "render", *names]
    noop += ["--notebooks", str(notebooks_dir), "--out", str(out_dir)]
    noop += ["--data", data_dir] if data_dir else []
    bench.noop_s = [_timed(noop) for _ in range(3)]

    bench.page_bytes = {n: (out_dir / f"{n}.html").stat().st_size for n in names}
    bench.chain_page_bytes = {n: (chain_dir / f"{n}.html").stat().st_size for n in names}
    bench.asset_bytes = sum(p.stat().st_size for p in (out_dir / "assets").iterdir())
    if matrix is not None:
        from .reports import select_reports

        bench.matrix_reports = [r.name for r in select_reports((), notebooks_dir, matrix)]
        for kind in ("local", "dask"):
            target = work / f"matrix-{kind}"
            shutil.rmtree(target, ignore_errors=True)
            command = [sys.executable, "-c", _MATRIX, str(notebooks_dir), str(matrix)]
            took = _timed([*command, str(target), str(jobs), kind])
            setattr(bench, f"matrix_{kind}_s", took)
    return bench


def report(bench: Bench) -> str:
    """The numbers as the README's Speed section shows them (Markdown)."""
    m = bench.machine
    verdict = "meets" if bench.ratio <= TARGET_RATIO else "misses"
    pages = ", ".join(f"{n} {b / 1024:.0f} KiB" for n, b in bench.page_bytes.items())
    chain_pages = ", ".join(f"{n} {b / 1024:.0f} KiB" for n, b in bench.chain_page_bytes.items())
    return "\n".join(
        [
            f"machine: {m.get('cpus')} CPUs ({m.get('cpu')}), {m.get('ram', '?')} RAM, "
            f"load average {m.get('load')} at start, Python {m.get('python')}",
            f"reports: {', '.join(bench.reports)} (default parameters); jobs: {bench.jobs}",
            "",
            "| | seconds |",
            "|---|---:|",
            f"| plain chain: papermill + jupyter nbconvert per notebook | {bench.chain_s:.1f} |",
            f"| afghan-brief forced full render (API, fresh process) | {bench.render_s:.1f} |",
            f"| ratio (target <= {TARGET_RATIO}) | **{bench.ratio:.2f}** ({verdict} it) |",
            f"| no-op re-render (median of {len(bench.noop_s)}) | {bench.noop_median:.2f} |",
            "",
            f"pages: {pages}; plus assets/ shared by all pages: {bench.asset_bytes / 1024**2:.1f}"
            " MiB (plotly.js and the notebook CSS)",
            f"the chain's pages (no charts drawn, CSS inlined): {chain_pages}",
            *_matrix_lines(bench),
        ]
    )


def _matrix_lines(bench: Bench) -> list[str]:
    if not bench.matrix_reports:
        return []
    n = len(bench.matrix_reports)
    ratio = bench.matrix_dask_s / bench.matrix_local_s if bench.matrix_local_s else float("nan")
    return [
        "",
        f"matrix render, forced, {n} reports ({', '.join(bench.matrix_reports)}), "
        f"{bench.jobs} at a time:",
        "",
        "| | seconds |",
        "|---|---:|",
        f"| local threads (`--jobs {bench.jobs}`) | {bench.matrix_local_s:.1f} |",
        f"| Dask LocalCluster, {bench.jobs} worker processes (`--dask local`, start-up "
        f"included) | {bench.matrix_dask_s:.1f} |",
        f"| ratio Dask / local | {ratio:.2f} |",
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m analysis.render.bench", description=__doc__)
    parser.add_argument("reports", nargs="*", help="report names (default: every notebook)")
    parser.add_argument("--notebooks", default="notebooks", type=Path)
    parser.add_argument("--jobs", type=int, default=None, help="default: the CPUs available")
    parser.add_argument("--data", default=None, help="a data directory, passed to both sides")
    parser.add_argument("--keep", type=Path, default=None, help="work here and keep the files")
    parser.add_argument(
        "--matrix",
        type=Path,
        default=DEFAULT_MATRIX,
        help="a config whose reports are rendered locally and on a Dask LocalCluster "
        "(default: the neighbours' risk profiles)",
    )
    parser.add_argument("--no-matrix", action="store_true", help="skip the matrix render")
    args = parser.parse_args(argv)
    matrix = None if args.no_matrix else args.matrix
    bench = run(args.notebooks, args.reports or None, args.jobs, args.keep, args.data, matrix)
    print(report(bench))
    return 0


if __name__ == "__main__":
    sys.exit(main())
