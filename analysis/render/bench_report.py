"""The benchmark's numbers (:class:`Bench`) held against issue 14's targets, as text
(Markdown) and as JSON.

:func:`targets` turns a :class:`Bench` into :class:`Target` lines, each met or not and by
how much: each report's cell time at most 2.0 x a bare kernel start; the forced render at most
0.30 x the plain chain; the no-op render at most 0.2 s; every page at most 300 KiB (its shared
``assets/`` excluded); the test suite at most 150 s (when measured). :func:`report` prints the
whole run; :func:`as_json` gives every number for ``--json``.
"""

from __future__ import annotations

import dataclasses
import math
import statistics
from dataclasses import dataclass, field

from .bench_measure import NotebookTiming
from .execute import KERNEL

CELLS_PER_KERNEL_START = 2.0  # a report's cells: at most this many bare kernel starts
RENDER_PER_CHAIN = 0.30  # the forced render: at most this share of the plain chain
NOOP_S = 0.2  # the no-op re-render, seconds
PAGE_KIB = 300  # every report page, its shared assets excluded
SUITE_S = 150  # the test suite, seconds


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
    load_start: list[float] = field(default_factory=list)  # load average at the start
    load_end: list[float] = field(default_factory=list)  # and at the end
    kernel_name: str = KERNEL
    kernel_start_s: list[float] = field(default_factory=list)  # bare kernel starts
    timings: dict[str, NotebookTiming] = field(default_factory=dict)  # the render's notebooks
    chain_timings: dict[str, NotebookTiming] = field(default_factory=dict)  # the chain's
    report_s: dict[str, float] = field(default_factory=dict)  # each report's time in the render
    matrix_reports: list[str] = field(default_factory=list)  # the matrix render's reports
    matrix_local_s: float = 0.0
    matrix_dask_s: float = 0.0
    matrix_page_bytes: dict[str, int] = field(default_factory=dict)
    suite_command: list[str] = field(default_factory=list)
    suite_s: float | None = None  # the test suite's wall time, when measured
    suite_rc: int | None = None
    suite_summary: str = ""

    @property
    def ratio(self) -> float:
        return self.render_s / self.chain_s if self.chain_s else float("nan")

    @property
    def noop_median(self) -> float:
        return statistics.median(self.noop_s) if self.noop_s else float("nan")


NOISY = (
    "the machine is shared with other work and noisy: seconds move from run to run; compare the "
    "ratios, measured in one run, and repeat a run before trusting a verdict near its limit"
)


@dataclass(frozen=True)
class Target:
    """One target of the issue: ``value`` must be at most ``limit``; NaN means not measured."""

    name: str
    value: float
    limit: float
    unit: str = ""  # "s", "x", " KiB"
    note: str = ""  # what the value is (the largest page's name)

    @property
    def measured(self) -> bool:
        return not math.isnan(self.value)

    @property
    def met(self) -> bool | None:
        return self.value <= self.limit if self.measured else None

    def _fmt(self, x: float) -> str:
        digits = 0 if self.unit == " KiB" or abs(x) >= 100 else 2
        return f"{x:.{digits}f}{self.unit}"

    @property
    def verdict(self) -> str:
        if not self.measured:
            return "not measured"
        if self.met:
            return f"met, {self._fmt(self.limit - self.value)} under"
        times = self.value / self.limit if self.limit else math.inf
        return f"NOT met, {self._fmt(self.value - self.limit)} over ({times:.2f} x the limit)"

    def row(self) -> str:
        value = self._fmt(self.value) if self.measured else "-"
        value += f" ({self.note})" if self.note and self.measured else ""
        return f"| {self.name} | {value} | {self._fmt(self.limit)} | {self.verdict} |"

    def as_dict(self) -> dict:
        value = self.value if self.measured else None
        return {
            "name": self.name,
            "value": value,
            "limit": self.limit,
            "unit": self.unit.strip(),
            "met": self.met,
            "margin": None if value is None else self.limit - value,
        }


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else math.nan


def cells_ratio(bench: Bench, name: str) -> float:
    """A report's cell time (forced render) in bare kernel starts; NaN when either is unknown."""
    timing, start = bench.timings.get(name), _median(bench.kernel_start_s)
    return timing.cells_s / start if timing and start > 0 else math.nan


def all_pages(bench: Bench) -> dict[str, int]:
    """Every page measured: the reports' and the matrix's (bytes, shared assets excluded)."""
    return {**bench.page_bytes, **bench.matrix_page_bytes}


def targets(bench: Bench) -> list[Target]:
    """Each of the issue's targets with this run's value."""
    out = [
        Target(
            f"{name}: cells <= {CELLS_PER_KERNEL_START} x bare kernel start",
            cells_ratio(bench, name),
            CELLS_PER_KERNEL_START,
            "x",
        )
        for name in bench.reports
    ]
    out.append(
        Target(
            f"forced render <= {RENDER_PER_CHAIN} x plain chain ({len(bench.reports)} reports)",
            bench.ratio,
            RENDER_PER_CHAIN,
            "x",
        )
    )
    out.append(Target(f"no-op render <= {NOOP_S} s", _median(bench.noop_s), NOOP_S, " s"))
    pages = all_pages(bench)
    largest = max(pages, key=pages.get) if pages else ""
    over = [n for n, b in pages.items() if b / 1024 > PAGE_KIB]
    note = largest + (f"; over: {', '.join(over)}" if over else "")
    value = pages[largest] / 1024 if pages else math.nan
    out.append(Target(f"every page <= {PAGE_KIB} KiB", value, PAGE_KIB, " KiB", note))
    suite = math.nan if bench.suite_s is None else bench.suite_s
    failed = bench.suite_rc not in (None, 0)
    note = f"exit {bench.suite_rc}: {bench.suite_summary}" if failed else ""
    out.append(Target(f"test suite <= {SUITE_S} s", suite, SUITE_S, " s", note))
    return out


