"""Rendering on Dask: the same per-report function as a local run, published by the client with
the same rules; a dead worker or a lost scheduler fails only the reports it held.

The LocalCluster tests run worker threads in this process (``processes=False``) where that
proves the point, and real worker processes for the killed-worker case.
"""

from __future__ import annotations

import json
import shutil
import socket
import threading
import time
from contextlib import suppress
from pathlib import Path

import nbformat
import pytest
from conftest import FIXTURES, REPO

from analysis import render
from analysis.cli import main
from analysis.exceptions import SchedulerError
from analysis.figures import MIME as FIGURES_MIME
from analysis.render import executors
from analysis.render.cluster import DaskExecutor

NOTEBOOK_FIXTURES = FIXTURES / "notebooks"
slow = pytest.mark.slow


@pytest.fixture
def notebooks(tmp_path: Path) -> Path:
    """The fixture notebooks, and one that kills the Dask worker running it."""
    target = tmp_path / "notebooks"
    shutil.copytree(NOTEBOOK_FIXTURES, target, ignore=shutil.ignore_patterns("plain", "dask"))
    shutil.copy(NOTEBOOK_FIXTURES / "dask" / "kills_worker.ipynb", target)
    return target


def _reports(notebooks: Path, *names: str) -> list[render.Report]:
    found = render.find_notebooks(notebooks)
    return [render.Report(n, found[n]) for n in names]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_worker_that_sees_other_files_fails_the_report_before_any_kernel(tmp_path, monkeypatch):
    def boom(*args, **kwargs):
        raise AssertionError("a kernel was started")

    monkeypatch.setattr(executors, "execute_report", boom)
    spec = {
        "name": "ok",
        "notebook": str(NOTEBOOK_FIXTURES / "ok.ipynb"),
        "parameters": {},
        "inputs": {"notebook_sha256": "0" * 64},  # what the client planned with
        "assets": {},
        "output_path": str(tmp_path / "ok.ipynb"),
    }
    payload = executors.render_task(spec)
    assert payload["status"] == "failed" and payload["files"] == {}
    assert payload["error"]["ename"] == "WorkerFilesDiffer"
    assert "the notebook" in payload["error"]["evalue"] and "differs" in payload["error"]["evalue"]
    spec["notebook"] = str(tmp_path / "missing.ipynb")
    assert "no notebook at" in executors.render_task(spec)["error"]["evalue"]


def test_an_unreachable_scheduler_is_one_line_exit_2_and_changes_nothing(
    notebooks, tmp_path, capsys
):
    out = tmp_path / "reports"
    out.mkdir()
    (out / "ok.html").write_text("previous page")
    address = f"tcp://127.0.0.1:{_free_port()}"  # nothing listens there
    executor = DaskExecutor(address, connect_timeout=1)
    with pytest.raises(SchedulerError) as err:
        render.render_all(_reports(notebooks, "ok"), out, executor=executor, force=True)
    assert str(err.value).startswith(f"cannot reach the Dask scheduler at {address}: ")
    assert "\n" not in str(err.value) and err.value.exit_code == 2
    assert (out / "ok.html").read_text() == "previous page"
    assert not (out / "manifest.json").exists() and not list(out.glob(".tmp-render-*"))


class _Future:
    def __init__(self, status):
        self.status = status


class _Client:
    def __init__(self, status):
        self.status = status


@pytest.mark.parametrize(
    "attempts, client_status, resubmitted",
    [(1, "running", True), (2, "running", False), (1, "closed", False)],
    ids=["first loss, reconnected", "second loss", "no connection"],
)
def test_a_report_lost_with_the_connection_is_submitted_once_more_at_most(
    tmp_path, attempts, client_status, resubmitted
):
    from analysis.render.executors import RunContext

    executor = DaskExecutor("tcp://127.0.0.1:1", connect_timeout=0.5)
    job = render.Report("slow", NOTEBOOK_FIXTURES / "slow.ipynb")
    ctx = RunContext(tmp_path, tmp_path / "tmp", {})
    outcome = executor._outcome(
        _Future("cancelled"), job, ctx, _Client(client_status), {"slow": attempts}
    )
    if resubmitted:
        assert outcome is None
    else:
        assert outcome.status == "failed" and outcome.error.ename == "SchedulerConnectionLost"
        assert f"({attempts} attempt(s))" in outcome.error.evalue
        assert "tcp://127.0.0.1:1" in outcome.error.evalue


def _outputs(path: Path) -> list:
    """Every code cell's outputs, without what differs from run to run (timings, counts)."""
    cells = nbformat.read(path, as_version=4).cells
    out = []
    for cell in cells:
        if cell.cell_type == "code":
            out.append(
                [{k: v for k, v in o.items() if k != "execution_count"} for o in cell.outputs]
            )
    return out


def _bundle(path: Path) -> dict:
    for cell in nbformat.read(path, as_version=4).cells:
        for output in cell.get("outputs", []):
            if FIGURES_MIME in output.get("data", {}):
                return output["data"][FIGURES_MIME]
    raise AssertionError(f"{path.name} exported no key figures")


