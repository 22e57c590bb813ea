"""A report's kernel: ready without idle waits, stopped in the background after the report, and
never left behind — after a good report, a failed one, a dead kernel, or a signal.

The :class:`~analysis.render.lock.Kernels` tests use plain child processes in the place of
kernels (fast); the tests marked slow start real kernels.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from queue import Empty

import nbformat
import pytest

from analysis import render
from analysis.render.lock import Kernels

slow = pytest.mark.slow


def _child(code: str, **kwargs) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", code], start_new_session=True, **kwargs)


def _gone(pid: int) -> bool:
    """True when no process (not even an unreaped zombie) has this pid."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


SLEEPS = "import time; time.sleep(60)"
IGNORES_TERM = (
    "import signal, sys, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); "
    "print('ready', flush=True); time.sleep(60)"
)


# ---------------------------------------------------------------------------------------------
# Kernels asked to stop: given their grace, then terminated, always reaped


def test_a_kernel_that_ends_within_its_grace_is_reaped_and_never_signalled():
    kernels = Kernels(grace=30)
    process = _child("import time; time.sleep(0.2)")
    kernels.stop_later("report", process, process.pid)
    kernels.wait_stopped()
    assert process.returncode == 0  # it ended on its own
    assert kernels.stopping() == [] and _gone(process.pid)


def test_a_kernel_still_running_after_its_grace_is_terminated_with_its_children(tmp_path):
    kernels = Kernels(grace=0.2)
    marker = tmp_path / "child.pid"
    # the "kernel" starts a child of its own (a process in its group) and sleeps
    process = _child(
        "import subprocess, sys, time, pathlib; "
        f"c = subprocess.Popen([sys.executable, '-c', {SLEEPS!r}]); "
        f"pathlib.Path({str(marker)!r}).write_text(str(c.pid)); time.sleep(60)"
    )
    while not (marker.exists() and marker.read_text()):
        time.sleep(0.02)
    child = int(marker.read_text())
    kernels.stop_later("report", process, process.pid)
    kernels.wait_stopped()
    assert process.returncode == -signal.SIGTERM
    deadline = time.monotonic() + 10  # the child is reaped by init, not by us
    while not _gone(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _gone(child), "the kernel's own child process outlived it"


def test_a_kernel_that_ignores_sigterm_is_killed():
    kernels = Kernels(grace=0.1)
    process = _child(IGNORES_TERM, stdout=subprocess.PIPE)
    assert process.stdout.readline() == b"ready\n"  # its SIGTERM handler is in place
    kernels.stop_later("report", process, process.pid)
    kernels.wait_stopped()
    process.stdout.close()
    assert process.returncode == -signal.SIGKILL and _gone(process.pid)


def test_cancel_kills_a_stopping_kernel_at_once_and_a_later_one_too():
    kernels = Kernels(grace=60)
    first = _child(SLEEPS)
    kernels.stop_later("one", first, first.pid)
    kernels.cancel()  # Ctrl-C / SIGTERM: no kernel gets its grace
    kernels.wait_stopped()
    assert first.returncode == -signal.SIGKILL
    second = _child(SLEEPS)
    kernels.stop_later("two", second, second.pid)  # handed over after the cancel
    kernels.wait_stopped()
    assert second.returncode == -signal.SIGKILL and kernels.stopping() == []


def test_a_signal_while_the_run_waits_for_stopping_kernels_kills_them():
    class Alarm(Exception):
        pass

    def alarm(signum, frame):
        raise Alarm

    kernels = Kernels(grace=60)
    process = _child(SLEEPS)
    kernels.stop_later("report", process, process.pid)
    old = signal.signal(signal.SIGALRM, alarm)
    try:
        signal.setitimer(signal.ITIMER_REAL, 0.3)
        with pytest.raises(Alarm):
            kernels.close()  # waits for the grace (60 s) ... until the signal
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
    assert process.returncode == -signal.SIGKILL and _gone(process.pid)


# ---------------------------------------------------------------------------------------------
# Ready: IOPub read up to the kernel_info request's idle, not for a fixed quiet time


class _Channel:
    def __init__(self, messages):
        self.messages = list(messages)

    async def get_msg(self, timeout=None):
        if not self.messages:
            raise Empty
        return self.messages.pop(0)


def _status(state: str, parent: str) -> dict:
    return {
        "msg_type": "status",
        "parent_header": {"msg_id": parent},
        "content": {"execution_state": state},
    }


def _drained(messages, request="req-2"):
    from analysis.render.kernel import ReadyClient

    client = ReadyClient()
    channel = _Channel(messages)
    client._iopub_channel = channel  # the property jupyter_client reads the channel from
    return asyncio.run(client._iopub_drained(request)), channel.messages


def test_iopub_is_read_up_to_the_idle_of_the_last_request_and_no_further():
    later = {"msg_type": "stream", "parent_header": {"msg_id": "cell"}, "content": {}}
    messages = [
        _status("starting", ""),
        _status("busy", "req-1"),
        _status("idle", "req-1"),  # an earlier request's idle is not the end
        _status("busy", "req-2"),
        _status("idle", "req-2"),
        later,
    ]
    assert _drained(messages) == (True, [later])


def test_iopub_that_said_nothing_is_not_ready_and_one_without_idle_falls_back_to_quiet():
    assert _drained([]) == (False, [])  # not connected yet: the client asks again
    assert _drained([_status("busy", "req-2")]) == (True, [])  # jupyter_client's test


# ---------------------------------------------------------------------------------------------
# Real kernels: nothing left after a render, good or failed; exit handlers still run


def _notebook(folder: Path) -> Path:
    """A plain notebook whose kernel writes its pid to ``marker`` (and its connection file to
    ``marker``.file) and registers exit handlers: one writes ``marker``.exit, then one sleeps
    a minute (a kernel that does not end on its own); with ``fail`` its last cell raises."""
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell(
        'marker: str = ""  # where the kernel writes its pid\n'
        "fail: bool = False  # raise in the last cell"
    )
    params.metadata["tags"] = ["parameters"]
    nb.cells = [
        params,
        nbformat.v4.new_code_cell(
            "import atexit, os, pathlib, time\n"
            "from ipykernel import get_connection_file\n"
            "pathlib.Path(marker).write_text(str(os.getpid()))\n"
            "pathlib.Path(marker + '.file').write_text(get_connection_file())\n"
            "atexit.register(time.sleep, 60)  # runs last: a kernel slow to end\n"
            "atexit.register(lambda: pathlib.Path(marker + '.exit').write_text('ran'))"
        ),
        nbformat.v4.new_code_cell("if fail:\n    raise ValueError('failed on purpose')"),
    ]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, folder / "pid.ipynb")
    return folder / "pid.ipynb"