def _s(x: float | None, digits: int = 2) -> str:
    return "-" if x is None or math.isnan(x) else f"{x:.{digits}f}"


def _loads(loads: list[float]) -> str:
    return " ".join(f"{x:.2f}" for x in loads) or "-"


def _kib(pages: dict[str, int]) -> str:
    return ", ".join(f"{n} {b / 1024:.0f} KiB" for n, b in pages.items())


def report(bench: Bench) -> str:
    """The whole run as the README's Speed section shows it (Markdown)."""
    m, jobs = bench.machine, bench.jobs
    lines = [
        f"machine: {m.get('cpus')} CPUs ({m.get('cpu')}), {m.get('ram', '?')} RAM, "
        f"Python {m.get('python')} (bytecode {m.get('bytecode', '?')}), {m.get('os', '?')}",
        f"load average (1, 5, 15 min): {_loads(bench.load_start)} at the start, "
        f"{_loads(bench.load_end)} at the end; {NOISY}",
        f"reports: {', '.join(bench.reports)} (default parameters); jobs: {jobs}",
        "",
        "| | seconds |",
        "|---|---:|",
        f"| plain chain: papermill + jupyter nbconvert per notebook | {bench.chain_s:.1f} |",
        f"| afghan-brief forced full render (API, fresh process, `--jobs {jobs}`) "
        f"| {bench.render_s:.1f} |",
        f"| ratio render / chain | **{_s(bench.ratio)}** |",
        f"| no-op re-render (median of {len(bench.noop_s)}) | {_s(_median(bench.noop_s))} |",
        f"| bare kernel start (`{bench.kernel_name}`, jupyter_client, median of "
        f"{len(bench.kernel_start_s)}) | {_s(_median(bench.kernel_start_s))} |",
        *_per_report(bench),
        "",
        f"pages: {_kib(bench.page_bytes)}; plus assets/ shared by all pages: "
        f"{bench.asset_bytes / 1024**2:.1f} MiB (plotly.js and the notebook CSS)",
        f"the chain's pages (no charts drawn, CSS inlined): {_kib(bench.chain_page_bytes)}",
        *_matrix_lines(bench),
        *_suite_lines(bench),
        "",
        "targets (issue 14), each measured in this run:",
        "",
        "| target | measured | limit | verdict |",
        "|---|---:|---:|---|",
        *(t.row() for t in targets(bench)),
    ]
    return "\n".join(lines)


def _per_report(bench: Bench) -> list[str]:
    """Each report's kernel start, cells and kernel stop, from its executed notebook."""
    if not bench.timings:
        return []
    out = [
        "",
        f"per report, from the executed notebooks' metadata (forced render: {bench.jobs} kernels "
        "at a time; chain: one at a time), seconds:",
        "",
        "| report | kernel start | cells | cells / bare kernel start | cells in the chain "
        "| kernel stop | page and files | report | slowest cell |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for name in bench.reports:
        t, chain = bench.timings.get(name), bench.chain_timings.get(name)
        total = bench.report_s.get(name)
        rest = total - t.total_s if t and t.total_s is not None and total is not None else None
        slowest = (
            f"cell {t.slowest_cell}, {t.slowest_s:.2f} s: `{t.slowest_source}`"
            if t and t.slowest_cell is not None
            else "-"
        )
        out.append(
            f"| {name} | {_s(t and t.kernel_start_s)} | {_s(t and t.cells_s)} "
            f"| {_s(cells_ratio(bench, name))} | {_s(chain and chain.cells_s)} "
            f"| {_s(t and t.kernel_stop_s)} | {_s(rest)} | {_s(total)} | {slowest} |"
        )
    return out


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
        "",
        f"matrix pages: {_kib(bench.matrix_page_bytes)}",
    ]


def _suite_lines(bench: Bench) -> list[str]:
    if bench.suite_s is None:
        return ["", "test suite: not measured (pass --with-tests)"]
    return [
        "",
        f"test suite (`{' '.join(bench.suite_command)}`): {bench.suite_s:.0f} s, "
        f"exit {bench.suite_rc}: {bench.suite_summary}",
    ]


def as_json(bench: Bench) -> dict:
    """Every number of the run, with the derived ratios and each target's verdict."""
    pages = all_pages(bench)
    return {
        **dataclasses.asdict(bench),
        "ratio_render_chain": bench.ratio if bench.chain_s else None,
        "noop_median_s": _median(bench.noop_s) if bench.noop_s else None,
        "kernel_start_median_s": _median(bench.kernel_start_s) if bench.kernel_start_s else None,
        "cells_per_kernel_start": {
            n: (None if math.isnan(r) else r)
            for n in bench.reports
            for r in [cells_ratio(bench, n)]
        },
        "largest_page": {"name": max(pages, key=pages.get), "bytes": max(pages.values())}
        if pages
        else None,
        "targets": [t.as_dict() for t in targets(bench)],
        "noisy": NOISY,
    }
