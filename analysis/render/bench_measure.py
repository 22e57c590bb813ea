"""What :mod:`.bench` measures besides wall-clock commands: the machine, a bare kernel start,
each executed notebook's own timing, and the test suite.

- :func:`machine` and :func:`load`: what the numbers were measured on, and how busy it was;
- :func:`notebook_timing`: from an executed notebook's metadata (papermill's per-cell
  ``start_time`` / ``duration``, else nbclient's ``execution`` timestamps), how long its kernel
  took to start, how long its cells ran (all of them, imports included), how long the kernel took
  to stop, and its slowest cell;
- :func:`bare_kernel_start`: one kernel started with jupyter_client and waited for until it
  answers, with nothing executed: the floor a report's cell time is compared with;
- :func:`suite_command` / :func:`time_suite`: the test suite as ``make test`` runs it.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]  # the source checkout (tests/ and the Makefile)


def machine() -> dict[str, str]:
    """CPU count and model, RAM, Python and OS, and whether Python caches compiled bytecode:
    what the numbers were measured on."""
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
    info["python"] = platform.python_version()
    info["os"] = f"{platform.system()} {platform.release()}"
    try:
        release = dict(
            line.split("=", 1)
            for line in Path("/etc/os-release").read_text().splitlines()
            if "=" in line
        )
        info["os"] += f" ({release['PRETTY_NAME'].strip(chr(34))})"
    except (OSError, KeyError):
        pass
    # with PYTHONDONTWRITEBYTECODE set (as in some containers), every process this bench starts,
    # kernels included, compiles this package's modules from source: some 60 ms a process here
    off = bool(os.environ.get("PYTHONDONTWRITEBYTECODE"))
    info["bytecode"] = "not cached (PYTHONDONTWRITEBYTECODE is set)" if off else "cached"
    return info


def load() -> list[float]:
    """The load average over 1, 5 and 15 minutes."""
    return [round(x, 2) for x in os.getloadavg()]


@dataclass
class NotebookTiming:
    """One executed notebook's timing, in seconds (None: its metadata does not say)."""

    cells_s: float  # every cell's duration, summed (imports included)
    kernel_start_s: float | None = None  # execution started -> first cell started
    kernel_stop_s: float | None = None  # last cell ended -> execution ended
    total_s: float | None = None  # the notebook's whole execution, as papermill records it
    slowest_cell: int | None = None  # its index in the notebook file (injected cells skipped)
    slowest_s: float = 0.0
    slowest_source: str = ""  # the slowest cell's first line
    source: str = "papermill"  # or "nbclient": which metadata the numbers come from


def _time(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _nbclient_duration(cell: dict) -> float | None:
    timing = cell.get("metadata", {}).get("execution", {})
    start, end = _time(timing.get("iopub.execute_input")), _time(timing.get("shell.execute_reply"))
    return (end - start).total_seconds() if start and end else None


def notebook_timing(path: str | os.PathLike) -> NotebookTiming | None:
    """Timing of the executed notebook at ``path``, from papermill's metadata (each cell's
    ``duration``; the kernel start is the time from the notebook's ``start_time`` to its first
    cell's, the kernel stop from its last cell's ``end_time`` to the notebook's), or, for a
    notebook executed by nbclient alone, from each code cell's ``execute_input`` to its
    ``execute_reply``. None when it holds neither."""
    nb = json.loads(Path(path).read_text(encoding="utf-8"))
    cells = nb.get("cells", [])
    durations: list[float | None] = [
        c.get("metadata", {}).get("papermill", {}).get("duration") for c in cells
    ]
    source = "papermill"
    if not any(d is not None for d in durations):
        durations = [_nbclient_duration(c) if c.get("cell_type") == "code" else None for c in cells]
        source = "nbclient"
        if not any(d is not None for d in durations):
            return None
    timing = NotebookTiming(sum(d for d in durations if d is not None), source=source)
    injected = 0
    for i, (cell, took) in enumerate(zip(cells, durations, strict=True)):
        if "injected-parameters" in cell.get("metadata", {}).get("tags", []):
            injected += 1
        elif took is not None and took > timing.slowest_s:
            lines = [ln.strip() for ln in "".join(cell.get("source", "")).splitlines()]
            first = next((ln for ln in lines if ln), "")
            timing.slowest_cell, timing.slowest_s = i - injected, took
            timing.slowest_source = first[:60] + ("..." if len(first) > 60 else "")
    if source == "papermill":
        meta = nb.get("metadata", {}).get("papermill", {})
        ran = [c.get("metadata", {}).get("papermill", {}) for c in cells]
        ran = [m for m in ran if m.get("start_time") and m.get("end_time")]
        began, ended = _time(meta.get("start_time")), _time(meta.get("end_time"))
        if began and ran:
            timing.kernel_start_s = (_time(ran[0]["start_time"]) - began).total_seconds()
        if ended and ran:
            timing.kernel_stop_s = (ended - _time(ran[-1]["end_time"])).total_seconds()
        timing.total_s = meta.get("duration")
    return timing


def bare_kernel_start(kernel_name: str, cwd: str | os.PathLike) -> float:
    """Seconds to start kernel ``kernel_name`` with jupyter_client and have it answer (its
    ``kernel_info`` reply), as a report's kernel starts but with nothing executed; the kernel is
    then stopped (not timed)."""
    from jupyter_client import KernelManager

    km = KernelManager(kernel_name=kernel_name)
    started = time.perf_counter()
    km.start_kernel(cwd=str(cwd), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    kc = km.client()
    try:
        kc.start_channels()
        kc.wait_for_ready(timeout=60)
        return time.perf_counter() - started
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def suite_command(jobs: int) -> list[str]:
    """The test suite's command as ``make test`` runs it (``pytest -n JOBS --dist loadfile``)."""
    return [sys.executable, "-m", "pytest", "-n", str(jobs), "--dist", "loadfile"]


def time_suite(jobs: int, log: Path) -> tuple[float, int, str]:
    """Run the test suite in the source checkout: its wall time, exit code and summary line
    (the whole output goes to ``log``)."""
    started = time.perf_counter()
    with open(log, "wb") as out:
        rc = subprocess.run(suite_command(jobs), cwd=REPO, stdout=out, stderr=out).returncode
    took = time.perf_counter() - started
    lines = [ln.strip("= ") for ln in log.read_text(errors="replace").splitlines() if ln.strip()]
    return took, rc, (lines[-1] if lines else "")