@pytest.fixture
def runtime(tmp_path, monkeypatch) -> Path:
    """Where kernels' connection files go, empty: the temporary directory (jupyter_client's
    default for a kernel manager's file) and Jupyter's runtime directory."""
    folder = tmp_path / "runtime"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(folder))
    return folder


@slow
@pytest.mark.parametrize("fail", [False, True], ids=["good report", "failed report"])
def test_no_kernel_or_connection_file_outlives_a_render(fail, tmp_path, runtime):
    notebook = _notebook(tmp_path / "notebooks")
    marker = tmp_path / "kernel.pid"
    report = render.Report("pid", notebook, {"marker": str(marker), "fail": fail})
    run = render.render_all([report], tmp_path / "out")
    assert run.results[0].status == ("failed" if fail else "ok")
    pid = int(marker.read_text())
    assert _gone(pid), "the kernel outlived the render"  # terminated and reaped, no zombie
    connection = Path(Path(f"{marker}.file").read_text())
    assert connection.parent == runtime and not connection.exists()  # removed
    assert list(runtime.iterdir()) == []
    assert Path(f"{marker}.exit").read_text() == "ran"  # asked to shut down, not just killed


@slow
def test_a_dead_kernel_leaves_no_connection_file(runtime, tmp_path):
    dies = Path(__file__).parents[1] / "fixtures" / "notebooks" / "dies.ipynb"
    run = render.render_all([render.Report("dies", dies, {})], tmp_path / "out")
    assert run.results[0].status == "failed"
    assert run.results[0].error.ename == "DeadKernelError"
    assert list(runtime.iterdir()) == []


@slow
def test_execute_report_on_its_own_returns_with_its_kernel_ended(tmp_path, runtime, monkeypatch):
    from analysis.render import lock
    from analysis.render.execute import execute_report

    monkeypatch.setattr(lock, "STOP_GRACE", 5.0)  # longer than the page takes: it is waited for

    notebook = _notebook(tmp_path / "notebooks")
    marker = tmp_path / "kernel.pid"
    done = execute_report(
        "pid", notebook, {"marker": str(marker)}, tmp_path / "work", assets={"plotly_js": "p.js"}
    )
    assert done.status == "ok"
    assert _gone(int(marker.read_text())) and list(runtime.iterdir()) == []


@slow
def test_the_kernel_is_ready_with_nothing_left_on_iopub(runtime):
    from analysis.render.kernel import manager_class

    async def start():
        km = manager_class(Kernels(), "ready", Path(os.devnull))(kernel_name="python3")
        await km.start_kernel()
        client = km.client()
        client.start_channels()
        try:
            await client.wait_for_ready(timeout=60)
            try:  # what jupyter_client's 0.2 s flush guarantees: no start-up message pending
                left = await client.iopub_channel.get_msg(timeout=0.5)
            except Empty:
                left = None
            reply = await client.execute_interactive("1 + 1", timeout=30, output_hook=lambda m: 0)
            return left, reply["content"]["status"]
        finally:
            client.stop_channels()
            await km.shutdown_kernel(now=True)

    left, status = asyncio.run(start())
    assert left is None and status == "ok"
