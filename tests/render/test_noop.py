"""What a render with nothing to do still does, done cheaply and the same as before: the lock
(taken without filelock where ``fcntl`` is), the package version (without
``importlib.metadata``)."""

from __future__ import annotations

import subprocess
import sys
import threading
import time

import pytest
from conftest import REPO

from analysis.exceptions import LockHeldError
from analysis.render.lock import LOCK_NAME, render_lock

# ---------------------------------------------------------------------------------------------
# The lock: excludes filelock's lock and itself, waits when asked, is released with its process


def test_the_lock_and_filelocks_lock_on_the_same_file_exclude_each_other(tmp_path):
    from filelock import FileLock, Timeout

    theirs = FileLock(str(tmp_path / LOCK_NAME), timeout=0)
    # an older afghan-brief (or the data updater's library) holds it
    with theirs, pytest.raises(LockHeldError), render_lock(tmp_path):
        pass
    with render_lock(tmp_path), pytest.raises(Timeout):
        theirs.acquire()
    theirs.acquire()  # released: free again
    theirs.release()


def test_a_second_lock_in_the_same_process_is_refused_and_wait_queues(tmp_path):
    with render_lock(tmp_path):
        with pytest.raises(LockHeldError), render_lock(tmp_path):
            pass
        with pytest.raises(LockHeldError), render_lock(tmp_path, wait=0.3):
            pass  # waited, then gave up
    held, order = threading.Event(), []

    def hold():
        with render_lock(tmp_path):
            held.set()
            time.sleep(0.5)
            order.append("holder done")

    thread = threading.Thread(target=hold)
    thread.start()
    held.wait()
    with render_lock(tmp_path, wait=True):  # queued behind the holder, then taken
        order.append("waiter")
    thread.join()
    assert order == ["holder done", "waiter"]


def test_a_killed_holder_leaves_the_lock_free(tmp_path):
    code = (
        "import sys, time\nfrom analysis.render.lock import render_lock\n"
        f"with render_lock({str(tmp_path)!r}):\n    print('held', flush=True)\n    time.sleep(60)\n"
    )
    holder = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, cwd=REPO)
    try:
        assert holder.stdout.readline() == b"held\n"
        with pytest.raises(LockHeldError) as err, render_lock(tmp_path):
            pass
        assert f"pid {holder.pid} on " in str(err.value)  # who holds it
    finally:
        holder.kill()
        holder.wait()
        holder.stdout.close()
    with render_lock(tmp_path):  # the system released it with the process
        pass


# ---------------------------------------------------------------------------------------------
# The version


def test_the_version_is_the_installed_distributions():
    from importlib.metadata import version

    import analysis

    assert analysis.__version__ == version("afghan-brief")