@slow
def test_a_local_cluster_renders_the_same_pages_as_a_local_render(tmp_path):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    shutil.copy(REPO / "notebooks" / "risk_profile.ipynb", notebooks)
    shutil.copy(NOTEBOOK_FIXTURES / "ok.ipynb", notebooks)
    found = render.find_notebooks(notebooks)
    reports = [
        render.Report("profile-IRN", found["risk_profile"], {"country": "IRN"}),
        render.Report("ok", found["ok"], {"unit": "m"}),
    ]
    local = render.render_all(reports, tmp_path / "local", jobs=2)
    dask = render.render_all(
        reports, tmp_path / "dask", executor=DaskExecutor("local", 2, processes=False)
    )
    statuses = [r.status for r in local.results], [r.status for r in dask.results]
    assert statuses == (["ok", "ok"], ["ok", "ok"]), [r.error for r in dask.results]
    for name in ("profile-IRN", "ok"):
        one, two = tmp_path / "local" / f"{name}.ipynb", tmp_path / "dask" / f"{name}.ipynb"
        assert _outputs(one) == _outputs(two)  # every cell's output, figures included
    assert _bundle(tmp_path / "local" / "profile-IRN.ipynb") == _bundle(
        tmp_path / "dask" / "profile-IRN.ipynb"
    )
    assert any(
        f["id"] == "deaths_change"
        for f in _bundle(tmp_path / "dask" / "profile-IRN.ipynb")["figures"]
    )
    # published by the same rules: same records, the executor named in the manifest
    runs = [json.loads((tmp_path / d / "manifest.json").read_text()) for d in ("local", "dask")]
    for name in ("profile-IRN", "ok"):
        assert runs[0]["reports"][name]["good"]["key"] == runs[1]["reports"][name]["good"]["key"]
    assert runs[1]["run"]["executor"] == "dask LocalCluster (2 workers)"
    assert not list((tmp_path / "dask").glob(".tmp-render-*"))


@slow
def test_reports_on_in_process_workers_do_not_share_the_callers_event_loop(notebooks, tmp_path):
    """papermill run in this thread leaves jupyter_core's event loop in its context (a
    ContextVar); Dask's tasks inherit that context. Two reports running at once must each get a
    loop of their own, not both drive the caller's ("This event loop is already running")."""
    from jupyter_core.utils import ensure_event_loop

    ensure_event_loop()  # what papermill.execute_notebook in this thread leaves behind
    run = render.render_all(
        _reports(notebooks, "ok", "slow"),
        tmp_path / "reports",
        executor=DaskExecutor("local", 2, processes=False),
    )
    assert [r.status for r in run.results] == ["ok", "ok"], [r.error for r in run.results]


@slow
def test_a_killed_worker_fails_its_report_and_touches_no_other_page(
    notebooks, tmp_path, monkeypatch
):
    out = tmp_path / "reports"
    reports = _reports(notebooks, "kills_worker", "ok", "slow")
    assert render.render_all(reports, out).exit_code == 0  # locally: nothing is killed
    before = {p.name: p.read_bytes() for p in out.glob("*.html")}
    mtimes = {p.name: p.stat().st_mtime_ns for p in out.glob("*.html")}

    log = tmp_path / "killed.log"
    monkeypatch.setenv("KILL_PARENT_LOG", str(log))  # inherited by the worker processes
    run = render.render_all(
        reports, out, force=True, executor=DaskExecutor("local", 2, processes=True)
    )
    status = {r.name: r for r in run.results}
    assert run.exit_code == 4
    killed = status["kills_worker"]
    assert killed.status == "failed" and killed.error.ename == "KilledWorker"
    assert killed.error.summary.startswith("on a Dask worker: KilledWorker: every worker")
    pids = log.read_text().split()
    assert len(pids) == 2 and len(set(pids)) == 2  # retried once, on another worker process
    assert (out / "kills_worker.html").read_bytes() == before["kills_worker.html"]  # kept
    for name in ("ok", "slow"):
        assert status[name].status == "ok"
        assert (out / f"{name}.html").stat().st_mtime_ns != mtimes[f"{name}.html"]  # new
    manifest = json.loads((out / "manifest.json").read_text())
    entry = manifest["reports"]["kills_worker"]
    assert entry["status"] == "failed" and entry["error"]["ename"] == "KilledWorker"
    assert entry["html"] == "kills_worker.html"  # the last good page is still linked
    assert not list(out.glob(".tmp-render-*"))


@slow
def test_a_lost_scheduler_fails_the_report_in_flight_and_keeps_its_page(
    notebooks, tmp_path, monkeypatch
):
    from distributed import Client, LocalCluster

    out = tmp_path / "reports"
    reports = _reports(notebooks, "slow")
    assert render.render_all(reports, out).exit_code == 0
    good = (out / "slow.html").read_bytes()

    marker = tmp_path / "kernel.pid"
    monkeypatch.setenv("SLOW_SECONDS", "8")
    monkeypatch.setenv("SLOW_MARKER", str(marker))
    cluster = LocalCluster(
        n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None
    )
    client = Client(cluster, set_as_default=False)

    def lose_the_scheduler():
        deadline = time.monotonic() + 60
        while not (marker.exists() and marker.read_text()) and time.monotonic() < deadline:
            time.sleep(0.1)
        client.sync(cluster.scheduler.close)

    thread = threading.Thread(target=lose_the_scheduler, daemon=True)
    thread.start()
    try:
        run = render.render_all(reports, out, force=True, executor=DaskExecutor(client=client))
    finally:
        thread.join(10)
        client.close()
        with suppress(Exception):  # its scheduler is gone: do not wait for a clean goodbye
            cluster.close(timeout=3)
    (result,) = run.results
    assert run.exit_code == 4 and result.status == "failed"
    assert result.error.ename == "SchedulerConnectionLost"
    assert "lost the connection to the Dask scheduler" in result.error.evalue
    assert (out / "slow.html").read_bytes() == good


@slow
def test_render_dask_local_from_the_command_line(notebooks, tmp_path, capsys):
    out = tmp_path / "reports"
    args = ["render", "ok", "slow", "--notebooks", str(notebooks), "--out", str(out)]
    assert main([*args, "--dask", "local", "--jobs", "2"]) == 0
    assert "2 rendered" in capsys.readouterr().out
    assert (out / "ok.html").is_file() and (out / "slow.html").is_file()
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["run"]["executor"] == "dask LocalCluster (2 workers)"
